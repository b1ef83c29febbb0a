import { SegmentationError, type SegmentationSettingsIssue } from "./segmentation-error";

/** The audience spec's `lifecycle_stage` keys. */
export type LifecycleStage = "prospect" | "new" | "growing" | "mature" | "declining" | "churned";
export const LIFECYCLE_STAGES: readonly LifecycleStage[] = [
  "prospect",
  "new",
  "growing",
  "mature",
  "declining",
  "churned",
];

/** The audience spec's `churn_risk` keys. */
export type ChurnRisk = "low" | "medium" | "high";
export const CHURN_RISKS: readonly ChurnRisk[] = ["low", "medium", "high"];

/** The thresholds of the lifecycle rules; DOMAIN.md's values are {@link DEFAULT_LIFECYCLE_SETTINGS}. */
export interface LifecycleSettings {
  /** A first order at most this many days ago makes a customer `new`. */
  newWithinDays: number;
  /** `churned` when P(alive) is below this. */
  churnedPAliveBelow: number;
  /** Without P(alive): `churned` after this many days without an order. */
  churnedAfterDays: number;
  /** `declining` when P(alive) is below this… */
  decliningPAliveBelow: number;
  /** …or when the days since the last order exceed this multiple of the customer's mean gap. */
  decliningGapMultiple: number;
  /** `growing` needs a first order less than this many days ago (and a rising order rate). */
  growingTenureDays: number;
  /** Churn risk `high` when P(alive) is below this. */
  highRiskPAliveBelow: number;
  /** Churn risk `medium` when P(alive) is below this (and not high). */
  mediumRiskPAliveBelow: number;
}

export const DEFAULT_LIFECYCLE_SETTINGS: Readonly<LifecycleSettings> = {
  newWithinDays: 90,
  churnedPAliveBelow: 0.1,
  churnedAfterDays: 365,
  decliningPAliveBelow: 0.5,
  decliningGapMultiple: 2,
  growingTenureDays: 365,
  highRiskPAliveBelow: 0.3,
  mediumRiskPAliveBelow: 0.7,
};

/** One customer's history, as the lifecycle rules see it. */
export interface LifecycleInput {
  /** Completed orders. */
  orderCount: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  /** P(alive) from BG/NBD, or null when no probabilistic model was fitted. */
  pAlive: number | null;
  /** The model's expected days until the next purchase, or null without a model. */
  expectedDaysToNextPurchase: number | null;
  /**
   * Completed orders in the later half of the time from the first order to `now`; null when
   * not known. More there than in the earlier half is a rising order rate.
   */
  ordersInRecentHalf?: number | null;
  now: Date;
}

export type LifecycleIssueCode = "NOT_WHOLE_DAYS" | "NOT_A_PROBABILITY" | "OUT_OF_ORDER";

/**
 * Checks lifecycle settings: day counts whole and at least 1, probabilities strictly between 0
 * and 1, the gap multiple at least 1, and thresholds in order (churned below declining, high
 * risk below medium).
 *
 * @param settings the candidate settings.
 * @returns every problem, empty when valid.
 * @example
 * validateLifecycleSettings({ ...DEFAULT_LIFECYCLE_SETTINGS, newWithinDays: 0 })[0].code; // "NOT_WHOLE_DAYS"
 */
export function validateLifecycleSettings(
  settings: LifecycleSettings,
): SegmentationSettingsIssue<LifecycleIssueCode>[] {
  const issues: SegmentationSettingsIssue<LifecycleIssueCode>[] = [];
  for (const field of ["newWithinDays", "churnedAfterDays", "growingTenureDays"] as const) {
    const v = settings[field];
    if (!Number.isSafeInteger(v) || v < 1) {
      issues.push({
        field,
        code: "NOT_WHOLE_DAYS",
        message: `${field} must be a whole number of days of at least 1 (got ${v})`,
      });
    }
  }
  const probabilities = [
    "churnedPAliveBelow",
    "decliningPAliveBelow",
    "highRiskPAliveBelow",
    "mediumRiskPAliveBelow",
  ] as const;
  for (const field of probabilities) {
    const v = settings[field];
    if (!(v > 0 && v < 1)) {
      issues.push({
        field,
        code: "NOT_A_PROBABILITY",
        message: `${field} must be a probability between 0 and 1 (got ${v})`,
      });
    }
  }
  if (!(settings.decliningGapMultiple >= 1) || !Number.isFinite(settings.decliningGapMultiple)) {
    issues.push({
      field: "decliningGapMultiple",
      code: "OUT_OF_ORDER",
      message: `decliningGapMultiple must be a number of at least 1 (got ${settings.decliningGapMultiple})`,
    });
  }
  if (issues.length > 0) return issues;
  if (settings.churnedPAliveBelow > settings.decliningPAliveBelow) {
    issues.push({
      field: "churnedPAliveBelow",
      code: "OUT_OF_ORDER",
      message: `churnedPAliveBelow (${settings.churnedPAliveBelow}) must not be above decliningPAliveBelow (${settings.decliningPAliveBelow})`,
    });
  }
  if (settings.highRiskPAliveBelow > settings.mediumRiskPAliveBelow) {
    issues.push({
      field: "highRiskPAliveBelow",
      code: "OUT_OF_ORDER",
      message: `highRiskPAliveBelow (${settings.highRiskPAliveBelow}) must not be above mediumRiskPAliveBelow (${settings.mediumRiskPAliveBelow})`,
    });
  }
  return issues;
}

