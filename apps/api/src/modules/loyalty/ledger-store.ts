import type { LedgerEntry, LedgerResult, Lot, PointsLedger } from "@valuetier/domain";
import type { EntityManager } from "typeorm";
import { toSafeInteger } from "../../db/column-types";
import { chunks, insertAllNew, type SqlDialect, type SqlValue } from "../../db/sql-dialect";
import { fromSqlDateTime, toSqlDateTime } from "../../db/sql-values";

/**
 * Between the loyalty tables and the domain's PointsLedger: accounts locked (and created when
 * missing), the open lots of an account loaded into a ledger state, and what an operation
 * appended written back (new lots, changed lots, entries, lot changes, the cached balances).
 * Lot ids of the domain are `L<lot_no>`; the debt lot is `debt` (lot_no 0).
 */

/** Who or what caused an entry. */
export type SourceKind = "order" | "campaign" | "user" | "api_key" | "system";

/** What the API records beside the domain's entry. */
export interface EntryMeta {
  operation: string;
  sourceKind: SourceKind;
  sourceId: string | null;
  /** Set on the main entry of the operation only. */
  idempotencyKey?: string | null;
}

/** An account row as read with FOR UPDATE. */
export interface AccountRow {
  customerId: number;
  balance: number;
  available: number;
  pending: number;
  lifetimeEarned: number;
  lifetimeRedeemed: number;
  lifetimeExpired: number;
  nextLot: number;
  nextEntry: number;
  /** Epoch ms of the ledger's clock, or null before the first entry. */
  lastAt: number | null;
  version: number;
}

const ACCOUNT_COLUMNS =
  "customer_id, balance, available, pending, lifetime_earned, lifetime_redeemed, lifetime_expired, " +
  "next_lot, next_entry, last_at, version";

const int = (value: unknown): number => toSafeInteger(value as string | number) ?? 0;
const ms = (value: unknown): number | null =>
  value === null || value === undefined ? null : fromSqlDateTime(value as Date | string)!.getTime();
const sqlTime = (epochMs: number): string => toSqlDateTime(new Date(epochMs));

function toAccountRow(row: Record<string, unknown>): AccountRow {
  return {
    customerId: int(row.customer_id),
    balance: int(row.balance),
    available: int(row.available),
    pending: int(row.pending),
    lifetimeEarned: int(row.lifetime_earned),
    lifetimeRedeemed: int(row.lifetime_redeemed),
    lifetimeExpired: int(row.lifetime_expired),
    nextLot: int(row.next_lot),
    nextEntry: int(row.next_entry),
    lastAt: ms(row.last_at),
    version: int(row.version),
  };
}

export const lotIdOf = (lotNo: number): string => (lotNo === 0 ? "debt" : `L${lotNo}`);
export const lotNoOf = (lotId: string): number => (lotId === "debt" ? 0 : Number(lotId.slice(1)));

/**
 * Locks the accounts of `customerIds` (FOR UPDATE, in id order so that concurrent callers queue
 * instead of deadlocking), creating those missing for customers that exist.
 *
 * Under REPEATABLE READ, missing accounts are found by a plain read and inserted before the
 * locking read, so that the locking read only ever finds rows: a locking read of a missing key
 * takes a gap lock on MySQL, and concurrent first-time callers would then deadlock on each
 * other's inserts into the gap. A caller whose transaction runs at READ COMMITTED, where locking
 * reads take no gap locks, says so with `readCommitted`: the accounts are then locked by one
 * locking read, and only missing ones cost more statements (the usual case, every account
 * present, is one round trip instead of two).
 *
 * @returns the accounts by customer id; customers that do not exist are left out.
 */
