import { describe, expect, it } from "vitest";
import { validateOrderRecord } from "./validate-order-record";

const now = new Date("2025-01-01T00:00:00Z");
const good = {
  external_id: "O1",
  customer_external_id: "C1",
  placed_at: "2024-06-01T09:15:00Z",
  amount: "19.99",
  margin: "6.00",
  currency: "usd",
  status: "Completed",
};

function codes(record: Record<string, string>) {
  const result = validateOrderRecord(record, { now });
  return result.ok ? [] : result.errors.map((e) => `${e.field}:${e.code}`);
}

describe("validateOrderRecord", () => {
  it("normalises a good record", () => {
    expect(validateOrderRecord(good, { now })).toEqual({
      ok: true,
      row: {
        externalId: "O1",
        customerExternalId: "C1",
        placedAt: new Date("2024-06-01T09:15:00Z"),
        amountMinor: 1999,
        marginMinor: 600,
        currency: "USD",
        status: "completed",
      },
    });
  });

  it("keeps an empty margin as null and allows a loss", () => {
    const empty = validateOrderRecord({ ...good, margin: " " }, { now });
    expect(empty.ok && empty.row.marginMinor).toBe(null);
    const loss = validateOrderRecord({ ...good, margin: "-2.50" }, { now });
    expect(loss.ok && loss.row.marginMinor).toBe(-250);
  });

  it("refuses an order in another currency than the store's, naming both", () => {
    const store = { now, currency: "USD" };
    expect(validateOrderRecord({ ...good, currency: "usd" }, store).ok).toBe(true);
    const yen = validateOrderRecord(
      { ...good, amount: "1500", margin: "", currency: "jpy" },
      store,
    );
    expect(yen).toEqual({
      ok: false,
      errors: [
        {
          field: "currency",
          code: "CURRENCY_MISMATCH",
          message: expect.stringMatching(/^is JPY, but the store's currency is USD: /),
        },
      ],
    });
  });

  it("parses amounts with the order's currency", () => {
    const yen = validateOrderRecord(
      { ...good, amount: "1500", margin: "", currency: "JPY" },
      { now },
    );
    expect(yen.ok && yen.row.amountMinor).toBe(1500);
    expect(codes({ ...good, amount: "15.5", margin: "", currency: "JPY" })).toEqual([
      "amount:TOO_MANY_DECIMALS",
    ]);
  });

  it.each([
    [{ amount: "-1.00" }, "amount:NEGATIVE_AMOUNT"],
    [{ amount: "ten" }, "amount:INVALID_AMOUNT"],
    [{ amount: "NaN" }, "amount:INVALID_AMOUNT"],
    [{ amount: "" }, "amount:REQUIRED"],
    [{ margin: "20.00" }, "margin:OUT_OF_RANGE"],
    [{ margin: "x" }, "margin:INVALID_AMOUNT"],
    [{ currency: "XYZ" }, "currency:UNKNOWN_CURRENCY"],
    [{ currency: "dollars" }, "currency:UNKNOWN_CURRENCY"],
    [{ status: "shipped" }, "status:UNKNOWN_STATUS"],
    [{ status: "" }, "status:REQUIRED"],
    [{ placed_at: "2024-02-30" }, "placed_at:INVALID_DATE"],
    [{ placed_at: "2026-01-01" }, "placed_at:FUTURE_DATE"],
    [{ customer_external_id: "" }, "customer_external_id:REQUIRED"],
    [{ external_id: "O\t1" }, "external_id:INVALID_FORMAT"],
  ])("refuses %j", (change, code) => {
    expect(codes({ ...good, ...change })).toEqual([code]);
  });

  it("reports a missing column like an empty value", () => {
    const { status: _status, ...withoutStatus } = good;
    expect(codes(withoutStatus)).toEqual(["status:REQUIRED"]);
  });
});
