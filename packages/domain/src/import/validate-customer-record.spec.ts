import { describe, expect, it } from "vitest";
import { CUSTOMER_COLUMNS, missingColumns } from "./columns";
import { validateCustomerRecord } from "./validate-customer-record";

const now = new Date("2025-01-01T00:00:00Z");
const options = { now, currency: "USD" };
const good = {
  external_id: "C1",
  email: "Ann@Example.com",
  name: "  Ann Lee ",
  created_at: "2024-03-05T10:00:00Z",
  acquisition_channel: "Paid_Search",
  acquisition_cost: "12.50",
  tags: "VIP;newsletter",
  nps: "9",
};

function codes(record: Record<string, string>) {
  const result = validateCustomerRecord(record, options);
  return result.ok ? [] : result.errors.map((e) => `${e.field}:${e.code}`);
}

describe("validateCustomerRecord", () => {
  it("normalises a good record", () => {
    expect(validateCustomerRecord(good, options)).toEqual({
      ok: true,
      row: {
        externalId: "C1",
        email: "ann@example.com",
        name: "Ann Lee",
        createdAt: new Date("2024-03-05T10:00:00Z"),
        acquisitionChannel: "paid_search",
        acquisitionCostMinor: 1250,
        tags: "vip;newsletter",
        nps: 9,
      },
    });
  });

  it("needs only external_id and created_at", () => {
    const result = validateCustomerRecord({ external_id: "C2", created_at: "2024-01-01" }, options);
    expect(result).toEqual({
      ok: true,
      row: {
        externalId: "C2",
        email: null,
        name: "",
        createdAt: new Date("2024-01-01T00:00:00Z"),
        acquisitionChannel: null,
        acquisitionCostMinor: null,
        tags: "",
        nps: null,
      },
    });
  });

  it("does not modify its input", () => {
    const record = { ...good };
    validateCustomerRecord(record, options);
    expect(record).toEqual(good);
  });

  it("reports every problem of a record", () => {
    expect(
      codes({
        external_id: "",
        email: "ann@",
        name: "x".repeat(256),
        created_at: "2023-02-30",
        acquisition_channel: "organic",
        acquisition_cost: "-1.00",
        tags: "ok",
        nps: "11",
      }),
    ).toEqual([
      "external_id:REQUIRED",
      "email:INVALID_EMAIL",
      "name:TOO_LONG",
      "created_at:INVALID_DATE",
      "acquisition_cost:NEGATIVE_AMOUNT",
      "nps:OUT_OF_RANGE",
    ]);
  });

  it("refuses dates beyond the future tolerance but allows clock skew", () => {
    expect(codes({ ...good, created_at: "2025-01-01T12:00:00Z" })).toEqual([]);
    expect(codes({ ...good, created_at: "2025-01-03" })).toEqual(["created_at:FUTURE_DATE"]);
    expect(
      validateCustomerRecord(
        { ...good, created_at: "2025-01-01T12:00:00Z" },
        { ...options, futureToleranceMs: 0 },
      ).ok,
    ).toBe(false);
  });

  it.each([
    [{ acquisition_cost: "abc" }, "acquisition_cost:INVALID_AMOUNT"],
    [{ acquisition_cost: "1e3" }, "acquisition_cost:INVALID_AMOUNT"],
    [{ acquisition_cost: "1.234" }, "acquisition_cost:TOO_MANY_DECIMALS"],
    [{ nps: "-1" }, "nps:OUT_OF_RANGE"],
    [{ nps: "7.5" }, "nps:OUT_OF_RANGE"],
    [{ nps: "ten" }, "nps:OUT_OF_RANGE"],
    [{ external_id: "C\u00e91" }, "external_id:INVALID_FORMAT"],
    [{ external_id: "C".repeat(192) }, "external_id:TOO_LONG"],
    [{ name: "Ann\u0000" }, "name:INVALID_FORMAT"],
    [{ acquisition_channel: "c".repeat(65) }, "acquisition_channel:TOO_LONG"],
    [{ tags: "t".repeat(65) }, "tags:TOO_LONG"],
    [{ created_at: "" }, "created_at:REQUIRED"],
  ])("refuses %j", (change, code) => {
    expect(codes({ ...good, ...change })).toEqual([code]);
  });

  it("counts length in characters, not UTF-16 units", () => {
    expect(codes({ ...good, name: "😀".repeat(255) })).toEqual([]);
    expect(codes({ ...good, name: "😀".repeat(256) })).toEqual(["name:TOO_LONG"]);
  });
});

describe("missingColumns", () => {
  it("lists required columns the header lacks, ignoring case and spaces", () => {
    expect(missingColumns([" External_ID", "email", "name"], CUSTOMER_COLUMNS)).toEqual([
      "created_at",
      "acquisition_channel",
      "acquisition_cost",
    ]);
    expect(missingColumns([...CUSTOMER_COLUMNS.required], CUSTOMER_COLUMNS)).toEqual([]);
  });
});
