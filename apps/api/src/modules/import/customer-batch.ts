import {
  externalIdKey,
  validateCustomerRecord,
  type CustomerRow,
  type ImportFieldError,
  type ImportRecord,
} from "@valuetier/domain";
import type { EntityManager } from "typeorm";
import { toSafeInteger } from "../../db/column-types";
import { fromSqlDateTime } from "../../db/sql-values";
import { addError, newEntry, reject, type ImportEntry, type ImportSettings } from "./import-model";
import { FirstSeenIndex } from "./first-seen-index";
import type { OrderTotalsForecast } from "./order-totals-forecast";
import {
  chunks,
  insertAllNew,
  sqlDateTime,
  type SqlDialect,
  type SqlValue,
} from "../../db/sql-dialect";

interface StoredCustomer {
  id: number;
  external_id: string;
  email: string | null;
  name: string;
  first_seen_at: Date | string;
  acquisition_channel: string | null;
  acquisition_cost_minor: number | string | null;
  tags: string;
  nps: number | string | null;
}

const COLUMNS = [
  "external_id",
  "email",
  "name",
  "first_seen_at",
  "acquisition_channel",
  "acquisition_cost_minor",
  "tags",
  "nps",
] as const;

/** COLUMNS, and the order aggregates of a customer written with the forecast of its orders. */
const COLUMNS_WITH_TOTALS = [
  ...COLUMNS,
  "order_count",
  "total_spent_minor",
  "first_order_at",
  "last_order_at",
] as const;

/** Rows per INSERT statement (MySQL; SQLite is capped by its bound-variable limit). */
const ROWS_PER_INSERT = 2000;

/**
 * The customers.csv columns a caller may leave out of an API call, with the row field each
 * fills, and how the stored value reads back into that field.
 */
const KEEPABLE: Record<string, (stored: StoredCustomer, row: CustomerRow) => void> = {
  email: (s, r) => (r.email = s.email),
  name: (s, r) => (r.name = s.name),
  created_at: (s, r) => (r.createdAt = fromSqlDateTime(s.first_seen_at)!),
  acquisition_channel: (s, r) => (r.acquisitionChannel = s.acquisition_channel),
  acquisition_cost: (s, r) => (r.acquisitionCostMinor = toSafeInteger(s.acquisition_cost_minor)),
  tags: (s, r) => (r.tags = s.tags),
  nps: (s, r) => (r.nps = toSafeInteger(s.nps)),
};
const KEEPABLE_COLUMNS = Object.keys(KEEPABLE);

// Stands in for a left-out created_at while the record is validated; replaced by the stored
// value before anything is compared or written, and a new customer without one is rejected.
const UNSET_CREATED_AT = "1970-01-01T00:00:00.000Z";

function unchanged(stored: StoredCustomer, row: CustomerRow): boolean {
  return (
    stored.email === row.email &&
    stored.name === row.name &&
    fromSqlDateTime(stored.first_seen_at)!.getTime() === row.createdAt.getTime() &&
    stored.acquisition_channel === row.acquisitionChannel &&
    toSafeInteger(stored.acquisition_cost_minor) === row.acquisitionCostMinor &&
    stored.tags === row.tags &&
    toSafeInteger(stored.nps) === row.nps
  );
}

/**
 * Imports customers batch by batch: `accept` validates one record and checks it against the
 * records before it (duplicate external id or email); `process` classifies a batch against the
 * database (new, changed, unchanged; email owned by another customer) and upserts the new and
 * changed rows. One instance lives for one file or one API call, and keeps the external id →
 * id map that the orders of the same import resolve their customers with.
 *
 * Like the order importer, it writes a chunk with a plain INSERT first, and classifies it
 * against the stored customers only when that INSERT fails on a unique key (external id or
 * email): a first import skips the lookups, a rerun stops trying until a chunk is all new.
 * Unlike orders, new customers are written by multi-row INSERT even where LOAD DATA is
 * allowed: LOAD DATA holds the table's AUTO-INC lock for the whole statement (MySQL's and
 * MariaDB's innodb_autoinc_lock_mode 1), so the batches of customers, with their nine indexes,
 * went into the database one at a time, where INSERTs run side by side (bench:import: the
 * customers of a first import about 1 s sooner, of 5 s).
 */
