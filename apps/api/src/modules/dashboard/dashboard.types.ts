import { Field, Float, Int, ObjectType } from "type-graphql";
import { Money } from "../../graphql/money";

@ObjectType({ description: "Headline figures for the dashboard." })
export class DashboardKpis {
  @Field(() => Int)
  customers: number;

  @Field(() => Int, { description: "Customers with at least one completed order." })
  buyers: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "Customers with P(alive) above 0.5 in the current scoring run; null before the first run.",
  })
  activeCustomers: number | null;

  @Field(() => Money, { description: "Sum of completed orders." })
  revenue: Money;

  @Field(() => Money, {
    nullable: true,
    description: "Revenue per completed order; null with no orders.",
  })
  averageOrderValue: Money | null;

  @Field(() => Float, {
    nullable: true,
    description: "Share of buyers with two or more completed orders, 0 to 1; null with no buyers.",
  })
  repeatPurchaseRate: number | null;

  @Field(() => Money, {
    nullable: true,
    description: "Σ CLV of the current scoring run; null before the first run.",
  })
  totalClv: Money | null;

  @Field(() => Money, {
    nullable: true,
    description: "Mean CLV of the customers the current run valued.",
  })
  averageClv: Money | null;

  @Field(() => Money, {
    nullable: true,
    description: "Mean acquisition cost of the customers that have one.",
  })
  averageCac: Money | null;

  @Field(() => Float, {
    nullable: true,
    description: "averageClv / averageCac; null when either is unknown or CAC is 0.",
  })
  clvToCac: number | null;

  @Field(() => Date, { nullable: true, description: "When the current scoring run finished." })
  scoredAt: Date | null;
}
