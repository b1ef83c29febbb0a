/**
 * `@valuetier/api/csv`: the CSV reader every file input shares (the import, `valuetier clv …`).
 * Imports nothing but Node and its own files, so a command that only reads files starts
 * without loading the ORM or the server.
 */
export {
  CsvTokenizer,
  MAX_RECORD_BYTES,
  checkCsvHeader,
  readCsvFile,
  streamCsvRows,
  type CsvFileVisitor,
  type CsvRecord,
  type CsvRow,
  type CsvStreamOptions,
  type CsvStreamSummary,
} from "./modules/import/csv-source";
export { CsvFields } from "./modules/import/csv-fields";
export { Utf8Guard } from "./modules/import/utf8-guard";
export { ImportFileError, type ImportFileErrorCode } from "./modules/import/import-errors";
