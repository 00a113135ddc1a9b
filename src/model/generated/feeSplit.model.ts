import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_, StringColumn as StringColumn_} from "@subsquid/typeorm-store"

/**
 * One FeeSplitSet event. id = block(10)-logIndex(6).
 */
@Entity_()
export class FeeSplit {
    constructor(props?: Partial<FeeSplit>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @IntColumn_({nullable: false})
    protocolBps!: number

    @IntColumn_({nullable: false})
    modelOwnerBps!: number

    @IntColumn_({nullable: false})
    datanetOwnerBps!: number

    @IntColumn_({nullable: false})
    contributorsBps!: number

    @IntColumn_({nullable: false})
    blockNumber!: number

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @StringColumn_({nullable: false})
    txHash!: string
}
