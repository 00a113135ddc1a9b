import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, ManyToOne as ManyToOne_, Index as Index_, IntColumn as IntColumn_, BigIntColumn as BigIntColumn_} from "@subsquid/typeorm-store"
import {FeeSplit} from "./feeSplit.model"

/**
 * Protocol-wide state and totals. Single row, id = 'global'.
 */
@Entity_()
export class ProtocolState {
    constructor(props?: Partial<ProtocolState>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    /**
     * The split in force (null before the first FeeSplitSet: all to the protocol).
     */
    @Index_()
    @ManyToOne_(() => FeeSplit, {nullable: true})
    currentFeeSplit!: FeeSplit | undefined | null

    @IntColumn_({nullable: false})
    datanetCount!: number

    @IntColumn_({nullable: false})
    contributionCount!: number

    @IntColumn_({nullable: false})
    modelCount!: number

    @IntColumn_({nullable: false})
    inferenceCount!: number

    @IntColumn_({nullable: false})
    attributedInferenceCount!: number

    @BigIntColumn_({nullable: false})
    totalFees!: bigint

    @BigIntColumn_({nullable: false})
    totalToContributors!: bigint

    @BigIntColumn_({nullable: false})
    totalToDatanetOwners!: bigint

    @BigIntColumn_({nullable: false})
    totalToModelOwners!: bigint

    @BigIntColumn_({nullable: false})
    totalToProtocol!: bigint

    @BigIntColumn_({nullable: false})
    totalClaimed!: bigint

    @IntColumn_({nullable: false})
    anomalyCount!: number

    /**
     * ContributionReviewed events with accepted = true (re-reviews included).
     */
    @IntColumn_({nullable: false})
    reviewAcceptedCount!: number

    /**
     * ContributionReviewed events with accepted = false.
     */
    @IntColumn_({nullable: false})
    reviewRejectedCount!: number

    /**
     * Bridge deposits (L1 to L2), every asset.
     */
    @IntColumn_({nullable: false})
    bridgeDepositCount!: number

    /**
     * Bridge withdrawals (L2 to L1), every asset.
     */
    @IntColumn_({nullable: false})
    bridgeWithdrawalCount!: number
}
