import {
  currencyExponent,
  externalIdKey,
  FIELD_LIMITS,
  isKnownCurrency,
  validateOrderRecord,
  type ImportFieldError,
  type ImportOrderStatus,
  type ImportRecord,
  type OrderRow,
} from "@valuetier/domain";
import type { EntityManager } from "typeorm";
import { toSafeInteger } from "../../db/column-types";
import { fromSqlDateTime } from "../../db/sql-values";
import { addError, newEntry, reject, type ImportEntry, type ImportSettings } from "./import-model";
import { FirstSeenIndex } from "./first-seen-index";
import { NewCustomerTotals } from "./customer-aggregates";
import { NewRowInserter, TsvWriter } from "./local-infile";
import type { CsvHeader } from "./csv-source";
import {
  chunks,
  insertAllNew,
  sqlDateTime,
  type SqlDialect,
  type SqlValue,
} from "../../db/sql-dialect";

interface StoredOrder {
  id: number;
  external_id: string;
  customer_id: number;
  placed_at: Date | string;
  amount_minor: number | string;
  margin_minor: number | string | null;
  currency: string;
  status: string;
}

const COLUMNS = [
  "external_id",
  "customer_id",
  "placed_at",
  "amount_minor",
  "margin_minor",
  "currency",
  "status",
] as const;

/** Rows per INSERT statement (MySQL; SQLite is capped by its bound-variable limit). */
const ROWS_PER_INSERT = 5000;

/** The customers an order import can refer to, shared with the customer import of the same run. */
export interface CustomerDirectory {
  /** External id key → id (-1: would be created, in a checking pass). Filled further by lookups. */
  readonly ids: Map<string, number>;
  /** External id key → where the customer's own record was rejected. */
  readonly rejectedRefs: ReadonlyMap<string, number>;
  /** Customers the same import created (committed), so had no orders before it. */
  readonly createdIds?: ReadonlySet<number>;
  /** External id key → when the customer was first seen (ms): no order may come before it. */
  readonly firstSeenMs: Map<string, number>;
}

type Resolved = { entry: ImportEntry<OrderRow>; customerId: number };

export interface OrderImportOptions {
  /** Explains an order whose customer is unknown, e.g. which customers.csv line was rejected. */
  unknownCustomer: (externalId: string, rejectedRef: number | undefined) => string;
  /** Fetch the ids of newly created orders (the API returns them; the CSV import does not need them). */
  needIds: boolean;
  /** Writes chunks of new orders (CSV imports: LOAD DATA where allowed). Default: INSERT. */
  inserter?: NewRowInserter;
}

function unchanged(stored: StoredOrder, row: OrderRow, customerId: number): boolean {
  return (
    Number(stored.customer_id) === customerId &&
    fromSqlDateTime(stored.placed_at)!.getTime() === row.placedAt.getTime() &&
    toSafeInteger(stored.amount_minor) === row.amountMinor &&
    toSafeInteger(stored.margin_minor) === row.marginMinor &&
    stored.currency === row.currency &&
    stored.status === row.status
  );
}

/**
 * Imports orders batch by batch, like {@link CustomerBatchImporter}: `accept` validates and
 * checks for a duplicate external id; `process` resolves customers (from the import's own map,
 * else the database, each unknown id looked up once) and writes the orders.
 *
 * Writing tries the cheap path first: a plain INSERT of the whole chunk, which succeeds when
 * none of its orders is stored yet (a first import). When one is, the INSERT fails as a whole
 * and the chunk takes the full path: classify against the stored orders (new, changed,
 * unchanged, moved to another customer) and upsert the new and changed ones. After such a
 * failure the cheap path is skipped until a chunk turns out to hold only new orders again, so
 * a rerun does not pay for failed INSERTs.
 *
 * It collects which customers' aggregates must be recomputed from the orders, and sums the
 * aggregates of customers the same import created from their new orders
 * ({@link NewCustomerTotals}), which spares the recompute for a first import.
 */
export class OrderBatchImporter {
  /** Customers whose aggregates need recomputing: referenced by an order, or left by one. */
  readonly touchedCustomerIds = new Set<number>();
  /** Aggregates of created customers, from the committed new orders (see `committed`). */
  readonly newCustomerTotals = new NewCustomerTotals();
  private readonly firstRef = new FirstSeenIndex();
  private readonly missingCustomers = new Set<string>();
  private insertFirst = true;
  private readonly uncommitted = new WeakMap<readonly ImportEntry<OrderRow>[], Resolved[]>();

