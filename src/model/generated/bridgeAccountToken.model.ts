import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, StringColumn as StringColumn_, Index as Index_, BigIntColumn as BigIntColumn_, IntColumn as IntColumn_} from "@subsquid/typeorm-store"

/**
 * Per account and token bridge totals. id = account-token (token = l2 token, zero address for native).
 */
@Entity_()
export class BridgeAccountToken {
    constructor(props?: Partial<BridgeAccountToken>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @StringColumn_({nullable: false})
    account!: string

    @StringColumn_({nullable: false})
    token!: string

    @BigIntColumn_({nullable: false})
    depositedAmount!: bigint

    @IntColumn_({nullable: false})
    depositCount!: number

    @BigIntColumn_({nullable: false})
    withdrawnAmount!: bigint

    @IntColumn_({nullable: false})
    withdrawalCount!: number
}
