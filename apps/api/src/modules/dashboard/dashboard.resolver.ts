import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { Allow } from "../../graphql/access";
import type { GraphQLContext } from "../../graphql/context";
import { DomainError } from "../../errors/domain-error";
import { money } from "../../graphql/money";
import { resolveMonthRange } from "./month-range";
import { DashboardKpis, DashboardSeries } from "./dashboard.types";

@Resolver()
export class DashboardResolver {
  @Query(() => DashboardKpis, {
    description: "Customers, activity, revenue and value at a glance.",
  })
  @Allow("business:read")
  async dashboard(@Ctx() ctx: GraphQLContext): Promise<DashboardKpis> {
    const f = await ctx.services.dashboard.figures();
    const currency = ctx.config.defaultCurrency;
    const run = f.currentRun;
    const clvToCac =
      run?.averageClvMinor != null && f.averageCacMinor
        ? run.averageClvMinor / f.averageCacMinor
        : null;
    return {
      customers: f.customers,
      buyers: f.buyers,
      activeCustomers: run ? run.activeCustomers : null,
      revenue: money(f.revenueMinor, currency),
      averageOrderValue:
        f.averageOrderValueMinor === null ? null : money(f.averageOrderValueMinor, currency),
      repeatPurchaseRate: f.buyers ? f.repeatBuyers / f.buyers : null,
      totalClv: run ? money(run.totalClvMinor, currency) : null,
      averageClv: run?.averageClvMinor != null ? money(run.averageClvMinor, currency) : null,
      averageCac: f.averageCacMinor === null ? null : money(f.averageCacMinor, currency),
      clvToCac,
      scoredAt: run?.finishedAt ?? null,
    };
  }

  @Query(() => DashboardSeries, {
    description:
      "The dashboard's charts from one month to another (UTC, both included; by default the last 12 months).",
  })
  @Allow("business:read")
  async dashboardSeries(
    @Ctx() ctx: GraphQLContext,
    @Arg("from", () => String, { nullable: true, description: 'First month, "YYYY-MM".' })
    from: string | null,
    @Arg("to", () => String, {
      nullable: true,
      description: 'Last month, "YYYY-MM"; by default the current month.',
    })
    to: string | null,
  ): Promise<DashboardSeries> {
    const resolved = resolveMonthRange(from, to, new Date());
    if (!resolved.ok) {
      throw new DomainError("INVALID_INPUT", resolved.message, { field: resolved.field });
    }
    const f = await ctx.services.dashboardSeries.series(resolved.range);
    const currency = ctx.config.defaultCurrency;
    return {
      from: f.range.from,
      to: f.range.to,
      months: f.months.map(({ revenueMinor, ...m }) => ({
        ...m,
        revenue: money(revenueMinor, currency),
      })),
      cohorts: f.cohorts.map((c) => ({
        ...c,
        retention: c.active.map((n) => n / c.customers),
      })),
      clvHistogram:
        f.clvHistogram?.map((b) => ({
          from: money(b.fromMinor, currency),
          to: b.toMinor === null ? null : money(b.toMinor, currency),
          customers: b.customers,
        })) ?? null,
    };
  }
}