  constructor(
    private readonly dialect: SqlDialect,
    private readonly settings: ImportSettings,
    private readonly customers: CustomerDirectory,
    private readonly options: OrderImportOptions,
  ) {}

  /** Validates one record (synchronously, in input order). */
  accept(
    ref: number,
    record: ImportRecord | null,
    problem: ImportFieldError | null,
  ): ImportEntry<OrderRow> {
    const entry = newEntry<OrderRow>(ref);
    if (record === null) {
      reject(entry, problem ?? { field: null, code: "MALFORMED_CSV", message: "unreadable row" });
      return entry;
    }
    const rawId = record.external_id?.trim() ?? "";
    if (rawId !== "") {
      const key = externalIdKey(rawId);
      const first = this.firstRef.firstOrAdd(key, ref);
      if (first !== undefined) {
        addError(entry, {
          field: "external_id",
          code: "DUPLICATE",
          message: `"${rawId}" already appears on ${this.settings.describeRef(first)}`,
        });
      }
    }
    const result = validateOrderRecord(record, this.settings);
    if (!result.ok) entry.errors = [...entry.errors, ...result.errors];
    if (entry.errors.length > 0) entry.status = "rejected";
    else if (result.ok) entry.row = result.row;
    return entry;
  }

  /**
   * A reader of order lines straight from their bytes, for the usual machine-made line
   * (`O1,C1,2024-02-13T06:29:34Z,38.32,9.58,USD,completed`): printable ids without spaces, a
   * `YYYY-MM-DDTHH:MM:SSZ` time, plain non-negative amounts, the store currency in capitals and
   * a lower-case status. It gives exactly the entry {@link accept} gives such a line, without
   * decoding every field to a string; any other line (and any line with a problem: a
   * duplicate id, a future date, a margin above the amount…) returns undefined and goes
   * through `accept`. Undefined when the header lacks a column.
   */
  lineReader(header: CsvHeader): OrderLineReader | undefined {
    const parse = usualLineParser(header, this.settings);
    if (parse === undefined) return undefined;
    const currency = this.settings.currency.toUpperCase();
    return (buf, start, end, line) => {
      const fields = parse(buf, start, end);
      if (fields === null) return undefined;
      const externalId = buf.toString("latin1", fields.idStart, fields.idEnd);
      // Last, so that a line left to accept() is not yet registered: it then reports the
      // duplicate itself.
      if (this.firstRef.firstOrAdd(externalIdKey(externalId), line) !== undefined) {
        return undefined;
      }
      const entry = newEntry<OrderRow>(line);
      entry.row = {
        externalId,
        customerExternalId: buf.toString("latin1", fields.customerStart, fields.customerEnd),
        placedAt: new Date(fields.ms),
        amountMinor: fields.amount,
        marginMinor: fields.margin,
        currency,
        status: fields.status,
      };
      return entry;
    };
  }

  /** Resolves customers, classifies and writes one batch, inside the caller's transaction. */
  async process(manager: EntityManager, entries: readonly ImportEntry<OrderRow>[]): Promise<void> {
    const valid = entries.filter((e) => e.status === "pending");
    if (valid.length === 0) return;
    const keys = valid.map((e) => externalIdKey(e.row!.customerExternalId));
    await this.resolveCustomers(manager, valid, keys);

    const resolved: Resolved[] = [];
    valid.forEach((entry, i) => {
      const key = keys[i]!;
      const customerId = this.customers.ids.get(key);
      const firstSeenMs = this.customers.firstSeenMs.get(key);
      if (customerId === undefined) {
        reject(entry, {
          field: "customer_external_id",
          code: "UNKNOWN_CUSTOMER",
          message: this.options.unknownCustomer(
            entry.row!.customerExternalId,
            this.customers.rejectedRefs.get(key),
          ),
        });
      } else if (firstSeenMs !== undefined && entry.row!.placedAt.getTime() < firstSeenMs) {
        reject(entry, {
          field: "placed_at",
          code: "BEFORE_CUSTOMER",
          message:
            `${entry.row!.placedAt.toISOString()} is before customer "${entry.row!.customerExternalId}" ` +
            `was first seen (${new Date(firstSeenMs).toISOString()}): correct the order's date or the customer's created_at`,
        });
      } else {
        resolved.push({ entry, customerId });
      }
    });
    // New completed orders of customers this import created, for newCustomerTotals once
    // the batch has committed (a retried batch starts this list again).
    const fresh: Resolved[] = [];
    this.uncommitted.set(entries, fresh);
    const rowsPerInsert = this.dialect.rowsPerInsert(COLUMNS.length, ROWS_PER_INSERT);
    const insertFirst = this.settings.mode === "bulk" && this.settings.write;
    for (const part of chunks(resolved, rowsPerInsert)) {
      if (insertFirst && this.insertFirst && (await this.insertNew(manager, part, fresh))) {
        continue;
      }
      await this.classifyAndUpsert(manager, part, fresh);
    }
  }

