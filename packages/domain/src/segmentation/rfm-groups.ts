import type { RfmScores, Score } from "./rfm-scores";
import { SegmentationError, type SegmentationSettingsIssue } from "./segmentation-error";

/** The named RFM groups of DOMAIN.md, as the audience spec's `rfm_group` keys. */
export type RfmGroup =
  | "CHAMPIONS"
  | "LOYAL"
  | "ACTIVE"
  | "NEEDS_ATTENTION"
  | "NEW"
  | "PROMISING"
  | "AT_RISK"
  | "PREVIOUSLY_LOYAL"
  | "ALMOST_LOST"
  | "DORMANT"
  | "PROSPECTS";

export const RFM_GROUPS: readonly RfmGroup[] = [
  "CHAMPIONS",
  "LOYAL",
  "ACTIVE",
  "NEEDS_ATTENTION",
  "NEW",
  "PROMISING",
  "AT_RISK",
  "PREVIOUSLY_LOYAL",
  "ALMOST_LOST",
  "DORMANT",
  "PROSPECTS",
];

/**
 * One rectangle of the R × FM grid given to a group: R from `r[0]` to `r[1]` and FM from
 * `fm[0]` to `fm[1]`, both inclusive. A group may hold several rectangles; together the rules
 * must cover each of the 25 cells exactly once ({@link validateRfmGroupRules}).
 */
export interface RfmGroupRule {
  group: RfmGroup;
  r: readonly [number, number];
  fm: readonly [number, number];
}

/**
 * The default grid of DOMAIN.md ("RFM groups"), as rectangles:
 *
 * | R \ FM | 1 | 2 | 3 | 4 | 5 |
 * |---|---|---|---|---|---|
 * | 5 | NEW | PROMISING | ACTIVE | CHAMPIONS | CHAMPIONS |
 * | 4 | PROMISING | ACTIVE | ACTIVE | LOYAL | CHAMPIONS |
 * | 3 | NEEDS_ATTENTION | NEEDS_ATTENTION | NEEDS_ATTENTION | LOYAL | LOYAL |
 * | 2 | ALMOST_LOST | ALMOST_LOST | AT_RISK | AT_RISK | AT_RISK |
 * | 1 | DORMANT | DORMANT | ALMOST_LOST | PREVIOUSLY_LOYAL | PREVIOUSLY_LOYAL |
 */
export const DEFAULT_RFM_GROUP_RULES: readonly RfmGroupRule[] = [
  { group: "CHAMPIONS", r: [5, 5], fm: [4, 5] },
  { group: "CHAMPIONS", r: [4, 4], fm: [5, 5] },
  { group: "LOYAL", r: [4, 4], fm: [4, 4] },
  { group: "LOYAL", r: [3, 3], fm: [4, 5] },
  { group: "ACTIVE", r: [5, 5], fm: [3, 3] },
  { group: "ACTIVE", r: [4, 4], fm: [2, 3] },
  { group: "PROMISING", r: [5, 5], fm: [2, 2] },
  { group: "PROMISING", r: [4, 4], fm: [1, 1] },
  { group: "NEW", r: [5, 5], fm: [1, 1] },
  { group: "NEEDS_ATTENTION", r: [3, 3], fm: [1, 3] },
  { group: "AT_RISK", r: [2, 2], fm: [3, 5] },
  { group: "ALMOST_LOST", r: [2, 2], fm: [1, 2] },
  { group: "ALMOST_LOST", r: [1, 1], fm: [3, 3] },
  { group: "DORMANT", r: [1, 1], fm: [1, 2] },
  { group: "PREVIOUSLY_LOYAL", r: [1, 1], fm: [4, 5] },
];

/** Why group rules were refused. */
export type RfmRulesIssueCode =
  "GROUP_UNKNOWN" | "RANGE_INVALID" | "CELL_UNASSIGNED" | "CELL_ASSIGNED_TWICE";

/** A 5 × 5 lookup: `grid[r - 1][fm - 1]` is the group of that cell. */
export type RfmGrid = readonly (readonly RfmGroup[])[];

/**
 * FM = (F + M) / 2 rounded half up (DOMAIN.md), so F = 4, M = 5 gives 5 and F = 1, M = 2 gives 2.
 *
 * @param f frequency score 1–5.
 * @param m monetary score 1–5.
 * @returns the combined score 1–5.
 * @example
 * fmScore(3, 4); // 4
 */
export function fmScore(f: Score, m: Score): Score {
  // f + m is a whole number, so "half up" is a ceiling of the half.
  return Math.ceil((f + m) / 2) as Score;
}

function isScore(x: unknown): x is number {
  return Number.isInteger(x) && (x as number) >= 1 && (x as number) <= 5;
}

