import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createRng, measureUplift, sampleNormal } from "@valuetier/domain";
import { afterAll, describe, expect, it } from "vitest";
import { run, tempDir, writeTemp } from "./clv/__tests__/clv-test-helpers";
import { upliftReport, type UpliftReport } from "./uplift";

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Nine customers; the reference figures come from scipy.stats.ttest_ind(equal_var=False). */
const small = writeTemp(
  dir,
  "small.csv",
  [
    "customer_id,group,outcome,pre_spend",
    "t1,treatment,12,10",
    "t2,treatment,15,14",
    "c1,control,10,9",
    "t3,treatment,11,9",
    "c2,control,9,8",
    "t4,treatment,14,12",
    "c3,control,12,11",
    "t5,treatment,18,15",
    "c4,control,8,7",
  ].join("\n") + "\n",
);

/**
 * 4,000 customers, 10% control; outcome = 0.9 × pre_spend + noise, plus a true effect of 4 for
 * the treated; pre_spend is fixed before assignment. Written by a seeded generator.
 */
function knownEffectCsv(): { file: string; trueEffect: number } {
  const rng = createRng(7);
  const rows = ["customer_id,group,outcome,pre_spend,score"];
  for (let i = 0; i < 4000; i++) {
    const group = rng.next() < 0.1 ? "control" : "treatment";
    const pre = 100 + 20 * sampleNormal(rng);
    const outcome = 0.9 * pre + 10 * sampleNormal(rng) + (group === "treatment" ? 4 : 0);
    rows.push(
      `cust-${i},${group},${outcome.toFixed(4)},${pre.toFixed(4)},${(pre / 10).toFixed(6)}`,
    );
  }
  return { file: writeTemp(dir, "known.csv", rows.join("\n") + "\n"), trueEffect: 4 };
}

// Plain readers for the cross-check below (the generated file has no quoted fields).
function rows(file: string): string[][] {
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","));
}

async function uplift(...args: string[]): Promise<UpliftReport> {
  const { code, stdout, stderr } = await run("uplift", ...args, "--json");
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as UpliftReport;
}

/** Runs a command expected to fail and returns its one line on stderr. */
async function failure(...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await run("uplift", ...args);
  expect(code).toBe(1);
  expect(stdout).toBe("");
  const lines = stderr.split("\n").filter((l) => l !== "" && !l.startsWith("reading"));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe("valuetier uplift --json", () => {
  it("starts without loading the ORM, the database drivers or the server", async () => {
    await uplift("--input", small);
    const heavy = /node_modules\/(typeorm|@apollo|express|mysql2|better-sqlite3|type-graphql)\//;
    expect(Object.keys(createRequire(__filename).cache).filter((f) => heavy.test(f))).toEqual([]);
  });

  it("prints the contract's document, matching scipy's Welch test", async () => {
    const report = await uplift("--input", small);
    expect(Object.keys(report)).toEqual([
      "treatment",
      "control",
      "effect",
      "adjusted",
      "sequential",
    ]);
    expect(report.treatment).toEqual({
      n: 5,
      mean: 14,
      sd: expect.closeTo(2.7386127875258306, 12),
    });
    expect(report.control).toEqual({ n: 4, mean: 9.75, sd: expect.closeTo(1.707825127659933, 12) });
    expect(report.effect.estimate).toBe(4.25);
    expect(report.effect.ci![0]).toBeCloseTo(0.6892100448239447, 10);
    expect(report.effect.ci![1]).toBeCloseTo(7.810789955176055, 10);
    expect(report.effect.pValue).toBeCloseTo(0.02592504475922867, 12);
    expect(report.adjusted).toBeNull();
    expect(Object.keys(report.sequential)).toEqual(["ci", "conclusive"]);
    // Nine customers: the always-valid interval is wider than the Welch one and includes 0.
    expect(report.sequential.ci![0]).toBeLessThan(report.effect.ci![0]);
    expect(report.sequential.conclusive).toBe(false);
  });

  it("adjusts with a covariate (CUPED), matching a least-squares fit", async () => {
    const report = await uplift("--input", small, "--covariates", "pre_spend");
    expect(Object.keys(report.adjusted!)).toEqual(["estimate", "ci", "varianceReduction"]);
    // θ = 1.0288 from the within-group regression; values from numpy.
    expect(report.adjusted!.estimate).toBeCloseTo(0.9064748201438846, 12);
    expect(report.adjusted!.ci![0]).toBeCloseTo(0.03791888752189121, 10);
    expect(report.adjusted!.ci![1]).toBeCloseTo(1.775030752765878, 10);
    expect(report.adjusted!.varianceReduction).toBeCloseTo(0.9556773004241668, 12);
  });

  it("finds a known effect in 4,000 customers and declares it, tighter with covariates", async () => {
    const { file, trueEffect } = knownEffectCsv();
    const plain = await uplift("--input", file);
    const adjusted = await uplift("--input", file, "--covariates", "pre_spend");
    expect(plain.treatment.n + plain.control.n).toBe(4000);
    for (const ci of [plain.effect.ci!, adjusted.adjusted!.ci!, adjusted.sequential.ci!]) {
      expect(ci[0]).toBeLessThan(trueEffect);
      expect(ci[1]).toBeGreaterThan(trueEffect);
    }
    // Var(outcome) = 0.81·400 + 100: pre_spend explains ~76% of it.
    expect(adjusted.adjusted!.varianceReduction).toBeGreaterThan(0.7);
    expect(adjusted.sequential.conclusive).toBe(true);
    expect(adjusted.sequential.ci![0]).toBeGreaterThan(0);
    // The same figures as the domain function (the command adds no statistics of its own).
    expect(plain).toEqual(
      JSON.parse(
        JSON.stringify(
          upliftReport(
            measureUplift({
              groups: rows(file).map((r) => r[1] as "treatment" | "control"),
              outcome: rows(file).map((r) => Number(r[2])),
            }),
          ),
        ),
      ),
    );
  });

  it("honours --alpha and --mixing-variance, and warns about a redundant covariate", async () => {
    const wide = await uplift("--input", small, "--alpha", "0.01");
    const normal = await uplift("--input", small);
    expect(wide.effect.ci![1] - wide.effect.ci![0]).toBeGreaterThan(
      normal.effect.ci![1] - normal.effect.ci![0],
    );
    const { file } = knownEffectCsv();
    const { code, stderr } = await run(
      "uplift",
      "--input",
      file,
      "--covariates",
      "pre_spend,score",
      "--json",
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/warning: covariate score was left out/);
    const tau = await uplift("--input", small, "--mixing-variance", "1000");
    expect(tau.sequential.ci![1] - tau.sequential.ci![0]).toBeGreaterThan(
      normal.sequential.ci![1] - normal.sequential.ci![0],
    );
  });

  it("prints a readable summary without --json", async () => {
    const { code, stdout } = await run("uplift", "--input", small, "--covariates", "pre_spend");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^group +customers +mean +sd\ntreatment +5 +14 +2\.73861\ncontrol +4 +9\.75/,
    );
    expect(stdout).toMatch(
      /difference \(treatment − control\): 4\.25, 95% Welch interval \[0\.68921, 7\.81079\], p = 0\.0259/,
    );
    expect(stdout).toMatch(
      /adjusted with pre_spend \(CUPED\): 0\.906475, 95% interval .* variance 95\.6% lower/,
    );
    expect(stdout).toMatch(/verdict: not conclusive/);
  });
});

