import { Ctx, Query, Resolver } from "type-graphql";
import { Allow } from "../../graphql/access";
import type { GraphQLContext } from "../../graphql/context";
import { money } from "../../graphql/money";
import { DashboardService } from "./dashboard.service";
import { DashboardKpis } from "./dashboard.types";

@Resolver()
export class DashboardResolver {
  @Query(() => DashboardKpis, {
    description: "Customers, activity, revenue and value at a glance.",
  })
  @Allow("business:read")
  async dashboard(@Ctx() ctx: GraphQLContext): Promise<DashboardKpis> {
    const f = await new DashboardService(ctx.dataSource).figures();
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
}