/**
 * Checks group rules: every group known (PROSPECTS is for customers without an order and holds
 * no cell), every range two whole scores 1–5 with min ≤ max, and each of the 25 cells covered
 * by exactly one rule.
 *
 * @param rules the candidate rules (from settings, so anything may be there).
 * @returns every problem, empty when the rules are valid; cell problems name R and FM.
 * @example
 * validateRfmGroupRules(DEFAULT_RFM_GROUP_RULES.slice(1))[0];
 * // { field: "rules", code: "CELL_UNASSIGNED", message: "the cell R=5, FM=4 belongs to no group" }
 */
export function validateRfmGroupRules(
  rules: readonly RfmGroupRule[],
): SegmentationSettingsIssue<RfmRulesIssueCode>[] {
  const issues: SegmentationSettingsIssue<RfmRulesIssueCode>[] = [];
  const owners: number[][][] = Array.from({ length: 5 }, () =>
    Array.from({ length: 5 }, () => [] as number[]),
  );
  rules.forEach((rule, i) => {
    let usable = true;
    if (!RFM_GROUPS.includes(rule.group) || rule.group === "PROSPECTS") {
      usable = false;
      issues.push({
        field: `rules[${i}].group`,
        code: "GROUP_UNKNOWN",
        message: `rules[${i}]: group must be one of ${RFM_GROUPS.filter((g) => g !== "PROSPECTS").join(", ")} (got ${String(rule.group)})`,
      });
    }
    for (const axis of ["r", "fm"] as const) {
      const range = rule[axis];
      if (
        !Array.isArray(range) ||
        range.length !== 2 ||
        !isScore(range[0]) ||
        !isScore(range[1]) ||
        range[0] > range[1]
      ) {
        usable = false;
        issues.push({
          field: `rules[${i}].${axis}`,
          code: "RANGE_INVALID",
          message: `rules[${i}].${axis} must be [min, max] with whole scores 1 to 5 and min ≤ max (got ${JSON.stringify(range)})`,
        });
      }
    }
    if (!usable) return;
    for (let r = rule.r[0]; r <= rule.r[1]; r++) {
      for (let fm = rule.fm[0]; fm <= rule.fm[1]; fm++) owners[r - 1]![fm - 1]!.push(i);
    }
  });
  if (issues.length > 0) return issues;
  for (let r = 5; r >= 1; r--) {
    for (let fm = 1; fm <= 5; fm++) {
      const cell = owners[r - 1]![fm - 1]!;
      if (cell.length === 0) {
        issues.push({
          field: "rules",
          code: "CELL_UNASSIGNED",
          message: `the cell R=${r}, FM=${fm} belongs to no group`,
        });
      } else if (cell.length > 1) {
        issues.push({
          field: "rules",
          code: "CELL_ASSIGNED_TWICE",
          message: `the cell R=${r}, FM=${fm} is claimed by ${cell.map((i) => `rules[${i}] (${rules[i]!.group})`).join(" and ")}`,
        });
      }
    }
  }
  return issues;
}

/**
 * Turns valid group rules into a 5 × 5 lookup.
 *
 * @param rules group rules; the defaults when left out.
 * @returns `grid[r - 1][fm - 1]`.
 * @throws {SegmentationError} `INVALID_SETTINGS` listing the problems when the rules are invalid.
 * @example
 * rfmGrid()[4][4]; // "CHAMPIONS" (R = 5, FM = 5)
 */
export function rfmGrid(rules: readonly RfmGroupRule[] = DEFAULT_RFM_GROUP_RULES): RfmGrid {
  const issues = validateRfmGroupRules(rules);
  if (issues.length > 0) {
    throw new SegmentationError(
      "INVALID_SETTINGS",
      `invalid RFM group rules: ${issues.map((i) => i.message).join("; ")}`,
      { field: issues[0]!.field },
    );
  }
  const grid: RfmGroup[][] = Array.from({ length: 5 }, () => new Array<RfmGroup>(5));
  for (const rule of rules) {
    for (let r = rule.r[0]; r <= rule.r[1]; r++) {
      for (let fm = rule.fm[0]; fm <= rule.fm[1]; fm++) grid[r - 1]![fm - 1] = rule.group;
    }
  }
  return grid;
}

const DEFAULT_GRID = rfmGrid();

/**
 * The RFM group of one customer: PROSPECTS without scores (no completed order), otherwise the
 * grid cell at R and FM.
 *
 * @param scores the customer's scores, or null for a prospect.
 * @param grid from {@link rfmGrid}; the default grid when left out.
 * @returns the group.
 * @example
 * rfmGroup({ r: 5, f: 1, m: 2 }); // "PROMISING" (FM = 2)
 * rfmGroup(null); // "PROSPECTS"
 */
export function rfmGroup(scores: RfmScores | null, grid: RfmGrid = DEFAULT_GRID): RfmGroup {
  if (scores === null) return "PROSPECTS";
  return grid[scores.r - 1]![fmScore(scores.f, scores.m) - 1]!;
}
