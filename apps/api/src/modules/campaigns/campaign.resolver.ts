import {
  currencyExponent,
  type CampaignResults,
  type MoneyInterval,
  type UpliftResult,
} from "@valuetier/domain";
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Extensions,
  FieldResolver,
  Float,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { parseId } from "../../db/ids";
import type { Problem } from "../../errors/domain-error";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import { Connection, toConnection } from "../../graphql/connection";
import type { GraphQLContext } from "../../graphql/context";
import { payloadOf } from "../../graphql/domain-errors";
import { money } from "../../graphql/money";
import { CustomerNode } from "../customers/customer.types";
import type { CampaignEntity } from "./campaign.entity";
import type { CampaignInput } from "./campaign-input";
import type { CampaignAction } from "./campaign-status";
import type { MeasuredCampaign } from "./campaign-results";
import {
  BudgetExhaustionGql,
  BudgetKindGql,
  CampaignAudienceInput,
  CampaignAudienceNode,
  CampaignBudgetNode,
  CampaignEffectNode,
  CampaignTimelinePointNode,
  CampaignGroupGql,
  CampaignListArgs,
  CampaignMembersNode,
  CampaignMoneyEffectNode,
  CampaignNode,
  CampaignPayload,
  CampaignPlanNode,
  CampaignResultsNode,
  CampaignSettingsInput,
  CampaignSettingsPayload,
  CampaignSettingsNode,
  CampaignStatusGql,
  CreateCampaignInput,
  CustomerCampaignNode,
  CustomerCampaignsArgs,
  SpendVerdictGql,
  UpdateCampaignInput,
  UseCampaignCouponInput,
  UseCampaignCouponPayload,
} from "./campaign.types";

export const CampaignConnection = Connection(CampaignNode, "Campaign");

export function toCampaignNode(c: CampaignEntity, currency: string): CampaignNode {
  const offer = JSON.parse(c.offerJson) as {
    pointsMultiplier: string;
    bonusPoints: number;
    rewardId: string | null;
    coupon: { code: string; amountMinor: number } | null;
  };
  return {
    id: String(c.id),
    key: c.key,
    name: c.name,
    status: c.status as CampaignStatusGql,
    offer: {
      pointsMultiplier: offer.pointsMultiplier,
      bonusPoints: offer.bonusPoints,
      rewardId: offer.rewardId,
      coupon: offer.coupon
        ? { code: offer.coupon.code, amount: money(offer.coupon.amountMinor, currency) }
        : null,
    },
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    timeZone: c.timeZone,
    controlShare: c.controlShareBp / 10_000,
    prePeriodDays: c.prePeriodDays,
    launchedAt: c.launchedAt,
    endedAt: c.endedAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    entity: c,
  };
}

function toInput(input: CreateCampaignInput | UpdateCampaignInput): CampaignInput {
  return {
    name: input.name,
    key: "key" in input ? input.key : undefined,
    audience: input.audience
      ? audienceOf(input.audience, "input.audience.segmentId")
      : input.audience,
    offer: input.offer
      ? {
          pointsMultiplier: input.offer.pointsMultiplier,
          bonusPoints: input.offer.bonusPoints,
          rewardId: input.offer.rewardId,
          coupon: input.offer.coupon,
        }
      : input.offer,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    timeZone: input.timeZone,
    controlShare: input.controlShare,
    budget: input.budget
      ? {
          kind: input.budget.kind,
          amount: input.budget.amount,
          onExhausted: input.budget.onExhausted,
        }
      : input.budget,
    prePeriodDays: input.prePeriodDays,
  };
}

function audienceOf(a: CampaignAudienceInput, field: string): CampaignInput["audience"] {
  return {
    tierKeys: a.tierKeys,
    segmentId: a.segmentId ? parseId(a.segmentId, field) : null,
    query: a.query,
  };
}

