import {
  CUSTOMER_COLUMNS,
  DEFAULT_FUTURE_TOLERANCE_MS,
  describeErrors,
  externalIdKey,
  ORDER_COLUMNS,
  type ColumnSpec,
  type ImportFieldError,
  type ImportRecord,
  type OrderRow,
} from "@valuetier/domain";
import path from "node:path";
import type { DataSource, EntityManager } from "typeorm";
import {
  auditedSince,
  latestAuditId,
  recordAudit,
  recordAudits,
  type Actor,
} from "../audit/audit.service";
import { GroupCommit } from "../../db/group-commit";
import { runInTransaction } from "../../db/transaction";
import {
  recomputeCustomerAggregates,
  recomputeCustomerAggregatesInChunks,
  settleNewCustomerTotals,
} from "./customer-aggregates";
import { CustomerBatchImporter } from "./customer-batch";
import { checkCsvHeader, streamCsvRows, type CsvHeader, type CsvRow } from "./csv-source";
import { DomainError } from "../../errors/domain-error";
import { ImportAbortedError } from "./import-errors";
import {
  count,
  emptyCounts,
  type ImportCounts,
  type ImportEntry,
  type ImportSettings,
} from "./import-model";
import { NewRowInserter } from "./local-infile";
import { OrderTotalsForecast } from "./order-totals-forecast";
import { OrderBatchImporter, type OrderLineReader } from "./order-batch";
import { sqlDialect, type SqlDialect } from "../../db/sql-dialect";

/** At most this many records per upsertCustomers / recordOrders call (CONTRACTS.md). */
export const MAX_RECORDS_PER_CALL = 1000;

/** Audit actions of the calls that write orders: recordOrders and CSV imports. */
const RECORD_ORDERS_ACTION = "orders.record";
const IMPORT_CSV_ACTION = "import.csv";
const ORDER_WRITES = [RECORD_ORDERS_ACTION, IMPORT_CSV_ACTION];

interface BatchImporter<Row> {
  accept(
    ref: number,
    record: ImportRecord | null,
    problem: ImportFieldError | null,
  ): ImportEntry<Row>;
  process(manager: EntityManager, entries: readonly ImportEntry<Row>[]): Promise<void>;
  /** Optionally, a reader of plain lines straight from their bytes (see CsvStreamOptions). */
  lineReader?(
    header: CsvHeader,
  ):
    | ((buf: Buffer, start: number, end: number, line: number) => ImportEntry<Row> | undefined)
    | undefined;
  /** Called once the transaction that processed `entries` committed. */
  committed(entries: readonly ImportEntry<Row>[]): void;
}

export interface ImportServiceOptions {
  /** ISO 4217 code of the store currency, in which acquisition costs are given. */
  currency: string;
  /** Clock for the future-date check. Default: the system clock. */
  now?: () => Date;
  /** How far in the future a date may lie (clock skew, time zones). Default: one day. */
  futureToleranceMs?: number;
  /** Customers per batch (one transaction each) in CSV imports. Default 2,000. */
  customerBatchSize?: number;
  /**
   * Orders per batch (one transaction each) in CSV imports. Default 3,000: as fast as 5,000 in
   * bench:import, with a steadier peak memory (about 250 MB against 260–290 MB).
   */
  orderBatchSize?: number;
  /**
   * Batches (and aggregate chunks) in the database at once on MySQL. Default 2: one per core
   * of a small server while this process reads and validates. SQLite always uses 1.
   */
  concurrency?: number;
  /**
   * CSV imports on MySQL insert new customers and orders with LOAD DATA LOCAL INFILE, streamed
   * from memory (falling back to INSERT statements, with a notice, when the server refuses
   * it). False: always INSERT statements. Default true.
   */
  localInfile?: boolean;
  /** Receives one-line notices (such as that fallback). Default: stderr. */
  onNotice?: (message: string) => void;
  /**
   * Called by `recordOrders` with the orders it created or changed, inside the transaction that
   * records them (loyalty earns and reverses their points there). Not called by CSV imports.
   */
  onOrdersRecorded?: OrdersRecordedHook;
  /**
   * Called by CSV imports run with `earnPoints: true`, once per batch of orders, inside the
   * transaction that writes the batch, with the batch's completed and refunded orders (new,
   * changed and unchanged ones: earning is idempotent by order, so a rerun or a first import
   * with the option after one without it earns exactly what was not earned yet), each
   * customer's orders in placed-at order. Loyalty back-fills points there at each order's own
   * date. Without it, `earnPoints: true` is refused.
   */
  onOrdersImported?: OrdersImportedHook;
}

