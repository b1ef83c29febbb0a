import type { TimeUnit } from "@valuetier/domain";
import type { Command } from "commander";
import { printJson, type CliIo } from "../../io";
import { parseDateOption, parseFormat, parseTimeUnit, toCliError } from "./clv-options";
import { describeFit, fitReport } from "./fit-report";
import { loadSummaries } from "./load-summaries";
import { withClvModelsFitter } from "./spend-fit-thread";

interface FitOptions {
  input: string;
  format?: string;
  timeUnit: string;
  calibrationEnd?: string;
  json?: boolean;
}

/** `valuetier clv fit`: BG/NBD and, where spend is given, Gamma-Gamma. */
export function registerFit(clv: Command, io: CliIo): void {
  clv
    .command("fit")
    .description("fit BG/NBD and, where spend is given, Gamma-Gamma")
    .requiredOption(
      "--input <file>",
      "CSV: transactions (customer_id,date,amount) or summary (customer_id,frequency,recency,T[,monetary_value])",
    )
    .option("--format <format>", "transactions or summary (default: detected from the header)")
    .option("--time-unit <unit>", "day, week or month", "week")
    .option(
      "--calibration-end <date>",
      "transactions only: last day of the calibration period (default: last purchase day)",
    )
    .option("--json", "print one JSON document on stdout")
    .action(async (options: FitOptions) => {
      const timeUnit: TimeUnit = parseTimeUnit(options.timeUnit);
      const format = parseFormat(options.format);
      const calibrationEnd =
        options.calibrationEnd === undefined
          ? undefined
          : parseDateOption("--calibration-end", options.calibrationEnd);
      const models = await withClvModelsFitter(options.input, async (fit) => {
        io.stderr(`reading ${options.input}\n`);
        const { columns } = await loadSummaries(
          options.input,
          format,
          timeUnit,
          calibrationEnd,
          new Date(),
        );
        io.stderr(`fitting ${columns.frequency.length} customers\n`);
        try {
          return await fit(columns);
        } catch (error) {
          throw toCliError(error, options.input, []);
        }
      });
      for (const warning of models.warnings) io.stderr(`warning: ${warning}\n`);
      const report = fitReport(models, timeUnit);
      if (options.json) printJson(io, report);
      else io.stdout(describeFit(report));
    });
}
