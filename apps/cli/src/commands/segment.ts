import { writeFile } from "node:fs/promises";
import {
  applyStandardization,
  assignTiers,
  computeRfmScores,
  currencyExponent,
  DEFAULT_TIER_POLICY,
  DEFAULT_TIERS,
  fitStandardizer,
  formatMoney,
  kMeans,
  RFM_GROUPS,
  rfmGroup,
  roundHalfEven,
  SegmentationError,
  UnknownCurrencyError,
  type RfmGroup,
} from "@valuetier/domain";
import type { Command } from "commander";
import { CliError } from "../cli-error";
import { printJson, type CliIo } from "../io";
import { parseFormat, parseNumberOption, parseTimeUnit } from "./clv/clv-options";
import { readClvColumn, readFeatureColumns, readRfmColumns } from "./segment-input";

const METHODS = ["rfm", "kmeans", "percentile"] as const;
type Method = (typeof METHODS)[number];

interface SegmentOptions {
  input: string;
  method: string;
  k?: string;
  seed?: string;
  features?: string;
  standardize?: boolean;
  format?: string;
  timeUnit: string;
  currency: string;
  json?: boolean;
  out?: string;
}

/** The `segment --json` document; fields that do not apply to the method are left out. */
export interface SegmentReport {
  method: Method;
  k?: number;
  inertia?: number;
  clusters?: { id: number; size: number; centroid: number[] }[];
  /** meanClv: a decimal string in currency units, null for a tier without a valued customer. */
  tiers?: { key: string; size: number; meanClv: string | null }[];
  rfmGroups?: Partial<Record<RfmGroup, number>>;
}

/** The per-customer CSV of --out: a header and one line per customer. */
interface PerCustomer {
  header: string;
  rows: string[];
}

/** CSV-sensitive characters in an id (a comma, a quote, a line break) are quoted. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function only(method: Method, allowed: Method, option: string, given: unknown): void {
  if (given !== undefined && method !== allowed) {
    throw new CliError(`${option} applies to --method ${allowed} only`);
  }
}

/** `valuetier segment`: RFM groups, K-Means clusters or CLV percentile tiers of a file. */
export function register(program: Command, io: CliIo): void {
  program
    .command("segment")
    .description("RFM scores and groups, K-Means clusters or CLV percentile tiers")
    .requiredOption(
      "--input <file>",
      "CSV: transactions or summary (as for clv); for percentile a file with a clv column",
    )
    .requiredOption("--method <method>", "rfm, kmeans or percentile")
    .option("--k <n>", "kmeans: number of clusters (default 4)")
    .option("--seed <n>", "kmeans: seed of the k-means++ seeding and restarts (default 1)")
    .option(
      "--features <a,b,c>",
      "kmeans: cluster these numeric columns of the input as given (default: standardised log recency, frequency and spend)",
    )
    .option("--standardize", "kmeans with --features: z-score each feature first")
    .option("--format <format>", "transactions or summary (default: detected from the header)")
    .option("--time-unit <unit>", "summary input: the unit of recency and T", "week")
    .option("--currency <code>", "ISO 4217 currency of the amounts", "USD")
    .option("--json", "print one JSON document on stdout")
    .option("--out <file>", "write one CSV line per customer: r,f,m,group / cluster / tier")
    .action(async (options: SegmentOptions) => {
      const method = options.method as Method;
      if (!METHODS.includes(method)) {
        throw new CliError(
          `--method must be one of ${METHODS.join(", ")}, got ${JSON.stringify(options.method)}`,
        );
      }
      only(method, "kmeans", "--k", options.k);
      only(method, "kmeans", "--seed", options.seed);
      only(method, "kmeans", "--features", options.features);
      if (options.standardize && options.features === undefined) {
        throw new CliError(
          "--standardize applies to --features only: the default features are always standardised",
        );
      }
      const timeUnit = parseTimeUnit(options.timeUnit);
      const format = parseFormat(options.format);
      const currency = options.currency.toUpperCase();
      let decimals: number;
      try {
        decimals = currencyExponent(currency);
      } catch (error) {
        if (error instanceof UnknownCurrencyError)
          throw new CliError(`--currency: unknown currency ${JSON.stringify(options.currency)}`);
        throw error;
      }

      io.stderr(`reading ${options.input}\n`);
      let report: SegmentReport;
      let perCustomer: PerCustomer;
      if (method === "rfm") {
        const data = await readRfmColumns(options.input, format, timeUnit, decimals);
        ({ report, perCustomer } = rfm(data, options.input));
      } else if (method === "percentile") {
        if (options.format !== undefined) {
          throw new CliError("--format applies to rfm and kmeans: percentile reads a clv column");
        }
        const data = await readClvColumn(options.input, decimals);
        ({ report, perCustomer } = percentile(data, currency));
      } else {
        ({ report, perCustomer } = await kmeans(options, format, timeUnit, decimals));
      }

      if (options.out) {
        await writeFile(
          options.out,
          [perCustomer.header, ...perCustomer.rows].join("\n") + "\n",
        ).catch((error: unknown) => {
          throw new CliError(`cannot write ${options.out}: ${(error as Error).message}`);
        });
        io.stderr(`wrote ${perCustomer.rows.length} customers to ${options.out}\n`);
      }
      if (options.json) {
        printJson(io, report);
        return;
      }
      io.stdout(describe(report));
    });
}

