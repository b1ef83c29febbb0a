import path from "node:path";
import { readFileSync, rmSync } from "node:fs";
import { summarizeTransactions, type Transaction } from "@valuetier/domain";
import { afterAll, describe, expect, it } from "vitest";
import { CDNOW_DIR, cdnowTransactionsCsv, run, tempDir } from "./__tests__/clv-test-helpers";
import type { FitReport } from "./fit-report";

const summaryCsv = path.join(CDNOW_DIR, "cdnow_customers_summary.csv");
const withSpendCsv = path.join(CDNOW_DIR, "cdnow_customers_summary_with_transactions.csv");

describe("valuetier clv fit", () => {
  it("reproduces the published BG/NBD estimates on the CDNOW summary (FHL 2005)", async () => {
    const { code, stdout, stderr } = await run(
      "clv",
      "fit",
      "--input",
      summaryCsv,
      "--format",
      "summary",
      "--json",
    );
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as FitReport;
    expect(report.customers).toBe(2357);
    expect(report.repeatCustomers).toBe(946);
    expect(report.timeUnit).toBe("week");
    expect(report.bgnbd.r.toFixed(3)).toBe("0.243");
    expect(report.bgnbd.alpha.toFixed(3)).toBe("4.414");
    expect(report.bgnbd.a.toFixed(3)).toBe("0.793");
    expect(report.bgnbd.b.toFixed(3)).toBe("2.426");
    expect(report.bgnbd.logLikelihood.toFixed(1)).toBe("-9582.4");
    const se = report.bgnbd.standardErrors!;
    expect([se.r!.toFixed(3), se.alpha!.toFixed(2), se.a!.toFixed(2), se.b!.toFixed(2)]).toEqual([
      "0.013",
      "0.38",
      "0.19",
      "0.71",
    ]);
    expect(report.gammaGamma).toBeNull();
  });

  it("fits Gamma-Gamma on the file with spend (ID,x,t_x,T,zbar; CRLF)", async () => {
    const { code, stdout, stderr } = await run("clv", "fit", "--input", withSpendCsv, "--json");
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as FitReport;
    expect(report.bgnbd.r.toFixed(3)).toBe("0.243");
    expect(report.gammaGamma!.p.toFixed(2)).toBe("6.25");
    expect(report.gammaGamma!.q.toFixed(2)).toBe("3.74");
    // Fader & Hardie publish 15.44 from unrounded spend; on this file's 2-decimal zbar the
    // maximum-likelihood value is 15.448 (lifetimes prints 15.45): within 0.01 either way.
    expect(Math.abs(report.gammaGamma!.v - 15.44)).toBeLessThan(0.01);
  });

  it("prints a readable summary without --json", async () => {
    const { code, stdout } = await run("clv", "fit", "--input", withSpendCsv);
    expect(code).toBe(0);
    expect(stdout).toMatch(/BG\/NBD: r = 0\.2426/);
    expect(stdout).toMatch(/Gamma-Gamma: p = 6\.24/);
  });

  describe("from CDNOW transactions", () => {
    const dir = tempDir();
    const csv = cdnowTransactionsCsv(dir);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("summarises the raw purchases exactly like the published summary", () => {
      const rows = readFileSync(csv, "utf8").trim().split("\n").slice(1);
      const transactions: Transaction[] = rows.map((line) => {
        const [customerId, date, amount] = line.split(",");
        return {
          customerId: customerId!,
          date: new Date(`${date}T00:00:00Z`),
          amount: Number(amount),
        };
      });
      const summaries = summarizeTransactions(transactions, {
        calibrationEnd: new Date("1997-09-30T00:00:00Z"),
        timeUnit: "week",
      });
      const published = readFileSync(summaryCsv, "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",").map(Number));
      expect(summaries).toHaveLength(2357);
      expect(summaries.reduce((sum, s) => sum + s.frequency, 0)).toBe(2457);
      const byId = new Map(summaries.map((s) => [Number(s.customerId), s]));
      for (const [id, x, tx, T] of published) {
        const s = byId.get(id!)!;
        expect(s.frequency).toBe(x);
        expect(Math.abs(s.recency - tx!)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(Math.abs(s.T - T!)).toBeLessThanOrEqual(0.005 + 1e-9);
      }
    });

    it("gives the same estimates as the summary (within 0.01)", async () => {
      const { code, stdout, stderr } = await run(
        "clv",
        "fit",
        "--input",
        csv,
        "--format",
        "transactions",
        "--calibration-end",
        "1997-09-30",
        "--time-unit",
        "week",
        "--json",
      );
      expect(code, stderr).toBe(0);
      const report = JSON.parse(stdout) as FitReport;
      expect(report.customers).toBe(2357);
      expect(report.repeatCustomers).toBe(946);
      const expected = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
      for (const name of ["r", "alpha", "a", "b"] as const)
        expect(Math.abs(report.bgnbd[name] - expected[name])).toBeLessThan(0.01);
      expect(Math.abs(report.gammaGamma!.p - 6.25)).toBeLessThan(0.01);
      expect(Math.abs(report.gammaGamma!.q - 3.74)).toBeLessThan(0.01);
      expect(Math.abs(report.gammaGamma!.v - 15.44)).toBeLessThan(0.01);
    });

    it("expresses T in days with --time-unit day (the same model, α scaled by 7)", async () => {
      const { code, stdout } = await run(
        "clv",
        "fit",
        "--input",
        csv,
        "--calibration-end",
        "1997-09-30",
        "--time-unit",
        "day",
        "--json",
      );
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as FitReport;
      expect(report.timeUnit).toBe("day");
      expect(report.bgnbd.alpha / 7).toBeCloseTo(4.4136, 2);
      expect(report.bgnbd.r).toBeCloseTo(0.2426, 3);
    });
  });
});
