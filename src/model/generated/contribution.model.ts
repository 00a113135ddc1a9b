import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, Index as Index_, BigIntColumn as BigIntColumn_, ManyToOne as ManyToOne_, StringColumn as StringColumn_, IntColumn as IntColumn_, BooleanColumn as BooleanColumn_, DateTimeColumn as DateTimeColumn_} from "@subsquid/typeorm-store"
import {Datanet} from "./datanet.model"
import {Account} from "./account.model"
import {ContributionStatus} from "./_contributionStatus"

/**
 * A submission of data to a Datanet. id = contributionId (decimal, unique across Datanets).
 */
@Index_(["datanet", "contributionId"], {unique: false})
@Index_(["contributor", "contributionId"], {unique: false})
@Index_(["status", "contributionId"], {unique: false})
@Index_(["isDuplicate", "contributionId"], {unique: false})
@Index_(["submittedAtBlock", "contributionId"], {unique: false})
@Entity_()
export class Contribution {
    constructor(props?: Partial<Contribution>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @BigIntColumn_({nullable: false})
    contributionId!: bigint

    @ManyToOne_(() => Datanet, {nullable: true})
    datanet!: Datanet

    @ManyToOne_(() => Account, {nullable: true})
    contributor!: Account

    @StringColumn_({nullable: false})
    dataHash!: string

    @BigIntColumn_({nullable: false})
    sizeBytes!: bigint

    @StringColumn_({nullable: false})
    uri!: string

    @Column_("varchar", {length: 8, nullable: false})
    status!: ContributionStatus

    /**
     * Latest review's quality (0..10000); null while pending.
     */
    @IntColumn_({nullable: true})
    qualityBps!: number | undefined | null

    @IntColumn_({nullable: false})
    reviewCount!: number

    @StringColumn_({nullable: true})
    lastReviewer!: string | undefined | null

    @IntColumn_({nullable: true})
    lastReviewedAtBlock!: number | undefined | null

    /**
     * The earlier contribution to the same Datanet with the same dataHash, if any.
     */
    @Index_()
    @ManyToOne_(() => Contribution, {nullable: true})
    duplicateOf!: Contribution | undefined | null

    @BooleanColumn_({nullable: false})
    isDuplicate!: boolean

    @IntColumn_({nullable: false})
    submittedAtBlock!: number

    @DateTimeColumn_({nullable: false})
    submittedAt!: Date

    @StringColumn_({nullable: false})
    txHash!: string

    @IntColumn_({nullable: false})
    logIndex!: number
}