const DAY_MS = 86_400_000;

/** Days between two dates, fractional, from the input checked for order. */
interface Timing {
  daysSinceFirst: number;
  daysSinceLast: number;
  /** Mean days between orders, null with one order or all orders at one moment. */
  meanGapDays: number | null;
}

function timing(input: LifecycleInput): Timing {
  const { firstOrderAt, lastOrderAt, now, orderCount } = input;
  const ms = (d: Date | null, field: string): number => {
    const t = d instanceof Date ? d.getTime() : Number.NaN;
    if (!Number.isFinite(t)) {
      throw new SegmentationError(
        "INVALID_DATE",
        `${field} must be a valid date for a customer with ${orderCount} orders`,
        { field },
      );
    }
    return t;
  };
  const nowMs = ms(now, "now");
  const first = ms(firstOrderAt, "firstOrderAt");
  const last = ms(lastOrderAt, "lastOrderAt");
  if (first > last || last > nowMs) {
    throw new SegmentationError(
      "INVALID_DATE",
      `the dates must be in order firstOrderAt ≤ lastOrderAt ≤ now (got ${firstOrderAt!.toISOString()}, ${lastOrderAt!.toISOString()}, ${now.toISOString()})`,
      { field: first > last ? "firstOrderAt" : "lastOrderAt" },
    );
  }
  const span = (last - first) / DAY_MS;
  return {
    daysSinceFirst: (nowMs - first) / DAY_MS,
    daysSinceLast: (nowMs - last) / DAY_MS,
    meanGapDays: orderCount >= 2 && span > 0 ? span / (orderCount - 1) : null,
  };
}

function checkInput(input: LifecycleInput, settings: LifecycleSettings): void {
  const issues = validateLifecycleSettings(settings);
  if (issues.length > 0) {
    throw new SegmentationError(
      "INVALID_SETTINGS",
      `invalid lifecycle settings: ${issues.map((i) => i.message).join("; ")}`,
      { field: issues[0]!.field },
    );
  }
  if (!Number.isSafeInteger(input.orderCount) || input.orderCount < 0) {
    throw new SegmentationError(
      "INVALID_NUMBER",
      `orderCount must be a whole number of at least 0 (got ${input.orderCount})`,
      { field: "orderCount" },
    );
  }
  if (input.pAlive !== null && !(input.pAlive >= 0 && input.pAlive <= 1)) {
    throw new SegmentationError(
      "INVALID_NUMBER",
      `pAlive must be a probability from 0 to 1 or null (got ${input.pAlive})`,
      { field: "pAlive" },
    );
  }
  const expected = input.expectedDaysToNextPurchase;
  if (expected !== null && !(expected > 0)) {
    throw new SegmentationError(
      "INVALID_NUMBER",
      `expectedDaysToNextPurchase must be a number of days above 0 or null (got ${expected})`,
      { field: "expectedDaysToNextPurchase" },
    );
  }
  const recent = input.ordersInRecentHalf ?? null;
  if (
    recent !== null &&
    (!Number.isSafeInteger(recent) || recent < 0 || recent > input.orderCount)
  ) {
    throw new SegmentationError(
      "INVALID_NUMBER",
      `ordersInRecentHalf must be a whole number from 0 to orderCount (${input.orderCount}) or null (got ${recent})`,
      { field: "ordersInRecentHalf" },
    );
  }
}

