import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, BigIntColumn as BigIntColumn_, Index as Index_, IntColumn as IntColumn_, BooleanColumn as BooleanColumn_, StringColumn as StringColumn_} from "@subsquid/typeorm-store"

/**
 * A reward epoch. id = epoch number (decimal).
 */
@Entity_()
export class Epoch {
    constructor(props?: Partial<Epoch>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @BigIntColumn_({nullable: false})
    epoch!: bigint

    @IntColumn_({nullable: false})
    inferenceCount!: number

    @BigIntColumn_({nullable: false})
    totalFees!: bigint

    /**
     * Sum of all payments to accounts (all roles).
     */
    @BigIntColumn_({nullable: false})
    accruedToAccounts!: bigint

    @BigIntColumn_({nullable: false})
    protocolAmount!: bigint

    @BooleanColumn_({nullable: false})
    closed!: boolean

    @StringColumn_({nullable: true})
    postedRoot!: string | undefined | null

    @BigIntColumn_({nullable: true})
    postedTotal!: bigint | undefined | null

    /**
     * Root and total recomputed from the indexed accruals when the epoch closed (StandardMerkleTree, leaves [address, uint256]).
     */
    @StringColumn_({nullable: true})
    recomputedRoot!: string | undefined | null

    @BigIntColumn_({nullable: true})
    recomputedTotal!: bigint | undefined | null

    /**
     * Posted root and total equal the recomputed ones (null while open).
     */
    @BooleanColumn_({nullable: true})
    reconciled!: boolean | undefined | null

    @IntColumn_({nullable: true})
    closedAtBlock!: number | undefined | null

    /**
     * Accounts with a positive accrual (the tree's leaves).
     */
    @IntColumn_({nullable: false})
    earningAccounts!: number

    @BigIntColumn_({nullable: false})
    claimedTotal!: bigint

    @IntColumn_({nullable: false})
    claimCount!: number
}
