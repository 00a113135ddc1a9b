import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, BigIntColumn as BigIntColumn_, StringColumn as StringColumn_, IntColumn as IntColumn_} from "@subsquid/typeorm-store"

/**
 * What one account accrued and claimed in one epoch, by role (PROTOCOL.md sections 3 and 4); its Merkle
 * leaf is [account, total]. id = epoch-account. Claimable and pending follow from the epoch's state.
 */
@Index_(["epoch", "total", "account"], {unique: false})
@Entity_()
export class AccountEpoch {
    constructor(props?: Partial<AccountEpoch>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    /**
     * Indexed with total and account (epoch, total, account): the epoch's payout table and earnings leaderboard.
     */
    @BigIntColumn_({nullable: false})
    epoch!: bigint

    @Index_()
    @StringColumn_({nullable: false})
    account!: string

    @BigIntColumn_({nullable: false})
    asContributor!: bigint

    @BigIntColumn_({nullable: false})
    asDatanetOwner!: bigint

    @BigIntColumn_({nullable: false})
    asModelOwner!: bigint

    /**
     * The leaf amount: the sum of the three roles.
     */
    @BigIntColumn_({nullable: false})
    total!: bigint

    /**
     * Sum of this account's RewardClaimed amounts for the epoch (what the vault paid).
     */
    @BigIntColumn_({nullable: false})
    claimed!: bigint

    @IntColumn_({nullable: false})
    claimCount!: number

    @IntColumn_({nullable: true})
    lastClaimAtBlock!: number | undefined | null

    @IntColumn_({nullable: false})
    firstAccruedAtBlock!: number

    /**
     * Block of the latest accrual (null on a row that only records a claim): as-of-block sums read payment rows only for a row accrued after the block.
     */
    @IntColumn_({nullable: true})
    lastAccruedAtBlock!: number | undefined | null
}
