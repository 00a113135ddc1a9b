import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, StringColumn as StringColumn_, Index as Index_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * Chain data that broke an expectation; recorded instead of crashing.
 */
@Entity_()
export class Anomaly {
    constructor(props?: Partial<Anomaly>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @StringColumn_({nullable: false})
    kind!: string

    @StringColumn_({nullable: false})
    reason!: string

    @StringColumn_({nullable: true})
    contract!: string | undefined | null

    @Index_()
    @IntColumn_({nullable: false})
    blockNumber!: number

    @StringColumn_({nullable: true})
    txHash!: string | undefined | null

    @IntColumn_({nullable: true})
    logIndex!: number | undefined | null

    @DateTimeColumn_({nullable: false})
    timestamp!: Date
}
