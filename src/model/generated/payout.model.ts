import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, ManyToOne as ManyToOne_, StringColumn as StringColumn_, BigIntColumn as BigIntColumn_, IntColumn as IntColumn_} from "@subsquid/typeorm-store"
import {Inference} from "./inference.model"
import {PayoutRole} from "./_payoutRole"

/**
 * One owner payment of an inference: the model owner's M (id = inferenceId-M) or a Datanet owner's
 * share of D (id = inferenceId-D-datanetId). Contributor payments are the eligible Attribution rows.
 */
@Index_(["account", "blockNumber"], {unique: false})
@Entity_()
export class Payout {
    constructor(props?: Partial<Payout>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @ManyToOne_(() => Inference, {nullable: true})
    inference!: Inference

    /**
     * Indexed with blockNumber (account, blockNumber): as-of-block payout sums.
     */
    @StringColumn_({nullable: false})
    account!: string

    @Column_("varchar", {length: 13, nullable: false})
    role!: PayoutRole

    @BigIntColumn_({nullable: true})
    datanetId!: bigint | undefined | null

    /**
     * For DATANET_OWNER: the eligible weight Wn (ppm) of that Datanet.
     */
    @IntColumn_({nullable: true})
    weightPpm!: number | undefined | null

    @BigIntColumn_({nullable: false})
    amount!: bigint

    @BigIntColumn_({nullable: false})
    epoch!: bigint

    @IntColumn_({nullable: false})
    blockNumber!: number
}
