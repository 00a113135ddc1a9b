import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, StringColumn as StringColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_, BigIntColumn as BigIntColumn_} from "@subsquid/typeorm-store"

/**
 * A contributor's reputation at the end of a block in which its score changed (and the first block it
 * had any input). id = account-block(10). The row holds every component, so the score and components
 * "as of block N" are those of the latest row at or before N.
 */
@Index_(["account", "blockNumber"], {unique: true})
@Entity_()
export class ReputationChange {
    constructor(props?: Partial<ReputationChange>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @StringColumn_({nullable: false})
    account!: string

    @IntColumn_({nullable: false})
    blockNumber!: number

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @IntColumn_({nullable: false})
    score!: number

    @IntColumn_({nullable: false})
    acceptanceBps!: number

    @IntColumn_({nullable: false})
    qualityBps!: number

    @IntColumn_({nullable: false})
    impactBps!: number

    @IntColumn_({nullable: false})
    accepted!: number

    @IntColumn_({nullable: false})
    rejected!: number

    @IntColumn_({nullable: false})
    duplicates!: number

    @IntColumn_({nullable: false})
    slashes!: number

    @BigIntColumn_({nullable: false})
    acceptedQualitySum!: bigint

    /**
     * CONTRIBUTOR-role earnings (wei) at that block.
     */
    @BigIntColumn_({nullable: false})
    earned!: bigint
}
