import { ORDER_COLUMNS } from "@valuetier/domain";
import { describe, expect, it } from "vitest";
import { sqlDialect } from "../../db/sql-dialect";
import type { DataSource } from "typeorm";
import { OrderBatchImporter, type OrderLineReader } from "./order-batch";
import type { ImportSettings } from "./import-model";

const settings: ImportSettings = {
  now: new Date("2025-01-01T00:00:00Z"),
  futureToleranceMs: 24 * 60 * 60 * 1000,
  currency: "usd",
  describeRef: (ref) => `line ${ref}`,
  write: true,
  mode: "bulk",
};

function importer(): OrderBatchImporter {
  const dialect = sqlDialect({ options: { type: "mysql" } } as DataSource);
  const customers = { ids: new Map(), rejectedRefs: new Map(), firstSeenMs: new Map() };
  return new OrderBatchImporter(dialect, settings, customers, {
    unknownCustomer: () => "unknown",
    needIds: false,
  });
}

const HEADER = [...ORDER_COLUMNS.required];

function readerFor(target: OrderBatchImporter, header = HEADER): OrderLineReader {
  const reader = target.lineReader({
    columns: HEADER.map((name) => ({ name, index: header.indexOf(name) })),
    width: header.length,
  });
  if (!reader) throw new Error("no reader");
  return reader;
}

// Variants of each field: the usual form first, then ones the reader must leave to accept()
// or read exactly as accept() does.
const VARIANTS: Record<string, string[]> = {
  external_id: [
    "O1",
    "O2",
    "ord-9_x",
    " O3",
    "O4 ",
    "O 5",
    "",
    "Ö6",
    "x".repeat(191),
    "y".repeat(192),
    "O1",
  ],
  customer_external_id: ["C1", "c1", " C2", "C\u00003", "", "C-4.5"],
  placed_at: [
    "2024-02-13T06:29:34Z",
    "2024-02-29T23:59:59Z",
    "2023-02-29T10:00:00Z",
    "2024-02-13t06:29:34z",
    "2024-02-13T24:00:00Z",
    "2024-02-13T06:60:00Z",
    "2024-02-13T06:29:60Z",
    "2024-02-13",
    "2024-02-13T06:29Z",
    "2024-02-13T06:29:34.5Z",
    "2024-02-13T06:29:34+02:00",
    "2025-01-01T23:59:59Z",
    "2025-01-02T00:00:01Z",
    "0999-12-31T00:00:00Z",
    "1000-01-01T00:00:00Z",
    "2024-13-01T00:00:00Z",
    "2024-00-10T00:00:00Z",
    "2024-04-31T00:00:00Z",
    "2024-04-00T00:00:00Z",
    "20x4-02-13T06:29:34Z",
    "",
  ],
  amount: [
    "38.32",
    "38",
    "38.3",
    "0",
    "0.00",
    "007.10",
    "38.321",
    "-1.00",
    "+1.00",
    " 38.32",
    "1e3",
    ".5",
    "5.",
    "",
    "999999999999.99",
    "9999999999999999",
  ],
  margin: ["9.58", "", "0", "38.32", "38.33", "-2.00", "9.5", "9.585", " 1"],
  currency: ["USD", "usd", "Usd", "EUR", "XYZ", "US", "USDD", " USD", ""],
  status: ["completed", "refunded", "Completed", "REFUNDED", "shipped", " completed", ""],
};

describe("OrderBatchImporter.lineReader", () => {
  it("gives exactly what accept() gives, or leaves the line to it", () => {
    const slow = importer();
    const fast = importer();
    const read = readerFor(fast);
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let taken = 0;
    for (let line = 2; line < 20_000; line++) {
      // Mostly usual values, so that duplicates and every single odd field occur.
      const record: Record<string, string> = {};
      for (const name of HEADER) {
        const variants = VARIANTS[name]!;
        record[name] = next(3) === 0 ? variants[next(variants.length)]! : variants[0]!;
      }
      if (next(4) === 0) record.external_id = `O${line}`;
      const text = HEADER.map((name) => record[name]).join(",");
      const bytes = Buffer.from(`xx${text}\n`);
      const expected = slow.accept(line, record, null);
      const viaBytes = read(bytes, 2, bytes.length - 1, line);
      if (viaBytes !== undefined) taken++;
      const got = viaBytes ?? fast.accept(line, record, null);
      expect(got, text).toEqual(expected);
    }
    // The usual lines were read from their bytes.
    expect(taken).toBeGreaterThan(2_000);
  });

  it("reads the columns in the header's order, and needs every one of them", () => {
    const header = [
      "status",
      "currency",
      "margin",
      "amount",
      "placed_at",
      "customer_external_id",
      "external_id",
      "note",
    ];
    const read = readerFor(importer(), header);
    const bytes = Buffer.from("refunded,USD,,12.5,2024-02-13T06:29:34Z,C9,O9,anything");
    expect(read(bytes, 0, bytes.length, 5)).toEqual({
      ref: 5,
      row: {
        externalId: "O9",
        customerExternalId: "C9",
        placedAt: new Date("2024-02-13T06:29:34Z"),
        amountMinor: 1250,
        marginMinor: null,
        currency: "USD",
        status: "refunded",
      },
      errors: [],
      status: "pending",
      id: null,
    });
    // A line with a field too many or too few is left to accept().
    const short = Buffer.from("refunded,USD,,12.5,2024-02-13T06:29:34Z,C9,O10");
    expect(read(short, 0, short.length, 6)).toBeUndefined();
    expect(
      importer().lineReader({
        columns: [{ name: "external_id", index: 0 }],
        width: 1,
      }),
    ).toBeUndefined();
  });
});
