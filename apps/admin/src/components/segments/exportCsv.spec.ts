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
});
