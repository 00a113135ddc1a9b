import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, IntColumn as IntColumn_, StringColumn as StringColumn_, DateTimeColumn as DateTimeColumn_, BigIntColumn as BigIntColumn_} from "@subsquid/typeorm-store"

/**
 * The last block the processor committed. Single row, id = 'head'.
 */
@Entity_()
export class IndexerStatus {
    constructor(props?: Partial<IndexerStatus>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @IntColumn_({nullable: false})
    height!: number

    @StringColumn_({nullable: false})
    hash!: string

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    /**
     * Number of events (logs and deposit transactions) processed in total.
     */
    @BigIntColumn_({nullable: false})
    eventCount!: bigint
}
