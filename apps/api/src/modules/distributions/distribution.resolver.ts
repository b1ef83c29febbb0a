import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { parseId } from "../../db/ids";
import { Allow } from "../../graphql/access";
import type { GraphQLContext } from "../../graphql/context";
import { TierMovementsNode, ValueDistributionNode } from "./distribution.types";

const idOrNull = (id: number | null) => (id === null ? null : String(id));

@Resolver()
export class DistributionResolver {
  @Query(() => ValueDistributionNode, {
    description: "Customers and CLV per tier, the R × FM grid and the value at risk, now.",
  })
  @Allow("business:read")
  async valueDistribution(@Ctx() ctx: GraphQLContext): Promise<ValueDistributionNode> {
    const d = await ctx.services.distributions.valueDistribution();
    return { ...d, runId: idOrNull(d.runId) };
  }

  @Query(() => TierMovementsNode, {
    description:
      "Customers per (tier then, tier now) and (RFM group then, group now) between two succeeded runs; by default the previous and the current one.",
  })
  @Allow("business:read")
  async tierMovements(
    @Ctx() ctx: GraphQLContext,
    @Arg("fromRunId", () => ID, { nullable: true }) fromRunId?: string | null,
    @Arg("toRunId", () => ID, { nullable: true }) toRunId?: string | null,
  ): Promise<TierMovementsNode> {
    const m = await ctx.services.distributions.tierMovements(
      fromRunId == null ? null : parseId(fromRunId, "fromRunId"),
      toRunId == null ? null : parseId(toRunId, "toRunId"),
    );
    return { ...m, fromRunId: idOrNull(m.fromRunId), toRunId: idOrNull(m.toRunId) };
  }
}
