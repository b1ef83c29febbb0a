import { IsOptional, MaxLength } from "class-validator";
import { Field, InputType, Int, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/errors";
import { Money } from "../../graphql/money";
import { CacSourceGql, TimeUnitGql, ValueModelGql } from "./value-enums";

@ObjectType("ValueSettings", { description: "Inputs of the scoring run." })
export class ValueSettingsNode {
  @Field(() => ValueModelGql)
  model: ValueModelGql;

  @Field(() => Int, { description: "Forecast horizon in months (1–120)." })
  horizonMonths: number;

  @Field(() => String, { description: 'Discount rate per month, a decimal such as "0.01".' })
  monthlyDiscountRate: string;

  @Field(() => String, {
    description: 'Margin rate of orders imported without a margin, a decimal such as "0.3".',
  })
  defaultMarginRate: string;

  @Field(() => CacSourceGql)
  cacSource: CacSourceGql;

  @Field(() => Money, {
    nullable: true,
    description: "Every customer's CAC when cacSource is FIXED.",
  })
  fixedCac: Money | null;

  @Field(() => TimeUnitGql, { description: "Unit in which BG/NBD is fitted." })
  timeUnit: TimeUnitGql;

  @Field(() => Date, { nullable: true, description: "Null while the defaults apply." })
  updatedAt: Date | null;

  @Field(() => String, { nullable: true })
  updatedBy: string | null;
}

@InputType({ description: "A change of the value settings; omitted fields stay as they are." })
export class UpdateValueSettingsInput {
  @Field(() => ValueModelGql, { nullable: true })
  @IsOptional()
  model?: ValueModelGql | null;

  // No @Min/@Max here: the domain rules refuse an out-of-range horizon as a userError with
  // its code and bounds, which clients translate, instead of an English validation error.
  @Field(() => Int, { nullable: true, description: "Whole months from 1 to 120." })
  @IsOptional()
  horizonMonths?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(32)
  monthlyDiscountRate?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(32)
  defaultMarginRate?: string | null;

  @Field(() => CacSourceGql, { nullable: true })
  @IsOptional()
  cacSource?: CacSourceGql | null;

  @Field(() => String, {
    nullable: true,
    description: 'Decimal amount in the store currency, e.g. "25.00"; needs cacSource FIXED.',
  })
  @IsOptional()
  @MaxLength(32)
  fixedCac?: string | null;

  @Field(() => TimeUnitGql, { nullable: true })
  @IsOptional()
  timeUnit?: TimeUnitGql | null;
}

@ObjectType()
export class UpdateValueSettingsPayload {
  @Field(() => ValueSettingsNode, {
    description: "The settings after the change (unchanged on errors).",
  })
  settings: ValueSettingsNode;

  @Field(() => [UserError])
  userErrors: UserError[];
}
