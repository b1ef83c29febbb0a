import {
  formatMoney,
  parseMoney,
  rfmGrid,
  type RfmGroup,
  type TierPolicy,
} from "@valuetier/domain";
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import type { GraphQLContext } from "../../graphql/context";
import type { UserError } from "../../graphql/errors";
import type { SegmentationRules, TierSettings } from "./tier.service";
import {
  CreateTierInput,
  DeleteTierPayload,
  TierBacktestResult,
  TierNode,
  TierPayload,
  TierPolicyInput,
  TierPolicyKind,
  TierPolicyNode,
  TierPolicyPayload,
  TiersPayload,
  SegmentationSettingsInput,
  SegmentationSettingsNode,
  SegmentationSettingsPayload,
  UpdateTierInput,
} from "./tier.types";

function toSegmentationNode(rules: SegmentationRules): SegmentationSettingsNode {
  // Rows R = 1..5 (rfmGrid's rows are R - 1).
  const grid = rfmGrid(rules.rfmRules).map((row) => [...row]);
  return {
    rfmRules: rules.rfmRules.map((r) => ({
      group: r.group,
      rFrom: r.r[0],
      rTo: r.r[1],
      fmFrom: r.fm[0],
      fmTo: r.fm[1],
    })),
    rfmGrid: grid,
    lifecycle: { ...rules.lifecycle },
    clusters: rules.clusters,
  };
}

const toTierNode = (t: {
  key: string;
  name: string;
  rank: number;
  benefits: string;
}): TierNode => ({
  key: t.key,
  name: t.name,
  rank: t.rank,
  benefits: t.benefits,
});

/** A policy as the API shows it: amounts as decimal strings in the store currency. */
function toPolicyNode(settings: TierSettings, currency: string): TierPolicyNode {
  const { policy } = settings;
  return {
    kind: policy.kind as TierPolicyKind,
    bands: policy.kind === "clv_percentile" ? policy.bands.map((b) => ({ ...b })) : [],
    thresholds:
      policy.kind === "clv_threshold" || policy.kind === "spend_threshold"
        ? policy.thresholds.map((t) => ({
            tier: t.tier,
            minAmount: formatMoney(Number(t.minMinor), currency),
            minPoints: null,
          }))
        : policy.kind === "points_threshold"
          ? policy.thresholds.map((t) => ({
              tier: t.tier,
              minAmount: null,
              minPoints: Number(t.minPoints),
            }))
          : [],
    windowMonths:
      policy.kind === "spend_threshold" || policy.kind === "points_threshold"
        ? (policy.windowMonths ?? null)
        : null,
    clusterTiers: policy.kind === "cluster_rank" ? [...policy.tiers] : [],
    otherwise: policy.otherwise,
    graceDays: settings.graceDays,
  };
}

/** The input as a domain policy; amounts that do not parse are user errors. */
function fromPolicyInput(
  input: TierPolicyInput,
  currency: string,
): { settings: TierSettings } | { errors: UserError[] } {
  const errors: UserError[] = [];
  let policy: TierPolicy;
  switch (input.kind) {
    case TierPolicyKind.CLV_PERCENTILE:
      policy = { kind: "clv_percentile", bands: input.bands ?? [], otherwise: input.otherwise };
      break;
    case TierPolicyKind.CLV_THRESHOLD:
    case TierPolicyKind.SPEND_THRESHOLD: {
      const thresholds = (input.thresholds ?? []).map((t, i) => {
        const parsed =
          t.minAmount == null
            ? ({ ok: false, message: "a CLV or spend threshold needs minAmount" } as const)
            : parseMoney(t.minAmount, currency);
        if (!parsed.ok) {
          errors.push({
            field: `input.thresholds.${i}.minAmount`,
            code: "INVALID_AMOUNT",
            message: parsed.message,
          });
          return { tier: t.tier, minMinor: 0 };
        }
        return { tier: t.tier, minMinor: parsed.minor };
      });
      policy =
        input.kind === TierPolicyKind.SPEND_THRESHOLD
          ? {
              kind: "spend_threshold",
              thresholds,
              otherwise: input.otherwise,
              windowMonths: input.windowMonths ?? null,
            }
          : { kind: "clv_threshold", thresholds, otherwise: input.otherwise };
      break;
    }
    case TierPolicyKind.POINTS_THRESHOLD: {
      const thresholds = (input.thresholds ?? []).map((t, i) => {
        if (t.minPoints == null) {
          errors.push({
            field: `input.thresholds.${i}.minPoints`,
            code: "INVALID_POINTS",
            message: "a points threshold needs minPoints, in whole points",
          });
          return { tier: t.tier, minPoints: 0 };
        }
        return { tier: t.tier, minPoints: t.minPoints };
      });
      policy = {
        kind: "points_threshold",
        thresholds,
        otherwise: input.otherwise,
        windowMonths: input.windowMonths ?? null,
      };
      break;
    }
    case TierPolicyKind.CLUSTER_RANK:
      policy = {
        kind: "cluster_rank",
        tiers: input.clusterTiers ?? [],
        otherwise: input.otherwise,
      };
      break;
  }
  return errors.length > 0 ? { errors } : { settings: { policy, graceDays: input.graceDays } };
}

@Resolver(() => TierNode)
export class TierResolver {
  @Query(() => [TierNode], { description: "The value tiers, best first." })
  @Allow("customers:read")
  async tiers(@Ctx() ctx: GraphQLContext): Promise<TierNode[]> {
    return (await ctx.services.tiers.list()).map(toTierNode);
  }

