import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, StringColumn as StringColumn_, DateTimeColumn as DateTimeColumn_, IntColumn as IntColumn_, BigIntColumn as BigIntColumn_} from "@subsquid/typeorm-store"
import {StatsInterval} from "./_statsInterval"
import {StatsScope} from "./_statsScope"

/**
 * One time bucket of one scope: what happened in blocks whose timestamp falls in
 * [start, start + interval). id = scope code and key, interval, start in unix seconds, e.g.
 * g:H:1764626400, d12:D:1764547200, m3:H:…, t0x…:H:…. A metric a scope does not define is NULL
 * (see the README's stats rules); bridge amounts are only kept per token (TOKEN rows), never summed
 * over tokens. Rows exist only for buckets in which something happened.
 */
@Index_(["scope", "scopeKey", "interval", "start"], {unique: false})
@Entity_()
export class StatsBucket {
    constructor(props?: Partial<StatsBucket>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Column_("varchar", {length: 4, nullable: false})
    interval!: StatsInterval

    @Column_("varchar", {length: 7, nullable: false})
    scope!: StatsScope

    /**
     * Datanet id or model id (decimal), or L2 token address (zero address for native OPEN); empty for GLOBAL.
     */
    @StringColumn_({nullable: false})
    scopeKey!: string

    /**
     * Bucket start (UTC hour or UTC day).
     */
    @DateTimeColumn_({nullable: false})
    start!: Date

    /**
     * GLOBAL, MODEL: inferences settled. DATANET: inferences with an eligible attribution to its contributions.
     */
    @IntColumn_({nullable: true})
    inferences!: number | undefined | null

    /**
     * GLOBAL, MODEL: their fees (wei).
     */
    @BigIntColumn_({nullable: true})
    fees!: bigint | undefined | null

    /**
     * GLOBAL, DATANET, MODEL: CONTRIBUTOR-role payments (DATANET: to its contributions' contributors).
     */
    @BigIntColumn_({nullable: true})
    toContributors!: bigint | undefined | null

    /**
     * GLOBAL, DATANET, MODEL: DATANET_OWNER-role payments (DATANET: to its owner).
     */
    @BigIntColumn_({nullable: true})
    toDatanetOwners!: bigint | undefined | null

    /**
     * GLOBAL, MODEL: MODEL_OWNER-role payments.
     */
    @BigIntColumn_({nullable: true})
    toModelOwners!: bigint | undefined | null

    /**
     * GLOBAL, MODEL: what the protocol kept.
     */
    @BigIntColumn_({nullable: true})
    toProtocol!: bigint | undefined | null

    /**
     * GLOBAL, DATANET: contributions submitted.
     */
    @IntColumn_({nullable: true})
    contributions!: number | undefined | null

    /**
     * GLOBAL, DATANET: ContributionReviewed events with accepted = true (re-reviews included).
     */
    @IntColumn_({nullable: true})
    reviewsAccepted!: number | undefined | null

    /**
     * GLOBAL, DATANET: ContributionReviewed events with accepted = false.
     */
    @IntColumn_({nullable: true})
    reviewsRejected!: number | undefined | null

    /**
     * GLOBAL (every asset), TOKEN: bridge deposits (L1 to L2).
     */
    @IntColumn_({nullable: true})
    bridgeDepositCount!: number | undefined | null

    /**
     * GLOBAL (every asset), TOKEN: bridge withdrawals (L2 to L1).
     */
    @IntColumn_({nullable: true})
    bridgeWithdrawalCount!: number | undefined | null

    /**
     * TOKEN only: deposited amount of the token (its own units).
     */
    @BigIntColumn_({nullable: true})
    bridgeDepositedAmount!: bigint | undefined | null

    /**
     * TOKEN only: withdrawn amount of the token.
     */
    @BigIntColumn_({nullable: true})
    bridgeWithdrawnAmount!: bigint | undefined | null
}
