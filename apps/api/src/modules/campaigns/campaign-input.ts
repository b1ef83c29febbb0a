import { parseMoney, parseSegment, type Audience, type Condition } from "@valuetier/domain";
import { cleanDisplayName } from "../../errors/display-name";
import { problem, type Problem } from "../../errors/domain-error";
import { isKnownTimeZone } from "../jobs/next-daily-run";
import type { BudgetExhaustion, BudgetKind } from "./campaign.entity";

/** Which customers a campaign aims at: tiers, a saved segment and a query, all of which must hold. */
export interface CampaignAudienceSpec {
  tierKeys: string[];
  segmentId: number | null;
  query: string | null;
}

/** What treated customers get. */
export interface CampaignOffer {
  /** Multiplies the points an order earns, an exact decimal such as "2" or "1.5" ("1": none). */
  pointsMultiplier: string;
  /** Extra points per qualifying order. */
  bonusPoints: number;
  /** A loyalty reward unlocked for treated customers while the campaign runs. */
  rewardId: string | null;
  /** A coupon handed to treated customers; its face value counts as cost per converting customer. */
  coupon: { code: string; amountMinor: number } | null;
}

export interface CampaignBudget {
  kind: BudgetKind;
  /** Points, or minor units of the store currency. */
  amount: number;
  onExhausted: BudgetExhaustion;
}

/** A create or update as the service reads it (GraphQL inputs satisfy it). */
export interface CampaignInput {
  name?: string | null;
  key?: string | null;
  audience?: {
    tierKeys?: string[] | null;
    segmentId?: number | null;
    query?: string | null;
  } | null;
  offer?: {
    pointsMultiplier?: string | null;
    bonusPoints?: number | null;
    rewardId?: string | null;
    coupon?: { code: string; amount: string } | null;
  } | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  timeZone?: string | null;
  controlShare?: number | null;
  budget?: { kind: BudgetKind; amount: string; onExhausted?: BudgetExhaustion | null } | null;
  prePeriodDays?: number | null;
}

/** A campaign's definition once every field was checked. */
export interface CheckedCampaign {
  name: string;
  audience: CampaignAudienceSpec;
  /** The audience as the one audience model (segment conditions resolved by the compiler). */
  parsedAudience: Audience;
  offer: CampaignOffer;
  startsAt: Date | null;
  endsAt: Date | null;
  timeZone: string;
  controlShareBp: number;
  budget: CampaignBudget | null;
  prePeriodDays: number;
}

export const DEFAULT_CONTROL_SHARE = 0.1;
export const CONTROL_SHARE_RANGE = { min: 0.01, max: 0.9 } as const;
export const DEFAULT_PRE_PERIOD_DAYS = 90;
const NAME_LIMIT = 120;
const KEY = /^[a-z0-9](?:[a-z0-9-]{0,62})$/;
const MULTIPLIER = /^\d{1,3}(?:\.\d{1,4})?$/;
const COUPON_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_POINTS = 1_000_000_000;

/** A slug from a name: lower-case letters, digits and single dashes, at most 64 characters. */
export function slugOf(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 56)
    .replace(/-+$/, "");
  return slug || "campaign";
}

/** Whether `key` is a campaign key (slug). */
export function isCampaignKey(key: string): boolean {
  return KEY.test(key);
}

/**
 * Checks a campaign's definition as a whole (a create, or an update merged over the stored
 * one), collecting every problem with the input path at fault. Existence of tiers and segments
 * is the service's check (it needs the database).
 */
