import { describe, expect, it } from "vitest";
import { exportUrl } from "./exportCsv";

describe("exportUrl", () => {
  it("leaves out empty parameters and joins lists with commas", () => {
    expect(exportUrl({})).toBe("/export/customers.csv");
    expect(exportUrl({ query: "  ", tierKeys: [], segmentId: null })).toBe("/export/customers.csv");
    expect(exportUrl({ query: "tier = 'high'", tierKeys: ["high", "low"], segmentId: "7" })).toBe(
      "/export/customers.csv?query=tier+%3D+%27high%27&segmentId=7&tierKeys=high%2Clow",
    );
  });

  it("carries the customer list's filters", () => {
    expect(
      exportUrl({
        search: " ada ",
        channels: ["email", "paid"],
        createdFrom: "2025-01-01T00:00:00.000Z",
        clvMin: "100",
        pAliveMin: 0.5,
        pAliveMax: null,
        churnRisks: ["high"],
      }),
    ).toBe(
      "/export/customers.csv?search=ada&createdFrom=2025-01-01T00%3A00%3A00.000Z&clvMin=100&pAliveMin=0.5&channels=email%2Cpaid&churnRisks=high",
    );
  });
});
