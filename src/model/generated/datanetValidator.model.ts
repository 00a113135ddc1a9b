import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, ManyToOne as ManyToOne_, Index as Index_, StringColumn as StringColumn_, BooleanColumn as BooleanColumn_, IntColumn as IntColumn_} from "@subsquid/typeorm-store"
import {Datanet} from "./datanet.model"

/**
 * A validator's enablement on a Datanet. id = datanetId-validator.
 */
@Entity_()
export class DatanetValidator {
    constructor(props?: Partial<DatanetValidator>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @ManyToOne_(() => Datanet, {nullable: true})
    datanet!: Datanet

    @Index_()
    @StringColumn_({nullable: false})
    validator!: string

    @BooleanColumn_({nullable: false})
    enabled!: boolean

    @IntColumn_({nullable: false})
    updatedAtBlock!: number
}