export function checkCampaign(input: CampaignInput, currency: string): CheckedCampaign | Problem[] {
  const problems: Problem[] = [];

  let name = "";
  const cleaned = cleanDisplayName(input.name ?? "", "input.name", NAME_LIMIT);
  if (typeof cleaned !== "string") problems.push(cleaned);
  else if (cleaned === "")
    problems.push(problem("input.name", "REQUIRED", "a campaign needs a name"));
  else name = cleaned;

  // Audience: every part given must hold (AND); none given is everyone.
  const tierKeys = [...new Set((input.audience?.tierKeys ?? []).map((k) => k.trim()))];
  const segmentId = input.audience?.segmentId ?? null;
  const query = input.audience?.query?.trim() ? input.audience.query : null;
  const conditions: Condition[] = [];
  if (tierKeys.some((k) => k === "")) {
    problems.push(problem("input.audience.tierKeys", "INVALID_TIER", "a tier key is empty"));
  } else if (tierKeys.length > 0) {
    conditions.push({
      type: "in",
      field: "tier",
      values: tierKeys.map((value) => ({ type: "string", value })),
    });
  }
  if (segmentId !== null) conditions.push({ type: "segment", segmentId });
  if (query !== null) {
    const parsed = parseSegment(query, { currency });
    if (!parsed.ok) {
      problems.push(problem("input.audience.query", "INVALID_QUERY", parsed.error.message));
    } else if (parsed.audience.condition) {
      conditions.push(parsed.audience.condition);
    }
  }
  const parsedAudience: Audience = {
    condition:
      conditions.length === 0
        ? null
        : conditions.length === 1
          ? conditions[0]!
          : { type: "and", conditions },
  };

  // Offer.
  const multiplier = (input.offer?.pointsMultiplier ?? "1").trim();
  if (!MULTIPLIER.test(multiplier) || Number(multiplier) < 1 || Number(multiplier) > 100) {
    problems.push(
      problem(
        "input.offer.pointsMultiplier",
        "INVALID_MULTIPLIER",
        `pointsMultiplier must be a decimal from 1 to 100 with at most 4 decimals, such as "2" or "1.5" (got ${JSON.stringify(multiplier.slice(0, 20))})`,
      ),
    );
  }
  const bonusPoints = input.offer?.bonusPoints ?? 0;
  if (!Number.isSafeInteger(bonusPoints) || bonusPoints < 0 || bonusPoints > MAX_POINTS) {
    problems.push(
      problem(
        "input.offer.bonusPoints",
        "INVALID_POINTS",
        `bonusPoints must be a whole number from 0 to ${MAX_POINTS}`,
      ),
    );
  }
  const rewardId = input.offer?.rewardId?.trim() || null;
  if (rewardId !== null && !/^[1-9]\d{0,14}$/.test(rewardId)) {
    problems.push(
      problem("input.offer.rewardId", "INVALID_INPUT", "rewardId must be a reward's id"),
    );
  }
  let coupon: CampaignOffer["coupon"] = null;
  if (input.offer?.coupon) {
    const code = input.offer.coupon.code.trim();
    const amount = parseMoney(input.offer.coupon.amount, currency);
    if (!COUPON_CODE.test(code)) {
      problems.push(
        problem(
          "input.offer.coupon.code",
          "INVALID_COUPON",
          "a coupon code is 1 to 64 letters, digits, - or _",
        ),
      );
    }
    if (!amount.ok)
      problems.push(problem("input.offer.coupon.amount", "INVALID_AMOUNT", amount.message));
    else if (amount.minor <= 0) {
      problems.push(
        problem(
          "input.offer.coupon.amount",
          "INVALID_AMOUNT",
          "a coupon's face value must be above zero",
        ),
      );
    } else coupon = { code, amountMinor: amount.minor };
  }
  const offerDoesSomething =
    (MULTIPLIER.test(multiplier) && Number(multiplier) > 1) ||
    bonusPoints > 0 ||
    rewardId !== null ||
    input.offer?.coupon;
  if (!offerDoesSomething) {
    problems.push(
      problem(
        "input.offer",
        "EMPTY_OFFER",
        "the offer gives nothing: set a points multiplier above 1, bonus points, a reward or a coupon",
      ),
    );
  }

  // Schedule.
  const startsAt = input.startsAt ?? null;
  const endsAt = input.endsAt ?? null;
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) {
    problems.push(problem("input.endsAt", "INVALID_SCHEDULE", "endsAt must be after startsAt"));
  }
  const timeZone = input.timeZone?.trim() || "UTC";
  if (timeZone.length > 64 || !isKnownTimeZone(timeZone)) {
    problems.push(
      problem(
        "input.timeZone",
        "INVALID_TIME_ZONE",
        `timeZone must be an IANA time zone such as Asia/Taipei or UTC, got "${timeZone.slice(0, 64)}"`,
      ),
    );
  }

  // Control share: whole hash buckets of 10,000.
  const share = input.controlShare ?? DEFAULT_CONTROL_SHARE;
  const bp = Math.round(share * 10_000);
  if (
    !Number.isFinite(share) ||
    share < CONTROL_SHARE_RANGE.min ||
    share > CONTROL_SHARE_RANGE.max ||
    Math.abs(bp - share * 10_000) > 1e-6
  ) {
    problems.push(
      problem(
        "input.controlShare",
        "INVALID_CONTROL_SHARE",
        `controlShare must be from ${CONTROL_SHARE_RANGE.min} to ${CONTROL_SHARE_RANGE.max} in steps of 0.0001 (got ${share})`,
      ),
    );
  }

  // Budget.
  let budget: CampaignBudget | null = null;
  if (input.budget) {
    const { kind, amount } = input.budget;
    const onExhausted = input.budget.onExhausted ?? "stop_offers";
    let minor: number | null = null;
    if (kind === "points") {
      if (/^[1-9]\d{0,14}$/.test(amount.trim()) && Number(amount) <= Number.MAX_SAFE_INTEGER)
        minor = Number(amount);
      else
        problems.push(
          problem(
            "input.budget.amount",
            "INVALID_BUDGET",
            "a points budget is a whole number above zero",
          ),
        );
    } else if (kind === "money") {
      const parsed = parseMoney(amount, currency);
      if (!parsed.ok)
        problems.push(problem("input.budget.amount", "INVALID_BUDGET", parsed.message));
      else if (parsed.minor <= 0)
        problems.push(
          problem("input.budget.amount", "INVALID_BUDGET", "a budget must be above zero"),
        );
      else minor = parsed.minor;
    } else {
      problems.push(
        problem("input.budget.kind", "INVALID_BUDGET", "budget kind is points or money"),
      );
    }
    if (onExhausted !== "stop_offers" && onExhausted !== "pause") {
      problems.push(
        problem(
          "input.budget.onExhausted",
          "INVALID_BUDGET",
          "onExhausted is stop_offers or pause",
        ),
      );
    }
    if (minor !== null) budget = { kind, amount: minor, onExhausted };
  }

  const prePeriodDays = input.prePeriodDays ?? DEFAULT_PRE_PERIOD_DAYS;
  if (!Number.isSafeInteger(prePeriodDays) || prePeriodDays < 7 || prePeriodDays > 730) {
    problems.push(
      problem(
        "input.prePeriodDays",
        "INVALID_INPUT",
        "prePeriodDays must be a whole number from 7 to 730",
      ),
    );
  }

  if (problems.length > 0) return problems;
  return {
    name,
    audience: { tierKeys, segmentId, query },
    parsedAudience,
    offer: { pointsMultiplier: multiplier, bonusPoints, rewardId, coupon },
    startsAt,
    endsAt,
    timeZone,
    controlShareBp: bp,
    budget,
    prePeriodDays,
  };
}