/** An uplift result as the schema's effect, money metrics in currency units. */
function toEffect(r: UpliftResult | null, scale: number): CampaignEffectNode | null {
  if (!r) return null;
  const best = r.adjusted ?? r.effect;
  const pair = (ci: [number, number] | null) => (ci ? [ci[0] / scale, ci[1] / scale] : null);
  return {
    estimate: best.estimate / scale,
    ci: pair(best.ci),
    unadjustedEstimate: r.effect.estimate / scale,
    unadjustedCi: pair(r.effect.ci),
    pValue: r.effect.pValue,
    varianceReduction: r.adjusted?.varianceReduction ?? null,
    sequentialCi: pair(r.sequential.ci),
    conclusive: r.sequential.conclusive,
    treatmentMean: r.treatment.mean / scale,
    controlMean: r.control.mean / scale,
  };
}

function toMoneyEffect(m: MoneyInterval | null): CampaignMoneyEffectNode | null {
  if (!m) return null;
  return {
    estimate: { amount: m.estimate, currency: m.currency },
    ci: m.ci ? [...m.ci] : null,
    sequentialCi: m.sequentialCi ? [...m.sequentialCi] : null,
  };
}

function toResults(r: MeasuredCampaign): CampaignResultsNode {
  const scale = 10 ** currencyExponent(r.currency);
  const group = (g: CampaignResults["treatment"]) => ({
    customers: g.customers,
    converted: g.converted,
    revenue: { amount: g.revenue, currency: r.currency },
    margin: { amount: g.margin, currency: r.currency },
  });
  return {
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    alpha: r.alpha,
    treatment: group(r.treatment),
    control: group(r.control),
    conversion: toEffect(r.conversion, 1),
    revenuePerCustomer: toEffect(r.revenuePerCustomer, scale),
    marginPerCustomer: toEffect(r.marginPerCustomer, scale),
    incrementalRevenue: toMoneyEffect(r.incrementalRevenue),
    incrementalMargin: toMoneyEffect(r.incrementalMargin),
    cost: {
      pointsAwarded: r.pointsAwarded,
      couponsIssued: r.couponsIssued,
      points: { amount: r.cost.points, currency: r.currency },
      coupons: { amount: r.cost.coupons, currency: r.currency },
      couponsUsed: r.couponsUsed,
      couponsUsedValue: money(r.couponsUsedValueMinor, r.currency),
      total: { amount: r.cost.total, currency: r.currency },
    },
    returnOnSpend: r.returnOnSpend
      ? {
          ratio: r.returnOnSpend.ratio,
          ci: r.returnOnSpend.ci ? [...r.returnOnSpend.ci] : null,
          net: { amount: r.returnOnSpend.net, currency: r.currency },
          verdict: r.returnOnSpend.verdict as SpendVerdictGql,
        }
      : null,
    conclusive: r.conclusive,
    covariates: r.covariates,
    clvChange: toEffect(r.clvChange, scale),
  };
}

function payload(result: CampaignEntity | Problem[], currency: string): CampaignPayload {
  return Array.isArray(result)
    ? { campaign: null, userErrors: result }
    : { campaign: toCampaignNode(result, currency), userErrors: [] };
}

@Resolver(() => CampaignNode)
export class CampaignResolver {
  @Query(() => CampaignConnection, { description: "Campaigns, newest first." })
  @Allow("business:read")
  async campaigns(
    @Ctx() ctx: GraphQLContext,
    @Args() { first, after, statuses }: CampaignListArgs,
  ): Promise<InstanceType<typeof CampaignConnection>> {
    const page = await ctx.services.campaigns.list(first, after, statuses);
    return toConnection(
      CampaignConnection,
      page,
      (row) => toCampaignNode(row, ctx.config.defaultCurrency),
      () => ctx.services.campaigns.count(statuses),
    );
  }

