import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cdnowTransactionsCsv, run, tempDir, writeTemp } from "./clv/__tests__/clv-test-helpers";
import type { SegmentReport } from "./segment";

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Five customers; the observation end is the last order day, 2024-03-11.
 * Days since the last order: a 10, b 39, c 0, d 101, e 6. Orders: a 2, c 2, the others 1.
 * Spend in cents: a 3050, b 500, c 10100, d 300, e 4000.
 */
const transactions = writeTemp(
  dir,
  "tx.csv",
  [
    "customer_id,date,amount",
    "a,2024-01-01,10.00",
    "a,2024-03-01,20.50",
    "b,2024-02-01,5",
    "c,2024-03-10,100",
    "c,2024-03-11,1",
    "d,2023-12-01,3",
    "e,2024-03-05,40",
  ].join("\n") + "\n",
);

/** Two tight groups on a line: {0, 1, 2} and {10, 11}, with a second column that is constant. */
const features = writeTemp(
  dir,
  "features.csv",
  "customer_id,score,visits,note\np,0,5,x\nq,1,5,y\nr,2,5,z\ns,10,5,w\nt,11,5,v\n",
);

const outFile = (name: string) => path.join(dir, name);
const read = (file: string) => readFileSync(file, "utf8");

async function segment(...args: string[]): Promise<SegmentReport> {
  const { code, stdout, stderr } = await run("segment", ...args, "--json");
  expect(code, stderr).toBe(0);
  // One JSON document and nothing else on stdout; progress went to stderr.
  return JSON.parse(stdout) as SegmentReport;
}

describe("valuetier segment --method rfm", () => {
  it("scores R, F and M by quintile and counts each group", async () => {
    const out = outFile("rfm.csv");
    const report = await segment("--input", transactions, "--method", "rfm", "--out", out);
    expect(report).toEqual({
      method: "rfm",
      rfmGroups: {
        CHAMPIONS: 1,
        LOYAL: 1,
        ACTIVE: 1,
        NEEDS_ATTENTION: 0,
        NEW: 0,
        PROMISING: 0,
        AT_RISK: 0,
        PREVIOUSLY_LOYAL: 0,
        ALMOST_LOST: 1,
        DORMANT: 1,
      },
    });
    // R and M have five distinct values: 1..5 each. F has a tie of three one-order customers
    // below two two-order customers, so F is 1 or 5 and never splits the tie.
    expect(read(out)).toBe(
      [
        "customer_id,r,f,m,group",
        "a,3,5,3,LOYAL",
        "b,2,1,2,ALMOST_LOST",
        "c,5,5,5,CHAMPIONS",
        "d,1,1,1,DORMANT",
        "e,4,1,4,ACTIVE",
      ].join("\n") + "\n",
    );
  });

  it("reads a summary: recency T − t_x, orders x + 1, spend x × monetary_value", async () => {
    const summary = writeTemp(
      dir,
      "summary.csv",
      "ID,x,t_x,T,zbar\nu,0,0,30,0\nv,3,29,30,10\nw,1,5,30,50.5\n",
    );
    const out = outFile("rfm-summary.csv");
    await segment("--input", summary, "--method", "rfm", "--out", out);
    // Weeks since the last purchase: u 30, v 1, w 25. Orders: 1, 4, 2. Spend: 0, 30.00, 50.50.
    expect(read(out)).toBe(
      "customer_id,r,f,m,group\nu,1,1,1,DORMANT\nv,5,5,3,CHAMPIONS\nw,3,3,5,LOYAL\n",
    );
  });

  it("prints a table without --json", async () => {
    const { code, stdout } = await run("segment", "--input", transactions, "--method", "rfm");
    expect(code).toBe(0);
    expect(stdout).toContain("CHAMPIONS                  1\n");
  });
});

