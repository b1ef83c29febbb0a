import { describe, expect, it } from "vitest";
import { currencyExponent, isKnownCurrency, UnknownCurrencyError } from "./currency";

describe("currencyExponent", () => {
  it("follows ISO 4217 minor units", () => {
    expect(currencyExponent("USD")).toBe(2);
    expect(currencyExponent("EUR")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("KRW")).toBe(0);
    expect(currencyExponent("BHD")).toBe(3);
  });

  it("throws a coded error for unknown codes", () => {
    expect(() => currencyExponent("ABC")).toThrow(UnknownCurrencyError);
    expect(isKnownCurrency("ABC")).toBe(false);
    expect(isKnownCurrency("usd")).toBe(false);
    expect(isKnownCurrency("GBP")).toBe(true);
  });
});
