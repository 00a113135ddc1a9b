import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, ManyToOne as ManyToOne_, StringColumn as StringColumn_, BigIntColumn as BigIntColumn_, IntColumn as IntColumn_} from "@subsquid/typeorm-store"
import {Datanet} from "./datanet.model"

/**
 * What one account earned as a contributor of one Datanet: CONTRIBUTOR-role payments for its
 * contributions to that Datanet (positive amounts only). id = datanetId-account. (datanet, earned,
 * account) serves the Datanet's earnings leaderboard.
 */
@Index_(["datanet", "earned", "account"], {unique: false})
@Entity_()
export class DatanetAccount {
    constructor(props?: Partial<DatanetAccount>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @ManyToOne_(() => Datanet, {nullable: true})
    datanet!: Datanet

    @StringColumn_({nullable: false})
    account!: string

    @BigIntColumn_({nullable: false})
    earned!: bigint

    /**
     * Eligible attributions with a positive payment to its contributions in the Datanet.
     */
    @IntColumn_({nullable: false})
    paidAttributionCount!: number
}
