import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, ManyToOne as ManyToOne_, IntColumn as IntColumn_, BigIntColumn as BigIntColumn_, BooleanColumn as BooleanColumn_, StringColumn as StringColumn_} from "@subsquid/typeorm-store"
import {Inference} from "./inference.model"
import {Contribution} from "./contribution.model"
import {ContributionStatus} from "./_contributionStatus"

/**
 * One (contributionId, weight) of an inference's AttributionRecorded. id = inferenceId-position.
 * It is also the CONTRIBUTOR-role payment (eligible, contributor, amount): contributor payments are
 * not repeated as Payout rows. A contribution's attribution count and earnings are aggregated from here.
 */
@Index_(["contributor", "blockNumber"], {unique: false})
@Entity_()
export class Attribution {
    constructor(props?: Partial<Attribution>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @ManyToOne_(() => Inference, {nullable: true})
    inference!: Inference

    @IntColumn_({nullable: false})
    position!: number

    /**
     * The contributionId as attributed (kept when the contribution is unknown).
     */
    @BigIntColumn_({nullable: false})
    rawContributionId!: bigint

    @Index_()
    @ManyToOne_(() => Contribution, {nullable: true})
    contribution!: Contribution | undefined | null

    @IntColumn_({nullable: false})
    weightPpm!: number

    /**
     * Contribution status at the position of the log (null when the contribution is unknown).
     */
    @Column_("varchar", {length: 8, nullable: true})
    statusAtAttribution!: ContributionStatus | undefined | null

    @BooleanColumn_({nullable: false})
    eligible!: boolean

    /**
     * Indexed with blockNumber (contributor, blockNumber): as-of-block payout sums.
     */
    @StringColumn_({nullable: true})
    contributor!: string | undefined | null

    @BigIntColumn_({nullable: true})
    datanetId!: bigint | undefined | null

    /**
     * C*w/1e6 when eligible, else 0.
     */
    @BigIntColumn_({nullable: false})
    amount!: bigint

    @BigIntColumn_({nullable: false})
    epoch!: bigint

    @IntColumn_({nullable: false})
    blockNumber!: number
}
