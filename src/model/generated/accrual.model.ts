import {Entity as Entity_, Column as Column_, PrimaryColumn as PrimaryColumn_, BigIntColumn as BigIntColumn_, Index as Index_, StringColumn as StringColumn_} from "@subsquid/typeorm-store"
import {PayoutRole} from "./_payoutRole"

/**
 * What one account accrued in one epoch in one role. id = epoch-account-role.
 */
@Entity_()
export class Accrual {
    constructor(props?: Partial<Accrual>) {
        Object.assign(this, props)
    }

    @PrimaryColumn_()
    id!: string

    @Index_()
    @BigIntColumn_({nullable: false})
    epoch!: bigint

    @Index_()
    @StringColumn_({nullable: false})
    account!: string

    @Column_("varchar", {length: 13, nullable: false})
    role!: PayoutRole

    @BigIntColumn_({nullable: false})
    amount!: bigint
}