export class CustomerBatchImporter {
  /** External id key → customer id, for every customer of this import that is stored (or, when checking only, would be: -1). */
  readonly ids = new Map<string, number>();
  /** External id key → when the customer was first seen (ms), for the orders' date check. */
  readonly firstSeenMs = new Map<string, number>();
  /** External id key → where a rejected customer record was, to explain orders that refer to it. */
  readonly rejectedRefs = new Map<string, number>();
  private readonly firstRef = new FirstSeenIndex();
  private readonly emailRef = new FirstSeenIndex();
  /** Customers this import created, once their batch committed: they had no orders before it. */
  readonly createdIds = new Set<number>();
  private insertFirst = true;

  constructor(
    private readonly dialect: SqlDialect,
    private readonly settings: ImportSettings,
    /**
     * The aggregates the orders file of the same import will give each customer: a customer
     * inserted as new is written with them (the import checks them at the end).
     */
    private forecast: OrderTotalsForecast | null = null,
  ) {}

  /** Lets go of the forecast once the customers are written (it holds every customer's totals). */
  dropForecast(): void {
    this.forecast = null;
  }

  /** Validates one record (synchronously, in input order). */
  accept(
    ref: number,
    record: ImportRecord | null,
    problem: ImportFieldError | null,
  ): ImportEntry<CustomerRow> {
    const entry = newEntry<CustomerRow>(ref);
    if (record === null) {
      reject(entry, problem ?? { field: null, code: "MALFORMED_CSV", message: "unreadable row" });
      return entry;
    }
    const rawId = record.external_id?.trim() ?? "";
    const key = rawId === "" ? null : externalIdKey(rawId);
    let isDuplicate = false;
    if (key !== null) {
      const first = this.firstRef.firstOrAdd(key, ref);
      isDuplicate = first !== undefined;
      if (first !== undefined) {
        addError(entry, {
          field: "external_id",
          code: "DUPLICATE",
          message: `"${rawId}" already appears on ${this.settings.describeRef(first)}`,
        });
      }
    }
    let checked = record;
    if (this.settings.mode === "exact") {
      const omitted = KEEPABLE_COLUMNS.filter((column) => record[column] === undefined);
      if (omitted.length > 0) {
        entry.omitted = omitted;
        checked = { ...record };
        for (const column of omitted) {
          (checked as Record<string, string>)[column] =
            column === "created_at" ? UNSET_CREATED_AT : "";
        }
      }
    }
    const result = validateCustomerRecord(checked, this.settings);
    if (!result.ok) entry.errors = [...entry.errors, ...result.errors];
    else if (entry.errors.length === 0 && result.row.email !== null) {
      const first = this.emailRef.firstOrAdd(result.row.email, ref);
      if (first !== undefined) {
        addError(entry, {
          field: "email",
          code: "DUPLICATE",
          message: `${result.row.email} is already used on ${this.settings.describeRef(first)}`,
        });
      }
    }
    if (entry.errors.length > 0) {
      entry.status = "rejected";
      if (key !== null && !isDuplicate) this.rejectedRefs.set(key, ref);
    } else if (result.ok) {
      entry.row = result.row;
    }
    return entry;
  }

  /** Classifies and writes one batch, inside the caller's transaction. */
  async process(
    manager: EntityManager,
    entries: readonly ImportEntry<CustomerRow>[],
  ): Promise<void> {
    const valid = entries.filter((e) => e.status === "pending");
    const rowsPerInsert = this.dialect.rowsPerInsert(COLUMNS_WITH_TOTALS.length, ROWS_PER_INSERT);
    const insertFirst = this.settings.mode === "bulk" && this.settings.write;
    for (const part of chunks(valid, rowsPerInsert)) {
      if (insertFirst && this.insertFirst && (await this.insertNew(manager, part))) {
        continue;
      }
      await this.classifyAndUpsert(manager, part);
    }
  }

  /** After the transaction of `process` committed: remembers the customers it created. */
  committed(entries: readonly ImportEntry<CustomerRow>[]): void {
    for (const entry of entries) {
      if (entry.created === true && entry.id !== null) this.createdIds.add(entry.id);
    }
  }