  /**
   * After the transaction of `process` committed: adds the batch's new completed orders of
   * created customers to {@link newCustomerTotals}.
   */
  committed(entries: readonly ImportEntry<OrderRow>[]): void {
    const fresh = this.uncommitted.get(entries);
    if (fresh === undefined) return;
    this.uncommitted.delete(entries);
    if (!this.settings.write) return;
    for (const { entry, customerId } of fresh) {
      this.newCustomerTotals.addCompleted(customerId, entry.row!.amountMinor, entry.row!.placedAt);
    }
  }

  /**
   * A new order: the aggregates of a customer the import created come from the totals, any
   * other customer's are recomputed.
   */
  private added(item: Resolved, fresh: Resolved[]): void {
    const { entry, customerId } = item;
    entry.created = true;
    if (customerId < 0) return;
    if (this.customers.createdIds?.has(customerId) !== true) {
      this.touchedCustomerIds.add(customerId);
    } else if (entry.row!.status === "completed") {
      fresh.push(item);
    }
  }

  /**
   * Inserts the chunk as new orders. False, with nothing written, when any of them is already
   * stored.
   */
  private async insertNew(
    manager: EntityManager,
    part: readonly Resolved[],
    fresh: Resolved[],
  ): Promise<boolean> {
    const inserter = this.options.inserter ?? new NewRowInserter(this.dialect);
    const rows = {
      count: part.length,
      values: () => rowValues(part),
      tsv: () => rowText(part),
    };
    if (!(await inserter.insertRows(manager, "orders", COLUMNS, rows))) {
      this.insertFirst = false;
      return false;
    }
    for (const item of part) {
      item.entry.status = "imported";
      this.added(item, fresh);
    }
    if (this.options.needIds) await this.fillIds(manager, part);
    return true;
  }

  private async classifyAndUpsert(
    manager: EntityManager,
    part: readonly Resolved[],
    fresh: Resolved[],
  ): Promise<void> {
    const stored = await this.fetchStored(
      manager,
      part.map((r) => r.entry.row!.externalId),
    );
    if (stored.size === 0) this.insertFirst = true;
    const toWrite: Resolved[] = [];
    for (const item of part) {
      const { entry, customerId } = item;
      const existing = stored.get(externalIdKey(entry.row!.externalId));
      if (existing === undefined) {
        if (this.settings.write) this.added(item, fresh);
      } else {
        if (customerId >= 0) this.touchedCustomerIds.add(customerId);
        // The order moves to another customer: the previous one's aggregates change too.
        if (Number(existing.customer_id) !== customerId) {
          this.touchedCustomerIds.add(Number(existing.customer_id));
        }
      }
      if (existing !== undefined && unchanged(existing, entry.row!, customerId)) {
        entry.status = "unchanged";
        entry.id = existing.id;
      } else {
        entry.status = "imported";
        entry.id = existing?.id ?? null;
        toWrite.push(item);
      }
    }
    if (toWrite.length === 0 || !this.settings.write) return;

    if (this.settings.mode === "exact") {
      // New orders by a plain INSERT, so that one a concurrent call inserted meanwhile is never
      // counted as created here: the call runs again, and then finds it stored.
      const created = toWrite.filter((w) => w.entry.id === null);
      const changed = toWrite.filter((w) => w.entry.id !== null);
      if (
        created.length > 0 &&
        !(await insertAllNew(manager, this.dialect, "orders", COLUMNS, rowValues(created)))
      ) {
        throw concurrentInsert();
      }
      if (changed.length > 0) {
        const statement = this.dialect.upsert("orders", COLUMNS, rowValues(changed));
        await manager.query(statement.sql, statement.params);
      }
    } else {
      const statement = this.dialect.upsert("orders", COLUMNS, rowValues(toWrite));
      await manager.query(statement.sql, statement.params);
    }
    if (this.options.needIds)
      await this.fillIds(
        manager,
        toWrite.filter((w) => w.entry.id === null),
      );
  }

