import { describe, expect, it } from "vitest";
import { AUDIENCE_FIELDS } from "../audience";
import {
  DEFAULT_RFM_GROUP_RULES,
  RFM_GROUPS,
  fmScore,
  rfmGrid,
  rfmGroup,
  validateRfmGroupRules,
  type RfmGroupRule,
} from "./rfm-groups";
import type { Score } from "./rfm-scores";

// DOMAIN.md's table, top row R = 5, columns FM = 1..5.
const DOMAIN_TABLE = [
  ["NEW", "PROMISING", "ACTIVE", "CHAMPIONS", "CHAMPIONS"],
  ["PROMISING", "ACTIVE", "ACTIVE", "LOYAL", "CHAMPIONS"],
  ["NEEDS_ATTENTION", "NEEDS_ATTENTION", "NEEDS_ATTENTION", "LOYAL", "LOYAL"],
  ["ALMOST_LOST", "ALMOST_LOST", "AT_RISK", "AT_RISK", "AT_RISK"],
  ["DORMANT", "DORMANT", "ALMOST_LOST", "PREVIOUSLY_LOYAL", "PREVIOUSLY_LOYAL"],
];

describe("RFM groups", () => {
  it("maps all 25 cells of the default grid as DOMAIN.md's table", () => {
    const grid = rfmGrid();
    let cells = 0;
    for (let r = 1; r <= 5; r++) {
      for (let fm = 1; fm <= 5; fm++) {
        expect(grid[r - 1]![fm - 1], `R=${r} FM=${fm}`).toBe(DOMAIN_TABLE[5 - r]![fm - 1]);
        cells++;
      }
    }
    expect(cells).toBe(25);
    expect(validateRfmGroupRules(DEFAULT_RFM_GROUP_RULES)).toEqual([]);
  });

  it("uses exactly the audience spec's rfm_group keys", () => {
    expect([...RFM_GROUPS].sort()).toEqual([...AUDIENCE_FIELDS.rfm_group.values].sort());
    const used = new Set(DEFAULT_RFM_GROUP_RULES.map((rule) => rule.group));
    expect([...used, "PROSPECTS"].sort()).toEqual([...RFM_GROUPS].sort());
  });

  it("rounds FM = (F + M) / 2 half up", () => {
    const expected: Record<string, number> = {
      "1,1": 1,
      "1,2": 2,
      "2,3": 3,
      "4,5": 5,
      "3,4": 4,
      "5,4": 5,
      "2,2": 2,
    };
    for (const [key, fm] of Object.entries(expected)) {
      const [f, m] = key.split(",").map(Number) as [Score, Score];
      expect(fmScore(f, m), key).toBe(fm);
    }
  });

  it("groups a customer by R and FM, and a customer without scores as PROSPECTS", () => {
    expect(rfmGroup({ r: 5, f: 1, m: 2 })).toBe("PROMISING");
    expect(rfmGroup({ r: 4, f: 4, m: 5 })).toBe("CHAMPIONS");
    expect(rfmGroup({ r: 1, f: 3, m: 4 })).toBe("PREVIOUSLY_LOYAL");
    expect(rfmGroup(null)).toBe("PROSPECTS");
  });

  it("follows changed rules", () => {
    const rules: RfmGroupRule[] = DEFAULT_RFM_GROUP_RULES.map((rule) =>
      rule.group === "NEW" ? { ...rule, group: "PROMISING" } : rule,
    );
    expect(rfmGroup({ r: 5, f: 1, m: 1 }, rfmGrid(rules))).toBe("PROMISING");
  });

  it("names a cell no rule covers and a cell two rules claim", () => {
    const gap = DEFAULT_RFM_GROUP_RULES.filter((rule) => rule.group !== "NEW");
    expect(validateRfmGroupRules(gap)).toEqual([
      {
        field: "rules",
        code: "CELL_UNASSIGNED",
        message: "the cell R=5, FM=1 belongs to no group",
      },
    ]);
    const overlap = [
      ...DEFAULT_RFM_GROUP_RULES,
      { group: "DORMANT", r: [1, 2], fm: [1, 1] } as const,
    ];
    const issues = validateRfmGroupRules(overlap);
    expect(issues.map((i) => i.code)).toEqual(["CELL_ASSIGNED_TWICE", "CELL_ASSIGNED_TWICE"]);
    expect(issues[0]!.message).toBe(
      "the cell R=2, FM=1 is claimed by rules[11] (ALMOST_LOST) and rules[15] (DORMANT)",
    );
    expect(() => rfmGrid(gap)).toThrow(/invalid RFM group rules: the cell R=5, FM=1/);
  });

  it("refuses unknown groups and bad ranges, naming the rule", () => {
    const rules = [
      ...DEFAULT_RFM_GROUP_RULES.slice(1),
      { group: "VIP", r: [5, 5], fm: [4, 5] },
      { group: "PROSPECTS", r: [1, 1], fm: [1, 1] },
      { group: "LOYAL", r: [3, 2], fm: [0, 6] },
    ] as unknown as RfmGroupRule[];
    expect(validateRfmGroupRules(rules).map((i) => [i.field, i.code])).toEqual([
      ["rules[14].group", "GROUP_UNKNOWN"],
      ["rules[15].group", "GROUP_UNKNOWN"],
      ["rules[16].r", "RANGE_INVALID"],
      ["rules[16].fm", "RANGE_INVALID"],
    ]);
  });
});
