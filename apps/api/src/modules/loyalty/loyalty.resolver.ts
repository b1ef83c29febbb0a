import type { CapPeriod, ExpiryRule, LoyaltySettings, TierGap } from "@valuetier/domain";
import { currencyExponent } from "@valuetier/domain";
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import DataLoader from "dataloader";
import { parseId } from "../../db/ids";
import { DomainError, type Problem } from "../../errors/domain-error";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import { PageArgs, toConnection } from "../../graphql/connection";
import type { GraphQLContext } from "../../graphql/context";
import { money } from "../../graphql/money";
import { userError } from "../../graphql/errors";
import { jobRunnerOf } from "../jobs/job-runner-registry";
import { JobNode, toJobNode } from "../jobs/job.types";
import {
  ScoringScheduleInput,
  ScoringScheduleNode,
  toScoringScheduleNode,
  UpdateScoringSchedulePayload,
} from "../value/scoring-schedule.types";
import { CustomerNode } from "../customers/customer.types";
import type { LoyaltyEconomicsReport } from "./loyalty-economics";
import type { LoyaltyRewardEntity } from "./loyalty.entity";
import type {
  LedgerEntryView,
  LoyaltyAccountView,
  PointsWrite,
  RedemptionView,
  RedemptionWrite,
} from "./loyalty.service";
import {
  AdjustPointsInput,
  CalendarUnit,
  CapPeriodKind,
  CreateRewardInput,
  EarnBasis,
  EarnBonusInput,
  EarnPointsInput,
  ExpiryKind,
  LedgerEntryType,
  LoyaltyAccount,
  LoyaltyEconomics,
  LoyaltyJobKind,
  LoyaltyLedgerEntry,
  LoyaltyLedgerEntryConnection,
  LoyaltyPointsPayload,
  LoyaltySettingsInput,
  LoyaltySettingsNode,
  LoyaltySettingsPayload,
  LoyaltyTier,
  NegativeBalancePolicy,
  NextTier,
  PointsRounding,
  RedeemRewardInput,
  Redemption,
  RedemptionPayload,
  ReverseRedemptionInput,
  Reward,
  RewardPayload,
  UpdateRewardInput,
  type Clawback,
} from "./loyalty.types";

const toAccount = (view: LoyaltyAccountView): LoyaltyAccount => ({
  customerId: view.customerId,
  tierKey: view.tierKey,
  balance: view.balance,
  available: view.available,
  pending: view.pending,
  lifetimeEarned: view.lifetimeEarned,
  redeemed: view.redeemed,
  expired: view.expired,
  expiringSoon: view.expiringSoon,
});

const toEntry = (customerId: number, e: LedgerEntryView): LoyaltyLedgerEntry => ({
  id: `${customerId}:${e.seq}`,
  seq: e.seq,
  type: e.type as LedgerEntryType,
  at: e.at,
  points: e.points,
  availableChange: e.availableChange,
  pendingChange: e.pendingChange,
  reason: e.reason,
  source: e.source,
  sourceKind: e.sourceKind,
  sourceId: e.sourceId,
  operation: e.operation,
  tierKey: e.tierKey,
  clawback: (e.clawback as Clawback | null) ?? null,
  lots: e.lots.map((l) => ({
    lot: l.lotNo,
    points: l.points,
    lotSource: l.lotSource,
    lotKind: l.lotKind,
    lotExpiresAt: l.expiresAt,
  })),
});

export const toReward = (r: LoyaltyRewardEntity): Reward => ({
  id: String(r.id),
  name: r.name,
  description: r.description,
  pointsCost: r.pointsCost,
  tierKeys: r.tierKeys ? (JSON.parse(r.tierKeys) as string[]) : [],
  stock: r.stock,
  remaining: r.remaining,
  perCustomerLimit: r.perCustomerLimit,
  validFrom: r.validFrom,
  validUntil: r.validUntil,
  active: r.active === 1,
  couponPrefix: r.couponPrefix,
  campaignOnly: r.campaignOnly === 1,
});

const toRedemption = (r: RedemptionView): Redemption => ({
  rewardId: r.rewardId,
  id: String(r.id),
  customerId: String(r.customerId),
  code: r.code,
  points: r.points,
  status: r.status,
  redeemedAt: r.redeemedAt,
  reversedAt: r.reversedAt,
});

const failed = (problems: Problem[]) => ({ userErrors: problems });

