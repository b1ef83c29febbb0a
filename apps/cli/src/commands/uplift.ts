import {
  MeasurementError,
  measureUplift,
  type Covariate,
  type ExperimentGroup,
  type UpliftResult,
} from "@valuetier/domain";
import type { Command } from "commander";
import { CliError } from "../cli-error";
import { printJson, type CliIo } from "../io";
import { finiteOrNull, parseNumberOption } from "./clv/clv-options";
import { readCsv } from "./clv/read-csv";

interface UpliftOptions {
  input: string;
  covariates?: string;
  alpha: string;
  mixingVariance?: string;
  json?: boolean;
}

/** The `uplift --json` document (CONTRACTS.md); statistics that cannot be computed are null. */
export interface UpliftReport {
  treatment: { n: number; mean: number | null; sd: number | null };
  control: { n: number; mean: number | null; sd: number | null };
  effect: { estimate: number | null; ci: [number, number] | null; pValue: number | null };
  adjusted: {
    estimate: number | null;
    ci: [number, number] | null;
    varianceReduction: number | null;
  } | null;
  sequential: { ci: [number, number] | null; conclusive: boolean };
}

/** The columns of an uplift file: one row per customer. */
interface UpliftColumns {
  groups: ExperimentGroup[];
  outcome: number[];
  covariates: Covariate[];
  /** File line of each row, for messages. */
  lines: number[];
}

const REQUIRED = ["customer_id", "group", "outcome"] as const;

/**
 * Reads `customer_id,group,outcome[,covariates…]` through the import's CSV reader.
 *
 * @throws {CliError} naming the file and line: a missing column, an empty or repeated
 *   customer id, a group other than treatment/control, a value that is not a number.
 */
async function readUpliftFile(path: string, covariateNames: string[]): Promise<UpliftColumns> {
  const groups: ExperimentGroup[] = [];
  const outcome: number[] = [];
  const covariateValues = covariateNames.map(() => [] as number[]);
  const lines: number[] = [];
  const seen = new Map<string, number>();
  let at: Record<(typeof REQUIRED)[number], number> = { customer_id: -1, group: -1, outcome: -1 };
  let covariateAt: number[] = [];
  await readCsv(
    path,
    (fields) => {
      const header = fields.map((h) => h.trim());
      const lower = header.map((h) => h.toLowerCase());
      const missing = REQUIRED.filter((name) => !lower.includes(name));
      if (missing.length > 0) {
        throw new CliError(
          `${path}: no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""} (header: ${header.join(",")}); uplift reads customer_id,group,outcome`,
        );
      }
      at = {
        customer_id: lower.indexOf("customer_id"),
        group: lower.indexOf("group"),
        outcome: lower.indexOf("outcome"),
      };
      covariateAt = covariateNames.map((name) => lower.indexOf(name.toLowerCase()));
      const absent = covariateNames.filter((_, j) => covariateAt[j] === -1);
      if (absent.length > 0) {
        throw new CliError(
          `${path}: --covariates names column${absent.length > 1 ? "s" : ""} ${absent.join(", ")} that the file does not have (header: ${header.join(",")})`,
        );
      }
    },
    (row) => {
      const where = `${path} line ${row.line}`;
      const id = row.trimmed(at.customer_id);
      if (id === "") throw new CliError(`${where}: customer_id is empty`);
      const first = seen.get(id);
      if (first !== undefined) {
        throw new CliError(
          `${where}: customer ${id} appears again (first on line ${first}); one row per customer`,
        );
      }
      seen.set(id, row.line);
      const group = row.trimmed(at.group).toLowerCase();
      if (group !== "treatment" && group !== "control") {
        throw new CliError(
          `${where}: group must be treatment or control, got ${JSON.stringify(row.trimmed(at.group))}`,
        );
      }
      const value = row.number(at.outcome);
      if (!Number.isFinite(value)) {
        throw new CliError(
          `${where}: outcome must be a number, got ${JSON.stringify(row.trimmed(at.outcome))}`,
        );
      }
      covariateAt.forEach((k, j) => {
        const v = row.number(k);
        if (!Number.isFinite(v)) {
          throw new CliError(
            `${where}: ${covariateNames[j]} must be a number, got ${JSON.stringify(row.trimmed(k))}`,
          );
        }
        covariateValues[j]!.push(v);
      });
      groups.push(group);
      outcome.push(value);
      lines.push(row.line);
    },
  );
  if (groups.length === 0) throw new CliError(`${path} has a header but no data rows`);
  return {
    groups,
    outcome,
    covariates: covariateNames.map((name, j) => ({ name, values: covariateValues[j]! })),
    lines,
  };
}

function parseCovariates(text: string | undefined): string[] {
  if (text === undefined) return [];
  const names = text.split(",").map((name) => name.trim());
  if (names.some((name) => name === "")) {
    throw new CliError(
      `--covariates must be column names separated by commas, got ${JSON.stringify(text)}`,
    );
  }
  const duplicate = names.find(
    (name, j) => names.findIndex((other) => other.toLowerCase() === name.toLowerCase()) !== j,
  );
  if (duplicate !== undefined) throw new CliError(`--covariates names ${duplicate} twice`);
  const reserved = names.find((name) =>
    (REQUIRED as readonly string[]).includes(name.toLowerCase()),
  );
  if (reserved !== undefined) {
    throw new CliError(`--covariates cannot name ${reserved}: it is one of the required columns`);
  }
  return names;
}

const interval = (ci: [number, number] | null): [number, number] | null =>
  ci && Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? [ci[0], ci[1]] : null;
const nullable = (v: number | null): number | null => (v === null ? null : finiteOrNull(v));

