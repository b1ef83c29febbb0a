import { describe, expect, it } from "vitest";
import { lotLines, signedPoints } from "./ledgerText";

const count = (n: number) => new Intl.NumberFormat("en").format(n);

describe("signedPoints", () => {
  it("signs credits and debits", () => {
    expect(signedPoints(1200, count)).toBe("+1,200");
    expect(signedPoints(-40, count)).toBe("−40");
    expect(signedPoints(0, count)).toBe("0");
  });
});

describe("lotLines", () => {
  it("names each lot with its source and change, and the debt lot by its label", () => {
    expect(
      lotLines(
        [
          { lot: 3, lotKind: "earn", lotSource: "order:17", points: -40 },
          { lot: 0, lotKind: "debt", lotSource: "refund:2", points: 5 },
        ],
        { lot: (n) => `lot ${n}`, debt: "debt" },
        count,
      ),
    ).toEqual(["lot 3 (order:17) −40", "debt (refund:2) +5"]);
  });

  it("has no line for an entry without lots", () => {
    expect(lotLines([], { lot: String, debt: "debt" }, count)).toEqual([]);
  });
});
