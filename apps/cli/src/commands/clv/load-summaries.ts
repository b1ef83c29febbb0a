import {
  summarizeTransactions,
  toSummaryColumns,
  type CustomerSummary,
  type SummaryColumns,
  type TimeUnit,
} from "@valuetier/domain";
import { CliError } from "../../cli-error";
import { toCliError } from "./clv-options";
import { readClvInput, type InputFormat } from "./read-clv-input";

/** Per-customer summaries ready for fitting, from either input format. */
export interface LoadedSummaries {
  summaries: CustomerSummary[];
  columns: SummaryColumns;
}

/**
 * Reads the input file and produces calibration summaries: summary files as given,
 * transaction files summarised up to the calibration end (default: the last purchase day).
 *
 * @throws {CliError} for unreadable or invalid input, with file and line.
 */
export async function loadSummaries(
  path: string,
  format: InputFormat | undefined,
  timeUnit: TimeUnit,
  calibrationEnd: number | undefined,
  now: Date,
): Promise<LoadedSummaries> {
  const input = await readClvInput(path, format);
  try {
    if (input.format === "summary") {
      if (calibrationEnd !== undefined) {
        throw new CliError(
          "--calibration-end applies to transaction input only: a summary is already cut at its calibration end",
        );
      }
      return { summaries: input.summaries, columns: toSummaryColumns(input.summaries) };
    }
    const summaries = summarizeTransactions(input.transactions, {
      calibrationEnd: calibrationEnd ?? input.lastDay,
      timeUnit,
      now,
    });
    return { summaries, columns: toSummaryColumns(summaries) };
  } catch (error) {
    throw toCliError(error, path, input.lines);
  }
}