describe("valuetier segment --method kmeans", () => {
  it("clusters --features columns exactly as given", async () => {
    const out = outFile("km.csv");
    const report = await segment(
      "--input",
      features,
      "--method",
      "kmeans",
      "--k",
      "2",
      "--features",
      "score,Visits",
      "--out",
      out,
    );
    expect(report.method).toBe("kmeans");
    expect(report.k).toBe(2);
    // Within-cluster squares: (1 + 0 + 1) + (0.25 + 0.25).
    expect(report.inertia).toBe(2.5);
    const byFirst = [...report.clusters!].sort((a, b) => a.centroid[0]! - b.centroid[0]!);
    expect(byFirst.map(({ size, centroid }) => ({ size, centroid }))).toEqual([
      { size: 3, centroid: [1, 5] },
      { size: 2, centroid: [10.5, 5] },
    ]);
    const [low, high] = byFirst.map((c) => c.id);
    expect(read(out)).toBe(
      `customer_id,cluster\np,${low}\nq,${low}\nr,${low}\ns,${high}\nt,${high}\n`,
    );
    expect(Object.keys(report).sort()).toEqual(["clusters", "inertia", "k", "method"]);
  });

  it("--standardize z-scores the features first (a constant feature stays 0)", async () => {
    const report = await segment(
      "--input",
      features,
      "--method",
      "kmeans",
      "--k",
      "2",
      "--features",
      "score,visits",
      "--standardize",
    );
    // score: mean 4.8, population sd √22.16; the groups are the same, scaled.
    const sd = Math.sqrt(22.16);
    const byFirst = [...report.clusters!].sort((a, b) => a.centroid[0]! - b.centroid[0]!);
    expect(byFirst[0]!.centroid[0]).toBeCloseTo((1 - 4.8) / sd, 12);
    expect(byFirst[1]!.centroid[0]).toBeCloseTo((10.5 - 4.8) / sd, 12);
    expect(byFirst.map((c) => c.centroid[1])).toEqual([0, 0]);
    expect(report.inertia).toBeCloseTo(2.5 / 22.16, 12);
  });

  it("clusters standardised log recency, frequency and spend by default; the same seed gives the same clusters", async () => {
    const args = ["--input", transactions, "--method", "kmeans", "--k", "2", "--seed", "7"];
    const first = await run("segment", ...args, "--json", "--out", outFile("km1.csv"));
    const second = await run("segment", ...args, "--json", "--out", outFile("km2.csv"));
    expect(first.code, first.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(read(outFile("km2.csv"))).toBe(read(outFile("km1.csv")));
    const report = JSON.parse(first.stdout) as SegmentReport;
    expect(report.clusters!.map((c) => c.size).sort()).toEqual([2, 3]);
    // The recent, repeat, high-spend customers (a, c, e) against the lapsed one-order ones.
    const labels = Object.fromEntries(
      read(outFile("km1.csv"))
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(",")),
    ) as Record<string, string>;
    expect(labels.a).toBe(labels.c);
    expect(labels.e).toBe(labels.a);
    expect(labels.b).toBe(labels.d);
    expect(labels.b).not.toBe(labels.a);
    // Standardised features average 0 over all customers: the size-weighted centroids too.
    for (let j = 0; j < 3; j++) {
      const weighted = report.clusters!.reduce((sum, c) => sum + c.size * c.centroid[j]!, 0);
      expect(weighted).toBeCloseTo(0, 12);
    }
  });
});

