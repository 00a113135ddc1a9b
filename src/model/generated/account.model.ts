import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, IntColumn as IntColumn_, BigIntColumn as BigIntColumn_} from "@subsquid/typeorm-store"

/**
 * An address that contributed, earned, paid or owned something. id = lowercase address.
 * (earnedTotal, id) and (reputationScore, id) serve the earnings and reputation leaderboards (read
 * backwards: value, then id, both descending).
 */
@Index_(["earnedTotal", "id"], {unique: false})
@Index_(["reputationScore", "id"], {unique: false})
@Entity_()
export class Account {
    constructor(props?: Partial<Account>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

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

    /**
     * Sum of qualityBps over currently ACCEPTED contributions.
     */
    @BigIntColumn_({nullable: false})
    acceptedQualitySum!: bigint

    @IntColumn_({nullable: false})
    slashCount!: number

    @BigIntColumn_({nullable: false})
    slashedAmount!: bigint

    /**
     * Attributions to this account's contributions that were eligible (paid).
     */
    @IntColumn_({nullable: false})
    eligibleAttributionCount!: number

    @BigIntColumn_({nullable: false})
    earnedAsContributor!: bigint

    @BigIntColumn_({nullable: false})
    earnedAsDatanetOwner!: bigint

    @BigIntColumn_({nullable: false})
    earnedAsModelOwner!: bigint

    @BigIntColumn_({nullable: false})
    earnedTotal!: bigint

    @BigIntColumn_({nullable: false})
    claimedTotal!: bigint

    @IntColumn_({nullable: false})
    inferencesPaid!: number

    @BigIntColumn_({nullable: false})
    feesPaid!: bigint

    @IntColumn_({nullable: false})
    firstSeenBlock!: number

    @IntColumn_({nullable: false})
    lastActivityBlock!: number

    /**
     * Reputation v1 score 0..1000 (PROTOCOL.md section 5); null until the address first submits a contribution or is slashed.
     */
    @IntColumn_({nullable: true})
    reputationScore!: number | undefined | null

    /**
     * Reputation components (basis points); null like the score.
     */
    @IntColumn_({nullable: true})
    acceptanceBps!: number | undefined | null

    @IntColumn_({nullable: true})
    qualityBps!: number | undefined | null

    @IntColumn_({nullable: true})
    impactBps!: number | undefined | null

    /**
     * Block of the latest reputation input (submission, review, slash or contributor payment).
     */
    @IntColumn_({nullable: true})
    reputationUpdatedAtBlock!: number | undefined | null
}
