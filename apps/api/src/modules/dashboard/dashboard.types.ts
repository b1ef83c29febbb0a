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

@ObjectType({ description: "One calendar month (UTC) of completed orders." })
export class DashboardMonth {
  @Field(() => String, { description: 'The month, "YYYY-MM".' })
  month: string;

  @Field(() => Money, { description: "Sum of the month's completed orders." })
  revenue: Money;

  @Field(() => Int, { description: "Completed orders placed in the month." })
  orders: number;

  @Field(() => Int, { description: "Customers whose first completed order is in the month." })
  newCustomers: number;

  @Field(() => Int, {
    description: "Customers who bought in the month and had bought in an earlier month.",
  })
  returningCustomers: number;
}

@ObjectType({ description: "Customers whose first completed order is in one month." })
export class DashboardCohort {
  @Field(() => String, { description: 'The first-purchase month, "YYYY-MM".' })
  month: string;

  @Field(() => Int)
  customers: number;

  @Field(() => [Int], {
    description:
      "active[k]: customers of the cohort with a completed order k months after their first month (k = 0 is the cohort itself), up to the range's last month.",
  })
  active: number[];

  @Field(() => [Float], { description: "active[k] / customers, 0 to 1." })
  retention: number[];
}

@ObjectType({ description: "One bar of the CLV histogram." })
export class ClvHistogramBucket {
  @Field(() => Money, { description: "Lowest CLV in the bucket (inclusive)." })
  from: Money;

  @Field(() => Money, {
    nullable: true,
    description: "Exclusive upper bound; null for the last bucket, which is open-ended.",
  })
  to: Money | null;

  @Field(() => Int)
  customers: number;
}

@ObjectType({ description: "The dashboard's charts over a range of months." })
export class DashboardSeries {
  @Field(() => String, { description: 'First month of the range, "YYYY-MM".' })
  from: string;

  @Field(() => String, { description: 'Last month of the range, "YYYY-MM".' })
  to: string;

  @Field(() => [DashboardMonth], { description: "Every month of the range, oldest first." })
  months: DashboardMonth[];

  @Field(() => [DashboardCohort], {
    description: "Cohorts of the range's months that have customers, oldest first.",
  })
  cohorts: DashboardCohort[];

  @Field(() => [ClvHistogramBucket], {
    nullable: true,
    description:
      "The current scoring run's CLV in equal-width buckets up to its 99th percentile, then one open bucket; null before the first run.",
  })
  clvHistogram: ClvHistogramBucket[] | null;
}