  @Query(() => CampaignNode, { nullable: true })
  @Allow("business:read")
  async campaign(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<CampaignNode | null> {
    const found = await ctx.services.campaigns.find(parseId(id, "id"));
    return found ? toCampaignNode(found, ctx.config.defaultCurrency) : null;
  }

  @Query(() => CampaignPlanNode, {
    description:
      "The audience's size now, the expected treatment and control sizes and the smallest effects " +
      "a campaign over it could detect, for the campaign builder.",
  })
  @Allow("business:read")
  // Counts the audience and sums its pre-period spend over the customer base.
  @Extensions({ cost: 500 })
  async campaignPlan(
    @Ctx() ctx: GraphQLContext,
    @Arg("audience", () => CampaignAudienceInput) audience: CampaignAudienceInput,
    @Arg("controlShare", () => Float, { nullable: true }) controlShare?: number | null,
    @Arg("prePeriodDays", () => Int, { nullable: true }) prePeriodDays?: number | null,
  ): Promise<CampaignPlanNode> {
    const plan = await ctx.services.campaigns.plan({
      audience: audienceOf(audience, "audience.segmentId"),
      controlShare,
      prePeriodDays,
    });
    if (Array.isArray(plan)) {
      return {
        currency: ctx.config.defaultCurrency,
        count: null,
        expectedTreatment: null,
        expectedControl: null,
        revenuePerCustomerMde: null,
        conversionMde: null,
        userErrors: plan.map((p) => ({ ...p, field: p.field?.replace(/^input\./, "") ?? null })),
      };
    }
    const scale = 10 ** currencyExponent(ctx.config.defaultCurrency);
    return {
      currency: ctx.config.defaultCurrency,
      count: plan.count,
      expectedTreatment: plan.expectedTreatment,
      expectedControl: plan.expectedControl,
      revenuePerCustomerMde: plan.revenuePerCustomer
        ? {
            fixedHorizon: plan.revenuePerCustomer.fixedHorizon / scale,
            sequential: plan.revenuePerCustomer.sequential / scale,
          }
        : null,
      conversionMde: plan.conversion
        ? { fixedHorizon: plan.conversion.fixedHorizon, sequential: plan.conversion.sequential }
        : null,
      userErrors: [],
    };
  }

  @Query(() => CampaignSettingsNode, { description: "The global holdout." })
  @Allow("business:read")
  async campaignSettings(@Ctx() ctx: GraphQLContext): Promise<CampaignSettingsNode> {
    const row = await ctx.services.campaigns.settings();
    const holdout = await ctx.services.campaigns.holdout();
    return {
      holdoutShare: holdout.shareBp / 10_000,
      holdoutSalt: holdout.salt,
      updatedAt: row?.updatedAt ?? null,
      updatedBy: row?.updatedBy ?? null,
    };
  }

  @FieldResolver(() => CampaignAudienceNode)
  @Authorized("business:read")
  audience(@Root() node: CampaignNode, @Ctx() ctx: GraphQLContext): CampaignAudienceNode {
    const spec = ctx.services.campaigns.audienceSpec(node.entity);
    return {
      tierKeys: spec.tierKeys,
      segmentId: spec.segmentId === null ? null : String(spec.segmentId),
      query: spec.query,
    };
  }

  @FieldResolver(() => CampaignBudgetNode, { nullable: true })
  @Authorized("business:read")
  budget(@Root() node: CampaignNode, @Ctx() ctx: GraphQLContext): CampaignBudgetNode | null {
    const c = node.entity;
    if (!c.budgetKind || c.budget === null) return null;
    const show = (n: number) =>
      c.budgetKind === "money" ? money(n, ctx.config.defaultCurrency).amount : String(n);
    return {
      kind: c.budgetKind as BudgetKindGql,
      amount: show(c.budget),
      spent: show(c.spent),
      onExhausted: c.onBudgetExhausted as BudgetExhaustionGql,
      exhaustedAt: c.budgetExhaustedAt,
    };
  }

  @FieldResolver(() => String, { description: "Who owns it (its creator)." })
  @Authorized("business:read")
  owner(@Root() node: CampaignNode): string {
    return node.entity.owner;
  }

  @FieldResolver(() => CampaignMembersNode, { description: "Members frozen so far, by group." })
  @Authorized("business:read")
  members(@Root() node: CampaignNode, @Ctx() ctx: GraphQLContext): Promise<CampaignMembersNode> {
    return ctx.services.campaigns.memberCounts(node.entity.id);
  }

  @FieldResolver(() => CampaignResultsNode, {
    nullable: true,
    description: "Treatment vs control; null before launch.",
  })
  @Authorized("business:read")
  // Reads every member and the window's orders: worth many rows in the query cost model.
  @Extensions({ cost: 500 })
  async results(
    @Root() node: CampaignNode,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CampaignResultsNode | null> {
    const measured = await ctx.services.campaigns.results(node.entity);
    return measured ? toResults(measured) : null;
  }

  @FieldResolver(() => [CampaignTimelinePointNode], {
    description:
      "Revenue per customer, treatment vs control, at each day of the window (at most 60 points, " +
      "the last at its end) with the always-valid interval; empty before launch.",
  })
  @Authorized("business:read")
  async timeline(
    @Root() node: CampaignNode,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CampaignTimelinePointNode[]> {
    const points = await ctx.services.campaigns.timeline(node.entity);
    const scale = 10 ** currencyExponent(ctx.config.defaultCurrency);
    return points.map((p) => ({
      at: p.at,
      treatment: p.treatment,
      control: p.control,
      treatmentMean: p.treatmentMeanMinor / scale,
      controlMean: p.controlMeanMinor / scale,
      estimate: p.estimateMinor === null ? null : p.estimateMinor / scale,
      sequentialCi: p.sequentialCiMinor
        ? [p.sequentialCiMinor[0] / scale, p.sequentialCiMinor[1] / scale]
        : null,
      conclusive: p.conclusive,
    }));
  }

  @Mutation(() => UseCampaignCouponPayload, {
    description:
      "Records that a campaign coupon was honoured on an order of the customer it was issued to: once per coupon; the same use again is a replay.",
  })
  @Allow("orders:write")
  async useCampaignCoupon(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => UseCampaignCouponInput) input: UseCampaignCouponInput,
  ): Promise<UseCampaignCouponPayload> {
    const refused = (userErrors: Problem[]) => ({ use: null, replayed: false, userErrors });
    return payloadOf(
      async () => {
        const use = await ctx.services.campaigns.useCoupon(input, actorOf(ctx));
        if (Array.isArray(use)) return refused(use);
        return {
          use: {
            code: use.code,
            campaignId: String(use.campaignId),
            faceValue: money(use.faceValueMinor, ctx.config.defaultCurrency),
            usedAt: use.usedAt,
            orderId: String(use.orderId),
          },
          replayed: use.replayed,
          userErrors: [],
        };
      },
      (p) => refused([p]),
    );
  }

  @Mutation(() => CampaignPayload)
  @Allow("campaigns:manage")
  async createCampaign(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => CreateCampaignInput) input: CreateCampaignInput,
  ): Promise<CampaignPayload> {
    return payloadOf(
      async () =>
        payload(
          await ctx.services.campaigns.create(toInput(input), actorOf(ctx)),
          ctx.config.defaultCurrency,
        ),
      (p) => ({ campaign: null, userErrors: [p] }),
    );
  }

  @Mutation(() => CampaignPayload, {
    description:
      "Before launch everything but the key may change; once launched only name, endsAt, timeZone and budget.",
  })
  @Allow("campaigns:manage")
  async updateCampaign(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => UpdateCampaignInput) input: UpdateCampaignInput,
  ): Promise<CampaignPayload> {
    return payloadOf(
      async () =>
        payload(
          await ctx.services.campaigns.update(
            parseId(input.id, "input.id"),
            toInput(input),
            actorOf(ctx),
          ),
          ctx.config.defaultCurrency,
        ),
      (p) => ({ campaign: null, userErrors: [p] }),
    );
  }

