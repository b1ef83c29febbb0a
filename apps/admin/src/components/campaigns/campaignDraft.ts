import type {
  CampaignBudgetExhaustion,
  CampaignBudgetKind,
  CreateCampaignInput,
} from "../../gql/graphql";
import { instantToPicker, isTimeZone, pickerToInstant } from "./zonedTime";

export type AudienceKind = "tiers" | "segment" | "query";

/** The campaign builder's form. */
export interface CampaignDraft {
  name: string;
  audienceKind: AudienceKind;
  tierKeys: string[];
  segmentId: string | null;
  query: string;
  /** Decimal text, "1" for none. */
  pointsMultiplier: string;
  bonusPoints: number;
  rewardId: string | null;
  couponCode: string;
  /** Face value, decimal text in the store currency; "" without a coupon. */
  couponAmount: string;
  /** Date picker values (browser zone, wall clock of `timeZone`); null: none. */
  startsAt: number | null;
  endsAt: number | null;
  timeZone: string;
  budgetKind: CampaignBudgetKind | "NONE";
  budgetAmount: string;
  onExhausted: CampaignBudgetExhaustion;
  /** Percent of the audience held out, 1–90. */
  controlPercent: number;
}

export function emptyDraft(timeZone = "UTC"): CampaignDraft {
  return {
    name: "",
    audienceKind: "tiers",
    tierKeys: [],
    segmentId: null,
    query: "",
    pointsMultiplier: "1",
    bonusPoints: 0,
    rewardId: null,
    couponCode: "",
    couponAmount: "",
    startsAt: null,
    endsAt: null,
    timeZone,
    budgetKind: "NONE",
    budgetAmount: "",
    onExhausted: "STOP_OFFERS",
    controlPercent: 10,
  };
}

/** What the builder reads of a stored campaign. */
export interface CampaignForDraft {
  name: string;
  audience: { tierKeys: readonly string[]; segmentId?: string | null; query?: string | null };
  offer: {
    pointsMultiplier: string;
    bonusPoints: number;
    rewardId?: string | null;
    coupon?: { code: string; amount: { amount: string } } | null;
  };
  startsAt?: string | null;
  endsAt?: string | null;
  timeZone: string;
  budget?: {
    kind: CampaignBudgetKind;
    amount: string;
    onExhausted: CampaignBudgetExhaustion;
  } | null;
  controlShare: number;
}

/** The form for a stored campaign. */
export function draftFromCampaign(c: CampaignForDraft): CampaignDraft {
  const audienceKind: AudienceKind = c.audience.query
    ? "query"
    : c.audience.segmentId
      ? "segment"
      : "tiers";
  return {
    name: c.name,
    audienceKind,
    tierKeys: [...c.audience.tierKeys],
    segmentId: c.audience.segmentId ?? null,
    query: c.audience.query ?? "",
    pointsMultiplier: c.offer.pointsMultiplier,
    bonusPoints: c.offer.bonusPoints,
    rewardId: c.offer.rewardId ?? null,
    couponCode: c.offer.coupon?.code ?? "",
    couponAmount: c.offer.coupon?.amount.amount ?? "",
    startsAt: c.startsAt ? instantToPicker(c.startsAt, c.timeZone) : null,
    endsAt: c.endsAt ? instantToPicker(c.endsAt, c.timeZone) : null,
    timeZone: c.timeZone,
    budgetKind: c.budget?.kind ?? "NONE",
    budgetAmount: c.budget?.amount ?? "",
    onExhausted: c.budget?.onExhausted ?? "STOP_OFFERS",
    controlPercent: Math.round(c.controlShare * 1000) / 10,
  };
}

/** The audience part of the input: only the chosen kind. */
export function audienceInput(d: CampaignDraft): CreateCampaignInput["audience"] {
  if (d.audienceKind === "segment") return { segmentId: d.segmentId };
  if (d.audienceKind === "query") return { query: d.query };
  return { tierKeys: d.tierKeys };
}

/** A problem the form shows beside a field before asking the API. */
export interface DraftProblem {
  field: string;
  code: "REQUIRED" | "INVALID_NUMBER" | "INVALID_SCHEDULE" | "INVALID_TIME_ZONE";
}

const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * The problems the form can see by itself (the API checks everything again): a name, an
 * audience, numbers that are numbers, an end after the start, a known time zone.
 */
export function draftProblems(d: CampaignDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (d.name.trim() === "") problems.push({ field: "name", code: "REQUIRED" });
  if (d.audienceKind === "tiers" && d.tierKeys.length === 0) {
    problems.push({ field: "audience.tierKeys", code: "REQUIRED" });
  }
  if (d.audienceKind === "segment" && !d.segmentId) {
    problems.push({ field: "audience.segmentId", code: "REQUIRED" });
  }
  if (d.audienceKind === "query" && d.query.trim() === "") {
    problems.push({ field: "audience.query", code: "REQUIRED" });
  }
  if (!DECIMAL.test(d.pointsMultiplier.trim())) {
    problems.push({ field: "offer.pointsMultiplier", code: "INVALID_NUMBER" });
  }
  if (!Number.isInteger(d.bonusPoints) || d.bonusPoints < 0) {
    problems.push({ field: "offer.bonusPoints", code: "INVALID_NUMBER" });
  }
  if (d.couponCode.trim() !== "" && !DECIMAL.test(d.couponAmount.trim())) {
    problems.push({ field: "offer.coupon.amount", code: "INVALID_NUMBER" });
  }
  if (d.budgetKind !== "NONE" && !DECIMAL.test(d.budgetAmount.trim())) {
    problems.push({ field: "budget.amount", code: "INVALID_NUMBER" });
  }
  if (!isTimeZone(d.timeZone)) problems.push({ field: "timeZone", code: "INVALID_TIME_ZONE" });
  else if (d.startsAt !== null && d.endsAt !== null && d.endsAt <= d.startsAt) {
    problems.push({ field: "endsAt", code: "INVALID_SCHEDULE" });
  }
  if (!(d.controlPercent >= 1 && d.controlPercent <= 90)) {
    problems.push({ field: "controlShare", code: "INVALID_NUMBER" });
  }
  return problems;
}

/** The create input (also the update input's fields, with the id added). */
export function campaignInput(d: CampaignDraft): CreateCampaignInput {
  const zone = d.timeZone;
  return {
    name: d.name.trim(),
    audience: audienceInput(d),
    offer: {
      pointsMultiplier: d.pointsMultiplier.trim(),
      bonusPoints: d.bonusPoints,
      rewardId: d.rewardId,
      coupon:
        d.couponCode.trim() === ""
          ? null
          : { code: d.couponCode.trim(), amount: d.couponAmount.trim() },
    },
    startsAt: d.startsAt === null ? null : pickerToInstant(d.startsAt, zone),
    endsAt: d.endsAt === null ? null : pickerToInstant(d.endsAt, zone),
    timeZone: zone,
    budget:
      d.budgetKind === "NONE"
        ? null
        : { kind: d.budgetKind, amount: d.budgetAmount.trim(), onExhausted: d.onExhausted },
    controlShare: Math.round(d.controlPercent * 10) / 1000,
  };
}

/** What a launched campaign may still change (the API refuses the rest). */
export function launchedInput(d: CampaignDraft) {
  const all = campaignInput(d);
  return { name: all.name, endsAt: all.endsAt, timeZone: all.timeZone, budget: all.budget };
}
