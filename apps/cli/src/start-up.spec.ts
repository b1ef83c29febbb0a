import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "./main";

const HEAVY =
  /node_modules\/(typeorm|@apollo|express|mysql2|better-sqlite3|type-graphql|graphql)\//;
const CDNOW_SUMMARY = path.resolve(__dirname, "../../../data/cdnow/cdnow_customers_summary.csv");

/** Packages of the API's database and server that this process has loaded so far. */
function heavyModulesLoaded(): string[] {
  const cache = createRequire(__filename).cache;
  return Object.keys(cache).filter((file) => HEAVY.test(file));
}

describe("valuetier start-up", () => {
  // This file runs in a process of its own, so the module cache holds only what it loaded.
  it("shows help and fits a CLV model without loading the ORM, the drivers or the server", async () => {
    const quiet = { stdout: () => undefined, stderr: () => undefined };
    expect(await main(["node", "valuetier", "--help"], quiet)).toBe(0);
    expect(
      await main(["node", "valuetier", "clv", "fit", "--input", CDNOW_SUMMARY, "--json"], quiet),
    ).toBe(0);
    expect(heavyModulesLoaded()).toEqual([]);
    // The check itself can see them: the import command loads the application.
    await import("@valuetier/api/app");
    expect(heavyModulesLoaded().length).toBeGreaterThan(0);
  });
});