export async function lockAccounts(
  manager: EntityManager,
  dialect: SqlDialect,
  customerIds: readonly number[],
  options: { readCommitted?: boolean } = {},
): Promise<Map<number, AccountRow>> {
  const ids = [...new Set(customerIds)].sort((a, b) => a - b);
  const accounts = new Map<number, AccountRow>();
  if (ids.length === 0) return accounts;
  const lockRead = async (wanted: readonly number[]): Promise<void> => {
    for (const part of chunks(wanted, 1000)) {
      const list = dialect.inList(part);
      const rows: Record<string, unknown>[] = await manager.query(
        `SELECT ${ACCOUNT_COLUMNS} FROM loyalty_accounts WHERE customer_id IN (${list.sql}) ORDER BY customer_id${dialect.forUpdate}`,
        list.params,
      );
      for (const row of rows) {
        const account = toAccountRow(row);
        accounts.set(account.customerId, account);
      }
    }
  };
  if (options.readCommitted) {
    await lockRead(ids);
    const missing = ids.filter((id) => !accounts.has(id));
    if (missing.length > 0 && (await createAccounts(manager, dialect, missing)) > 0) {
      await lockRead(missing);
    }
    return accounts;
  }
  const present = new Set<number>();
  for (const part of chunks(ids, 1000)) {
    const list = dialect.inList(part);
    const rows: { customer_id: unknown }[] = await manager.query(
      `SELECT customer_id FROM loyalty_accounts WHERE customer_id IN (${list.sql})`,
      list.params,
    );
    for (const row of rows) present.add(int(row.customer_id));
  }
  const missing = ids.filter((id) => !present.has(id));
  if (missing.length > 0) await createAccounts(manager, dialect, missing);
  await lockRead(ids);
  return accounts;
}

/**
 * Creates the accounts of those `customerIds` whose customer exists (skipping any another
 * transaction created meanwhile).
 *
 * @returns how many of the customers exist.
 */
async function createAccounts(
  manager: EntityManager,
  dialect: SqlDialect,
  customerIds: readonly number[],
): Promise<number> {
  const existing: number[] = [];
  for (const part of chunks(customerIds, 1000)) {
    const list = dialect.inList(part);
    const rows: { id: unknown }[] = await manager.query(
      `SELECT id FROM customers WHERE id IN (${list.sql})`,
      list.params,
    );
    existing.push(...rows.map((r) => int(r.id)));
  }
  existing.sort((a, b) => a - b);
  for (const part of chunks(existing, dialect.rowsPerInsert(1, 1000))) {
    if (!(await insertAllNew(manager, dialect, "loyalty_accounts", ["customer_id"], part))) {
      // Another transaction created some of them meanwhile: create the rest one by one.
      for (const id of part) {
        await insertAllNew(manager, dialect, "loyalty_accounts", ["customer_id"], [id]);
      }
    }
  }
  return existing.length;
}

/**
 * The ledger state of accounts for one operation: their open lots and the debt lot (closed lots
 * cannot change any more), and for each source in `reverseSources` (e.g. `order:12`) also that
 * source's closed lots and earlier reverse entries, which the domain needs to know what is left
 * to reverse. Two queries for any number of accounts (three with reversals).
 *
 * @returns each account's state by customer id.
 */