/** What earning did for one imported order (see {@link OrdersImportedHook}). */
export interface ImportedOrderEarning {
  /** Points the order earned now; 0 when none. */
  earned: number;
  /** Points reversed now because the order is refunded; 0 when none. */
  reversed: number;
}

/** Back-fills points for a batch of imported orders, in the batch's transaction. */
export type OrdersImportedHook = (
  manager: EntityManager,
  orders: RecordedOrder[],
) => Promise<ImportedOrderEarning[]>;

/** What a CSV import run with `earnPoints: true` did to loyalty points. */
export interface ImportEarningCounts {
  /** Orders that earned points in this run. */
  ordersEarned: number;
  pointsEarned: number;
  /** Refunded orders whose points were reversed in this run. */
  ordersReversed: number;
  pointsReversed: number;
}

/** An order as `recordOrders` stored it. */
export interface RecordedOrder {
  orderId: number;
  customerId: number;
  placedAt: Date;
  amountMinor: number;
  marginMinor: number | null;
  currency: string;
  status: string;
}

/** Work done on recorded orders in the transaction that records them. */
export type OrdersRecordedHook = (
  manager: EntityManager,
  orders: RecordedOrder[],
) => Promise<unknown>;

/** A rejected CSV row. */
export interface ImportRowError {
  /** The file as given to the import. */
  file: string;
  /** Physical line, 1-based, the header being line 1. */
  line: number;
  /** One line saying what is wrong, e.g. `email: not a valid email address ("ann@")`. */
  reason: string;
  errors: ImportFieldError[];
}

export interface ImportProgress {
  phase: "customers" | "orders" | "aggregates";
  file: string | null;
  /** Counts so far for this phase's file. */
  counts: ImportCounts;
  /** True on the checking pass of a strict import. */
  checking: boolean;
  /** For the aggregates phase: false when it starts, true when it ends. */
  done?: boolean;
}

export interface CsvImportOptions {
  /** customers.csv path; at least one of the two files is needed. */
  customersFile?: string;
  /** orders.csv path. */
  ordersFile?: string;
  /** Who imports, for the audit log (`systemActor("cli")` from the command line). */
  actor: Actor;
  /** Write nothing at all if any row of either file is bad. */
  strict?: boolean;
  /** Stops the import before its next batch; committed batches stay (a rerun finishes it). */
  signal?: AbortSignal;
  /** Every rejected row, in file order, as soon as its batch is done. */
  onError?: (error: ImportRowError) => void;
  /** After every batch. */
  onProgress?: (progress: ImportProgress) => void;
  /** How many errors the result keeps (all go to onError). Default 100. */
  maxErrors?: number;
  /**
   * Back-fill loyalty points for the imported orders (see ImportServiceOptions.onOrdersImported):
   * each batch's completed orders earn and refunded ones reverse, in the batch's transaction,
   * at the order's placed-at time. Default false: an import never earns points by surprise.
   * Orders are then written one batch at a time, so that each customer's orders are earned in
   * file order (sort orders.csv by placed_at for a faithful history: an order older than its
   * customer's last ledger entry is earned at that entry's time, as the ledger's clock never
   * goes back).
   */
  earnPoints?: boolean;
}