  /**
   * Inserts the chunk as new customers. False, with nothing written, when any of them
   * collides with a stored one (external id or email).
   */
  private async insertNew(
    manager: EntityManager,
    part: readonly ImportEntry<CustomerRow>[],
  ): Promise<boolean> {
    const columns = this.forecast === null ? COLUMNS : COLUMNS_WITH_TOTALS;
    if (
      !(await insertAllNew(
        manager,
        this.dialect,
        "customers",
        columns,
        rowValues(part, this.forecast),
      ))
    ) {
      this.insertFirst = false;
      return false;
    }
    for (const entry of part) {
      entry.status = "imported";
      entry.created = true;
    }
    await this.fillCreatedIds(manager, part);
    return true;
  }

  private async classifyAndUpsert(
    manager: EntityManager,
    part: readonly ImportEntry<CustomerRow>[],
  ): Promise<void> {
    const stored = await this.fetchStored(
      manager,
      part.map((e) => e.row!.externalId),
    );
    if (stored.size === 0) this.insertFirst = true;
    this.keepOmitted(part, stored);
    await this.rejectTakenEmails(manager, part, stored);

    const toWrite: ImportEntry<CustomerRow>[] = [];
    for (const entry of part) {
      if (entry.status !== "pending") continue;
      const row = entry.row!;
      const key = externalIdKey(row.externalId);
      const existing = stored.get(key);
      if (existing !== undefined && unchanged(existing, row)) {
        entry.status = "unchanged";
        entry.id = existing.id;
        this.remember(entry.row!, existing.id);
      } else {
        entry.status = "imported";
        entry.id = existing?.id ?? null;
        entry.created = existing === undefined;
        toWrite.push(entry);
      }
    }
    if (toWrite.length === 0) return;
    if (!this.settings.write) {
      for (const entry of toWrite) this.remember(entry.row!, entry.id ?? -1);
      return;
    }

    const statement = this.dialect.upsert("customers", COLUMNS, rowValues(toWrite));
    await manager.query(statement.sql, statement.params);
    for (const entry of toWrite) {
      if (entry.id !== null) this.remember(entry.row!, entry.id);
    }
    await this.fillCreatedIds(
      manager,
      toWrite.filter((e) => e.id === null),
    );
  }

  /**
   * Columns an API caller left out keep the stored customer's values; a customer that does not
   * exist yet needs its created_at.
   */
  private keepOmitted(
    part: readonly ImportEntry<CustomerRow>[],
    stored: Map<string, StoredCustomer>,
  ): void {
    for (const entry of part) {
      if (entry.omitted === undefined || entry.status !== "pending") continue;
      const existing = stored.get(externalIdKey(entry.row!.externalId));
      if (existing !== undefined) {
        for (const column of entry.omitted) KEEPABLE[column]!(existing, entry.row!);
      } else if (entry.omitted.includes("created_at")) {
        reject(entry, {
          field: "created_at",
          code: "REQUIRED",
          message: `is required to create customer "${entry.row!.externalId}", which does not exist yet`,
        });
      }
      // A new customer's left-out optional columns were validated as empty: nothing to do.
    }
  }

  /** Records a customer of this import for the orders that refer to it. */
  private remember(row: CustomerRow, id: number): void {
    const key = externalIdKey(row.externalId);
    this.ids.set(key, id);
    this.firstSeenMs.set(key, row.createdAt.getTime());
  }

  /** Locking reads when writing, so classification sees the latest committed rows. */
  private lock(): string {
    return this.settings.write ? this.dialect.forUpdate : "";
  }

  /** Looks up and records the ids of customers just inserted. */
  private async fillCreatedIds(
    manager: EntityManager,
    created: readonly ImportEntry<CustomerRow>[],
  ): Promise<void> {
    if (created.length === 0) return;
    const createdIds = await this.fetchIds(
      manager,
      created.map((e) => e.row!.externalId),
    );
    for (const entry of created) {
      const key = externalIdKey(entry.row!.externalId);
      entry.id = createdIds.get(key) ?? null;
      if (entry.id !== null) this.remember(entry.row!, entry.id);
    }
  }

