import { Field, ObjectType } from "type-graphql";
import { formatMoney } from "@valuetier/domain";

@ObjectType({ description: "An amount of money. Never a binary float." })
export class Money {
  @Field(() => String, { description: 'Decimal string in currency units, e.g. "123.45".' })
  amount: string;

  @Field(() => String, { description: "ISO 4217 code." })
  currency: string;
}

/** Money from integer minor units, formatted by the domain's decimal rules (no floats). */
export function money(minorUnits: number, currency: string): Money {
  return { amount: formatMoney(minorUnits, currency), currency };
}
