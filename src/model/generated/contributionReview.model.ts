import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, ManyToOne as ManyToOne_, StringColumn as StringColumn_, BooleanColumn as BooleanColumn_, IntColumn as IntColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"
import {Contribution} from "./contribution.model"

/**
 * One ContributionReviewed event. id = block(10)-logIndex(6), zero padded.
 */
@Index_(["validator", "id"], {unique: false})
@Entity_()
export class ContributionReview {
    constructor(props?: Partial<ContributionReview>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @ManyToOne_(() => Contribution, {nullable: true})
    contribution!: Contribution

    @StringColumn_({nullable: false})
    validator!: string

    @BooleanColumn_({nullable: false})
    accepted!: boolean

    @IntColumn_({nullable: false})
    qualityBps!: number

    @IntColumn_({nullable: false})
    blockNumber!: number

    @DateTimeColumn_({nullable: false})
    timestamp!: Date

    @StringColumn_({nullable: false})
    txHash!: string

    @IntColumn_({nullable: false})
    logIndex!: number
}
