import { evaluateHoldout, type TimeUnit } from "@valuetier/domain";
import type { Command } from "commander";
import { CliError } from "../../cli-error";
import { printJson, type CliIo } from "../../io";
import { finiteOrNull, parseDateOption, parseTimeUnit, toCliError } from "./clv-options";
import { describeFit, fitReport, type FitReport } from "./fit-report";
import { readClvInput } from "./read-clv-input";

interface EvaluateOptions {
  input: string;
  calibrationEnd: string;
  holdoutEnd?: string;
  timeUnit: string;
  json?: boolean;
}

/** The `clv evaluate --json` document (CONTRACTS.md). */
export interface EvaluateReport {
  calibration: FitReport;
  holdout: {
    periods: number;
    actual: number;
    predicted: number;
    rmse: number | null;
    mae: number | null;
    correlation: number | null;
  };
  tracking: { period: number; actual: number; predicted: number }[];
}

/** `valuetier clv evaluate`: fit on calibration, forecast the holdout, compare. */
export function registerEvaluate(clv: Command, io: CliIo): void {
  clv
    .command("evaluate")
    .description("fit on the calibration period, forecast the holdout, compare with what happened")
    .requiredOption("--input <file>", "transactions CSV: customer_id,date,amount")
    .requiredOption("--calibration-end <date>", "last day of the calibration period")
    .option("--holdout-end <date>", "last day of the holdout (default: last purchase day)")
    .option("--time-unit <unit>", "day, week or month", "week")
    .option("--json", "print one JSON document on stdout")
    .action(async (options: EvaluateOptions) => {
      const timeUnit: TimeUnit = parseTimeUnit(options.timeUnit);
      const calibrationEnd = parseDateOption("--calibration-end", options.calibrationEnd);
      const holdoutEnd =
        options.holdoutEnd === undefined
          ? undefined
          : parseDateOption("--holdout-end", options.holdoutEnd);
      io.stderr(`reading ${options.input}\n`);
      const input = await readClvInput(options.input, "transactions").catch((error: unknown) => {
        if (error instanceof CliError && /transactions need the columns/.test(error.message)) {
          throw new CliError(`${error.message}; evaluate needs dated transactions, not a summary`);
        }
        throw error;
      });
      if (input.format !== "transactions") throw new CliError("evaluate needs dated transactions");
      io.stderr(`evaluating ${input.transactions.length} transactions\n`);
      let result;
      try {
        result = evaluateHoldout(input.transactions, {
          calibrationEnd,
          holdoutEnd,
          timeUnit,
          now: new Date(),
        });
      } catch (error) {
        throw toCliError(error, options.input, input.lines);
      }
      for (const warning of result.calibration.warnings) io.stderr(`warning: ${warning}\n`);
      const report: EvaluateReport = {
        calibration: fitReport(result.calibration, timeUnit),
        holdout: {
          periods: result.holdout.periods,
          actual: result.holdout.actual,
          predicted: result.holdout.predicted,
          rmse: finiteOrNull(result.holdout.rmse),
          mae: finiteOrNull(result.holdout.mae),
          correlation: finiteOrNull(result.holdout.correlation),
        },
        tracking: result.tracking,
      };
      if (options.json) {
        printJson(io, report);
        return;
      }
      const h = report.holdout;
      io.stdout(
        describeFit(report.calibration) +
          `holdout: ${h.periods} ${timeUnit}s, actual ${h.actual} repeat transactions, predicted ${h.predicted.toFixed(1)}\n` +
          `per customer: RMSE ${h.rmse?.toFixed(3) ?? "n/a"}, MAE ${h.mae?.toFixed(3) ?? "n/a"}, correlation ${h.correlation?.toFixed(3) ?? "n/a"}\n`,
      );
    });
}
