import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, BigIntColumn as BigIntColumn_, StringColumn as StringColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"

/**
 * A registered model. id = modelId (decimal).
 * (inferenceCount, modelId) and (totalFees, modelId) serve the model leaderboards.
 */
@Index_(["inferenceCount", "modelId"], {unique: false})
@Index_(["totalFees", "modelId"], {unique: false})
@Entity_()
export class Model {
    constructor(props?: Partial<Model>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @BigIntColumn_({nullable: false})
    modelId!: bigint

    @Index_()
    @StringColumn_({nullable: false})
    owner!: string

    @StringColumn_({nullable: false})
    name!: string

    /**
     * Datanet ids (decimal strings) the model was trained on.
     */
    @StringColumn_({array: true, nullable: false})
    datanetIds!: (string)[]

    @IntColumn_({nullable: false})
    adapterCount!: number

    @IntColumn_({nullable: true})
    latestAdapterVersion!: number | undefined | null

    @IntColumn_({nullable: false})
    inferenceCount!: number

    @BigIntColumn_({nullable: false})
    totalFees!: bigint

    @BigIntColumn_({nullable: false})
    ownerEarned!: bigint

    @BigIntColumn_({nullable: false})
    contributorsEarned!: bigint

    @BigIntColumn_({nullable: false})
    datanetOwnersEarned!: bigint

    @BigIntColumn_({nullable: false})
    protocolEarned!: bigint

    @Index_()
    @IntColumn_({nullable: false})
    createdAtBlock!: number

    @DateTimeColumn_({nullable: false})
    createdAt!: Date

    @StringColumn_({nullable: false})
    createdTxHash!: string
}
