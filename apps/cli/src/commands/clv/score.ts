import { writeFile } from "node:fs/promises";
import {
  bgNbdProbabilityAlive,
  currencyExponent,
  discountedPurchaseProfile,
  formatMoney,
  gammaGammaExpectedSpend,
  predictiveClvFromProfile,
  roundHalfEvenNumber,
  toMinorUnits,
  UnknownCurrencyError,
  weightSummaries,
  type TimeUnit,
} from "@valuetier/domain";
import type { Command } from "commander";
import { CliError } from "../../cli-error";
import { printJson, type CliIo } from "../../io";
import {
  parseFormat,
  parseDateOption,
  parseNumberOption,
  parseTimeUnit,
  toCliError,
} from "./clv-options";
import { loadSummaries } from "./load-summaries";
import { withClvModelsFitter } from "./spend-fit-thread";

interface ScoreOptions {
  input: string;
  format?: string;
  timeUnit: string;
  calibrationEnd?: string;
  horizonMonths: string;
  discountRate: string;
  margin: string;
  costPerMonth: string;
  currency: string;
  json?: boolean;
  out?: string;
}

/** One customer of the `clv score --json` document. Money fields are in currency units, exact to the minor unit. */
export interface ScoredCustomer {
  customer_id: string;
  p_alive: number;
  expected_purchases: number;
  expected_avg_value: number | null;
  clv: number | null;
}

/** `valuetier clv score`: per-customer P(alive), expected purchases, spend and discounted CLV. */
export function registerScore(clv: Command, io: CliIo): void {
  clv
    .command("score")
    .description("per-customer P(alive), expected purchases, expected spend and discounted CLV")
    .requiredOption("--input <file>", "CSV: transactions or summary (with monetary_value for CLV)")
    .option("--format <format>", "transactions or summary (default: detected from the header)")
    .option("--time-unit <unit>", "day, week or month", "week")
    .option(
      "--calibration-end <date>",
      "transactions only: last day of the calibration period (default: last purchase day)",
    )
    .option("--horizon-months <n>", "forecast horizon in whole months", "12")
    .option("--discount-rate <d>", "monthly discount rate", "0.01")
    .option("--margin <m>", "margin rate applied to expected spend, 0..1", "1")
    .option(
      "--cost-per-month <amount>",
      "cost of serving each customer per month, in currency units",
      "0",
    )
    .option(
      "--currency <code>",
      "ISO 4217 currency of the amounts (sets the decimals of money fields)",
      "USD",
    )
    .option("--json", "print one JSON document on stdout")
    .option("--out <file>", "also write the per-customer scores as CSV")
    .action(async (options: ScoreOptions) => {
      const timeUnit: TimeUnit = parseTimeUnit(options.timeUnit);
      const format = parseFormat(options.format);
      const horizonMonths = parseNumberOption(
        "--horizon-months",
        options.horizonMonths,
        0,
        1200,
        true,
      );
      const monthlyDiscountRate = parseNumberOption("--discount-rate", options.discountRate, 0, 10);
      const margin = parseNumberOption("--margin", options.margin, 0, 1);
      const currency = options.currency.toUpperCase();
      let decimals: number;
      try {
        decimals = currencyExponent(currency);
      } catch (error) {
        if (error instanceof UnknownCurrencyError)
          throw new CliError(`--currency: unknown currency ${JSON.stringify(options.currency)}`);
        throw error;
      }
      let monthlyCost: number;
      try {
        monthlyCost = Number(toMinorUnits(options.costPerMonth, decimals, "--cost-per-month"));
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      const calibrationEnd =
        options.calibrationEnd === undefined
          ? undefined
          : parseDateOption("--calibration-end", options.calibrationEnd);
      const { ids, columns, models } = await withClvModelsFitter(options.input, async (fit) => {
        io.stderr(`reading ${options.input}\n`);
        const loaded = await loadSummaries(
          options.input,
          format,
          timeUnit,
          calibrationEnd,
          new Date(),
        );
        io.stderr(`fitting and scoring ${loaded.ids.length} customers\n`);
        try {
          return { ...loaded, models: await fit(loaded.columns) };
        } catch (error) {
          throw toCliError(error, options.input, []);
        }
      });
      const scale = 10 ** decimals;
      let customers: ScoredCustomer[];
      let total: number | null = 0;
      try {
        for (const warning of models.warnings) io.stderr(`warning: ${warning}\n`);
        const params = models.bgnbd.params;
        const spend = models.gammaGamma?.params;
        // P(alive) and the discounted purchase profile depend only on (x, t_x, T): compute them
        // once per distinct history and share them between customers.
        const rows = weightSummaries(columns);
        const rowValues = Array.from({ length: rows.frequency.length }, (_, j) => {
          const history = {
            frequency: rows.frequency[j]!,
            recency: rows.recency[j]!,
            T: rows.T[j]!,
          };
          return {
            pAlive: bgNbdProbabilityAlive(params, history),
            profile: discountedPurchaseProfile(params, history, {
              timeUnit,
              horizonMonths,
              monthlyDiscountRate,
            }),
          };
        });
        customers = Array.from({ length: ids.length }, (_, i) => {
          const customerId = ids.at(i)!;
          const { pAlive, profile } = rowValues[rows.rowOfCustomer[i]!]!;
          if (!spend) {
            return {
              customer_id: customerId,
              p_alive: pAlive,
              expected_purchases: profile.expectedPurchases,
              expected_avg_value: null,
              clv: null,
            };
          }
          const expectedSpend = gammaGammaExpectedSpend(
            spend,
            columns.frequency[i]!,
            columns.monetary?.[i] ?? 0,
          );
          const value = predictiveClvFromProfile(profile, expectedSpend, {
            margin,
            monthlyCost,
            currencyDecimals: decimals,
          });
          total! += value.clv;
          return {
            customer_id: customerId,
            p_alive: pAlive,
            expected_purchases: value.expectedPurchases,
            // Money in reports: rounded half-even to the minor unit, then shown in currency units.
            expected_avg_value: roundHalfEvenNumber(expectedSpend * scale) / scale,
            clv: value.clv / scale,
          };
        });
        if (!spend) total = null;
      } catch (error) {
        throw toCliError(error, options.input, []);
      }
      if (!Number.isSafeInteger(total ?? 0))
        throw new CliError("total CLV is too large to report exactly");
      if (options.out) {
        const money = (v: number | null): string =>
          v === null ? "" : formatMoney(roundHalfEvenNumber(v * scale), currency);
        const csv = ["customer_id,p_alive,expected_purchases,expected_avg_value,clv"]
          .concat(
            customers.map((c) =>
              [
                csvField(c.customer_id),
                c.p_alive,
                c.expected_purchases,
                money(c.expected_avg_value),
                money(c.clv),
              ].join(","),
            ),
          )
          .join("\n");
        await writeFile(options.out, csv + "\n").catch((error: unknown) => {
          throw new CliError(`cannot write ${options.out}: ${(error as Error).message}`);
        });
        io.stderr(`wrote ${customers.length} scores to ${options.out}\n`);
      }
      const totals = { customers: customers.length, clv: total === null ? null : total / scale };
      if (options.json) {
        printJson(io, { totals, customers });
        return;
      }
      io.stdout(
        `customers: ${totals.customers}\n` +
          `total CLV over ${horizonMonths} months: ${total === null ? "n/a (no spend in the input)" : formatMoney(total, currency) + " " + currency}\n`,
      );
    });
}

/** Quotes a CSV field when it contains a comma, quote or line break (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
