import { readCsvFile, type CsvFields } from "@valuetier/api/csv";
import { CliError } from "../../cli-error";

export type { CsvFields };

/**
 * Reads a CSV file with a header row through the import's reader (`@valuetier/api/csv`):
 * the same quoting rules, UTF-8 check, line numbers and messages as `valuetier import`. A
 * leading BOM and CRLF line ends are accepted and blank lines skipped; the first unreadable
 * row stops the command with a message naming the file and its line.
 *
 * @param path file to read.
 * @param onHeader receives the header fields as written.
 * @param onRow receives each data row (a view valid during the call).
 * @throws {CliError} when the file cannot be read, is empty, or a row cannot be read.
 */
export async function readCsv(
  path: string,
  onHeader: (header: string[]) => void,
  onRow: (row: CsvFields) => void,
): Promise<void> {
  let width = 0;
  const fail = (line: number, message: string): never => {
    throw new CliError(`${path} line ${line}: ${message}`);
  };
  try {
    await readCsvFile(path, {
      onHeader: (fields) => {
        width = fields.length;
        onHeader(fields);
      },
      onRow: (row) => {
        if (row.invalidUtf8) fail(row.line, "the line is not valid UTF-8 text");
        if (row.count !== width) {
          fail(
            row.line,
            `has ${row.count} field${row.count === 1 ? "" : "s"}, the header has ${width}`,
          );
        }
        onRow(row);
      },
      onProblem: fail,
    });
  } catch (error) {
    if (error instanceof CliError) throw error;
    // ImportFileError (missing file, empty file, unreadable header) already names the file.
    if (error instanceof Error && error.name === "ImportFileError") {
      throw new CliError(error.message);
    }
    throw error;
  }
}
