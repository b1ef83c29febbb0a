import { describe, expect, it } from "vitest";
import type { Audience, Condition } from "./audience-spec";
import { EVERYONE } from "./audience-spec";
import {
  evaluateCondition,
  evaluateSegment,
  type SegmentCustomer,
  type SegmentTruth,
} from "./segment-evaluate";
import { parseSegment } from "./segment-parse";

const TODAY = "2024-06-15";

function parse(text: string): Audience {
  const result = parseSegment(text);
  if (!result.ok) throw new Error(`${JSON.stringify(text)}: ${result.error.message}`);
  return result.audience;
}

function truth(text: string, customer: SegmentCustomer, today = TODAY): SegmentTruth {
  return evaluateCondition(parse(text).condition!, customer, { today });
}

function keeps(text: string, customer: SegmentCustomer, today: string | Date = TODAY): boolean {
  return evaluateSegment(parse(text), customer, { today });
}

describe("evaluateSegment", () => {
  it("keeps the customers of the issue's example", () => {
    const segment = "tier IN ('high', 'mid_high') AND p_alive < 0.3 AND last_order_date < -90d";
    const lapsing = { tier: "high", p_alive: 0.2, last_order_date: "2024-03-01" } as const;
    expect(keeps(segment, lapsing)).toBe(true);
    expect(keeps(segment, { ...lapsing, tier: "low" })).toBe(false);
    expect(keeps(segment, { ...lapsing, p_alive: 0.3 })).toBe(false);
    // -90d from 2024-06-15 is 2024-03-17: an order that day is not before it.
    expect(keeps(segment, { ...lapsing, last_order_date: "2024-03-17" })).toBe(false);
    expect(keeps(segment, { ...lapsing, last_order_date: "2024-03-16" })).toBe(true);
    expect(keeps(segment, { ...lapsing, last_order_date: null })).toBe(false);
  });

  it("includes everyone in EVERYONE", () => {
    expect(evaluateSegment(EVERYONE, {}, { today: TODAY })).toBe(true);
  });

  it("makes a test on an empty field unknown, and IS NULL true", () => {
    expect(truth("nps > 8", {})).toBe("unknown");
    expect(truth("nps > 8", { nps: null })).toBe("unknown");
    expect(truth("nps IS NULL", {})).toBe(true);
    expect(truth("nps IS NULL", { nps: 0 })).toBe(false);
    expect(truth("nps IS NOT NULL", {})).toBe(false);
    // Empty text and no tags are empty too.
    expect(truth("name IS NULL", { name: "" })).toBe(true);
    expect(truth("name = ''", { name: "" })).toBe("unknown");
    expect(truth("tags IS NULL", { tags: [] })).toBe(true);
    expect(truth("tags IS NULL", { tags: " ; " })).toBe(true);
    expect(truth("tags CONTAINS 'vip'", { tags: [] })).toBe("unknown");
  });

  it("keeps customers with an empty field under a NOT (NULL-safe negation)", () => {
    expect(keeps("tier = 'high'", {})).toBe(false);
    expect(keeps("NOT tier = 'high'", {})).toBe(true);
    expect(keeps("NOT tier = 'high'", { tier: "high" })).toBe(false);
    expect(keeps("NOT tier = 'high'", { tier: "low" })).toBe(true);
    expect(keeps("tier NOT IN ('high', 'mid')", {})).toBe(true);
    expect(keeps("tags NOT CONTAINS 'vip'", { tags: [] })).toBe(true);
    // != is a comparison, not a negation: it is unknown on an empty field.
    expect(keeps("tier != 'high'", {})).toBe(false);
    // NOT NOT is not the identity when the field is empty.
    expect(truth("NOT NOT tier = 'high'", {})).toBe(false);
  });

  it("follows Kleene's AND and OR, with NOT mapping unknown to true", () => {
    const T = "nps = 5";
    const F = "nps = 6";
    const U = "clv > 0";
    const customer = { nps: 5 };
    const table: [string, SegmentTruth][] = [
      [`${T} AND ${T}`, true],
      [`${T} AND ${F}`, false],
      [`${T} AND ${U}`, "unknown"],
      [`${F} AND ${U}`, false],
      [`${U} AND ${U}`, "unknown"],
      [`${T} OR ${U}`, true],
      [`${F} OR ${F}`, false],
      [`${F} OR ${U}`, "unknown"],
      [`${U} OR ${U}`, "unknown"],
      [`NOT ${T}`, false],
      [`NOT ${F}`, true],
      [`NOT ${U}`, true],
      [`NOT (${F} OR ${U})`, true],
      [`NOT (${T} AND ${U})`, true],
      [`NOT (${T} OR ${U})`, false],
    ];
    for (const [text, expected] of table)
      expect([text, truth(text, customer)]).toEqual([text, expected]);
  });

  it("compares amounts exactly as decimal text", () => {
    expect(keeps("clv > 100", { clv: "100.00" })).toBe(false);
    expect(keeps("clv >= 100", { clv: "100.00" })).toBe(true);
    expect(keeps("clv = 0.3", { clv: "0.30" })).toBe(true);
    expect(keeps("clv > 99999999999999999.98", { clv: "99999999999999999.99" })).toBe(true);
    expect(keeps("total_spent BETWEEN -5 AND 12.34", { total_spent: "-5" })).toBe(true);
    expect(keeps("total_spent BETWEEN -5 AND 12.34", { total_spent: "12.35" })).toBe(false);
    expect(keeps("acquisition_cost IN (1, 2.5)", { acquisition_cost: "2.50" })).toBe(true);
    expect(() => keeps("clv > 1", { clv: "1,5" })).toThrow(/clv must be an amount/);
  });

  it("compares numbers and whole numbers given as numbers or decimal text", () => {
    expect(keeps("p_alive < 0.3", { p_alive: 0.29999 })).toBe(true);
    expect(keeps("p_alive < 0.3", { p_alive: "0.3000" })).toBe(false);
    expect(keeps("order_count != 2", { order_count: 3 })).toBe(true);
    expect(keeps("order_count = 9007199254740993", { order_count: "9007199254740993" })).toBe(true);
    expect(keeps("nps <= 6", { nps: 6 })).toBe(true);
    expect(() => keeps("nps <= 6", { nps: Number.NaN })).toThrow(/nps must be a finite number/);
  });

  it("compares dates by UTC day, with relative dates from today", () => {
    expect(keeps("created_at = 2024-06-15", { created_at: new Date("2024-06-15T23:59:59Z") })).toBe(
      true,
    );
    expect(keeps("created_at = today", { created_at: new Date("2024-06-15T20:00:00-05:00") })).toBe(
      false,
    );
    expect(keeps("first_order_date >= -6m", { first_order_date: "2023-12-15" })).toBe(true);
    expect(keeps("first_order_date >= -6m", { first_order_date: "2023-12-14" })).toBe(false);
    expect(
      keeps(
        "last_order_date BETWEEN -1m AND today",
        { last_order_date: "2024-02-29" },
        "2024-03-31",
      ),
    ).toBe(true);
    expect(
      keeps(
        "last_order_date BETWEEN -1m AND today",
        { last_order_date: "2024-02-28" },
        "2024-03-31",
      ),
    ).toBe(false);
    expect(
      keeps("created_at < +1w", { created_at: "2024-06-21" }, new Date("2024-06-15T12:00Z")),
    ).toBe(true);
    expect(keeps("created_at IN (2024-01-01, today)", { created_at: "2024-06-15" })).toBe(true);
    expect(() => keeps("created_at > today", { created_at: "15/06/2024" })).toThrow(RangeError);
  });

  it("compares text ignoring case, except external ids", () => {
    expect(keeps("name = 'ada lovelace'", { name: "Ada Lovelace" })).toBe(true);
    expect(keeps("acquisition_channel IN ('WEB')", { acquisition_channel: "web" })).toBe(true);
    expect(keeps("email = 'A@X.COM'", { email: "a@x.com" })).toBe(true);
    expect(keeps("external_id = 'c1'", { external_id: "C1" })).toBe(false);
    expect(keeps("external_id = 'C1'", { external_id: "C1" })).toBe(true);
    expect(keeps("name CONTAINS 'LOVE'", { name: "Ada Lovelace" })).toBe(true);
    expect(keeps("name CONTAINS '%'", { name: "Ada Lovelace" })).toBe(false);
  });

  it("compares keys exactly", () => {
    expect(keeps("churn_risk = 'high'", { churn_risk: "high" })).toBe(true);
    expect(keeps("tier = 'high'", { tier: "HIGH" })).toBe(false);
    expect(keeps("lifecycle_stage IN ('new', 'growing')", { lifecycle_stage: "growing" })).toBe(
      true,
    );
  });

  it("matches whole tags, normalised as stored", () => {
    expect(keeps("tags CONTAINS 'VIP'", { tags: ["vip", "b2b"] })).toBe(true);
    expect(keeps("tags CONTAINS 'gift  buyer '", { tags: "vip;gift buyer" })).toBe(true);
    expect(keeps("tags CONTAINS 'vi'", { tags: ["vip"] })).toBe(false);
  });

  it("tests points and campaign membership, empty without an account or a campaign", () => {
    const member = { points_balance: 320, points_expiring: 0, campaign: ["spring-sale"] };
    expect(keeps("points_balance >= 300 AND points_expiring = 0", member)).toBe(true);
    expect(keeps("points_expiring > 0", member)).toBe(false);
    expect(keeps("campaign CONTAINS 'spring-sale'", member)).toBe(true);
    expect(keeps("campaign CONTAINS 'spring'", member)).toBe(false);
    expect(keeps("NOT campaign CONTAINS 'winback'", member)).toBe(true);
    const stranger: SegmentCustomer = { points_balance: null, campaign: [] };
    expect(truth("points_balance < 100", stranger)).toBe("unknown");
    expect(keeps("NOT points_balance >= 100", stranger)).toBe(true);
    expect(keeps("points_balance IS NULL AND campaign IS NULL", stranger)).toBe(true);
    expect(keeps("campaign CONTAINS 'spring-sale'", stranger)).toBe(false);
  });

  it("evaluates saved segments it is given, and refuses missing or looping ones", () => {
    const segments = new Map<number, Audience>([
      [1, parse("tier = 'high'")],
      [2, { condition: { type: "segment", segmentId: 2 } }],
    ]);
    const refer = (segmentId: number): Audience => ({ condition: { type: "segment", segmentId } });
    expect(evaluateSegment(refer(1), { tier: "high" }, { today: TODAY, segments })).toBe(true);
    expect(evaluateSegment(refer(1), { tier: "low" }, { today: TODAY, segments })).toBe(false);
    expect(() => evaluateSegment(refer(3), {}, { today: TODAY, segments })).toThrow(
      /does not exist/,
    );
    expect(() => evaluateSegment(refer(2), {}, { today: TODAY, segments })).toThrow(
      /more than 10 deep/,
    );
  });

  it("refuses conditions the parser would not produce", () => {
    const bad: Condition = {
      type: "compare",
      field: "name",
      op: "<",
      value: { type: "string", value: "b" },
    };
    expect(() => evaluateSegment({ condition: bad }, { name: "a" }, { today: TODAY })).toThrow(
      /only = and != compare it/,
    );
  });

  it("does not change the customer or the audience", () => {
    const audience = parse("tags CONTAINS 'vip' AND created_at < -1y");
    const customer = { tags: ["VIP"], created_at: new Date("2020-01-01T00:00:00Z") };
    const copies = {
      audience: JSON.parse(JSON.stringify(audience)) as Audience,
      customer: { tags: [...customer.tags], created_at: new Date(customer.created_at) },
    };
    keeps("tags CONTAINS 'vip' AND created_at < -1y", customer);
    evaluateSegment(audience, customer, { today: TODAY });
    expect({ audience, customer }).toEqual(copies);
  });
});
