import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, ManyToOne as ManyToOne_, BigIntColumn as BigIntColumn_, StringColumn as StringColumn_, IntColumn as IntColumn_, BooleanColumn as BooleanColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"
import {Model} from "./model.model"

/**
 * A settled inference. id = inferenceId (0x hex).
 */
@Index_(["blockNumber", "logIndex"], {unique: false})
@Index_(["model", "blockNumber", "logIndex"], {unique: false})
@Index_(["payer", "blockNumber", "logIndex"], {unique: false})
@Index_(["epoch", "blockNumber", "logIndex"], {unique: false})
@Entity_()
export class Inference {
    constructor(props?: Partial<Inference>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    /**
     * The model (null when the settled modelId is not a registered model).
     */
    @ManyToOne_(() => Model, {nullable: true})
    model!: Model | undefined | null

    /**
     * The modelId as settled (kept when the model is unknown).
     */
    @BigIntColumn_({nullable: false})
    rawModelId!: bigint

    @StringColumn_({nullable: false})
    payer!: string

    @BigIntColumn_({nullable: false})
    fee!: bigint

    @BigIntColumn_({nullable: false})
    epoch!: bigint

    @IntColumn_({nullable: false})
    protocolBps!: number

    @IntColumn_({nullable: false})
    modelOwnerBps!: number

    @IntColumn_({nullable: false})
    datanetOwnerBps!: number

    @IntColumn_({nullable: false})
    contributorsBps!: number

    /**
     * Model owner at settlement and the M it was paid.
     */
    @StringColumn_({nullable: true})
    modelOwner!: string | undefined | null

    @BigIntColumn_({nullable: false})
    modelOwnerAmount!: bigint

    /**
     * Sum paid to Datanet owners (D share, eligible weights only).
     */
    @BigIntColumn_({nullable: false})
    datanetOwnersAmount!: bigint

    /**
     * Sum paid to contributors (C share, eligible weights only).
     */
    @BigIntColumn_({nullable: false})
    contributorsAmount!: bigint

    /**
     * What the protocol keeps: F minus everything paid.
     */
    @BigIntColumn_({nullable: false})
    protocolAmount!: bigint

    @BooleanColumn_({nullable: false})
    hasAttribution!: boolean

    @IntColumn_({nullable: false})
    attributionCount!: number

    @IntColumn_({nullable: false})
    eligibleCount!: number

    @IntColumn_({nullable: false})
    blockNumber!: number

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @StringColumn_({nullable: false})
    txHash!: string

    @IntColumn_({nullable: false})
    logIndex!: number
}
