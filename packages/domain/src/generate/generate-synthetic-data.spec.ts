import { describe, expect, it } from "vitest";
import { validateCustomerRecord, validateOrderRecord } from "../import";
import { parseMoney } from "../money";
import { customerCsvLine, orderCsvLine } from "./csv-lines";
import { generateSyntheticData, type GenerateOptions } from "./generate-synthetic-data";

function text(options: GenerateOptions): string {
  let out = "";
  for (const { customer, orders } of generateSyntheticData(options)) {
    out += customerCsvLine(customer);
    for (const order of orders) out += orderCsvLine(order);
  }
  return out;
}

describe("generateSyntheticData", () => {
  const histories = [...generateSyntheticData({ customers: 3000, seed: 11 })];
  const orders = histories.flatMap((h) => h.orders);

  it("gives identical output for the same seed and different output for another", () => {
    expect(text({ customers: 200, seed: 5 })).toBe(text({ customers: 200, seed: 5 }));
    expect(text({ customers: 200, seed: 5 })).not.toBe(text({ customers: 200, seed: 6 }));
  });

  it("starts a larger run with the customers of a smaller one", () => {
    const small = text({ customers: 50, seed: 3 });
    expect(text({ customers: 80, seed: 3 }).startsWith(small)).toBe(true);
  });

  it("writes records that the import accepts", () => {
    const now = new Date("2025-01-01T00:00:00Z");
    for (const { customer, orders: own } of histories.slice(0, 500)) {
      expect(validateCustomerRecord(customer, { now, currency: "USD" })).toMatchObject({
        ok: true,
      });
      for (const order of own)
        expect(validateOrderRecord(order, { now })).toMatchObject({ ok: true });
    }
  });

  it("gives unique ids and emails", () => {
    expect(new Set(histories.map((h) => h.customer.external_id)).size).toBe(histories.length);
    expect(new Set(histories.map((h) => h.customer.email)).size).toBe(histories.length);
    expect(new Set(orders.map((o) => o.external_id)).size).toBe(orders.length);
  });

  it("starts each customer with a first purchase and keeps orders in the period and in order", () => {
    const end = Date.parse("2025-01-01T00:00:00Z");
    for (const { customer, orders: own } of histories) {
      expect(own[0]!.placed_at).toBe(customer.created_at);
      for (let k = 1; k < own.length; k++) {
        expect(Date.parse(own[k]!.placed_at)).toBeGreaterThan(Date.parse(own[k - 1]!.placed_at));
      }
      expect(Date.parse(own[own.length - 1]!.placed_at)).toBeLessThan(end);
    }
    const firstMonths = new Set(histories.map((h) => h.customer.created_at.slice(0, 7)));
    expect(firstMonths.size).toBe(24);
  });

  it("averages about ten orders per customer with the defaults", () => {
    const mean = orders.length / histories.length;
    expect(mean).toBeGreaterThan(8.5);
    expect(mean).toBeLessThan(11.5);
    const repeaters = histories.filter((h) => h.orders.length > 1).length / histories.length;
    expect(repeaters).toBeGreaterThan(0.85);
  });

  it("draws order values, refunds and empty margins at the documented rates", () => {
    const cents = orders.map((o) => {
      const parsed = parseMoney(o.amount, "USD");
      if (!parsed.ok) throw new Error(o.amount);
      return parsed.minor;
    });
    const meanValue = cents.reduce((s, c) => s + c, 0) / cents.length / 100;
    expect(meanValue).toBeGreaterThan(45);
    expect(meanValue).toBeLessThan(75);
    const refunded = orders.filter((o) => o.status === "refunded").length / orders.length;
    expect(refunded).toBeGreaterThan(0.02);
    expect(refunded).toBeLessThan(0.04);
    const emptyMargin = orders.filter((o) => o.margin === "").length / orders.length;
    expect(emptyMargin).toBeGreaterThan(0.08);
    expect(emptyMargin).toBeLessThan(0.12);
  });

  it("spreads customers over the channels, with free organic ones", () => {
    const organic = histories.filter((h) => h.customer.acquisition_channel === "organic");
    expect(organic.length / histories.length).toBeGreaterThan(0.25);
    expect(organic.every((h) => h.customer.acquisition_cost === "0.00")).toBe(true);
    const paid = histories.filter((h) => h.customer.acquisition_channel === "paid_search");
    expect(paid.every((h) => h.customer.acquisition_cost !== "0.00")).toBe(true);
    expect(new Set(histories.map((h) => h.customer.acquisition_channel)).size).toBe(6);
  });

  it("uses the requested period and currency", () => {
    const [history] = [
      ...generateSyntheticData({
        customers: 1,
        seed: 2,
        start: new Date("2020-05-01T00:00:00Z"),
        end: new Date("2020-06-01T00:00:00Z"),
        currency: "JPY",
      }),
    ];
    expect(history!.customer.created_at.slice(0, 7)).toBe("2020-05");
    expect(history!.orders.every((o) => o.currency === "JPY" && /^\d+$/.test(o.amount))).toBe(true);
  });

  it("refuses a bad customer count or an empty period", () => {
    expect(() => [...generateSyntheticData({ customers: -1 })]).toThrow(/customers/);
    expect(() => [...generateSyntheticData({ customers: 1.5 })]).toThrow(/customers/);
    const day = new Date("2024-01-01T00:00:00Z");
    expect(() => [...generateSyntheticData({ customers: 1, start: day, end: day })]).toThrow(
      /period/,
    );
  });
});
