import {
  summarizeTransactions,
  toSummaryColumns,
  validateSummaryColumns,
  type SummaryColumns,
  type TimeUnit,
} from "@valuetier/domain";
import { CliError } from "../../cli-error";
import { toCliError } from "./clv-options";
import { readClvInput, type CustomerIdList, type InputFormat } from "./read-clv-input";

/** Per-customer summaries ready for fitting, from either input format. */
export interface LoadedSummaries {
  /** Customer ids, in the order of the columns. */
  ids: CustomerIdList;
  columns: SummaryColumns;
}

/**
 * Reads the input file and produces calibration summaries: summary files as given (read
 * straight into columns and validated there), transaction files summarised up to the
 * calibration end (default: the last purchase day).
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
      validateSummaryColumns(input.columns, (row) => input.ids.at(row)!);
      return { ids: input.ids, columns: input.columns };
    }
    const summaries = summarizeTransactions(input.transactions, {
      calibrationEnd: calibrationEnd ?? input.lastDay,
      timeUnit,
      now,
    });
    return { ids: summaries.map((s) => s.customerId), columns: toSummaryColumns(summaries) };
  } catch (error) {
    throw toCliError(error, path, input.lines);
  }
}
