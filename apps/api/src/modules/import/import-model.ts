import type { ImportFieldError } from "@valuetier/domain";

/** One record on its way through an import batch. */
export interface ImportEntry<Row> {
  /** Where the record came from: its line in a CSV file, or its index in an API call. */
  ref: number;
  /** The validated row; null when the record was rejected before it reached the database. */
  row: Row | null;
  errors: ImportFieldError[];
  status: "pending" | "imported" | "unchanged" | "rejected";
  /** Database id once known (imported or unchanged). */
  id: number | null;
  /** True when this import inserted the row: nothing with its external id was stored. */
  created?: boolean;
  /**
   * Columns the caller left out (API calls only): the stored customer keeps its values for
   * them, where an explicit null would clear them.
   */
  omitted?: readonly string[];
}

/** What every batch of an import needs to know. */
export interface ImportSettings {
  now: Date;
  futureToleranceMs: number;
  /** Store currency, in which acquisition costs are given. */
  currency: string;
  /** How a person finds a record: "line 12", "input item 3". */
  describeRef: (ref: number) => string;
  /**
   * False for the checking pass of a strict import: everything is validated and looked up,
   * nothing is written.
   */
  write: boolean;
  /**
   * How rows are written. "bulk" (CSV files) tries a plain INSERT of a whole chunk first and
   * classifies only on a collision: fastest for a first load. "exact" (API calls) classifies
   * every row first with locking reads (SELECT … FOR UPDATE), so that what it reports as created,
   * updated or unchanged is what it wrote, however many calls run at once; it locks the
   * customers an order call refers to in one statement, in index order, so that calls sharing
   * customers queue instead of deadlocking; and columns left out keep their stored values.
   */
  mode: "bulk" | "exact";
}

/**
 * Per-file counts; read = imported + unchanged + rejected, and imported = created + updated
 * (updated: rows that changed records already stored).
 */
export interface ImportCounts {
  read: number;
  imported: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export const emptyCounts = (): ImportCounts => ({
  read: 0,
  imported: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  rejected: 0,
});

/** Shared by every entry without errors (most of them): never pushed to, only replaced. */
const NO_ERRORS: ImportFieldError[] = [];

export function newEntry<Row>(ref: number): ImportEntry<Row> {
  return { ref, row: null, errors: NO_ERRORS, status: "pending", id: null };
}

/** Adds a problem to an entry (a new array: the initial one is shared). */
export function addError<Row>(entry: ImportEntry<Row>, error: ImportFieldError): void {
  entry.errors = [...entry.errors, error];
}

export function reject<Row>(entry: ImportEntry<Row>, error: ImportFieldError): void {
  addError(entry, error);
  entry.status = "rejected";
}

/** Adds a batch's outcome to the counts. */
export function count(counts: ImportCounts, entries: readonly ImportEntry<unknown>[]): void {
  for (const entry of entries) {
    counts.read++;
    if (entry.status === "imported") {
      counts.imported++;
      if (entry.created === true) counts.created++;
      else counts.updated++;
    } else if (entry.status === "unchanged") counts.unchanged++;
    else counts.rejected++;
  }
}
