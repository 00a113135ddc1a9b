import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, ManyToOne as ManyToOne_, Index as Index_, BigIntColumn as BigIntColumn_, IntColumn as IntColumn_} from "@subsquid/typeorm-store"
import {Model} from "./model.model"

/**
 * One model's fees, inferences and payouts in one epoch. id = modelId-epoch.
 */
@Entity_()
export class ModelEpoch {
    constructor(props?: Partial<ModelEpoch>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @ManyToOne_(() => Model, {nullable: true})
    model!: Model

    @Index_()
    @BigIntColumn_({nullable: false})
    epoch!: bigint

    @IntColumn_({nullable: false})
    inferenceCount!: number

    @BigIntColumn_({nullable: false})
    fees!: bigint

    @BigIntColumn_({nullable: false})
    ownerEarned!: bigint

    @BigIntColumn_({nullable: false})
    contributorsEarned!: bigint

    @BigIntColumn_({nullable: false})
    datanetOwnersEarned!: bigint

    @BigIntColumn_({nullable: false})
    protocolEarned!: bigint
}