  private async fetchStored(
    manager: EntityManager,
    externalIds: string[],
  ): Promise<Map<string, StoredCustomer>> {
    const stored = new Map<string, StoredCustomer>();
    for (const part of chunks(externalIds, this.dialect.maxBoundValues)) {
      const list = this.dialect.inList(part);
      const rows: StoredCustomer[] = await manager.query(
        "SELECT id, external_id, email, name, first_seen_at, acquisition_channel, " +
          `acquisition_cost_minor, tags, nps FROM customers WHERE external_id IN (${list.sql})` +
          this.lock(),
        list.params,
      );
      for (const row of rows) stored.set(externalIdKey(row.external_id), row);
    }
    return stored;
  }

  private async fetchIds(
    manager: EntityManager,
    externalIds: string[],
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const part of chunks(externalIds, this.dialect.maxBoundValues)) {
      const list = this.dialect.inList(part);
      const rows: { id: number; external_id: string }[] = await manager.query(
        `SELECT id, external_id FROM customers WHERE external_id IN (${list.sql})`,
        list.params,
      );
      for (const row of rows) ids.set(externalIdKey(row.external_id), Number(row.id));
    }
    return ids;
  }

  /**
   * Email is unique across customers: a record whose email belongs to another customer is
   * rejected here, rather than failing the whole batch in the database (or, with MySQL's
   * ON DUPLICATE KEY UPDATE, silently updating that other customer).
   */
  private async rejectTakenEmails(
    manager: EntityManager,
    valid: readonly ImportEntry<CustomerRow>[],
    stored: Map<string, StoredCustomer>,
  ): Promise<void> {
    const candidates = valid.filter((e) => {
      const email = e.row!.email;
      if (email === null) return false;
      const own = stored.get(externalIdKey(e.row!.externalId))?.email;
      return own?.toLowerCase() !== email;
    });
    if (candidates.length === 0) return;
    const owners = new Map<string, string>();
    for (const part of chunks(
      candidates.map((e) => e.row!.email!),
      this.dialect.maxBoundValues,
    )) {
      const list = this.dialect.inList(part);
      const rows: { external_id: string; email: string }[] = await manager.query(
        `SELECT external_id, email FROM customers WHERE email IN (${list.sql})${this.lock()}`,
        list.params,
      );
      for (const row of rows) owners.set(row.email.toLowerCase(), row.external_id);
    }
    for (const entry of candidates) {
      const owner = owners.get(entry.row!.email!);
      if (owner !== undefined && externalIdKey(owner) !== externalIdKey(entry.row!.externalId)) {
        // Which customer owns it is not said: a caller allowed to write customers need not
        // be allowed to read them.
        reject(entry, {
          field: "email",
          code: "EMAIL_TAKEN",
          message: `${entry.row!.email} already belongs to another customer`,
        });
        const key = externalIdKey(entry.row!.externalId);
        if (!this.ids.has(key)) this.rejectedRefs.set(key, entry.ref);
      }
    }
  }
}

/**
 * The rows' COLUMNS values; with a forecast, followed by each customer's forecast aggregates
 * (COLUMNS_WITH_TOTALS), or those of a customer without orders when it has none or when its
 * first forecast order comes before the customer was first seen (the import rejects that order).
 */
function rowValues(
  part: readonly ImportEntry<CustomerRow>[],
  forecast: OrderTotalsForecast | null = null,
): SqlValue[] {
  const values: SqlValue[] = [];
  for (const { row } of part) {
    values.push(
      row!.externalId,
      row!.email,
      row!.name,
      sqlDateTime(row!.createdAt),
      row!.acquisitionChannel,
      row!.acquisitionCostMinor,
      row!.tags,
      row!.nps,
    );
    if (forecast === null) continue;
    const totals = forecast.get(externalIdKey(row!.externalId));
    if (totals === undefined || totals.firstMs < row!.createdAt.getTime()) {
      values.push(0, 0, null, null);
    } else {
      values.push(
        totals.count,
        totals.spentMinor,
        sqlDateTime(new Date(totals.firstMs)),
        sqlDateTime(new Date(totals.lastMs)),
      );
    }
  }
  return values;
}
