import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import { PageArgs } from "../../graphql/connection";
import type { GraphQLContext } from "../../graphql/context";
import { parseId } from "../../db/ids";
import { FittedValueModel } from "./fitted-model.types";
import { startScoringInBackground } from "./scoring-jobs";
import { ScoringRunConnection, ScoringRunNode } from "./scoring-run.types";
import { toFittedValueModel, toScoringRunNode } from "./value.mapper";
import { ValueQueryService } from "./value-query.service";

@Resolver()
export class ScoringRunResolver {
  @Mutation(() => ScoringRunNode, {
    description:
      "Starts a scoring run in the background and returns it (queued). While a run is under way, returns that run instead of starting another; poll scoringRun(id) for progress.",
  })
  @Allow("value:manage")
  async runScoring(@Ctx() ctx: GraphQLContext): Promise<ScoringRunNode> {
    const run = await startScoringInBackground(
      ctx.dataSource,
      { currency: ctx.config.defaultCurrency, defaultMarginRate: ctx.config.defaultMarginRate },
      actorOf(ctx),
    );
    const current = await new ValueQueryService(ctx.dataSource).currentRunId();
    return toScoringRunNode(run, current, ctx.config.defaultCurrency);
  }

  @Query(() => ScoringRunNode, { nullable: true })
  @Allow("business:read")
  async scoringRun(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<ScoringRunNode | null> {
    const runId = parseId(id, "id");
    const queries = new ValueQueryService(ctx.dataSource);
    const run = await queries.findRun(runId);
    if (!run) return null;
    return toScoringRunNode(run, await queries.currentRunId(), ctx.config.defaultCurrency);
  }

  @Query(() => ScoringRunConnection, { description: "Scoring runs, newest first." })
  @Allow("business:read")
  async scoringRuns(
    @Ctx() ctx: GraphQLContext,
    @Args() { first, after }: PageArgs,
  ): Promise<ScoringRunConnection> {
    const queries = new ValueQueryService(ctx.dataSource);
    const [page, current, totalCount] = await Promise.all([
      queries.listRuns(first, after),
      queries.currentRunId(),
      queries.countRuns(),
    ]);
    return {
      edges: page.rows.map((run, i) => ({
        cursor: page.cursors[i]!,
        node: toScoringRunNode(run, current, ctx.config.defaultCurrency),
      })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
      totalCount,
    };
  }

  @Query(() => FittedValueModel, {
    nullable: true,
    description: "The model fitted by the current scoring run; null before the first one.",
  })
  @Allow("business:read")
  async valueModel(@Ctx() ctx: GraphQLContext): Promise<FittedValueModel | null> {
    const run = await new ValueQueryService(ctx.dataSource).currentRun();
    return run ? toFittedValueModel(run) : null;
  }
}
