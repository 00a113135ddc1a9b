import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, ManyToOne as ManyToOne_, Index as Index_} from "@subsquid/typeorm-store"
import {Model} from "./model.model"
import {Datanet} from "./datanet.model"

/**
 * A model trained on a Datanet (from ModelRegistered.datanetIds). id = modelId-datanetId.
 */
@Entity_()
export class ModelDatanet {
    constructor(props?: Partial<ModelDatanet>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @ManyToOne_(() => Model, {nullable: true})
    model!: Model

    @Index_()
    @ManyToOne_(() => Datanet, {nullable: true})
    datanet!: Datanet
}