describe("valuetier segment --method percentile", () => {
  it("puts the top 5 / 15 / 30 % in high / mid_high / mid_low, with exact mean CLVs", async () => {
    // 20 valued customers c1..c20 with CLV i + 0.10 (c20 also 0.01 more), and one without a CLV.
    const rows = Array.from({ length: 20 }, (_, k) => {
      const i = k + 1;
      return `c${i},0.5,1,10,${i}.${i === 20 ? "11" : "10"}`;
    });
    const file = writeTemp(
      dir,
      "scores.csv",
      ["customer_id,p_alive,expected_purchases,expected_avg_value,clv", ...rows, "z,0.1,0,,"].join(
        "\n",
      ) + "\n",
    );
    const out = outFile("tiers.csv");
    const report = await segment("--input", file, "--method", "percentile", "--out", out);
    expect(report).toEqual({
      method: "percentile",
      tiers: [
        { key: "high", size: 1, meanClv: "20.11" },
        // (17.10 + 18.10 + 19.10) / 3
        { key: "mid_high", size: 3, meanClv: "18.10" },
        // (11.10 + … + 16.10) / 6
        { key: "mid_low", size: 6, meanClv: "13.60" },
        // c1..c10 and z; z has no CLV and is not in the mean: (1.10 + … + 10.10) / 10 = 5.60
        { key: "low", size: 11, meanClv: "5.60" },
      ],
    });
    const lines = read(out).trim().split("\n");
    expect(lines[0]).toBe("customer_id,tier");
    expect(lines).toContain("c20,high");
    expect(lines).toContain("c17,mid_high");
    expect(lines).toContain("c11,mid_low");
    expect(lines).toContain("c10,low");
    expect(lines).toContain("z,low");
    expect(lines).toHaveLength(22);
  });

  it("rounds a mean half-even to the cent", async () => {
    const file = writeTemp(dir, "four.csv", "customer_id,clv\nx,0.01\ny,0.02\nw,0.02\nv,0.00\n");
    const report = await segment("--input", file, "--method", "percentile");
    // High: nobody has a higher CLV than y and w (fewer than 5 % of 4 = 0.2 above). mid_high
    // (fewer than 0.8 above) adds nobody, mid_low (fewer than 2 above) neither: x has y and w
    // above. So x and v are low, with a mean of half a cent, which rounds to the even 0.00.
    expect(report.tiers).toEqual([
      { key: "high", size: 2, meanClv: "0.02" },
      { key: "mid_high", size: 0, meanClv: null },
      { key: "mid_low", size: 0, meanClv: null },
      { key: "low", size: 2, meanClv: "0.00" },
    ]);
  });
});

describe("valuetier segment bad input", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "an unknown method",
      ["--input", transactions, "--method", "dbscan"],
      /--method must be one of rfm, kmeans, percentile, got "dbscan"/,
    ],
    [
      "a transactions file without an amount column",
      [
        "--input",
        writeTemp(dir, "noamount.csv", "customer_id,date\na,2024-01-01\n"),
        "--method",
        "rfm",
      ],
      /missing amount/,
    ],
    [
      "percentile without a clv column",
      ["--input", transactions, "--method", "percentile"],
      /--method percentile needs a clv column/,
    ],
    [
      "a feature the file does not have",
      ["--input", features, "--method", "kmeans", "--features", "score,age"],
      /--features names column\(s\) age that the file does not have/,
    ],
    [
      "a non-numeric feature",
      ["--input", features, "--method", "kmeans", "--features", "score,note"],
      /features\.csv line 2: note must be a number, got "x"/,
    ],
    [
      "k < 1",
      ["--input", features, "--method", "kmeans", "--k", "0"],
      /--k must be a whole number/,
    ],
    [
      "k above the number of customers",
      ["--input", features, "--method", "kmeans", "--k", "6", "--features", "score"],
      /--k 6 is more than the 5 customers/,
    ],
    [
      "--k with a method that has no k",
      ["--input", transactions, "--method", "rfm", "--k", "3"],
      /--k applies to --method kmeans only/,
    ],
    [
      "a bad date, with its line",
      [
        "--input",
        writeTemp(dir, "baddate.csv", "customer_id,date,amount\na,2024-01-01,1\nb,2024-13-01,2\n"),
        "--method",
        "rfm",
      ],
      /baddate\.csv line 3: date must be/,
    ],
    [
      "a summary without spend",
      [
        "--input",
        writeTemp(dir, "nospend.csv", "customer_id,frequency,recency,T\na,1,2,3\n"),
        "--method",
        "kmeans",
      ],
      /needs a monetary_value column/,
    ],
    [
      "a clv that is not an amount",
      [
        "--input",
        writeTemp(dir, "badclv.csv", "customer_id,clv\na,1.234\n"),
        "--method",
        "percentile",
      ],
      /badclv\.csv line 2: clv has more than 2 decimals/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(`exits 1 with one line for ${name}`, async () => {
      const { code, stdout, stderr } = await run("segment", ...args, "--json");
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toMatch(message);
      // Progress ("reading …") may come first; the error is the one line starting valuetier:.
      expect(stderr.split("\n").filter((l) => l.startsWith("valuetier:"))).toHaveLength(1);
      expect(stderr.trim().split("\n").at(-1)).toMatch(/^valuetier: /);
    });
  }

  it("documents itself in --help", async () => {
    const { code, stdout } = await run("segment", "--help");
    expect(code).toBe(0);
    expect(stdout).toContain("--method <method>");
    expect(stdout).toContain("--features <a,b,c>");
  });
});