export interface CsvImportResult {
  customers: ImportCounts;
  orders: ImportCounts;
  /** The first `maxErrors` rejected rows, in file order. */
  errors: ImportRowError[];
  /** All rejected rows. */
  errorCount: number;
  /**
   * False when a strict import found bad rows and wrote nothing; its counts then show what
   * was read and rejected, with imported and unchanged 0.
   */
  written: boolean;
  /**
   * Customers whose aggregates were updated: recomputed from their orders, or, for customers
   * this import created, written with the totals of the orders it inserted.
   */
  customersRecomputed: number;
  /** Only with `earnPoints: true`: the points this run earned and reversed. */
  loyalty?: ImportEarningCounts;
}

/** The outcome of one record of an API call. */
export interface RecordResult {
  /** Position in the input. */
  index: number;
  /**
   * created: nothing with its external id was stored; updated: a stored record changed;
   * unchanged: the stored record already said the same; rejected: nothing written for it.
   */
  status: "created" | "updated" | "unchanged" | "rejected";
  /** The stored customer's or order's id; null when rejected. */
  id: number | null;
  /** Why it was rejected; `field` is the CSV column name (external_id, email, …) or null. */
  errors: (ImportFieldError & { index: number })[];
}

export interface RecordsImportResult {
  results: RecordResult[];
  /** imported = created + updated. */
  counts: {
    imported: number;
    created: number;
    updated: number;
    unchanged: number;
    rejected: number;
  };
}

interface FileJob {
  file: string;
  spec: ColumnSpec;
}

/**
 * Loads customers and orders: from CSV files (the `valuetier import` command, demo seeding) or
 * from API calls (the `upsertCustomers` / `recordOrders` mutations), through the same
 * validation and the same batch writers.
 *
 * Guarantees: rows are validated with the domain validators; rejected rows are reported with
 * where they are and why, and good rows are kept (unless strict); writes are idempotent by
 * external id (a rerun imports nothing and counts every row unchanged); every batch is one
 * transaction, so a stopped import resumes cleanly when run again; customer aggregates are
 * recomputed from the orders for every customer an orders file refers to; each call writes one
 * audit entry.
 */