  /**
   * Sets the ids of newly created orders (the API returns them). This transaction has just
   * inserted them and holds their locks, so a plain read finds them as written.
   */
  private async fillIds(manager: EntityManager, created: readonly Resolved[]): Promise<void> {
    const ids = await this.readStored(
      manager,
      created.map((w) => w.entry.row!.externalId),
      "",
    );
    for (const { entry } of created) {
      entry.id = ids.get(externalIdKey(entry.row!.externalId))?.id ?? null;
    }
  }

  /**
   * Looks up, once each, the customers of this batch that the import does not know yet. An API
   * call ("exact") looks up and locks every customer it refers to, in one statement whose scan
   * of the unique index takes the locks in key order: calls that share customers then queue
   * behind each other instead of deadlocking, and an order's customer cannot change under it.
   */
  private async resolveCustomers(
    manager: EntityManager,
    valid: readonly ImportEntry<OrderRow>[],
    keys: readonly string[],
  ): Promise<void> {
    const exact = this.settings.mode === "exact";
    const wanted = new Map<string, string>();
    valid.forEach((entry, i) => {
      const key = keys[i]!;
      if (exact || (!this.customers.ids.has(key) && !this.missingCustomers.has(key))) {
        wanted.set(key, entry.row!.customerExternalId);
      }
    });
    if (wanted.size === 0) return;
    const lock = exact && this.settings.write ? this.dialect.forUpdate : "";
    for (const part of chunks([...wanted.values()].sort(), this.dialect.maxBoundValues)) {
      const list = this.dialect.inList(part);
      const rows: { id: number; external_id: string; first_seen_at: Date | string }[] =
        await manager.query(
          `SELECT id, external_id, first_seen_at FROM customers WHERE external_id IN (${list.sql})${lock}`,
          list.params,
        );
      for (const row of rows) {
        const key = externalIdKey(row.external_id);
        this.customers.ids.set(key, Number(row.id));
        this.customers.firstSeenMs.set(key, fromSqlDateTime(row.first_seen_at)!.getTime());
        wanted.delete(key);
      }
    }
    for (const key of wanted.keys()) this.missingCustomers.add(key);
  }

  /**
   * The stored orders of these external ids; when writing, locked (FOR UPDATE). An API call
   * ("exact") reads without a lock first and then locks only the orders that exist: a locking
   * read of a missing key takes a gap lock on MySQL, and concurrent calls inserting new orders
   * into the same gap then deadlock on each other (every call of 50 concurrent clients recording
   * new orders ran into it).
   */
  private async fetchStored(
    manager: EntityManager,
    externalIds: string[],
  ): Promise<Map<string, StoredOrder>> {
    if (this.settings.write && this.settings.mode === "exact") {
      const found = await this.readStored(manager, externalIds, "");
      if (found.size === 0) return found;
      return this.readStored(
        manager,
        [...found.values()].map((row) => row.external_id),
        this.dialect.forUpdate,
      );
    }
    return this.readStored(manager, externalIds, this.settings.write ? this.dialect.forUpdate : "");
  }

  private async readStored(
    manager: EntityManager,
    externalIds: string[],
    lock: string,
  ): Promise<Map<string, StoredOrder>> {
    const stored = new Map<string, StoredOrder>();
    for (const part of chunks(externalIds, this.dialect.maxBoundValues)) {
      const list = this.dialect.inList(part);
      const rows: StoredOrder[] = await manager.query(
        "SELECT id, external_id, customer_id, placed_at, amount_minor, margin_minor, currency, " +
          `status FROM orders WHERE external_id IN (${list.sql})${lock}`,
        list.params,
      );
      for (const row of rows) stored.set(externalIdKey(row.external_id), row);
    }
    return stored;
  }
}

/**
 * A new order of an API call collided with one a concurrent call inserted after this call read:
 * answered like a deadlock (errno 1213), so that runInTransaction runs the whole call again and
 * reports what it finds then.
 */
