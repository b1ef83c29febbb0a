import { describe, expect, it } from "vitest";
import { createRng } from "../random/prng";
import type { Audience, Condition } from "./audience-spec";
import { EVERYONE } from "./audience-spec";
import { parseSegment } from "./segment-parse";
import { printSegment, SegmentPrintError } from "./segment-print";
import { randomSegmentCondition } from "./segment-random";

function parse(text: string): Audience {
  const result = parseSegment(text);
  if (!result.ok) throw new Error(`${JSON.stringify(text)}: ${result.error.message}`);
  return result.audience;
}

const canonical = (text: string) => printSegment(parse(text));

describe("printSegment", () => {
  it("writes keywords in upper case, fields in lower case, one space around operators", () => {
    expect(canonical("tier in('high','mid_high')and P_ALIVE<0.3 and last_order_date<-90D")).toBe(
      "tier IN ('high', 'mid_high') AND p_alive < 0.3 AND last_order_date < -90d",
    );
    expect(canonical("created_at between -1y and TODAY")).toBe("created_at BETWEEN -1y AND today");
    expect(canonical("created_at >= +0d OR created_at = 2024-02-29")).toBe(
      "created_at >= +0d OR created_at = 2024-02-29",
    );
  });

  it("writes the example of docs/segment-language.md as the docs say", () => {
    expect(canonical("not (tier in('high','mid_high')) and (P_ALIVE<0.3 and ((nps>=+9)))")).toBe(
      "tier NOT IN ('high', 'mid_high') AND p_alive < 0.3 AND nps >= 9",
    );
  });

  it("writes the loyalty and campaign fields in lower case, keeping the key as written", () => {
    expect(canonical("Points_Balance>=+500 and not CAMPAIGN contains 'Spring-Sale'")).toBe(
      "points_balance >= 500 AND campaign NOT CONTAINS 'Spring-Sale'",
    );
    expect(canonical("points_expiring between 1 and 100 or campaign is null")).toBe(
      "points_expiring BETWEEN 1 AND 100 OR campaign IS NULL",
    );
  });

  it("doubles quotes inside strings", () => {
    expect(canonical("name = 'O''Brien'")).toBe("name = 'O''Brien'");
    expect(canonical("name IN ('''', 'a''''b')")).toBe("name IN ('''', 'a''''b')");
  });

  it("writes NOT IN, NOT CONTAINS and IS NOT NULL inside the test", () => {
    expect(canonical("NOT tier IN ('high')")).toBe("tier NOT IN ('high')");
    expect(canonical("NOT tags CONTAINS 'vip'")).toBe("tags NOT CONTAINS 'vip'");
    expect(canonical("NOT (nps IS NULL)")).toBe("nps IS NOT NULL");
    expect(canonical("NOT nps IS NOT NULL")).toBe("NOT nps IS NOT NULL");
  });

  it("keeps only the parentheses precedence needs", () => {
    expect(canonical("((nps = 1))")).toBe("nps = 1");
    expect(canonical("(nps = 1 AND nps = 2) OR nps = 3")).toBe("nps = 1 AND nps = 2 OR nps = 3");
    expect(canonical("(nps = 1 OR nps = 2) AND nps = 3")).toBe("(nps = 1 OR nps = 2) AND nps = 3");
    expect(canonical("NOT (nps = 1)")).toBe("NOT nps = 1");
    expect(canonical("NOT (nps = 1 AND nps = 2)")).toBe("NOT (nps = 1 AND nps = 2)");
    expect(canonical("NOT (NOT nps = 1)")).toBe("NOT NOT nps = 1");
    expect(canonical("(NOT nps = 1) AND nps = 2")).toBe("NOT nps = 1 AND nps = 2");
  });

  it("prints conditions built in code: single-part ANDs, nested ANDs", () => {
    const a: Condition = { type: "isNull", field: "nps" };
    const b: Condition = { type: "isNull", field: "email" };
    const c: Condition = { type: "isNull", field: "name" };
    expect(printSegment({ condition: { type: "and", conditions: [a] } })).toBe("nps IS NULL");
    expect(
      printSegment({
        condition: { type: "and", conditions: [{ type: "or", conditions: [a, b] }] },
      }),
    ).toBe("nps IS NULL OR email IS NULL");
    expect(
      printSegment({
        condition: {
          type: "and",
          conditions: [
            { type: "and", conditions: [a, b] },
            { type: "or", conditions: [b, c] },
          ],
        },
      }),
    ).toBe("nps IS NULL AND email IS NULL AND (email IS NULL OR name IS NULL)");
    expect(
      printSegment({ condition: { type: "not", condition: { type: "or", conditions: [a] } } }),
    ).toBe("nps IS NOT NULL");
  });

  it("prints EVERYONE as the empty text, and refuses what the language cannot write", () => {
    expect(printSegment(EVERYONE)).toBe("");
    expect(() => printSegment({ condition: { type: "segment", segmentId: 4 } })).toThrow(
      SegmentPrintError,
    );
    expect(() => printSegment({ condition: { type: "and", conditions: [] } })).toThrow(
      /an AND of no conditions/,
    );
  });

  it("does not change the audience it prints", () => {
    const audience = parse("NOT tier IN ('a') AND (nps = 1 OR nps = 2)");
    const copy = JSON.parse(JSON.stringify(audience)) as Audience;
    printSegment(audience);
    expect(audience).toEqual(copy);
  });
});

describe("round trip: parse(print(parse(x))) = parse(x), and print is a fixed point", () => {
  const written = [
    "tier IN ('high', 'mid_high') AND p_alive < 0.3 AND last_order_date < -90d",
    "NOT tier = 'high'",
    "not not not tier = 'high'",
    "((clv > 100.00 or historical_value >= 50) and not (churn_risk in ('high','medium')))",
    "created_at BETWEEN -1y AND +30d OR first_order_date = today",
    "tags contains 'vip' and tags not contains 'b2b' and email is not null",
    "name = 'it''s' OR name = '''' OR name = '日本😀' OR name = 'a\nb'",
    "rfm_group in ('CHAMPIONS','LOYAL') OR rfm_r >= 4 AND rfm_f >= 4 AND rfm_m >= 4",
    "lifecycle_stage != 'churned' AND order_count BETWEEN 2 AND 10 AND nps > -1",
    "external_id in ('C1', 'c1') or acquisition_channel = 'web' or acquisition_cost <= 0.5",
    "expected_purchases >= +1.50 and total_spent < 007",
    "(((nps = 1)) or (((nps = 2) and nps = 3)))",
    "NOT (NOT nps IS NULL)",
    "NOT nps NOT IN (1, 2) OR NOT email NOT CONTAINS 'x'",
    "last_order_date < -0d OR last_order_date > -12W OR last_order_date >= -6M",
  ];

  it.each(written)("%j", (text) => {
    const first = parse(text);
    const printed = printSegment(first);
    expect(parse(printed)).toEqual(first);
    expect(printSegment(parse(printed))).toBe(printed);
  });

  it("holds for 5,000 random conditions (seeded)", () => {
    const rng = createRng(20260901);
    for (let i = 0; i < 5_000; i++) {
      const audience: Audience = { condition: randomSegmentCondition(rng, { maxDepth: 5 }) };
      const printed = printSegment(audience);
      const reparsed = parseSegment(printed, { currency: "USD" });
      if (!reparsed.ok) throw new Error(`${printed}\n${reparsed.error.message}`);
      expect(reparsed.audience).toEqual(audience);
      expect(printSegment(reparsed.audience)).toBe(printed);
    }
  });
});