  @Mutation(() => CampaignPayload, {
    description: "draft → scheduled: starts by itself at startsAt.",
  })
  @Allow("campaigns:manage")
  scheduleCampaign(@Ctx() ctx: GraphQLContext, @Arg("id", () => ID) id: string) {
    return this.move(ctx, id, "schedule");
  }

  @Mutation(() => CampaignPayload, { description: "scheduled → draft." })
  @Allow("campaigns:manage")
  unscheduleCampaign(@Ctx() ctx: GraphQLContext, @Arg("id", () => ID) id: string) {
    return this.move(ctx, id, "unschedule");
  }

  @Mutation(() => CampaignPayload, {
    description: "draft or scheduled → running now: freezes the audience and assigns the groups.",
  })
  @Allow("campaigns:manage")
  launchCampaign(@Ctx() ctx: GraphQLContext, @Arg("id", () => ID) id: string) {
    return this.move(ctx, id, "launch");
  }

  @Mutation(() => CampaignPayload, { description: "running → paused: offers stop." })
  @Allow("campaigns:manage")
  pauseCampaign(@Ctx() ctx: GraphQLContext, @Arg("id", () => ID) id: string) {
    return this.move(ctx, id, "pause");
  }

  @Mutation(() => CampaignPayload, { description: "paused → running (same members)." })
  @Allow("campaigns:manage")
  resumeCampaign(@Ctx() ctx: GraphQLContext, @Arg("id", () => ID) id: string) {
    return this.move(ctx, id, "resume");
  }

