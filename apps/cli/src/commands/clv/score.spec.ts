import path from "node:path";
import { readFileSync, rmSync } from "node:fs";
import {
  bgNbdProbabilityAlive,
  fitBgNbd,
  fitGammaGamma,
  gammaGammaExpectedSpend,
  predictiveClv,
  toSummaryColumns,
} from "@valuetier/domain";
import { afterAll, describe, expect, it } from "vitest";
import { CDNOW_DIR, run, tempDir } from "./__tests__/clv-test-helpers";
import type { ScoredCustomer } from "./score";

const withSpendCsv = path.join(CDNOW_DIR, "cdnow_customers_summary_with_transactions.csv");

interface ScoreReport {
  totals: { customers: number; clv: number | null };
  customers: ScoredCustomer[];
}

describe("valuetier clv score", () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("scores every CDNOW customer with P(alive), expected purchases, spend and discounted CLV", async () => {
    const out = path.join(dir, "scores.csv");
    const { code, stdout, stderr } = await run(
      "clv",
      "score",
      "--input",
      withSpendCsv,
      "--horizon-months",
      "12",
      "--discount-rate",
      "0.01",
      "--margin",
      "0.3",
      "--json",
      "--out",
      out,
    );
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as ScoreReport;
    expect(report.totals.customers).toBe(2357);
    expect(report.customers).toHaveLength(2357);
    // Money is exact to the cent: the total is the sum of the rounded per-customer values.
    const cents = report.customers.reduce((sum, c) => sum + Math.round(c.clv! * 100), 0);
    expect(Math.round(report.totals.clv! * 100)).toBe(cents);
    for (const c of report.customers) {
      expect(c.p_alive).toBeGreaterThan(0);
      expect(c.p_alive).toBeLessThanOrEqual(1);
      expect(Number.isInteger(Math.round(c.clv! * 100))).toBe(true);
      expect(String(c.clv)).toMatch(/^-?\d+(\.\d{1,2})?$/);
    }

    // Customer 1 (x = 2, t_x = 30.43, T = 38.86, zbar = 22.35), recomputed with the domain.
    const rows = readFileSync(withSpendCsv, "utf8")
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(","));
    const columns = toSummaryColumns(
      rows.map(([id, x, tx, T, m]) => ({
        customerId: id!,
        frequency: +x!,
        recency: +tx!,
        T: +T!,
        monetary: +m!,
      })),
    );
    const bg = fitBgNbd(columns).params;
    const gg = fitGammaGamma(columns).params;
    const history = { frequency: 2, recency: 30.43, T: 38.86 };
    const spend = gammaGammaExpectedSpend(gg, 2, 22.35);
    const expected = predictiveClv(bg, spend, history, { timeUnit: "week", margin: 0.3 });
    const first = report.customers[0]!;
    expect(first.customer_id).toBe("1");
    expect(first.p_alive).toBeCloseTo(bgNbdProbabilityAlive(bg, history), 10);
    expect(first.expected_purchases).toBeCloseTo(expected.expectedPurchases, 10);
    expect(first.expected_avg_value).toBe(Math.round(spend * 100) / 100);
    expect(first.clv).toBe(expected.clv / 100);

    const csv = readFileSync(out, "utf8").trim().split("\n");
    expect(csv[0]).toBe("customer_id,p_alive,expected_purchases,expected_avg_value,clv");
    expect(csv).toHaveLength(2358);
    expect(csv[1]!.split(",")[4]).toBe((expected.clv / 100).toFixed(2));
  });

  it("reports no CLV when the input has no spend", async () => {
    const { code, stdout } = await run(
      "clv",
      "score",
      "--input",
      path.join(CDNOW_DIR, "cdnow_customers_summary.csv"),
      "--json",
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ScoreReport;
    expect(report.totals.clv).toBeNull();
    expect(report.customers[0]!.clv).toBeNull();
    expect(report.customers[0]!.expected_purchases).toBeGreaterThan(0);
  });

  it("rejects out-of-range options", async () => {
    const bad = await run("clv", "score", "--input", withSpendCsv, "--margin", "1.5");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('valuetier: --margin must be a number between 0 and 1, got "1.5"\n');
    const months = await run("clv", "score", "--input", withSpendCsv, "--horizon-months", "2.5");
    expect(months.stderr).toMatch(/--horizon-months must be a whole number/);
  });
});