export class ImportService {
  private readonly dialect: SqlDialect;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ImportServiceOptions,
  ) {
    this.dialect = sqlDialect(dataSource);
    this.orderCommits = new GroupCommit<OrderCall, RecordsImportResult>({
      run: (calls) => this.recordOrderCalls(calls),
      weight: (call) => call.records.length,
      keys: (call) => orderKeysOf(call.records),
      maxWeight: MAX_RECORDS_PER_CALL,
      maxInFlight: this.concurrency(),
    });
  }

  /**
   * Imports customers.csv and/or orders.csv (customers first, so that orders can refer to
   * them). Both headers are checked before anything is written.
   *
   * @throws {ImportFileError} when a file is missing, empty, undecodable in its header or
   *   lacks a required column: nothing is written.
   * @throws {ImportAbortedError} when `signal` aborts.
   */
  async importCsv(options: CsvImportOptions): Promise<CsvImportResult> {
    const jobs: { customers?: FileJob; orders?: FileJob } = {};
    if (options.customersFile)
      jobs.customers = { file: options.customersFile, spec: CUSTOMER_COLUMNS };
    if (options.ordersFile) jobs.orders = { file: options.ordersFile, spec: ORDER_COLUMNS };
    if (!jobs.customers && !jobs.orders) {
      throw new Error("nothing to import: give a customers file, an orders file or both");
    }
    if (options.earnPoints && !this.options.onOrdersImported) {
      throw new Error(
        "earnPoints: this import service was built without the loyalty programme (onOrdersImported)",
      );
    }
    for (const job of [jobs.customers, jobs.orders]) {
      if (job) await checkCsvHeader(job.file, job.spec);
    }
    const now = (this.options.now ?? (() => new Date()))();
    const maxErrors = options.maxErrors ?? 100;
    const errors: ImportRowError[] = [];
    let errorCount = 0;
    const onError = (error: ImportRowError) => {
      errorCount++;
      if (errors.length < maxErrors) errors.push(error);
      options.onError?.(error);
    };

    let result: CsvImportResult;
    if (options.strict) {
      const check = await this.runFiles(jobs, options, now, false, onError);
      if (errorCount > 0) {
        const unwritten = (c: ImportCounts): ImportCounts => ({
          ...c,
          imported: 0,
          created: 0,
          updated: 0,
          unchanged: 0,
        });
        result = {
          customers: unwritten(check.customers),
          orders: unwritten(check.orders),
          errors,
          errorCount,
          written: false,
          customersRecomputed: 0,
        };
        await this.auditCsv(options, result);
        return result;
      }
    }
    const run = await this.runFiles(jobs, options, now, true, onError);
    result = { ...run, errors, errorCount, written: true };
    await this.auditCsv(options, result);
    return result;
  }

  /**
   * Creates or updates customers by external id, for the `upsertCustomers` mutation. The
   * records use the customers.csv column names; a column left out (undefined) keeps the stored
   * customer's value, an empty one clears it. Good records are written and bad ones reported,
   * in one transaction with the audit entry.
   *
   * Safe under any number of concurrent calls: rows are classified with locking reads, and a
   * deadlock or lock wait timeout runs the whole call again ({@link runInTransaction}), so
   * the result describes exactly what committed.
   *
   * @param records at most {@link MAX_RECORDS_PER_CALL}.
   * @throws {DomainError} TOO_MANY_ITEMS for more records.
   * @throws {DomainError} BUSY when conflicting writes kept failing it: nothing was written.
   */
  async upsertCustomers(
    records: readonly ImportRecord[],
    actor: Actor,
  ): Promise<RecordsImportResult> {
    this.checkLimit(records);
    const settings = this.settings(itemRef, true, new Date(), "exact");
    return runInTransaction(this.dataSource, async (manager) => {
      // Everything a try computes is made afresh: a rolled-back try leaves nothing behind.
      const importer = new CustomerBatchImporter(this.dialect, settings);
      const entries = records.map((record, index) => importer.accept(index, record, null));
      await importer.process(manager, entries);
      const result = toRecordsResult(entries);
      await recordAudit(manager, actor, {
        action: "customers.upsert",
        entityType: "customer",
        after: result.counts,
      });
      return result;
    });
  }

  /**
   * Records orders by external id, for the `recordOrders` mutation, and recomputes the
   * aggregates of their customers in the same transaction. The records use the orders.csv
   * column names; an order's customer must already be stored. Concurrency as for
   * {@link upsertCustomers}; the customers referred to are locked first, in index order. Under
   * load the call may share its transaction with other calls (group commit, see `orderCommits`);
   * it still gets its own result and audit entry, only once the transaction committed.
   *
   * @param records at most {@link MAX_RECORDS_PER_CALL}.
   * @throws {DomainError} TOO_MANY_ITEMS for more records.
   * @throws {DomainError} BUSY when conflicting writes kept failing it: nothing was written.
   */
  async recordOrders(records: readonly ImportRecord[], actor: Actor): Promise<RecordsImportResult> {
    this.checkLimit(records);
    return this.orderCommits.submit({ records, actor });
  }

  /**
   * Concurrent `recordOrders` calls share transactions ({@link GroupCommit}): under load one
   * transaction records the orders of every call that waited, which is what lets single-order
   * calls from many storefront clients keep up. Calls that name the same order never share one.
   */
  private readonly orderCommits: GroupCommit<OrderCall, RecordsImportResult>;

  /** How recordOrders calls were grouped into transactions so far (diagnostics and tests). */
  get recordOrdersGrouping(): Readonly<GroupCommit<OrderCall, RecordsImportResult>["stats"]> {
    return this.orderCommits.stats;
  }

  /** Records the orders of `calls` in one transaction: one result and one audit entry per call. */
  private recordOrderCalls(calls: readonly OrderCall[]): Promise<RecordsImportResult[]> {
    const settings = this.settings(itemRef, true, new Date(), "exact");
    return runInTransaction(
      this.dataSource,
      async (manager) => {
        const customers = {
          ids: new Map<string, number>(),
          rejectedRefs: new Map<string, number>(),
          firstSeenMs: new Map<string, number>(),
        };
        const importer = new OrderBatchImporter(this.dialect, settings, customers, {
          unknownCustomer: (id) => `no customer with external id "${id}"`,
          needIds: true,
        });
        // Each call's records keep their own positions (input[i]); no two calls here share an
        // order's external id, so a DUPLICATE can only point within the same call.
        const perCall = calls.map((call) =>
          call.records.map((record, index) => importer.accept(index, record, null)),
        );
        const entries = perCall.flat();
        await importer.process(manager, entries);
        if (this.options.onOrdersRecorded) {
          const recorded: RecordedOrder[] = [];
          for (const entry of entries) {
            const row = entry.row;
            const customerId = row
              ? customers.ids.get(externalIdKey(row.customerExternalId))
              : null;
            if (entry.status !== "imported" || !row || entry.id === null || !customerId) continue;
            recorded.push({
              orderId: entry.id,
              customerId,
              placedAt: row.placedAt,
              amountMinor: row.amountMinor,
              marginMinor: row.marginMinor,
              currency: row.currency,
              status: row.status,
            });
          }
          if (recorded.length > 0) await this.options.onOrdersRecorded(manager, recorded);
        }
        await recomputeCustomerAggregates(manager, importer.touchedCustomerIds);
        const results = perCall.map(toRecordsResult);
        await recordAudits(
          manager,
          calls.map((call, i) => ({
            actor: call.actor,
            record: {
              action: RECORD_ORDERS_ACTION,
              entityType: "order",
              after: results[i]!.counts,
            },
          })),
        );
        return results;
      },
      // The account rows that loyalty earning locks must be read as committed after the lock
      // (not as an earlier snapshot of this transaction), and missing keys take no gap locks.
      { readCommitted: true },
    );
  }

  private checkLimit(records: readonly ImportRecord[]): void {
    if (records.length > MAX_RECORDS_PER_CALL) {
      throw new DomainError(
        "TOO_MANY_ITEMS",
        `at most ${MAX_RECORDS_PER_CALL} records per call, got ${records.length}`,
        { field: "input" },
      );
    }
  }

  private settings(
    describeRef: (ref: number) => string,
    write: boolean,
    now: Date,
    mode: ImportSettings["mode"] = "bulk",
  ): ImportSettings {
    return {
      now: this.options.now?.() ?? now,
      futureToleranceMs: this.options.futureToleranceMs ?? DEFAULT_FUTURE_TOLERANCE_MS,
      currency: this.options.currency,
      describeRef,
      write,
      mode,
    };
  }

  private async runFiles(
    jobs: { customers?: FileJob; orders?: FileJob },
    options: CsvImportOptions,
    now: Date,
    write: boolean,
    onError: (error: ImportRowError) => void,
  ): Promise<Omit<CsvImportResult, "errors" | "errorCount" | "written">> {
    const customerCounts = emptyCounts();
    const orderCounts = emptyCounts();
    const auditMark = write ? await latestAuditId(this.dataSource.manager) : 0;
    const inserter = new NewRowInserter(
      this.dialect,
      this.options.localInfile === false
        ? undefined
        : (this.options.onNotice ?? ((m) => process.stderr.write(`${m}\n`))),
    );
    // Customers created by this import are written with the aggregates their orders will
    // give them, read from the orders file first, and checked against the orders written at
    // the end.
    const forecasting = write && jobs.customers !== undefined && jobs.orders !== undefined;
    const settings = this.settings(lineRef, write, now);
    const customers = new CustomerBatchImporter(
      this.dialect,
      settings,
      forecasting ? await OrderTotalsForecast.read(jobs.orders!.file, settings) : null,
    );
    let customersRecomputed = 0;
    let loyalty: ImportEarningCounts | undefined;
    try {
      if (jobs.customers) {
        await this.streamFile(jobs.customers, customers, customerCounts, {
          batchSize: this.options.customerBatchSize ?? 2000,
          phase: "customers",
          write,
          options,
          onError,
        });
        customers.dropForecast();
      }
      if (jobs.orders) {
        const customersFile = jobs.customers ? path.basename(jobs.customers.file) : null;
        const orders = new OrderBatchImporter(
          this.dialect,
          this.settings(lineRef, write, now),
          customers,
          {
            // Earning needs the orders' ids (the API fetches them too).
            needIds: write && options.earnPoints === true,
            inserter,
            unknownCustomer: (id, rejectedRef) =>
              rejectedRef !== undefined && customersFile !== null
                ? `customer "${id}" was rejected on line ${rejectedRef} of ${customersFile}`
                : customersFile !== null
                  ? `customer "${id}" is neither in the database nor in ${customersFile}`
                  : `customer "${id}" is not in the database`,
          },
        );
        const earning =
          write && options.earnPoints && this.options.onOrdersImported
            ? new EarningOrders(orders, customers.ids, this.options.onOrdersImported)
            : null;
        await this.streamFile(jobs.orders, earning ?? orders, orderCounts, {
          batchSize: this.options.orderBatchSize ?? 3000,
          phase: "orders",
          write,
          options,
          onError,
          // One batch at a time: a customer's orders in two batches are earned in file order.
          concurrency: earning ? 1 : undefined,
        });
        if (earning) loyalty = earning.counts;
        if (write) {
          this.throwIfAborted(options.signal);
          options.onProgress?.({
            phase: "aggregates",
            file: null,
            counts: orderCounts,
            checking: false,
            done: false,
          });
          customersRecomputed = await this.settleAggregates(customers, orders, auditMark);
          options.onProgress?.({
            phase: "aggregates",
            file: null,
            counts: orderCounts,
            checking: false,
            done: true,
          });
        }
      }
    } catch (error) {
      // Stopped or failed after customers were written with forecast aggregates: give them
      // those of the orders that were written instead (a rerun of the import also does).
      if (forecasting && customers.createdIds.size > 0) {
        await recomputeCustomerAggregatesInChunks(this.dataSource, customers.createdIds, {
          concurrency: this.concurrency(),
        }).catch(() => undefined);
      }
      throw error;
    }
    return {
      customers: customerCounts,
      orders: orderCounts,
      customersRecomputed,
      ...(loyalty ? { loyalty } : {}),
    };
  }

  /**
   * The customers' aggregates after an import's orders: every customer an order referred to
   * (or left) is recomputed from its orders; the customers the import created hold what their
   * orders were forecast to give, and are checked against the orders actually written, those
   * that differ being recomputed. When something else wrote orders meanwhile (the API's
   * recordOrders and other imports leave an audit entry), every created customer is recomputed.
   *
   * @returns how many customers were given aggregates.
   */
  private async settleAggregates(
    customers: CustomerBatchImporter,
    orders: OrderBatchImporter,
    auditMark: number,
  ): Promise<number> {
    const concurrency = this.concurrency();
    const others = await auditedSince(this.dataSource.manager, auditMark, ORDER_WRITES);
    const recompute = others
      ? new Set([...orders.touchedCustomerIds, ...customers.createdIds])
      : orders.touchedCustomerIds;
    const recomputed = await recomputeCustomerAggregatesInChunks(this.dataSource, recompute, {
      concurrency,
    });
    if (others) return recomputed;
    const settled = await settleNewCustomerTotals(
      this.dataSource,
      customers.createdIds,
      orders.newCustomerTotals,
      recompute,
      { concurrency },
    );
    return recomputed + settled.updated;
  }

  /**
   * Streams one file through an importer: rows are validated as they are read, and the
   * database work of a batch overlaps the reading of the next ones (on MySQL two batches at a
   * time, each in its own transaction; the embedded SQLite database has one connection).
   * Outcomes are reported in file order.
   */
  private async streamFile<Row>(
    job: FileJob,
    importer: BatchImporter<Row>,
    counts: ImportCounts,
    context: {
      batchSize: number;
      phase: "customers" | "orders";
      write: boolean;
      options: CsvImportOptions;
      onError: (error: ImportRowError) => void;
      /** Batches in the database at once; default {@link concurrency}. */
      concurrency?: number;
    },
  ): Promise<void> {
    const { options, onError } = context;
    const concurrency = context.concurrency ?? this.concurrency();
    let reported: Promise<void> = Promise.resolve();
    let failure: { error: unknown } | null = null;
    const running = new Set<Promise<void>>();

    const report = (entries: ImportEntry<Row>[]): void => {
      count(counts, entries);
      for (const entry of entries) {
        if (entry.status !== "rejected") continue;
        onError({
          file: job.file,
          line: entry.ref,
          reason: describeErrors(entry.errors),
          errors: entry.errors,
        });
      }
      options.onProgress?.({
        phase: context.phase,
        file: job.file,
        counts: { ...counts },
        checking: !context.write,
      });
    };

    let streamError: { error: unknown } | null = null;
    await streamCsvRows(job.file, job.spec, {
      batchSize: context.batchSize,
      accept: (row: CsvRow) => importer.accept(row.line, row.record, row.problem),
      lineReader: importer.lineReader ? (header) => importer.lineReader!(header) : undefined,
      onBatch: async (entries: ImportEntry<Row>[]) => {
        while (running.size >= concurrency) await Promise.race(running);
        if (failure) throw failure.error;
        this.throwIfAborted(options.signal);
        const work = this.processBatch(importer, entries);
        work.catch(() => undefined); // handled below, in order; this only marks it handled
        reported = reported
          .then(() => work)
          .then(() => report(entries))
          .catch((error: unknown) => {
            failure ??= { error };
          });
        const done = reported;
        running.add(done);
        void done.then(() => running.delete(done));
      },
    }).catch((error: unknown) => {
      streamError = { error };
    });
    // Let batches already in the database settle before returning or throwing, so that the
    // caller never closes the connection under a running transaction.
    await reported;
    if (streamError) throw (streamError as { error: unknown }).error;
    if (failure) throw (failure as { error: unknown }).error;
  }

  /** How many batches may be in the database at once. */
  private concurrency(): number {
    return this.dialect.parallelWrites(this.options.concurrency ?? 2);
  }

  /**
   * One batch in one transaction. Concurrent batches touch different rows, but InnoDB's gap
   * locks can still make two upserts deadlock; the batch is then rolled back and run again as a
   * whole (it is idempotent), with its entries reset to how they were before each try.
   */
  private async processBatch<Row>(
    importer: BatchImporter<Row>,
    entries: ImportEntry<Row>[],
  ): Promise<void> {
    if (!entries.some((e) => e.status === "pending")) return;
    const before = entries.map((e) => ({
      status: e.status,
      errors: e.errors,
      id: e.id,
      created: e.created,
    }));
    await runInTransaction(this.dataSource, async (manager) => {
      entries.forEach((entry, i) => Object.assign(entry, before[i]));
      await importer.process(manager, entries);
    });
    importer.committed(entries);
  }

  private throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new ImportAbortedError();
  }

  private async auditCsv(options: CsvImportOptions, result: CsvImportResult): Promise<void> {
    await this.dataSource.transaction((manager) =>
      recordAudit(manager, options.actor, {
        action: IMPORT_CSV_ACTION,
        entityType: "import",
        after: {
          customersFile: options.customersFile ?? null,
          ordersFile: options.ordersFile ?? null,
          strict: options.strict ?? false,
          written: result.written,
          customers: result.customers,
          orders: result.orders,
          errors: result.errorCount,
          ...(options.earnPoints ? { earnPoints: true, loyalty: result.loyalty ?? null } : {}),
        },
      }),
    );
  }
}

