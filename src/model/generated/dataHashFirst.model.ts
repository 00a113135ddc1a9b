import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, ManyToOne as ManyToOne_, Index as Index_} from "@subsquid/typeorm-store"
import {Contribution} from "./contribution.model"

/**
 * First contribution seen for a (datanetId, dataHash): used to detect duplicates. id = datanetId-dataHash.
 */
@Entity_()
export class DataHashFirst {
    constructor(props?: Partial<DataHashFirst>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @ManyToOne_(() => Contribution, {nullable: true})
    contribution!: Contribution
}