/** The contract's document from the domain's result. */
export function upliftReport(result: UpliftResult): UpliftReport {
  const group = (g: UpliftResult["treatment"]) => ({
    n: g.n,
    mean: finiteOrNull(g.mean),
    sd: finiteOrNull(g.sd),
  });
  return {
    treatment: group(result.treatment),
    control: group(result.control),
    effect: {
      estimate: finiteOrNull(result.effect.estimate),
      ci: interval(result.effect.ci),
      pValue: nullable(result.effect.pValue),
    },
    adjusted: result.adjusted && {
      estimate: finiteOrNull(result.adjusted.estimate),
      ci: interval(result.adjusted.ci),
      varianceReduction: nullable(result.adjusted.varianceReduction),
    },
    sequential: { ci: interval(result.sequential.ci), conclusive: result.sequential.conclusive },
  };
}

/** A number for people: up to 6 significant digits, no exponent for ordinary sizes. */
function show(v: number | null): string {
  if (v === null) return "-";
  if (v !== 0 && (Math.abs(v) >= 1e9 || Math.abs(v) < 1e-4)) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}

function showCi(ci: [number, number] | null): string {
  return ci ? `[${show(ci[0])}, ${show(ci[1])}]` : "-";
}

function showP(p: number | null): string {
  if (p === null) return "p -";
  return p < 1e-4 ? "p < 0.0001" : `p = ${p.toFixed(4)}`;
}

/** The report as text, for a person at a terminal. */
function describe(result: UpliftResult, report: UpliftReport, level: string): string {
  const lines: string[] = [];
  lines.push("group       customers  mean        sd");
  for (const [name, g] of [
    ["treatment", report.treatment],
    ["control", report.control],
  ] as const) {
    lines.push(
      `${name.padEnd(10)} ${String(g.n).padStart(10)}  ${show(g.mean).padEnd(10)}  ${show(g.sd)}`,
    );
  }
  lines.push("");
  lines.push(
    `difference (treatment − control): ${show(report.effect.estimate)}, ${level} Welch interval ${showCi(report.effect.ci)}, ${showP(report.effect.pValue)}`,
  );
  if (report.adjusted && result.adjusted) {
    const reduction = report.adjusted.varianceReduction;
    lines.push(
      `adjusted with ${result.adjusted.covariates.join(", ") || "no usable covariate"} (CUPED): ${show(report.adjusted.estimate)}, ${level} interval ${showCi(report.adjusted.ci)}, variance ${reduction === null ? "-" : `${(reduction * 100).toFixed(1)}% lower`}`,
    );
  }
  lines.push(
    `always-valid ${level} interval (${result.sequential.basis}): ${showCi(report.sequential.ci)}`,
  );
  const ci = report.sequential.ci;
  const verdict = !report.sequential.conclusive
    ? "not conclusive: the always-valid interval still includes 0"
    : ci && ci[0] > 0
      ? "conclusive: treatment is higher than control"
      : "conclusive: treatment is lower than control";
  lines.push(`verdict: ${verdict}`);
  return lines.join("\n") + "\n";
}

/** `valuetier uplift`: treatment vs control statistics on a CSV of per-customer outcomes. */
export function register(program: Command, io: CliIo): void {
  program
    .command("uplift")
    .description(
      "treatment vs control on a CSV of per-customer outcomes: Welch interval, CUPED with " +
        "covariates, and an always-valid confidence sequence",
    )
    .requiredOption(
      "--input <file>",
      "CSV with customer_id,group,outcome (group: treatment or control) and any covariate columns",
    )
    .option(
      "--covariates <a,b>",
      "pre-period columns for CUPED, e.g. pre_spend,predicted_clv (values fixed before assignment)",
    )
    .option("--alpha <alpha>", "1 − the level of every interval", "0.05")
    .option(
      "--mixing-variance <tau2>",
      "τ² of the confidence sequence, in outcome units squared (default: tuned to the file's group sizes)",
    )
    .option("--json", "print one JSON document on stdout")
    .action(async (options: UpliftOptions) => {
      const alpha = parseNumberOption("--alpha", options.alpha, 0, 1);
      if (alpha === 0 || alpha === 1) {
        throw new CliError(`--alpha must be strictly between 0 and 1, got ${options.alpha}`);
      }
      const mixingVariance =
        options.mixingVariance === undefined
          ? undefined
          : parseNumberOption("--mixing-variance", options.mixingVariance, 0, Number.MAX_VALUE);
      if (mixingVariance === 0) throw new CliError("--mixing-variance must be greater than 0");
      const covariateNames = parseCovariates(options.covariates);
      io.stderr(`reading ${options.input}\n`);
      const data = await readUpliftFile(options.input, covariateNames);
      let result: UpliftResult;
      try {
        result = measureUplift(
          {
            groups: data.groups,
            outcome: data.outcome,
            covariates: data.covariates.length > 0 ? data.covariates : undefined,
          },
          mixingVariance === undefined ? { alpha } : { alpha, mixingVariance },
        );
      } catch (error) {
        if (error instanceof MeasurementError) {
          const index = error.location.index;
          const line = index === undefined ? undefined : data.lines[index];
          throw new CliError(
            line === undefined
              ? `${options.input}: ${error.message}`
              : `${options.input} line ${line}: ${error.message}`,
          );
        }
        throw error;
      }
      for (const name of result.adjusted?.dropped ?? []) {
        io.stderr(
          `warning: covariate ${name} was left out: it is constant or a combination of the others\n`,
        );
      }
      const report = upliftReport(result);
      if (options.json) {
        printJson(io, report);
        return;
      }
      const level = `${Number(((1 - alpha) * 100).toPrecision(6))}%`;
      io.stdout(describe(result, report, level));
    });
}