function pointsPayload(customerId: number, result: PointsWrite | Problem[]): LoyaltyPointsPayload {
  if (Array.isArray(result))
    return { entry: null, account: null, replayed: false, ...failed(result) };
  return {
    entry: null,
    account: toAccount(result.account),
    replayed: result.replayed,
    userErrors: [],
    // The entry is read back by its seq (see LoyaltyPointsPayloadResolver).
    ...{ entrySeq: result.entry.seq, customerId },
  } as LoyaltyPointsPayload;
}

function redemptionPayload(result: RedemptionWrite | Problem[]): RedemptionPayload {
  if (Array.isArray(result))
    return { redemption: null, account: null, replayed: false, ...failed(result) };
  return {
    redemption: toRedemption(result.redemption),
    account: toAccount(result.account),
    replayed: result.replayed,
    userErrors: [],
  };
}

function toSettingsNode(s: LoyaltySettings): LoyaltySettingsNode {
  return {
    earnBasis: s.earnBasis as EarnBasis,
    pointsPerUnit: s.pointsPerUnit,
    rounding: s.rounding as PointsRounding,
    tierMultipliers: Object.entries(s.tierMultipliers).map(([tier, multiplier]) => ({
      tier,
      multiplier,
    })),
    perOrderCap: s.perOrderCap,
    periodCap: s.periodCap
      ? {
          period: s.periodCap.period.kind as CapPeriodKind,
          days: s.periodCap.period.kind === "rolling_days" ? s.periodCap.period.days : null,
          points: s.periodCap.points,
        }
      : null,
    pendingDays: s.pendingDays,
    expiry: {
      kind: s.expiry.kind as ExpiryKind,
      days: s.expiry.kind === "rolling" ? s.expiry.days : null,
      unit: s.expiry.kind === "calendar" ? (s.expiry.unit as CalendarUnit) : null,
      count: s.expiry.kind === "calendar" ? s.expiry.count : null,
    },
    negativeBalance: s.negativeBalance as NegativeBalancePolicy,
    costPerPointMinor: s.costPerPointMinor,
    bonusEvents: Object.entries(s.bonusEvents).map(([event, points]) => ({ event, points })),
  };
}

function fromSettingsInput(input: LoyaltySettingsInput): LoyaltySettings {
  const period: CapPeriod | undefined = input.periodCap
    ? input.periodCap.period === CapPeriodKind.ROLLING_DAYS
      ? { kind: "rolling_days", days: input.periodCap.days as number }
      : { kind: input.periodCap.period as "day" | "month" | "year" }
    : undefined;
  const expiry: ExpiryRule =
    input.expiry.kind === ExpiryKind.ROLLING
      ? { kind: "rolling", days: input.expiry.days as number }
      : input.expiry.kind === ExpiryKind.CALENDAR
        ? {
            kind: "calendar",
            unit: input.expiry.unit as "month" | "year",
            count: input.expiry.count as number,
          }
        : { kind: "none" };
  return {
    earnBasis: input.earnBasis,
    pointsPerUnit: input.pointsPerUnit,
    rounding: input.rounding,
    tierMultipliers: Object.fromEntries(input.tierMultipliers.map((m) => [m.tier, m.multiplier])),
    perOrderCap: input.perOrderCap ?? null,
    periodCap: period && input.periodCap ? { period, points: input.periodCap.points } : null,
    pendingDays: input.pendingDays,
    expiry,
    negativeBalance: input.negativeBalance,
    costPerPointMinor: input.costPerPointMinor,
    bonusEvents: Object.fromEntries(input.bonusEvents.map((b) => [b.event, b.points])),
  };
}

