import { describe, expect, it } from "vitest";
import { AUDIENCE_FIELDS } from "./audience-spec";
import {
  acceptsOperation,
  describeOperations,
  FIELDS_NOT_AVAILABLE_YET,
  fixedValues,
  SEGMENT_FIELD_NAMES,
  segmentField,
} from "./segment-fields";

describe("segment fields", () => {
  it("finds fields in any case, and nothing from Object's prototype", () => {
    expect(segmentField("Last_Order_Date")).toBe("last_order_date");
    expect(segmentField("TIER")).toBe("tier");
    for (const word of ["constructor", "toString", "__proto__", "hasOwnProperty", "points"]) {
      expect(segmentField(word)).toBeUndefined();
    }
  });

  it("names every field of the audience spec, and none of the later ones", () => {
    expect([...SEGMENT_FIELD_NAMES].sort()).toEqual(Object.keys(AUDIENCE_FIELDS).sort());
    for (const later of Object.keys(FIELDS_NOT_AVAILABLE_YET)) {
      expect(Object.keys(AUDIENCE_FIELDS)).not.toContain(later);
    }
  });

  it("has the loyalty and campaign fields now that those exist", () => {
    expect(FIELDS_NOT_AVAILABLE_YET).toEqual({});
    expect(segmentField("Points_Balance")).toBe("points_balance");
    expect(segmentField("points_expiring")).toBe("points_expiring");
    expect(segmentField("CAMPAIGN")).toBe("campaign");
    expect(acceptsOperation("points_balance", "order")).toBe(true);
    expect(acceptsOperation("points_expiring", "between")).toBe(true);
    expect(acceptsOperation("campaign", "contains")).toBe(true);
    expect(acceptsOperation("campaign", "=")).toBe(false);
    expect(describeOperations("campaign")).toBe(
      "campaign holds a set of campaign keys and takes [NOT] CONTAINS or IS [NOT] NULL",
    );
  });

  it("lets each kind take only the operations that mean something for it", () => {
    expect(acceptsOperation("clv", "order")).toBe(true);
    expect(acceptsOperation("created_at", "between")).toBe(true);
    expect(acceptsOperation("clv", "contains")).toBe(false);
    expect(acceptsOperation("name", "between")).toBe(false);
    expect(acceptsOperation("name", "contains")).toBe(true);
    expect(acceptsOperation("tier", "order")).toBe(false);
    expect(acceptsOperation("tier", "contains")).toBe(false);
    expect(acceptsOperation("tags", "=")).toBe(false);
    expect(acceptsOperation("tags", "in")).toBe(false);
    expect(acceptsOperation("tags", "contains")).toBe(true);
    for (const field of SEGMENT_FIELD_NAMES) expect(acceptsOperation(field, "isNull")).toBe(true);
  });

  it("knows the fixed values of key fields, and that tiers are data", () => {
    expect(fixedValues("churn_risk")).toEqual(["low", "medium", "high"]);
    expect(fixedValues("tier")).toBeUndefined();
    expect(describeOperations("tier")).toBe(
      "tier holds a key and takes =, !=, [NOT] IN or IS [NOT] NULL",
    );
  });
});
