import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, BigIntColumn as BigIntColumn_, StringColumn as StringColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"
import {DatanetStatus} from "./_datanetStatus"

/**
 * A data network that contributors submit data to. id = datanetId (decimal).
 * (earnedTotal, datanetId) and (contributionCount, datanetId) serve the Datanet leaderboards.
 */
@Index_(["earnedTotal", "datanetId"], {unique: false})
@Index_(["contributionCount", "datanetId"], {unique: false})
@Entity_()
export class Datanet {
    constructor(props?: Partial<Datanet>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @BigIntColumn_({nullable: false})
    datanetId!: bigint

    @Index_()
    @StringColumn_({nullable: false})
    owner!: string

    @StringColumn_({nullable: false})
    name!: string

    @StringColumn_({nullable: false})
    metadataUri!: string

    @Column_("varchar", {length: 6, nullable: false})
    status!: DatanetStatus

    @IntColumn_({nullable: false})
    validatorCount!: number

    @IntColumn_({nullable: false})
    contributionCount!: number

    @IntColumn_({nullable: false})
    pendingCount!: number

    @IntColumn_({nullable: false})
    acceptedCount!: number

    @IntColumn_({nullable: false})
    rejectedCount!: number

    @IntColumn_({nullable: false})
    duplicateCount!: number

    @BigIntColumn_({nullable: false})
    totalSizeBytes!: bigint

    @BigIntColumn_({nullable: false})
    acceptedSizeBytes!: bigint

    @IntColumn_({nullable: false})
    slashCount!: number

    @BigIntColumn_({nullable: false})
    slashedAmount!: bigint

    /**
     * Eligible attributions to this Datanet's contributions.
     */
    @IntColumn_({nullable: false})
    attributionCount!: number

    /**
     * Paid to the Datanet owner (DATANET_OWNER role) over all inferences.
     */
    @BigIntColumn_({nullable: false})
    ownerEarned!: bigint

    /**
     * Paid to contributors of this Datanet (CONTRIBUTOR role) over all inferences.
     */
    @BigIntColumn_({nullable: false})
    contributorsEarned!: bigint

    /**
     * Fees paid for this Datanet's data: ownerEarned + contributorsEarned.
     */
    @BigIntColumn_({nullable: false})
    earnedTotal!: bigint

    @Index_()
    @IntColumn_({nullable: false})
    createdAtBlock!: number

    @DateTimeColumn_({nullable: false})
    createdAt!: Date

    @StringColumn_({nullable: false})
    createdTxHash!: string
}