/** A decimal of minor units as currency units, exactly (e.g. "6172.5" cents → "61.725"). */
function minorToUnits(minor: string, currency: string): string {
  const exponent = currencyExponent(currency);
  const [whole, fraction = ""] = minor.split(".");
  if (exponent === 0) return fraction ? `${whole}.${fraction}` : whole!;
  const digits = whole!.padStart(exponent + 1, "0");
  // At least the currency's decimals ("2.00"); more only when a fractional cost per point asks.
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}${fraction.replace(/0+$/, "")}`;
}

function toEconomics(r: LoyaltyEconomicsReport, currency: string): LoyaltyEconomics {
  return {
    asOf: r.asOf,
    from: r.from,
    until: r.until,
    costPerPointMinor: r.costPerPointMinor,
    availablePoints: r.availablePoints,
    pendingPoints: r.pendingPoints,
    owedPoints: r.owedPoints,
    liabilityMinor: r.liabilityMinor,
    liability: minorToUnits(r.liabilityMinor, currency),
    currency,
    expiring: r.expiring,
    earned: r.earned,
    redeemed: r.redeemed,
    expired: r.expired,
    breakage: r.breakage,
    redemptionRate: r.redemptionRate,
    byTierMonth: r.byTierMonth,
    tiers: r.tiers.map((t) => ({ ...t, clv: money(t.clvMinor, currency) })),
  };
}

/** One batch per request: a page of customers asking for `loyalty` costs four queries. */
const accountLoaders = new WeakMap<GraphQLContext, DataLoader<number, LoyaltyAccountView | null>>();

function accountLoader(ctx: GraphQLContext): DataLoader<number, LoyaltyAccountView | null> {
  let loader = accountLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly number[]) => {
      const views = await ctx.services.loyalty.accounts(ids);
      return ids.map((id) => views.get(id) ?? null);
    });
    accountLoaders.set(ctx, loader);
  }
  return loader;
}

/** One batch per request: every account's next tier from one read of the policy and figures. */
const nextTierLoaders = new WeakMap<
  GraphQLContext,
  DataLoader<{ customerId: number; tierKey: string }, TierGap | null, number>
>();

function nextTierLoader(
  ctx: GraphQLContext,
): DataLoader<{ customerId: number; tierKey: string }, TierGap | null, number> {
  let loader = nextTierLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(
      async (keys: readonly { customerId: number; tierKey: string }[]) => {
        const gaps = await ctx.services.tiers.nextTiers(keys, ctx.config.defaultCurrency);
        return keys.map((k) => gaps.get(k.customerId) ?? null);
      },
      { cacheKeyFn: (k) => k.customerId },
    );
    nextTierLoaders.set(ctx, loader);
  }
  return loader;
}

/** Customer.loyalty: readable as Customer is (customers:read). */
@Resolver(() => CustomerNode)
@Authorized("customers:read")
export class CustomerLoyaltyResolver {
  @FieldResolver(() => LoyaltyAccount, {
    description: "The customer's points (zero before the first points).",
  })
  async loyalty(
    @Root() customer: CustomerNode,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LoyaltyAccount> {
    const view = await accountLoader(ctx).load(Number(customer.id));
    if (!view) throw new DomainError("INVALID_INPUT", `no customer with id ${customer.id}`);
    return toAccount(view);
  }
}

@Resolver(() => LoyaltyAccount)
@Authorized("customers:read")
export class LoyaltyAccountResolver {
  @FieldResolver(() => LoyaltyTier, { nullable: true, description: "The customer's tier now." })
  async tier(
    @Root() account: LoyaltyAccount,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LoyaltyTier | null> {
    if (account.tierKey === null) return null;
    const tiers = await ctx.loaders.tiers();
    return { key: account.tierKey, name: tiers.get(account.tierKey)?.name ?? null };
  }

  @FieldResolver(() => NextTier, {
    nullable: true,
    description:
      "The nearest better tier the tier policy places customers in, and what it takes to get there (null at the top, or before the customer has a tier).",
  })
  async nextTier(
    @Root() account: LoyaltyAccount,
    @Ctx() ctx: GraphQLContext,
  ): Promise<NextTier | null> {
    if (account.tierKey === null) return null;
    const gap = await nextTierLoader(ctx).load({
      customerId: account.customerId,
      tierKey: account.tierKey,
    });
    if (!gap) return null;
    const tiers = await ctx.loaders.tiers();
    const currency = ctx.config.defaultCurrency;
    return {
      key: gap.tier,
      name: tiers.get(gap.tier)?.name ?? null,
      pointsNeeded: gap.pointsNeeded === null ? null : Number(gap.pointsNeeded),
      spendNeeded:
        gap.spendNeededMinor === null ? null : minorToUnits(String(gap.spendNeededMinor), currency),
    };
  }

  @FieldResolver(() => LoyaltyLedgerEntryConnection, {
    description: "The ledger, newest first; each entry with the lots it changed.",
  })
  async ledger(
    @Root() account: LoyaltyAccount,
    @Ctx() ctx: GraphQLContext,
    @Args() { first, after }: PageArgs,
  ): Promise<LoyaltyLedgerEntryConnection> {
    const { page, countTotal } = await ctx.services.loyalty.ledger(
      account.customerId,
      first,
      after,
    );
    return toConnection(
      LoyaltyLedgerEntryConnection,
      page,
      (e) => toEntry(account.customerId, e),
      countTotal,
    );
  }

  @FieldResolver(() => [Redemption], { description: "Redemptions, newest first (at most 50)." })
  async redemptions(
    @Root() account: LoyaltyAccount,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Redemption[]> {
    return (await ctx.services.loyalty.redemptions(account.customerId)).map(toRedemption);
  }
}

@Resolver(() => Redemption)
export class RedemptionResolver {
  @FieldResolver(() => Reward, { nullable: true })
  async reward(@Root() redemption: Redemption, @Ctx() ctx: GraphQLContext): Promise<Reward | null> {
    const reward = await ctx.services.loyalty.reward(redemption.rewardId);
    return reward ? toReward(reward) : null;
  }
}

@Resolver(() => LoyaltyPointsPayload)
export class LoyaltyPointsPayloadResolver {
  @FieldResolver(() => LoyaltyLedgerEntry, { nullable: true })
  async entry(
    @Root() payload: LoyaltyPointsPayload,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LoyaltyLedgerEntry | null> {
    const { entrySeq, customerId } = payload as unknown as {
      entrySeq?: number;
      customerId?: number;
    };
    if (entrySeq === undefined || customerId === undefined) return null;
    const entry = await ctx.services.loyalty.ledgerEntry(customerId, entrySeq);
    return entry ? toEntry(customerId, entry) : null;
  }
}

@Resolver()
export class LoyaltyResolver {
  @Query(() => [Reward], { description: "The rewards catalogue." })
  @Allow("customers:read")
  async rewards(
    @Ctx() ctx: GraphQLContext,
    @Arg("activeOnly", () => Boolean, { defaultValue: false }) activeOnly: boolean,
    @Arg("customerId", () => ID, {
      nullable: true,
      description:
        "Only the active rewards this customer may see: campaign-only ones only when a running campaign unlocks them for the customer.",
    })
    customerId?: string | null,
  ): Promise<Reward[]> {
    const rows = await ctx.services.loyalty.rewards({
      activeOnly,
      ...(customerId ? { customerId: parseId(customerId, "customerId") } : {}),
    });
    return rows.map(toReward);
  }

  @Query(() => LoyaltySettingsNode)
  @Allow("business:read")
  async loyaltySettings(@Ctx() ctx: GraphQLContext): Promise<LoyaltySettingsNode> {
    return toSettingsNode(await ctx.services.loyalty.settings());
  }

  @Query(() => LoyaltyEconomics, {
    description:
      "Liability, points expiring in 30/60/90 days, breakage and redemption rate over [from, until) (default: the 12 months up to now), points per tier by month, next to CLV per tier.",
  })
  @Allow("business:read")
  async loyaltyEconomics(
    @Ctx() ctx: GraphQLContext,
    @Arg("from", () => Date, { nullable: true }) from?: Date | null,
    @Arg("until", () => Date, { nullable: true }) until?: Date | null,
  ): Promise<LoyaltyEconomics> {
    const result = await ctx.services.loyalty.economics({ from, until });
    if (Array.isArray(result)) {
      throw new DomainError("INVALID_INPUT", result[0]!.message, { field: result[0]!.field });
    }
    return toEconomics(result, ctx.config.defaultCurrency);
  }

  @Mutation(() => LoyaltyPointsPayload, {
    description:
      "Credits points (storefronts with loyalty:write, staff); pending for the return window.",
  })
  @Allow("loyalty:write")
  async earnPoints(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => EarnPointsInput) input: EarnPointsInput,
  ): Promise<LoyaltyPointsPayload> {
    const customerId = parseId(input.customerId, "input.customerId");
    return pointsPayload(
      customerId,
      await ctx.services.loyalty.earnPoints({ ...input, customerId }, actorOf(ctx)),
    );
  }

  @Mutation(() => LoyaltyPointsPayload, {
    description: "Bonus points for an event of the settings.",
  })
  @Allow("loyalty:write")
  async earnBonusPoints(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => EarnBonusInput) input: EarnBonusInput,
  ): Promise<LoyaltyPointsPayload> {
    const customerId = parseId(input.customerId, "input.customerId");
    return pointsPayload(
      customerId,
      await ctx.services.loyalty.earnBonus({ ...input, customerId }, actorOf(ctx)),
    );
  }

  @Mutation(() => LoyaltyPointsPayload, {
    description: "A manual correction with a reason (admins), audited.",
  })
  @Allow("loyalty:manage")
  async adjustPoints(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => AdjustPointsInput) input: AdjustPointsInput,
  ): Promise<LoyaltyPointsPayload> {
    const customerId = parseId(input.customerId, "input.customerId");
    return pointsPayload(
      customerId,
      await ctx.services.loyalty.adjustPoints({ ...input, customerId }, actorOf(ctx)),
    );
  }

  @Mutation(() => RedemptionPayload, {
    description: "Redeems one unit of a reward for the customer and issues a unique coupon code.",
  })
  @Allow("loyalty:write")
  async redeemReward(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => RedeemRewardInput) input: RedeemRewardInput,
  ): Promise<RedemptionPayload> {
    return redemptionPayload(
      await ctx.services.loyalty.redeemReward(
        {
          customerId: parseId(input.customerId, "input.customerId"),
          rewardId: parseId(input.rewardId, "input.rewardId"),
          idempotencyKey: input.idempotencyKey,
        },
        actorOf(ctx),
      ),
    );
  }

  @Mutation(() => RedemptionPayload, {
    description: "Gives a redemption's points back and returns its unit to stock.",
  })
  @Allow("loyalty:write")
  async reverseRedemption(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => ReverseRedemptionInput) input: ReverseRedemptionInput,
  ): Promise<RedemptionPayload> {
    return redemptionPayload(
      await ctx.services.loyalty.reverseRedemption(
        {
          redemptionId: parseId(input.redemptionId, "input.redemptionId"),
          reason: input.reason,
          idempotencyKey: input.idempotencyKey,
        },
        actorOf(ctx),
      ),
    );
  }

  @Mutation(() => RewardPayload)
  @Allow("rewards:manage")
  async createReward(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => CreateRewardInput) input: CreateRewardInput,
  ): Promise<RewardPayload> {
    const result = await ctx.services.loyalty.createReward(input, actorOf(ctx));
    return Array.isArray(result)
      ? { reward: null, userErrors: result }
      : { reward: toReward(result), userErrors: [] };
  }

  @Mutation(() => RewardPayload)
  @Allow("rewards:manage")
  async updateReward(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => UpdateRewardInput) input: UpdateRewardInput,
  ): Promise<RewardPayload> {
    const { id, ...fields } = input;
    const change = Object.fromEntries(
      Object.entries(fields).filter(([, v]) => v !== undefined),
    ) as Parameters<GraphQLContext["services"]["loyalty"]["updateReward"]>[1];
    const result = await ctx.services.loyalty.updateReward(
      parseId(id, "input.id"),
      change,
      actorOf(ctx),
    );
    return Array.isArray(result)
      ? { reward: null, userErrors: result }
      : { reward: toReward(result), userErrors: [] };
  }

  @Mutation(() => LoyaltySettingsPayload, { description: "Applies to points earned from now on." })
  @Allow("loyalty:manage")
  async updateLoyaltySettings(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => LoyaltySettingsInput) input: LoyaltySettingsInput,
  ): Promise<LoyaltySettingsPayload> {
    const result = await ctx.services.loyalty.updateSettings(
      fromSettingsInput(input),
      actorOf(ctx),
    );
    return Array.isArray(result)
      ? { settings: null, userErrors: result }
      : { settings: toSettingsNode(result), userErrors: [] };
  }

  @Mutation(() => JobNode, {
    description:
      "Starts a loyalty job in the background (activation, expiry or reconciliation); while one of the kind is under way, returns that one.",
  })
  @Allow("loyalty:manage")
  async runLoyaltyJob(
    @Ctx() ctx: GraphQLContext,
    @Arg("kind", () => LoyaltyJobKind) kind: LoyaltyJobKind,
  ): Promise<JobNode> {
    const { job } = await jobRunnerOf(ctx.dataSource).enqueue(kind, undefined, actorOf(ctx));
    return toJobNode(job);
  }

  @Query(() => ScoringScheduleNode, { description: "When a loyalty job runs by itself." })
  @Allow("business:read")
  async loyaltyJobSchedule(
    @Ctx() ctx: GraphQLContext,
    @Arg("kind", () => LoyaltyJobKind) kind: LoyaltyJobKind,
  ): Promise<ScoringScheduleNode> {
    return toScoringScheduleNode(await ctx.services.schedules.get(kind));
  }

  @Mutation(() => UpdateScoringSchedulePayload, {
    description: "Sets when a loyalty job runs by itself (daily at a time in a time zone).",
  })
  @Allow("loyalty:manage")
  async updateLoyaltyJobSchedule(
    @Ctx() ctx: GraphQLContext,
    @Arg("kind", () => LoyaltyJobKind) kind: LoyaltyJobKind,
    @Arg("input", () => ScoringScheduleInput) input: ScoringScheduleInput,
  ): Promise<UpdateScoringSchedulePayload> {
    const result = await ctx.services.schedules.update(kind, input, actorOf(ctx));
    if (Array.isArray(result)) {
      return {
        schedule: null,
        userErrors: result.map((e) => userError(`input.${e.field}`, e.code, e.message)),
      };
    }
    return { schedule: toScoringScheduleNode(result), userErrors: [] };
  }
}