function rfm(
  data: Awaited<ReturnType<typeof readRfmColumns>>,
  path: string,
): { report: SegmentReport; perCustomer: PerCustomer } {
  const n = data.ids.length;
  let scores;
  try {
    scores = computeRfmScores(
      Array.from({ length: n }, (_, i) => ({
        recencyDays: data.recencyDays[i]!,
        frequency: data.orders[i]!,
        monetaryMinor: data.spendMinor[i]!,
      })),
    ).scores;
  } catch (error) {
    if (error instanceof SegmentationError && error.location.index !== undefined) {
      const i = error.location.index;
      throw new CliError(
        `${path} line ${data.lines[i]} (customer ${data.ids[i]}): ${error.message.replace(/^customer \d+: /, "")}`,
      );
    }
    throw error;
  }
  const groups: Partial<Record<RfmGroup, number>> = {};
  // Every group a customer with an order can fall in, zeros included: a stable shape.
  for (const g of RFM_GROUPS) if (g !== "PROSPECTS") groups[g] = 0;
  const rows: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    const group = rfmGroup(s);
    groups[group]! += 1;
    rows[i] = `${csvField(data.ids[i]!)},${s.r},${s.f},${s.m},${group}`;
  }
  return {
    report: { method: "rfm", rfmGroups: groups },
    perCustomer: { header: "customer_id,r,f,m,group", rows },
  };
}

function percentile(
  data: Awaited<ReturnType<typeof readClvColumn>>,
  currency: string,
): { report: SegmentReport; perCustomer: PerCustomer } {
  const tiers = assignTiers(
    data.clvMinor.map((clvMinor) => ({ clvMinor, totalSpentMinor: null, clusterRank: null })),
    DEFAULT_TIER_POLICY,
    DEFAULT_TIERS,
  );
  const totals = new Map(DEFAULT_TIERS.map((t) => [t.key, { size: 0, valued: 0n, sumMinor: 0n }]));
  tiers.forEach((key, i) => {
    const total = totals.get(key)!;
    total.size += 1;
    const v = data.clvMinor[i];
    if (v !== null && v !== undefined) {
      total.valued += 1n;
      total.sumMinor += v;
    }
  });
  const ranked = [...DEFAULT_TIERS].sort((a, b) => a.rank - b.rank);
  return {
    report: {
      method: "percentile",
      tiers: ranked.map((t) => {
        const total = totals.get(t.key)!;
        // The mean rounded half-even to the minor unit, exactly (bigint), shown as a decimal.
        const mean =
          total.valued === 0n
            ? null
            : formatMoney(Number(roundHalfEven({ n: total.sumMinor, d: total.valued })), currency);
        return { key: t.key, size: total.size, meanClv: mean };
      }),
    },
    perCustomer: {
      header: "customer_id,tier",
      rows: data.ids.map((id, i) => `${csvField(id)},${tiers[i]}`),
    },
  };
}

