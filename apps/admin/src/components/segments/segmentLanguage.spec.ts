import { AUDIENCE_FIELDS, SEGMENT_FIELD_NAMES } from "@valuetier/domain";
import { describe, expect, it } from "vitest";
import {
  FIXED_VALUES,
  SEGMENT_FIELDS,
  applyCompletion,
  completionsAt,
  type SegmentFieldName,
} from "./segmentLanguage";

describe("the segment words mirrored from the domain", () => {
  it("has exactly the domain's field names, in its order", () => {
    expect([...SEGMENT_FIELDS]).toEqual([...SEGMENT_FIELD_NAMES]);
  });

  it("has exactly the domain's fixed values of every key field", () => {
    for (const field of SEGMENT_FIELD_NAMES) {
      const spec = AUDIENCE_FIELDS[field];
      const domain = "values" in spec ? spec.values : undefined;
      expect(FIXED_VALUES[field as SegmentFieldName], field).toEqual(
        domain === undefined ? undefined : [...domain],
      );
    }
  });
});

describe("completionsAt", () => {
  it("offers the fields and keywords that start with the word under the cursor", () => {
    const c = completionsAt("tier = 'high' AND la", 20);
    expect(c.from).toBe(18);
    expect(c.items.map((i) => i.insert)).toEqual(["last_order_date"]);
    expect(completionsAt("p_alive < 0.3 an", 16).items).toEqual([
      { insert: "AND", kind: "keyword" },
    ]);
  });

  it("offers a key field's values inside quotes and after its operator", () => {
    expect(completionsAt("churn_risk = 'h", 15).items).toEqual([
      { insert: "'high'", kind: "value" },
    ]);
    expect(completionsAt("tier = ", 7, ["gold", "silver"]).items.map((i) => i.insert)).toEqual([
      "'gold'",
      "'silver'",
    ]);
    const inList = completionsAt("rfm_group IN ('CHAMPIONS', 'AT", 30);
    expect(inList.items.map((i) => i.insert)).toEqual(["'AT_RISK'"]);
    expect(inList.from).toBe(27);
  });

  it("offers the loyalty and campaign fields, and campaign keys after CONTAINS", () => {
    expect(completionsAt("poi", 3).items.map((i) => i.insert)).toEqual([
      "points_balance",
      "points_expiring",
    ]);
    const keys = ["spring-sale", "summer", "winback"];
    expect(
      completionsAt("campaign CONTAINS 's", 20, [], 12, keys).items.map((i) => i.insert),
    ).toEqual(["'spring-sale'", "'summer'"]);
    expect(
      completionsAt("campaign not contains ", 22, [], 12, keys).items.map((i) => i.insert),
    ).toEqual(["'spring-sale'", "'summer'", "'winback'"]);
    // Free text has no values to offer: nothing, rather than field names inside the quotes.
    expect(completionsAt("name CONTAINS 'ti", 17, ["tier"]).items).toEqual([]);
  });

  it("applies a completion over the typed word", () => {
    const text = "tier = 'high' AND la";
    const c = completionsAt(text, text.length);
    expect(applyCompletion(text, c, c.items[0]!)).toEqual({
      text: "tier = 'high' AND last_order_date ",
      cursor: 34,
    });
  });
});