describe("valuetier segment --method rfm on CDNOW", () => {
  it("gives every customer one group, with quintiles as even as the ties allow", async () => {
    const out = outFile("cdnow-rfm.csv");
    const report = await segment(
      "--input",
      cdnowTransactionsCsv(dir),
      "--method",
      "rfm",
      "--out",
      out,
    );
    const rows = read(out)
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(","));
    const n = 2357;
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r[0])).size).toBe(n);
    const sizes = Object.values(report.rfmGroups!);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
    // Each line's group is counted once: the per-customer file agrees with the totals.
    const fromRows: Record<string, number> = {};
    for (const r of rows) fromRows[r[4]!] = (fromRows[r[4]!] ?? 0) + 1;
    for (const [group, size] of Object.entries(report.rfmGroups!)) {
      expect(fromRows[group] ?? 0, group).toBe(size);
    }

    const counts = { r: [0, 0, 0, 0, 0], f: [0, 0, 0, 0, 0], m: [0, 0, 0, 0, 0] };
    for (const r of rows) {
      counts.r[Number(r[1]) - 1]! += 1;
      counts.f[Number(r[2]) - 1]! += 1;
      counts.m[Number(r[3]) - 1]! += 1;
    }
    // n / 5 = 471.4. A cut moves to the nearest boundary between tie blocks, so a score's
    // count is off by at most the largest tie block: 25 customers share one last order day
    // (R), 77 spent exactly $11.77 (M). Measured: R within 16.4 and M within 9.6 of n / 5.
    expect(counts.r).toEqual([482, 455, 479, 470, 471]);
    expect(counts.m).toEqual([481, 462, 472, 471, 471]);
    for (const c of [...counts.r, ...counts.m]) expect(Math.abs(c - n / 5)).toBeLessThanOrEqual(25);
    // F is forced uneven: 1,205 customers (51 %) have one order, a tie covering the ideal
    // places of the first two cuts (471.4 and 942.8), so both fall at 1,205 and score 2 is
    // empty. The 406 two-order customers get 3 (the boundary 1,611 is nearer 1,414.2 than
    // 1,205), the 208 three-order ones 4 (1,819 is nearer 1,885.6 than 1,969), and the 538
    // with four or more 5.
    expect(counts.f).toEqual([1205, 0, 406, 208, 538]);

    // NEW and PROMISING (recent, with FM 1 or 2) are empty: the cohort's first orders were all
    // in early 1997 and the file runs to mid-1998, so a customer whose last order is recent has
    // ordered more than once, and F ≥ 3 lifts their FM.
    expect(report.rfmGroups).toEqual({
      CHAMPIONS: 629,
      LOYAL: 237,
      ACTIVE: 144,
      NEEDS_ATTENTION: 410,
      NEW: 0,
      PROMISING: 0,
      AT_RISK: 99,
      PREVIOUSLY_LOYAL: 10,
      ALMOST_LOST: 421,
      DORMANT: 407,
    });
  });
});