  @Mutation(() => CampaignPayload, { description: "scheduled, running or paused → ended (final)." })
  @Allow("campaigns:manage")
  endCampaign(@Ctx() ctx: GraphQLContext, @Arg("id", () => ID) id: string) {
    return this.move(ctx, id, "end");
  }

  @Mutation(() => CampaignSettingsPayload, {
    description: "The global holdout: customers kept out of every campaign launched from now on.",
  })
  @Allow("campaigns:manage")
  async updateCampaignSettings(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => CampaignSettingsInput) input: CampaignSettingsInput,
  ): Promise<CampaignSettingsPayload> {
    const result = await ctx.services.campaigns.updateHoldout(
      { share: input.holdoutShare, salt: input.holdoutSalt },
      actorOf(ctx),
    );
    if (Array.isArray(result)) return { settings: null, userErrors: result };
    return {
      settings: {
        holdoutShare: result.holdoutShareBp / 10_000,
        holdoutSalt: result.holdoutSalt,
        updatedAt: result.updatedAt,
        updatedBy: result.updatedBy,
      },
      userErrors: [],
    };
  }

  private async move(
    ctx: GraphQLContext,
    id: string,
    action: CampaignAction,
  ): Promise<CampaignPayload> {
    const campaignId = parseId(id, "id");
    return payloadOf(
      async () =>
        payload(
          await ctx.services.campaigns.transition(campaignId, action, actorOf(ctx)),
          ctx.config.defaultCurrency,
        ),
      (p) => ({ campaign: null, userErrors: [p] }),
    );
  }
}

/** Customer.campaigns: the campaigns a customer is in, with the group. */
@Resolver(() => CustomerNode)
@Authorized("customers:read")
export class CustomerCampaignsResolver {
  @FieldResolver(() => [CustomerCampaignNode], {
    description: "Campaigns this customer is a member of (treatment or control), newest first.",
  })
  async campaigns(
    @Root() customer: CustomerNode,
    @Ctx() ctx: GraphQLContext,
    @Args() { first }: CustomerCampaignsArgs,
  ): Promise<CustomerCampaignNode[]> {
    const list = await ctx.services.campaigns.memberships(Number(customer.id));
    return list.slice(0, first).map((m) => ({
      campaign: toCampaignNode(m.campaign, ctx.config.defaultCurrency),
      group: m.group as CampaignGroupGql,
      joinedAt: m.joinedAt,
      late: m.late,
      coupon: m.group === "TREATMENT" ? m.coupon : null,
    }));
  }
}