async function kmeans(
  options: SegmentOptions,
  format: ReturnType<typeof parseFormat>,
  timeUnit: ReturnType<typeof parseTimeUnit>,
  decimals: number,
): Promise<{ report: SegmentReport; perCustomer: PerCustomer }> {
  const seed = parseNumberOption("--seed", options.seed ?? "1", 0, 2 ** 31 - 1, true);
  const k = parseNumberOption("--k", options.k ?? "4", 1, Number.MAX_SAFE_INTEGER, true);
  let ids: string[];
  let points: Float64Array;
  let dimensions: number;
  if (options.features !== undefined) {
    const features = options.features.split(",").map((f) => f.trim());
    if (features.some((f) => f === "")) {
      throw new CliError(
        `--features must be column names separated by commas, got ${JSON.stringify(options.features)}`,
      );
    }
    const duplicate = features.find(
      (f, j) => features.findIndex((g) => g.toLowerCase() === f.toLowerCase()) !== j,
    );
    if (duplicate !== undefined) {
      throw new CliError(`--features names ${duplicate} twice`);
    }
    ({ ids, points, dimensions } = await readFeatureColumns(options.input, features));
    if (options.standardize) {
      points = applyStandardization(fitStandardizer(points, dimensions, false), points);
    }
  } else {
    const data = await readRfmColumns(options.input, format, timeUnit, decimals);
    ids = data.ids;
    dimensions = 3;
    points = new Float64Array(ids.length * 3);
    for (let i = 0; i < ids.length; i++) {
      points[i * 3] = data.recencyDays[i]!;
      points[i * 3 + 1] = data.orders[i]!;
      points[i * 3 + 2] = Math.max(0, data.spendMinor[i]!);
    }
    // The scoring run's features: log (days, orders, minor units), then z-scores.
    points = applyStandardization(fitStandardizer(points, 3, true), points);
  }
  const n = ids.length;
  if (k > n) {
    throw new CliError(
      `--k ${k} is more than the ${n} customer${n === 1 ? "" : "s"} in ${options.input}`,
    );
  }
  const result = kMeans(points, dimensions, { k, seed });
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) sizes[result.labels[i]!]! += 1;
  return {
    report: {
      method: "kmeans",
      k,
      inertia: result.inertia,
      clusters: sizes.map((size, c) => ({
        id: c,
        size,
        centroid: Array.from(result.centroids.subarray(c * dimensions, (c + 1) * dimensions)),
      })),
    },
    perCustomer: {
      header: "customer_id,cluster",
      rows: ids.map((id, i) => `${csvField(id)},${result.labels[i]}`),
    },
  };
}

/** The report as text, for a person at a terminal. */
function describe(report: SegmentReport): string {
  const lines: string[] = [];
  if (report.rfmGroups) {
    lines.push("RFM group          customers");
    for (const [group, size] of Object.entries(report.rfmGroups)) {
      lines.push(`${group.padEnd(18)} ${String(size).padStart(9)}`);
    }
  }
  if (report.clusters) {
    lines.push(`K-Means, k = ${report.k}, inertia ${report.inertia!.toFixed(3)}`);
    lines.push("cluster  customers  centroid");
    for (const c of report.clusters) {
      lines.push(
        `${String(c.id).padStart(7)}  ${String(c.size).padStart(9)}  ${c.centroid.map((v) => v.toFixed(3)).join(", ")}`,
      );
    }
  }
  if (report.tiers) {
    lines.push("tier        customers  mean CLV");
    for (const t of report.tiers) {
      lines.push(`${t.key.padEnd(10)} ${String(t.size).padStart(10)}  ${t.meanClv ?? "-"}`);
    }
  }
  return lines.join("\n") + "\n";
}