function concurrentInsert(): Error {
  return Object.assign(
    new Error("an order of this call was inserted by a concurrent call; running it again"),
    { errno: 1213 },
  );
}

/** Reads one line of orders.csv from its bytes (see {@link OrderBatchImporter.lineReader}). */
export type OrderLineReader = (
  buf: Buffer,
  start: number,
  end: number,
  line: number,
) => ImportEntry<OrderRow> | undefined;

const COMMA = 0x2c;
const ZERO = 0x30;

/** The fields of a usual order line (see {@link usualLineParser}); ids as byte ranges. */
export interface UsualOrderLine {
  idStart: number;
  idEnd: number;
  customerStart: number;
  customerEnd: number;
  /** placed_at, ms since the epoch. */
  ms: number;
  amount: number;
  margin: number | null;
  status: ImportOrderStatus;
}

/**
 * The parser behind {@link OrderBatchImporter.lineReader}: given a line's bytes, the fields
 * of a usual machine-made line that validation would accept as it stands (but for checks that
 * need other rows or the database: duplicates, customers), or null for any other line. The
 * object returned is reused for the next line. Undefined when the header lacks a column or the
 * store currency is not a plain ISO code.
 */
export function usualLineParser(
  header: CsvHeader,
  settings: Pick<ImportSettings, "currency" | "now" | "futureToleranceMs">,
): ((buf: Buffer, start: number, end: number) => UsualOrderLine | null) | undefined {
  const at = (name: string) => header.columns.find((c) => c.name === name)?.index ?? -1;
  const idAt = at("external_id");
  const customerAt = at("customer_external_id");
  const placedAt = at("placed_at");
  const amountAt = at("amount");
  const marginAt = at("margin");
  const currencyAt = at("currency");
  const statusAt = at("status");
  const width = header.width;
  if ([idAt, customerAt, placedAt, amountAt, marginAt, currencyAt, statusAt].includes(-1)) {
    return undefined;
  }
  const currency = settings.currency.toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency) || !isKnownCurrency(currency)) return undefined;
  const exponent = currencyExponent(currency);
  const c0 = currency.charCodeAt(0);
  const c1 = currency.charCodeAt(1);
  const c2 = currency.charCodeAt(2);
  const latestMs = settings.now.getTime() + settings.futureToleranceMs;
  // Field i is buf[starts[i], starts[i + 1] - 1).
  const starts = new Int32Array(width + 1);
  const out: UsualOrderLine = {
    idStart: 0,
    idEnd: 0,
    customerStart: 0,
    customerEnd: 0,
    ms: 0,
    amount: 0,
    margin: null,
    status: "completed",
  };
  return (buf, start, end) => {
    let fields = 0;
    starts[0] = start;
    for (let i = start; i < end; i++) {
      if (buf[i] === COMMA && ++fields < width) starts[fields] = i + 1;
    }
    if (fields !== width - 1) return null;
    starts[width] = end + 1;
    const idEnd = starts[idAt + 1]! - 1;
    const customerEnd = starts[customerAt + 1]! - 1;
    if (!plainId(buf, starts[idAt]!, idEnd) || !plainId(buf, starts[customerAt]!, customerEnd)) {
      return null;
    }
    const ms = utcSeconds(buf, starts[placedAt]!, starts[placedAt + 1]! - 1);
    if (Number.isNaN(ms) || ms > latestMs) return null;
    const amount = plainMoney(buf, starts[amountAt]!, starts[amountAt + 1]! - 1, exponent);
    if (amount < 0) return null;
    const marginStart = starts[marginAt]!;
    const marginEnd = starts[marginAt + 1]! - 1;
    let margin: number | null = null;
    if (marginEnd > marginStart) {
      margin = plainMoney(buf, marginStart, marginEnd, exponent);
      if (margin < 0 || margin > amount) return null;
    }
    const currencyStart = starts[currencyAt]!;
    if (
      starts[currencyAt + 1]! - 1 - currencyStart !== 3 ||
      buf[currencyStart] !== c0 ||
      buf[currencyStart + 1] !== c1 ||
      buf[currencyStart + 2] !== c2
    ) {
      return null;
    }
    const status = statusOf(buf, starts[statusAt]!, starts[statusAt + 1]! - 1);
    if (status === null) return null;
    out.idStart = starts[idAt]!;
    out.idEnd = idEnd;
    out.customerStart = starts[customerAt]!;
    out.customerEnd = customerEnd;
    out.ms = ms;
    out.amount = amount;
    out.margin = margin;
    out.status = status;
    return out;
  };
}