/**
 * The orders importer of a CSV import run with `earnPoints`: after a batch's orders are written,
 * its completed and refunded orders go to the loyalty hook in the same transaction, each
 * customer's in placed-at order (then order id); what they earned is counted once the batch
 * committed (a retried batch counts only its last try).
 */
class EarningOrders implements BatchImporter<OrderRow> {
  readonly counts: ImportEarningCounts = {
    ordersEarned: 0,
    pointsEarned: 0,
    ordersReversed: 0,
    pointsReversed: 0,
  };
  private readonly uncommitted = new WeakMap<
    readonly ImportEntry<OrderRow>[],
    ImportedOrderEarning[]
  >();

  constructor(
    private readonly orders: OrderBatchImporter,
    private readonly customerIds: ReadonlyMap<string, number>,
    private readonly hook: OrdersImportedHook,
  ) {}

  accept(
    ref: number,
    record: ImportRecord | null,
    problem: ImportFieldError | null,
  ): ImportEntry<OrderRow> {
    return this.orders.accept(ref, record, problem);
  }

  lineReader(header: CsvHeader): OrderLineReader | undefined {
    return this.orders.lineReader(header);
  }

  async process(manager: EntityManager, entries: readonly ImportEntry<OrderRow>[]): Promise<void> {
    this.uncommitted.delete(entries);
    await this.orders.process(manager, entries);
    const written: RecordedOrder[] = [];
    for (const entry of entries) {
      const row = entry.row;
      if (entry.status !== "imported" && entry.status !== "unchanged") continue;
      if (!row || entry.id === null) continue;
      if (row.status !== "completed" && row.status !== "refunded") continue;
      const customerId = this.customerIds.get(externalIdKey(row.customerExternalId));
      if (customerId === undefined || customerId < 0) continue;
      written.push({
        orderId: Number(entry.id),
        customerId,
        placedAt: row.placedAt,
        amountMinor: row.amountMinor,
        marginMinor: row.marginMinor,
        currency: row.currency,
        status: row.status,
      });
    }
    if (written.length === 0) return;
    written.sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime() || a.orderId - b.orderId);
    this.uncommitted.set(entries, await this.hook(manager, written));
  }

  committed(entries: readonly ImportEntry<OrderRow>[]): void {
    this.orders.committed(entries);
    const done = this.uncommitted.get(entries);
    if (!done) return;
    this.uncommitted.delete(entries);
    for (const e of done) {
      if (e.earned > 0) {
        this.counts.ordersEarned++;
        this.counts.pointsEarned += e.earned;
      }
      if (e.reversed > 0) {
        this.counts.ordersReversed++;
        this.counts.pointsReversed += e.reversed;
      }
    }
  }
}

const lineRef = (ref: number) => `line ${ref}`;
const itemRef = (ref: number) => `input item ${ref}`;

/** One `recordOrders` call waiting for its transaction. */
interface OrderCall {
  records: readonly ImportRecord[];
  actor: Actor;
}

/** The external ids a call's orders are stored under (as the importer compares them). */
function orderKeysOf(records: readonly ImportRecord[]): string[] {
  const keys: string[] = [];
  for (const record of records) {
    const id = record.external_id?.trim() ?? "";
    if (id !== "") keys.push(externalIdKey(id));
  }
  return keys;
}

function toRecordsResult(entries: readonly ImportEntry<unknown>[]): RecordsImportResult {
  const counts = { imported: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  const results = entries.map((entry): RecordResult => {
    const status: RecordResult["status"] =
      entry.status === "imported"
        ? entry.created === true
          ? "created"
          : "updated"
        : entry.status === "unchanged"
          ? "unchanged"
          : "rejected";
    counts[status]++;
    if (status === "created" || status === "updated") counts.imported++;
    return {
      index: entry.ref,
      status,
      id: status === "rejected" ? null : entry.id,
      errors: entry.errors.map((e) => ({ ...e, index: entry.ref })),
    };
  });
  return { results, counts };
}
