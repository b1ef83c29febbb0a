import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import { PageArgs, toConnection } from "../../graphql/connection";
import type { GraphQLContext } from "../../graphql/context";
import { parseId } from "../../db/ids";
import { FittedValueModel } from "./fitted-model.types";
import { userError } from "../../graphql/errors";
import { jobRunnerOf } from "../jobs/job-runner-registry";
import { scoringCoverage } from "./scoring-coverage";
import { SCORING_JOB, startScoringInBackground } from "./scoring-jobs";
import { ScoringRunEntity } from "./scoring-run.entity";
import {
  ScoringScheduleInput,
  ScoringScheduleNode,
  toScoringScheduleNode,
  UpdateScoringSchedulePayload,
} from "./scoring-schedule.types";
import { ScoringRunConnection, ScoringRunNode, ScoringStatusNode } from "./scoring-run.types";
import { toFittedValueModel, toScoringRunNode } from "./value.mapper";

@Resolver()
export class ScoringRunResolver {
  @Mutation(() => ScoringRunNode, {
    description:
      "Starts a scoring run in the background (a scoring job) and returns it (queued). While a run is under way, here or in another process, returns that run instead of starting another; poll scoringRun(id) for progress.",
  })
  @Allow("value:manage")
  async runScoring(@Ctx() ctx: GraphQLContext): Promise<ScoringRunNode> {
    const { run } = await startScoringInBackground(
      ctx.dataSource,
      jobRunnerOf(ctx.dataSource),
      actorOf(ctx),
    );
    const current = await ctx.services.valueQueries.currentRunId();
    return toScoringRunNode(run, current, ctx.config.defaultCurrency);
  }

  @Mutation(() => ScoringRunNode, {
    nullable: true,
    description:
      "Asks a queued or running scoring run to stop: its process stops at its next progress report or heartbeat, the run ends FAILED (cancelled) and the current values stay. Returns the run (unchanged when it had already ended), null when there is none with that id.",
  })
  @Allow("value:manage")
  async cancelScoringRun(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<ScoringRunNode | null> {
    const queries = ctx.services.valueQueries;
    const run = await queries.findRun(parseId(id, "id"));
    if (!run) return null;
    if (run.jobId !== null && (run.status === "queued" || run.status === "running")) {
      await jobRunnerOf(ctx.dataSource).cancel(run.jobId, actorOf(ctx));
    }
    const now = (await queries.findRun(run.id)) ?? run;
    return toScoringRunNode(now, await queries.currentRunId(), ctx.config.defaultCurrency);
  }

  @Query(() => ScoringStatusNode, {
    description:
      "Customers not scored yet (added or changed since the current run) and the run under way.",
  })
  @Allow("business:read")
  async scoringStatus(@Ctx() ctx: GraphQLContext): Promise<ScoringStatusNode> {
    const coverage = await scoringCoverage(ctx.dataSource);
    const active = await ctx.dataSource
      .getRepository(ScoringRunEntity)
      .findOne({ where: [{ status: "queued" }, { status: "running" }], order: { id: "DESC" } });
    const currentId = coverage.currentRun?.id ?? null;
    const currency = ctx.config.defaultCurrency;
    return {
      customersTotal: coverage.customersTotal,
      customersNotScored: coverage.customersNotScored,
      currentRun: coverage.currentRun
        ? toScoringRunNode(coverage.currentRun, currentId, currency)
        : null,
      activeRun: active ? toScoringRunNode(active, currentId, currency) : null,
    };
  }

  @Query(() => ScoringScheduleNode, { description: "When scoring runs by itself." })
  @Allow("business:read")
  async scoringSchedule(@Ctx() ctx: GraphQLContext): Promise<ScoringScheduleNode> {
    return toScoringScheduleNode(await ctx.services.schedules.get(SCORING_JOB));
  }

  @Mutation(() => UpdateScoringSchedulePayload, {
    description:
      "Sets when scoring runs by itself: every day at a time in a time zone, or after imports.",
  })
  @Allow("value:manage")
  async updateScoringSchedule(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => ScoringScheduleInput) input: ScoringScheduleInput,
  ): Promise<UpdateScoringSchedulePayload> {
    const result = await ctx.services.schedules.update(SCORING_JOB, input, actorOf(ctx));
    if (Array.isArray(result)) {
      return {
        schedule: null,
        userErrors: result.map((e) => userError(`input.${e.field}`, e.code, e.message)),
      };
    }
    return { schedule: toScoringScheduleNode(result), userErrors: [] };
  }

  @Query(() => ScoringRunNode, { nullable: true })
  @Allow("business:read")
  async scoringRun(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<ScoringRunNode | null> {
    const runId = parseId(id, "id");
    const queries = ctx.services.valueQueries;
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
    const queries = ctx.services.valueQueries;
    const [page, current] = await Promise.all([
      queries.listRuns(first, after),
      queries.currentRunId(),
    ]);
    return toConnection(
      ScoringRunConnection,
      page,
      (run) => toScoringRunNode(run, current, ctx.config.defaultCurrency),
      () => queries.countRuns(),
    );
  }

  @Query(() => FittedValueModel, {
    nullable: true,
    description: "The model fitted by the current scoring run; null before the first one.",
  })
  @Allow("business:read")
  async valueModel(@Ctx() ctx: GraphQLContext): Promise<FittedValueModel | null> {
    const run = await ctx.services.valueQueries.currentRun();
    return run ? toFittedValueModel(run) : null;
  }
}
