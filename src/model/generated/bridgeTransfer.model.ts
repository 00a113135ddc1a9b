import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, StringColumn as StringColumn_, BigIntColumn as BigIntColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"
import {BridgeDirection} from "./_bridgeDirection"
import {BridgeAsset} from "./_bridgeAsset"

/**
 * One bridge transfer. IN: deposit (0x7E mint or ERC20/ETH finalization); OUT: withdrawal. id = txHash-logIndex of the defining log (txHash for native deposits).
 */
@Entity_()
export class BridgeTransfer {
    constructor(props?: Partial<BridgeTransfer>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @Column_("varchar", {length: 3, nullable: false})
    direction!: BridgeDirection

    @Column_("varchar", {length: 6, nullable: false})
    asset!: BridgeAsset

    /**
     * Sender on the source side (L1 sender for IN, L2 sender for OUT).
     */
    @Index_()
    @StringColumn_({nullable: false})
    from!: string

    @Index_()
    @StringColumn_({nullable: false})
    to!: string

    /**
     * L2 token (zero address for native OPEN).
     */
    @StringColumn_({nullable: false})
    l2Token!: string

    /**
     * L1 token (zero address for native OPEN when unknown).
     */
    @StringColumn_({nullable: false})
    l1Token!: string

    @BigIntColumn_({nullable: false})
    amount!: bigint

    /**
     * OUT only: keccak256(abi.encode(nonce, sender, target, value, gasLimit, data)) of its MessagePassed.
     */
    @Index_()
    @StringColumn_({nullable: true})
    withdrawalHash!: string | undefined | null

    @BigIntColumn_({nullable: true})
    messageNonce!: bigint | undefined | null

    /**
     * IN native only: the deposit's sourceHash.
     */
    @StringColumn_({nullable: true})
    sourceHash!: string | undefined | null

    @Index_()
    @IntColumn_({nullable: false})
    blockNumber!: number

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @Index_()
    @StringColumn_({nullable: false})
    txHash!: string

    @IntColumn_({nullable: true})
    logIndex!: number | undefined | null
}
