/** Why a whole import file is unusable. */
export type ImportFileErrorCode =
  | "FILE_NOT_FOUND"
  | "UNREADABLE"
  | "EMPTY_FILE"
  | "MISSING_COLUMNS"
  | "DUPLICATE_COLUMN"
  | "INVALID_ENCODING"
  | "MALFORMED_HEADER";

/**
 * A file that cannot be imported at all (missing, no header, a required column missing).
 * Nothing from it is written. The message is one line that names the file.
 */
export class ImportFileError extends Error {
  override readonly name = "ImportFileError";
  constructor(
    readonly code: ImportFileErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** The import was stopped through its AbortSignal; batches already committed stay. */
export class ImportAbortedError extends Error {
  override readonly name = "ImportAbortedError";
  readonly code = "ABORTED";
  constructor() {
    super("import aborted; committed batches stay, run the import again to finish it");
  }
}
