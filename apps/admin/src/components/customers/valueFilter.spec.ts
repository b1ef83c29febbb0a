import { describe, expect, it } from "vitest";
import { ANY_P_ALIVE, isValidAmountBound, toValueFilter } from "./valueFilter";

describe("toValueFilter", () => {
  it("sends the CLV bounds as typed and the P(alive) range as shares", () => {
    expect(toValueFilter("100", "2500.50", [20, 80])).toEqual({
      clvMin: "100",
      clvMax: "2500.50",
      pAliveMin: 0.2,
      pAliveMax: 0.8,
    });
  });

  it("adds nothing for empty inputs and the full slider", () => {
    expect(toValueFilter("", "  ", ANY_P_ALIVE)).toEqual({});
  });

  it("leaves the open end of a one-sided range open", () => {
    expect(toValueFilter("", "", [50, 100])).toEqual({ pAliveMin: 0.5 });
    expect(toValueFilter("", "", [0, 30])).toEqual({ pAliveMax: 0.3 });
  });

  it("trims amounts and accepts a negative CLV bound", () => {
    expect(toValueFilter(" -50 ", " 0 ", ANY_P_ALIVE)).toEqual({ clvMin: "-50", clvMax: "0" });
  });

  it("does not send an amount it cannot read", () => {
    expect(toValueFilter("1,000", "abc", ANY_P_ALIVE)).toEqual({});
  });

  it("orders a reversed range", () => {
    expect(toValueFilter("", "", [90, 10])).toEqual({ pAliveMin: 0.1, pAliveMax: 0.9 });
  });
});

describe("isValidAmountBound", () => {
  it("accepts empty and plain amounts only", () => {
    expect(["", " ", "100", "99.50", "-5"].map(isValidAmountBound)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(["1,000", "1e3", "$5", "."].map(isValidAmountBound)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
