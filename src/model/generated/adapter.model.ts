import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, ManyToOne as ManyToOne_, Index as Index_, IntColumn as IntColumn_, StringColumn as StringColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"
import {Model} from "./model.model"

/**
 * One AdapterPublished event. id = modelId-version.
 */
@Entity_()
export class Adapter {
    constructor(props?: Partial<Adapter>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @ManyToOne_(() => Model, {nullable: true})
    model!: Model

    @IntColumn_({nullable: false})
    version!: number

    @StringColumn_({nullable: false})
    weightsHash!: string

    @StringColumn_({nullable: false})
    uri!: string

    @IntColumn_({nullable: false})
    blockNumber!: number

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @StringColumn_({nullable: false})
    txHash!: string
}