  @FieldResolver(() => Int, { description: "Customers in the tier after the current scoring run." })
  @Authorized("business:read")
  async customersCount(@Root() tier: TierNode, @Ctx() ctx: GraphQLContext): Promise<number> {
    // One grouped query per request, shared by every tier of the list.
    return (await ctx.loaders.tierCounts()).get(tier.key) ?? 0;
  }

  @Query(() => TierPolicyNode, {
    description: "How the next scoring run places customers in tiers.",
  })
  @Allow("business:read")
  async tierPolicy(@Ctx() ctx: GraphQLContext): Promise<TierPolicyNode> {
    return toPolicyNode(await ctx.services.tiers.settings(), ctx.config.defaultCurrency);
  }

  @Query(() => TierBacktestResult, {
    description:
      "How many customers each tier would hold under this policy now, and how many would have moved up or down at each of the latest scoring runs (grace included). Spend and points policies use today's figures at every run (runs do not keep spend or points).",
  })
  @Allow("business:read")
  async tierBacktest(
    @Ctx() ctx: GraphQLContext,
    @Arg("policy", () => TierPolicyInput) input: TierPolicyInput,
    @Arg("runs", () => Int, { defaultValue: 6, description: "1 to 24." }) runs: number,
  ): Promise<TierBacktestResult> {
    const converted = fromPolicyInput(input, ctx.config.defaultCurrency);
    if ("errors" in converted) return { tiers: null, runs: [], userErrors: converted.errors };
    const result = await ctx.services.tiers.backtest(
      converted.settings,
      Math.max(1, Math.min(24, runs)),
      ctx.config.defaultCurrency,
    );
    if (Array.isArray(result)) return { tiers: null, runs: [], userErrors: result };
    return {
      tiers: result.tiers,
      runs: result.runs.map((r) => ({ ...r, runId: String(r.runId) })),
      userErrors: [],
    };
  }

  @Mutation(() => TierPolicyPayload, { description: "Applied by the next scoring run." })
  @Allow("tiers:manage")
  async updateTierPolicy(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => TierPolicyInput) input: TierPolicyInput,
  ): Promise<TierPolicyPayload> {
    const converted = fromPolicyInput(input, ctx.config.defaultCurrency);
    if ("errors" in converted) return { policy: null, userErrors: converted.errors };
    const result = await ctx.services.tiers.updateSettings(converted.settings, actorOf(ctx));
    return Array.isArray(result)
      ? { policy: null, userErrors: result }
      : { policy: toPolicyNode(result, ctx.config.defaultCurrency), userErrors: [] };
  }

  @Mutation(() => TierPayload)
  @Allow("tiers:manage")
  async createTier(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => CreateTierInput) input: CreateTierInput,
  ): Promise<TierPayload> {
    const result = await ctx.services.tiers.create(input, actorOf(ctx));
    return Array.isArray(result)
      ? { tier: null, userErrors: result }
      : { tier: toTierNode(result), userErrors: [] };
  }

  @Mutation(() => TierPayload)
  @Allow("tiers:manage")
  async updateTier(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => UpdateTierInput) input: UpdateTierInput,
  ): Promise<TierPayload> {
    const result = await ctx.services.tiers.update(input.key, input, actorOf(ctx));
    return Array.isArray(result)
      ? { tier: null, userErrors: result }
      : { tier: toTierNode(result), userErrors: [] };
  }

  @Mutation(() => TiersPayload, {
    description: "Ranks 1, 2, … in the order given; name every tier once.",
  })
  @Allow("tiers:manage")
  async reorderTiers(
    @Ctx() ctx: GraphQLContext,
    @Arg("keys", () => [String]) keys: string[],
  ): Promise<TiersPayload> {
    const result = await ctx.services.tiers.reorder(keys, actorOf(ctx));
    return result.length > 0 && "code" in result[0]!
      ? { tiers: null, userErrors: result as UserError[] }
      : { tiers: (result as TierNode[]).map(toTierNode), userErrors: [] };
  }

  @Mutation(() => DeleteTierPayload, {
    description: "Deletes a tier the policy does not use; its members move to moveMembersTo.",
  })
  @Allow("tiers:manage")
  async deleteTier(
    @Ctx() ctx: GraphQLContext,
    @Arg("key", () => String) key: string,
    @Arg("moveMembersTo", () => String) moveMembersTo: string,
  ): Promise<DeleteTierPayload> {
    const result = await ctx.services.tiers.delete(key, moveMembersTo, actorOf(ctx));
    return Array.isArray(result)
      ? { deletedKey: null, userErrors: result }
      : { deletedKey: result, userErrors: [] };
  }

  @Query(() => SegmentationSettingsNode, {
    description: "RFM group rules, lifecycle thresholds and clusters the next scoring run uses.",
  })
  @Allow("business:read")
  async segmentationSettings(@Ctx() ctx: GraphQLContext): Promise<SegmentationSettingsNode> {
    return toSegmentationNode(await ctx.services.tiers.segmentationSettings());
  }

  @Mutation(() => SegmentationSettingsPayload, { description: "Applied by the next scoring run." })
  @Allow("tiers:manage")
  async updateSegmentationSettings(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => SegmentationSettingsInput) input: SegmentationSettingsInput,
  ): Promise<SegmentationSettingsPayload> {
    const result = await ctx.services.tiers.updateSegmentationSettings(
      {
        rfmRules: input.rfmRules.map((r) => ({
          group: r.group as RfmGroup,
          r: [r.rFrom, r.rTo] as const,
          fm: [r.fmFrom, r.fmTo] as const,
        })),
        lifecycle: { ...input.lifecycle },
        clusters: input.clusters,
      },
      actorOf(ctx),
    );
    return Array.isArray(result)
      ? { settings: null, userErrors: result }
      : { settings: toSegmentationNode(result), userErrors: [] };
  }
}