/** A valid external id of printable ASCII without spaces (which validation would trim or refuse). */
function plainId(buf: Buffer, start: number, end: number): boolean {
  if (end <= start || end - start > FIELD_LIMITS.externalId) return false;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c <= 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** The value of the decimal digits buf[at, at + count), or -1 when one is not a digit. */
function digits(buf: Buffer, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = buf[i]! - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `YYYY-MM-DDTHH:MM:SSZ` as ms since the epoch, for a real date and time of the years 1000 to
 * 9999 (what parseTimestamp accepts and gives for this form); NaN for anything else.
 */
function utcSeconds(buf: Buffer, start: number, end: number): number {
  if (
    end - start !== 20 ||
    buf[start + 4] !== 0x2d ||
    buf[start + 7] !== 0x2d ||
    buf[start + 10] !== 0x54 || // T
    buf[start + 13] !== 0x3a ||
    buf[start + 16] !== 0x3a ||
    buf[start + 19] !== 0x5a // Z
  ) {
    return Number.NaN;
  }
  const year = digits(buf, start, 4);
  const month = digits(buf, start + 5, 2);
  const day = digits(buf, start + 8, 2);
  const hour = digits(buf, start + 11, 2);
  const minute = digits(buf, start + 14, 2);
  const second = digits(buf, start + 17, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || minute < 0) {
    return Number.NaN;
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > monthDays || hour > 23 || minute > 59 || second < 0 || second > 59) {
    return Number.NaN;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/**
 * A plain non-negative amount (`38`, `38.3`, `38.32`: digits, and at most `exponent` decimals
 * after a point) in minor units, as parseMoney gives it; -1 for anything else (signs, spaces,
 * too many decimals or digits).
 */
function plainMoney(buf: Buffer, start: number, end: number, exponent: number): number {
  if (end <= start || end - start > 15) return -1;
  let value = 0;
  let whole = 0;
  let fraction = -1;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === 0x2e && fraction < 0) {
      fraction = 0;
      continue;
    }
    const d = c - ZERO;
    if (d < 0 || d > 9) return -1;
    if (fraction >= 0) fraction++;
    else whole++;
    value = value * 10 + d;
  }
  if (whole === 0 || fraction === 0 || fraction > exponent) return -1;
  for (let k = Math.max(fraction, 0); k < exponent; k++) value *= 10;
  return value;
}

const COMPLETED = Buffer.from("completed");
const REFUNDED = Buffer.from("refunded");

/** Whether buf[start, end) holds exactly `word` (a byte loop: Buffer.compare costs more for a few bytes). */
function isWord(buf: Buffer, start: number, end: number, word: Buffer): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[start + i] !== word[i]) return false;
  return true;
}

/** `completed` or `refunded`, exactly; null for anything else. */
function statusOf(buf: Buffer, start: number, end: number): ImportOrderStatus | null {
  if (isWord(buf, start, end, COMPLETED)) return "completed";
  if (isWord(buf, start, end, REFUNDED)) return "refunded";
  return null;
}

/** The rows as LOAD DATA text (as {@link rowValues} would give them), 2,000 rows a piece. */
function* rowText(part: readonly Resolved[]): Generator<Buffer> {
  const writer = new TsvWriter(2000 * 80);
  for (let i = 0; i < part.length; i++) {
    const { entry, customerId } = part[i]!;
    const row = entry.row!;
    writer.text(row.externalId);
    writer.integer(customerId);
    writer.dateTime(row.placedAt);
    writer.integer(row.amountMinor);
    writer.integer(row.marginMinor);
    writer.text(row.currency);
    writer.text(row.status);
    writer.endRow();
    if ((i + 1) % 2000 === 0) yield writer.take();
  }
  if (writer.length > 0) yield writer.take();
}

function rowValues(part: readonly Resolved[]): SqlValue[] {
  const values: SqlValue[] = [];
  for (const { entry, customerId } of part) {
    const row = entry.row!;
    values.push(
      row.externalId,
      customerId,
      sqlDateTime(row.placedAt),
      row.amountMinor,
      row.marginMinor,
      row.currency,
      row.status,
    );
  }
  return values;
}