describe("valuetier uplift: bad input is one line on stderr and exit 1", () => {
  const csv = (name: string, body: string) => writeTemp(dir, name, body);

  it("a missing file or column", async () => {
    expect(await failure("--input", `${dir}/nope.csv`)).toMatch(/nope\.csv: file not found/);
    expect(
      await failure("--input", csv("cols.csv", "customer_id,arm,outcome\na,control,1\n")),
    ).toMatch(/cols\.csv: no group column \(header: customer_id,arm,outcome\)/);
    expect(await failure("--input", small, "--covariates", "pre_spend,age")).toMatch(
      /--covariates names column age that the file does not have/,
    );
    expect(await failure("--input", csv("hdr.csv", "customer_id,group,outcome\n"))).toMatch(
      /has a header but no data rows/,
    );
  });

  it("a bad group, outcome or covariate value, with its line", async () => {
    const head = "customer_id,group,outcome,pre\n";
    expect(await failure("--input", csv("g.csv", `${head}a,control,1,1\nb,test,2,1\n`))).toMatch(
      /g\.csv line 3: group must be treatment or control, got "test"/,
    );
    expect(
      await failure("--input", csv("o.csv", `${head}a,control,1,1\nb,control,abc,1\n`)),
    ).toMatch(/o\.csv line 3: outcome must be a number, got "abc"/);
    expect(
      await failure(
        "--input",
        csv("c.csv", `${head}a,control,1,1\nb,control,2,\n`),
        "--covariates",
        "pre",
      ),
    ).toMatch(/c\.csv line 3: pre must be a number, got ""/);
    expect(await failure("--input", csv("f.csv", `${head}a,control,1\n`))).toMatch(
      /f\.csv line 2: has 3 fields, the header has 4/,
    );
  });

  it("a repeated or empty customer, and too few customers in a group", async () => {
    const head = "customer_id,group,outcome\n";
    expect(
      await failure("--input", csv("d.csv", `${head}a,control,1\nb,control,2\na,treatment,3\n`)),
    ).toMatch(/d\.csv line 4: customer a appears again \(first on line 2\)/);
    expect(await failure("--input", csv("e.csv", `${head} ,control,1\n`))).toMatch(
      /e\.csv line 2: customer_id is empty/,
    );
    expect(
      await failure("--input", csv("few.csv", `${head}a,control,1\nb,control,2\nc,treatment,3\n`)),
    ).toMatch(/few\.csv: the treatment group has 1 customer; at least 2 in each group are needed/);
  });

  it("bad options", async () => {
    expect(await failure("--input", small, "--alpha", "1")).toMatch(
      /--alpha must be strictly between 0 and 1/,
    );
    expect(await failure("--input", small, "--alpha", "x")).toMatch(/--alpha must be a number/);
    expect(await failure("--input", small, "--covariates", "pre_spend,")).toMatch(
      /--covariates must be column names/,
    );
    expect(await failure("--input", small, "--covariates", "outcome")).toMatch(
      /cannot name outcome/,
    );
    expect(await failure("--input", small, "--mixing-variance", "0")).toMatch(
      /--mixing-variance must be greater than 0/,
    );
  });
});
