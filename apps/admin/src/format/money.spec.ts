import { describe, expect, it } from "vitest";
import { formatMoney } from "./money";

describe("formatMoney", () => {
  it("formats a decimal string in the currency's style", () => {
    expect(formatMoney({ amount: "1234.5", currency: "USD" }, "en")).toBe("$1,234.50");
  });

  it("follows the locale", () => {
    expect(formatMoney({ amount: "1234.5", currency: "USD" }, "zh-TW")).toBe("US$1,234.50");
    expect(formatMoney({ amount: "1234.5", currency: "TWD" }, "zh-TW")).toBe("$1,234.50");
  });

  it("keeps every digit of amounts a double cannot hold", () => {
    // 2^53 + 1 and a cent: parseFloat would print 9,007,199,254,740,992.00.
    expect(formatMoney({ amount: "9007199254740993.01", currency: "USD" }, "en")).toBe(
      "$9,007,199,254,740,993.01",
    );
  });

  it("rounds half away from zero, not through binary floating point", () => {
    // 1.005 is 1.00499999999999989... as a double, so float formatting gives "$1.00".
    expect(formatMoney({ amount: "1.005", currency: "USD" }, "en")).toBe("$1.01");
  });

  it("handles zero and negative amounts (refunds)", () => {
    expect(formatMoney({ amount: "0", currency: "EUR" }, "en")).toBe("€0.00");
    expect(formatMoney({ amount: "-12.30", currency: "USD" }, "en")).toBe("-$12.30");
  });

  it("uses the currency's own number of decimals", () => {
    expect(formatMoney({ amount: "1500", currency: "JPY" }, "en")).toBe("¥1,500");
  });

  it("shows the raw value for input it does not understand", () => {
    expect(formatMoney({ amount: "12,50", currency: "EUR" }, "en")).toBe("12,50 EUR");
    expect(formatMoney({ amount: "", currency: "USD" }, "en")).toBe(" USD");
    expect(formatMoney({ amount: "10.00", currency: "NOT-A-CODE" }, "en")).toBe("10.00 NOT-A-CODE");
  });

  it("does not change its input", () => {
    const money = Object.freeze({ amount: "5.00", currency: "USD" });
    formatMoney(money, "en");
    expect(money).toEqual({ amount: "5.00", currency: "USD" });
  });
});
