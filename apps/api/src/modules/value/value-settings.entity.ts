import { Column, Entity, PrimaryColumn } from "typeorm";
import { bigintNumber, DATETIME } from "../../db/column-types";

/**
 * The value settings: one row (id 1), written on the first change. Until then the defaults
 * apply (defaultValueSettings with the installation's DEFAULT_MARGIN_RATE). Rates are decimal
 * strings so that they are stored exactly as entered.
 */
@Entity({ name: "value_settings" })
export class ValueSettingsEntity {
  /** Always 1. */
  @PrimaryColumn({ type: "int" })
  id: number;

  /** bgnbd | historical | simple | dcf | retention */
  @Column({ type: "varchar", length: 16 })
  model: string;

  @Column({ name: "horizon_months", type: "int" })
  horizonMonths: number;

  @Column({ name: "monthly_discount_rate", type: "varchar", length: 32 })
  monthlyDiscountRate: string;

  @Column({ name: "default_margin_rate", type: "varchar", length: 32 })
  defaultMarginRate: string;

  /** channel | fixed */
  @Column({ name: "cac_source", type: "varchar", length: 16 })
  cacSource: string;

  /** CAC of every customer in minor units of the store currency when cac_source = fixed. */
  @Column({ name: "fixed_cac_minor", type: "bigint", nullable: true, transformer: bigintNumber })
  fixedCacMinor: number | null;

  /** day | week | month */
  @Column({ name: "time_unit", type: "varchar", length: 8 })
  timeUnit: string;

  @Column({ name: "updated_at", type: DATETIME, precision: 3 })
  updatedAt: Date;

  /** Audit label of who changed the settings last. */
  @Column({ name: "updated_by", type: "varchar", length: 254 })
  updatedBy: string;
}