/**
 * The lifecycle stage (DOMAIN.md "Lifecycle stage"), the first rule that holds, in this order:
 *
 * 1. `prospect`: no completed order.
 * 2. `new`: the first order at most `newWithinDays` (90) days ago.
 * 3. `churned`: P(alive) below `churnedPAliveBelow` (0.1); without P(alive), at least
 *    `churnedAfterDays` (365) days since the last order.
 * 4. `declining`: P(alive) below `decliningPAliveBelow` (0.5), or more days since the last
 *    order than `decliningGapMultiple` (2) × the customer's own mean days between orders
 *    (first to last order over orderCount − 1; needs two orders on different days).
 * 5. `growing`: the first order less than `growingTenureDays` (365) days ago and a rising order
 *    rate: more orders in the later half of the time since the first order than in the earlier
 *    half (`ordersInRecentHalf`); when that count is not given, the model expecting the next
 *    order sooner than the customer's mean gap so far.
 * 6. `mature`: everyone else.
 *
 * @param input the customer's history and model figures; `now` is passed in, never read.
 * @param settings the thresholds; DOMAIN.md's defaults when left out.
 * @returns the stage.
 * @throws {SegmentationError} `INVALID_SETTINGS`, `INVALID_NUMBER` or `INVALID_DATE` naming the
 *   field.
 * @example
 * lifecycleStage({ orderCount: 0, firstOrderAt: null, lastOrderAt: null, pAlive: null,
 *   expectedDaysToNextPurchase: null, now: new Date() }); // "prospect"
 */
export function lifecycleStage(
  input: LifecycleInput,
  settings: LifecycleSettings = DEFAULT_LIFECYCLE_SETTINGS,
): LifecycleStage {
  checkInput(input, settings);
  if (input.orderCount === 0) return "prospect";
  const t = timing(input);
  if (t.daysSinceFirst <= settings.newWithinDays) return "new";
  const { pAlive } = input;
  if (
    pAlive !== null
      ? pAlive < settings.churnedPAliveBelow
      : t.daysSinceLast >= settings.churnedAfterDays
  ) {
    return "churned";
  }
  if (pAlive !== null && pAlive < settings.decliningPAliveBelow) return "declining";
  if (t.meanGapDays !== null && t.daysSinceLast > settings.decliningGapMultiple * t.meanGapDays) {
    return "declining";
  }
  if (t.daysSinceFirst < settings.growingTenureDays) {
    const recent = input.ordersInRecentHalf ?? null;
    const rising =
      recent !== null
        ? recent > input.orderCount - recent
        : input.expectedDaysToNextPurchase !== null &&
          t.meanGapDays !== null &&
          input.expectedDaysToNextPurchase < t.meanGapDays;
    if (rising) return "growing";
  }
  return "mature";
}

/**
 * Churn risk (DOMAIN.md): with P(alive), `high` below `highRiskPAliveBelow` (0.3), `medium`
 * below `mediumRiskPAliveBelow` (0.7), else `low`. Without P(alive) it compares the days since
 * the last order with the gap the customer is expected to leave (the model's expected days to
 * the next purchase, else the customer's own mean gap): `high` beyond `decliningGapMultiple`
 * (2) gaps, `medium` beyond one gap, else `low`; with no gap either (one order, no model),
 * `high` from `churnedAfterDays` (365) days, `medium` from half of that. A prospect has no
 * churn risk (null); a churned customer's is always `high`.
 *
 * @param input the customer's history and model figures.
 * @param settings the thresholds; DOMAIN.md's defaults when left out.
 * @returns the risk, or null for a prospect.
 * @throws {SegmentationError} as {@link lifecycleStage}.
 * @example
 * churnRisk({ orderCount: 4, firstOrderAt, lastOrderAt, pAlive: 0.25,
 *   expectedDaysToNextPurchase: 40, now }); // "high"
 */
export function churnRisk(
  input: LifecycleInput,
  settings: LifecycleSettings = DEFAULT_LIFECYCLE_SETTINGS,
): ChurnRisk | null {
  const stage = lifecycleStage(input, settings);
  if (stage === "prospect") return null;
  if (stage === "churned") return "high";
  const { pAlive } = input;
  if (pAlive !== null) {
    if (pAlive < settings.highRiskPAliveBelow) return "high";
    return pAlive < settings.mediumRiskPAliveBelow ? "medium" : "low";
  }
  const t = timing(input);
  const gap = input.expectedDaysToNextPurchase ?? t.meanGapDays;
  if (gap === null) {
    if (t.daysSinceLast >= settings.churnedAfterDays) return "high";
    return t.daysSinceLast >= settings.churnedAfterDays / 2 ? "medium" : "low";
  }
  if (t.daysSinceLast > settings.decliningGapMultiple * gap) return "high";
  return t.daysSinceLast > gap ? "medium" : "low";
}

/**
 * The plain words the customer page shows beside the figures: "lapsed" for a churned customer,
 * "at risk" for a declining one or one at high churn risk, otherwise nothing.
 *
 * @param stage the lifecycle stage.
 * @param risk the churn risk (null for a prospect).
 * @returns "lapsed", "at risk" or null.
 * @example
 * customerStatusWords("mature", "high"); // "at risk"
 */
export function customerStatusWords(
  stage: LifecycleStage,
  risk: ChurnRisk | null,
): "lapsed" | "at risk" | null {
  if (stage === "churned") return "lapsed";
  if (stage === "declining" || risk === "high") return "at risk";
  return null;
}
