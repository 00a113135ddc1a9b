import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, IntColumn as IntColumn_, BigIntColumn as BigIntColumn_} from "@subsquid/typeorm-store"

/**
 * All-time bridge totals of one L2 token (every account). id = L2 token address (zero address for native OPEN).
 */
@Entity_()
export class BridgeTokenTotal {
    constructor(props?: Partial<BridgeTokenTotal>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @IntColumn_({nullable: false})
    depositCount!: number

    @BigIntColumn_({nullable: false})
    depositedAmount!: bigint

    @IntColumn_({nullable: false})
    withdrawalCount!: number

    @BigIntColumn_({nullable: false})
    withdrawnAmount!: bigint
}
