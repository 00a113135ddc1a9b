import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, ManyToOne as ManyToOne_, Index as Index_, BigIntColumn as BigIntColumn_, IntColumn as IntColumn_} from "@subsquid/typeorm-store"
import {Datanet} from "./datanet.model"

/**
 * What one Datanet's contributors and owner earned in one epoch. id = datanetId-epoch.
 */
@Entity_()
export class DatanetEpoch {
    constructor(props?: Partial<DatanetEpoch>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @ManyToOne_(() => Datanet, {nullable: true})
    datanet!: Datanet

    @Index_()
    @BigIntColumn_({nullable: false})
    epoch!: bigint

    /**
     * Eligible attributions to its contributions in the epoch.
     */
    @IntColumn_({nullable: false})
    eligibleAttributionCount!: number

    @BigIntColumn_({nullable: false})
    contributorsEarned!: bigint

    @BigIntColumn_({nullable: false})
    ownerEarned!: bigint
}