export async function loadLedgers(
  manager: EntityManager,
  dialect: SqlDialect,
  accounts: readonly AccountRow[],
  reverseSources: ReadonlyMap<number, readonly string[]> = new Map(),
  options: { forWrite?: boolean } = {},
): Promise<Map<number, PointsLedger>> {
  // A write reads with FOR UPDATE: a locking read sees the latest committed rows even when the
  // caller's transaction runs REPEATABLE READ and took its snapshot before the account lock (a
  // CSV import batch), so the state is the one the previous holder of the lock left.
  const lock = options.forWrite ? dialect.forUpdate : "";
  const lots = new Map<number, Map<string, Lot>>();
  const entries = new Map<number, LedgerEntry[]>();
  for (const account of accounts) {
    lots.set(account.customerId, new Map());
    entries.set(account.customerId, []);
  }
  const addLot = (row: Record<string, unknown>) => {
    const lot = toLot(row);
    lots.get(int(row.account_id))?.set(lot.id, lot);
  };
  for (const part of chunks(
    accounts.map((a) => a.customerId),
    1000,
  )) {
    const list = dialect.inList(part);
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT ${LOT_SELECT} FROM loyalty_lots WHERE account_id IN (${list.sql}) AND (is_open = 1 OR lot_no = 0)${lock}`,
      list.params,
    );
    rows.forEach(addLot);
  }
  const pairs = [...reverseSources.entries()].flatMap(([id, sources]) =>
    sources.map((source) => ({ id, source })),
  );
  for (const part of chunks(pairs, 500)) {
    const ids = dialect.inList([...new Set(part.map((p) => p.id))]);
    const sources = dialect.inList([...new Set(part.map((p) => p.source))]);
    const wanted = new Set(part.map((p) => `${p.id}|${p.source}`));
    const params = [...(ids.params ?? []), ...(sources.params ?? [])];
    const lotRows: Record<string, unknown>[] = await manager.query(
      `SELECT ${LOT_SELECT} FROM loyalty_lots WHERE account_id IN (${ids.sql}) AND source IN (${sources.sql})${lock}`,
      params.length ? params : undefined,
    );
    for (const row of lotRows) {
      if (wanted.has(`${int(row.account_id)}|${String(row.source)}`)) addLot(row);
    }
    const entryRows: Record<string, unknown>[] = await manager.query(
      "SELECT account_id, seq, type, at, points, available_change, pending_change, reason, source, clawback_json, refund_json " +
        `FROM loyalty_entries WHERE account_id IN (${ids.sql}) AND source IN (${sources.sql}) AND type = 'reverse' ORDER BY seq${lock}`,
      params.length ? params : undefined,
    );
    for (const row of entryRows) {
      if (!wanted.has(`${int(row.account_id)}|${String(row.source)}`)) continue;
      entries.get(int(row.account_id))?.push({
        id: int(row.seq),
        type: "reverse",
        at: ms(row.at)!,
        points: int(row.points),
        availableChange: int(row.available_change),
        pendingChange: int(row.pending_change),
        lots: [],
        reason: String(row.reason),
        source: String(row.source),
        ...(row.clawback_json ? { clawback: JSON.parse(String(row.clawback_json)) } : {}),
        ...(row.refund_json ? { refund: JSON.parse(String(row.refund_json)) } : {}),
      });
    }
  }
  const states = new Map<number, PointsLedger>();
  for (const account of accounts) {
    states.set(account.customerId, {
      lots: [...lots.get(account.customerId)!.values()].sort(
        (a, b) => lotNoOf(a.id) - lotNoOf(b.id),
      ),
      entries: entries.get(account.customerId)!,
      lastAt: account.lastAt,
      nextLot: account.nextLot,
    });
  }
  return states;
}

const LOT_SELECT =
  "account_id, lot_no, kind, source, points, remaining, earned_at, pending_until, expires_at, available";

function toLot(row: Record<string, unknown>): Lot {
  return {
    id: lotIdOf(int(row.lot_no)),
    kind: String(row.kind) as Lot["kind"],
    source: String(row.source),
    points: int(row.points),
    remaining: int(row.remaining),
    earnedAt: ms(row.earned_at)!,
    pendingUntil: ms(row.pending_until)!,
    expiresAt: ms(row.expires_at),
    available: int(row.available) === 1,
  };
}

const isOpen = (lot: Lot): boolean => lot.remaining !== 0 || !lot.available;

/** An appended entry with what the API records beside it. */
export interface AppendedEntry {
  seq: number;
  entry: LedgerEntry;
  meta: EntryMeta;
  tierKey: string | null;
}

/**
 * One account's ledger within a write transaction: operations are applied to the loaded state
 * in order and their entries collected; {@link saveLedgers} writes everything at the end.
 */
export class AccountLedger {
  state: PointsLedger;
  readonly appended: AppendedEntry[] = [];
  private readonly loaded: Map<string, Lot>;

  constructor(
    readonly account: AccountRow,
    state: PointsLedger,
    /** The customer's tier now, recorded on each entry (economics per tier). */
    readonly tierKey: string | null,
  ) {
    this.state = state;
    this.loaded = new Map(state.lots.map((l) => [l.id, { ...l }]));
  }

  /** The instant for a live operation: the server's clock, never before the ledger's. */
  clock(now: number): number {
    return this.state.lastAt === null ? now : Math.max(now, this.state.lastAt);
  }

  /**
   * Applies one domain operation to the state.
   *
   * @param mainIndex which of the operation's entries carries the idempotency key (default 0).
   * @returns the entries it appended, with the seq each will be stored under.
   */
  apply(
    operation: (state: PointsLedger) => LedgerResult,
    meta: EntryMeta,
    mainIndex = 0,
  ): AppendedEntry[] {
    const result = operation(this.state);
    this.state = result.state;
    const added = result.entries.map((entry, i) => ({
      seq: this.account.nextEntry + this.appended.length + i,
      entry,
      meta: i === mainIndex ? meta : { ...meta, idempotencyKey: null },
      tierKey: this.tierKey,
    }));
    this.appended.push(...added);
    return added;
  }

  /** Lots created or changed since loading. */
  changedLots(): { lot: Lot; created: boolean }[] {
    const out: { lot: Lot; created: boolean }[] = [];
    for (const lot of this.state.lots) {
      const before = this.loaded.get(lot.id);
      if (!before) out.push({ lot, created: true });
      else if (before.remaining !== lot.remaining || before.available !== lot.available) {
        out.push({ lot, created: false });
      }
    }
    return out;
  }

  /** The account row after the appended entries. */
  nextAccount(): AccountRow {
    const a = { ...this.account };
    for (const { entry, meta } of this.appended) {
      a.balance += entry.points;
      a.available += entry.availableChange;
      a.pending += entry.pendingChange;
      if (entry.type === "earn" && entry.points > 0) a.lifetimeEarned += entry.points;
      if (entry.type === "redeem") a.lifetimeRedeemed -= entry.points;
      if (entry.type === "expire") a.lifetimeExpired -= entry.points;
      if (meta.operation === REVERSE_REDEMPTION) a.lifetimeRedeemed -= entry.points;
    }
    a.nextEntry += this.appended.length;
    a.nextLot = this.state.nextLot;
    a.lastAt = this.state.lastAt;
    a.version += this.appended.length > 0 ? 1 : 0;
    return a;
  }
}

/** The operation name of a redemption given back (an adjust entry that undoes a redeem). */
export const REVERSE_REDEMPTION = "reverse_redemption";

const LOT_COLUMNS = [
  "account_id",
  "lot_no",
  "kind",
  "source",
  "points",
  "remaining",
  "earned_at",
  "pending_until",
  "expires_at",
  "available",
  "is_open",
] as const;

const ENTRY_COLUMNS = [
  "account_id",
  "seq",
  "type",
  "at",
  "points",
  "available_change",
  "pending_change",
  "reason",
  "source",
  "source_kind",
  "source_id",
  "operation",
  "idempotency_key",
  "tier_key",
  "activated_lot",
  "activated_points",
  "clawback_json",
  "refund_json",
] as const;

const CHANGE_COLUMNS = ["account_id", "entry_seq", "n", "lot_no", "points"] as const;

const ACCOUNT_UPDATE_COLUMNS = [
  "customer_id",
  "balance",
  "available",
  "pending",
  "lifetime_earned",
  "lifetime_redeemed",
  "lifetime_expired",
  "next_lot",
  "next_entry",
  "last_at",
  "version",
] as const;

/** Thrown when an entry's idempotency key is already stored (a race the account lock missed). */
export class DuplicateOperationError extends Error {
  override readonly name = "DuplicateOperationError";
}

async function insertRows(
  manager: EntityManager,
  dialect: SqlDialect,
  table: string,
  columns: readonly string[],
  values: SqlValue[],
): Promise<void> {
  if (values.length === 0) return;
  const perRow = columns.length;
  const rows = dialect.rowsPerInsert(perRow, 1000);
  for (let i = 0; i < values.length; i += rows * perRow) {
    const part = values.slice(i, i + rows * perRow);
    if (!(await insertAllNew(manager, dialect, table, columns, part))) {
      throw new DuplicateOperationError(`a row of ${table} is already stored`);
    }
  }
}

/**
 * Writes what the ledgers appended: new lots, changed lots, entries, lot changes and the
 * accounts' cached balances, in the caller's transaction. Ledgers with nothing appended are
 * left alone.
 *
 * @returns the accounts as written.
 * @throws {DuplicateOperationError} when an idempotency key is already stored.
 */
export async function saveLedgers(
  manager: EntityManager,
  dialect: SqlDialect,
  ledgers: readonly AccountLedger[],
): Promise<AccountRow[]> {
  const lotValues: SqlValue[] = [];
  const entryValues: SqlValue[] = [];
  const changeValues: SqlValue[] = [];
  const accountValues: SqlValue[] = [];
  const written: AccountRow[] = [];
  for (const ledger of ledgers) {
    if (ledger.appended.length === 0) continue;
    const accountId = ledger.account.customerId;
    for (const { lot, created } of ledger.changedLots()) {
      if (created) {
        lotValues.push(
          accountId,
          lotNoOf(lot.id),
          lot.kind,
          lot.source.slice(0, 255),
          lot.points,
          lot.remaining,
          sqlTime(lot.earnedAt),
          sqlTime(lot.pendingUntil),
          lot.expiresAt === null ? null : sqlTime(lot.expiresAt),
          lot.available ? 1 : 0,
          isOpen(lot) ? 1 : 0,
        );
      } else {
        await manager.query(
          "UPDATE loyalty_lots SET remaining = ?, available = ?, is_open = ? WHERE account_id = ? AND lot_no = ?",
          [lot.remaining, lot.available ? 1 : 0, isOpen(lot) ? 1 : 0, accountId, lotNoOf(lot.id)],
        );
      }
    }
    for (const { seq, entry, meta, tierKey } of ledger.appended) {
      entryValues.push(
        accountId,
        seq,
        entry.type,
        sqlTime(entry.at),
        entry.points,
        entry.availableChange,
        entry.pendingChange,
        entry.reason.slice(0, 500),
        entry.source.slice(0, 255),
        meta.sourceKind,
        meta.sourceId === null ? null : meta.sourceId.slice(0, 64),
        meta.operation,
        meta.idempotencyKey ?? null,
        tierKey,
        entry.activated ? lotNoOf(entry.activated.lotId) : null,
        entry.activated ? entry.activated.points : null,
        entry.clawback ? JSON.stringify(entry.clawback) : null,
        entry.refund ? JSON.stringify(entry.refund) : null,
      );
      entry.lots.forEach((change, n) => {
        changeValues.push(accountId, seq, n, lotNoOf(change.lotId), change.points);
      });
    }
    const next = ledger.nextAccount();
    accountValues.push(
      accountId,
      next.balance,
      next.available,
      next.pending,
      next.lifetimeEarned,
      next.lifetimeRedeemed,
      next.lifetimeExpired,
      next.nextLot,
      next.nextEntry,
      next.lastAt === null ? null : sqlTime(next.lastAt),
      next.version,
    );
    written.push(next);
  }
  await insertRows(manager, dialect, "loyalty_lots", LOT_COLUMNS, lotValues);
  await insertRows(manager, dialect, "loyalty_entries", ENTRY_COLUMNS, entryValues);
  await insertRows(manager, dialect, "loyalty_lot_changes", CHANGE_COLUMNS, changeValues);
  const width = ACCOUNT_UPDATE_COLUMNS.length;
  if (accountValues.length <= 10 * width) {
    // A few accounts (the API's calls): one UPDATE by primary key each, which locks that row only.
    const set = ACCOUNT_UPDATE_COLUMNS.slice(1)
      .map((c) => `${c} = ?`)
      .join(", ");
    for (let i = 0; i < accountValues.length; i += width) {
      const row = accountValues.slice(i, i + width);
      await manager.query(`UPDATE loyalty_accounts SET ${set} WHERE customer_id = ?`, [
        ...row.slice(1),
        row[0]!,
      ]);
    }
    return written;
  }
  for (let i = 0; i < accountValues.length; i += 500 * width) {
    const statement = dialect.updateFromRows(
      "loyalty_accounts",
      ACCOUNT_UPDATE_COLUMNS,
      accountValues.slice(i, i + 500 * width),
      "1 = 1",
    );
    await manager.query(statement.sql, statement.params);
  }
  return written;
}

/** The current tier of each customer (the latest succeeded scoring run), null when unscored. */
export async function currentTiers(
  manager: EntityManager,
  dialect: SqlDialect,
  customerIds: readonly number[],
): Promise<Map<number, string | null>> {
  const tiers = new Map<number, string | null>();
  for (const part of chunks([...new Set(customerIds)], 1000)) {
    const list = dialect.inList(part);
    const rows: { customer_id: unknown; tier_key: string | null }[] = await manager.query(
      "SELECT customer_id, tier_key FROM customer_values " +
        "WHERE run_id = (SELECT MAX(id) FROM scoring_runs WHERE status = 'succeeded') " +
        `AND customer_id IN (${list.sql})`,
      list.params,
    );
    for (const row of rows) tiers.set(int(row.customer_id), row.tier_key);
  }
  return tiers;
}
