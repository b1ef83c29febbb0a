import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { CliError } from "../../cli-error";

/** One data row of a CSV file: its fields and its line number in the file (1-based). */
export interface CsvRow {
  fields: string[];
  line: number;
}

/**
 * Streams a CSV file with a header row: yields the header once (first call of `onHeader`) and
 * then every data row with its line number. A leading UTF-8 BOM and CRLF line ends are
 * accepted; blank lines are skipped; a row with the wrong number of fields is an error naming
 * its line.
 *
 * @param path file to read.
 * @param onHeader receives the header fields (trimmed).
 * @param onRow receives each data row.
 * @throws {CliError} when the file cannot be read, is empty, or is not valid CSV.
 */
export async function readCsv(
  path: string,
  onHeader: (header: string[]) => void,
  onRow: (row: CsvRow) => void,
): Promise<void> {
  const source = createReadStream(path);
  const parser = source.pipe(
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  // pipe() does not forward errors: a missing file must end the iteration below.
  source.on("error", (error) => parser.destroy(error));
  let header: string[] | undefined;
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const { record, info } = item;
      if (!header) {
        header = record;
        onHeader(header);
        continue;
      }
      if (record.length !== header.length) {
        throw new CliError(
          `${path} line ${info.lines}: expected ${header.length} fields, found ${record.length}`,
        );
      }
      onRow({ fields: record, line: info.lines });
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as { code?: string }).code;
    if (code === "ENOENT") throw new CliError(`cannot read ${path}: no such file`);
    if (code === "EISDIR") throw new CliError(`cannot read ${path}: it is a directory`);
    const lines = (error as { lines?: number }).lines;
    const where = lines === undefined ? "" : ` line ${lines}`;
    throw new CliError(`${path}${where}: ${(error as Error).message}`);
  }
  if (!header) throw new CliError(`${path} is empty: expected a header row`);
}
