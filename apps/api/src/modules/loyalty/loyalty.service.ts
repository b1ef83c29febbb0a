import {
  activate,
  adjust,
  balances,
  bonusPoints,
  capPeriodStart,
  checkRedemption,
  currencyExponent,
  defaultLoyaltySettings,
  earn,
  earnPoints,
  expire,
  LoyaltyError,
  redeem,
  reverse,
  spendablePoints,
  validateLoyaltySettings,
  type LoyaltySettings,
  type PointsLedger,
} from "@valuetier/domain";
import type { DataSource, EntityManager } from "typeorm";
import { toSafeInteger } from "../../db/column-types";
import { keysetPage, type KeysetOrder, type Page } from "../../db/keyset";
import { chunks, isDuplicateKeyError, sqlDialect, type SqlDialect } from "../../db/sql-dialect";
import { fromSqlDateTime, toSqlDateTime } from "../../db/sql-values";
import { runInTransaction } from "../../db/transaction";
import { problem, type Problem } from "../../errors/domain-error";
import { recordAudit, type Actor } from "../audit/audit.service";
import type { TierQualification } from "../tiers/tier-qualification";
import { emitEvent } from "../webhooks/emit-event";
import { newCouponCode } from "./coupon-code";
import { loyaltyEconomics, type LoyaltyEconomicsReport } from "./loyalty-economics";
import {
  noEarningBoosts,
  type BoostEffect,
  type EarningBoost,
  type EarningBoosts,
} from "./earning-boosts";
import { noRewardUnlocks, type RewardUnlocks } from "./reward-unlocks";
import {
  AccountLedger,
  currentTiers,
  DuplicateOperationError,
  loadLedgers,
  lockAccounts,
  REVERSE_REDEMPTION,
  saveLedgers,
  type AccountRow,
  type AppendedEntry,
  type EntryMeta,
  type SourceKind,
} from "./ledger-store";
import {
  LoyaltyEntryEntity,
  LoyaltyRedemptionEntity,
  LoyaltyRewardEntity,
  LoyaltySettingsEntity,
} from "./loyalty.entity";

const SETTINGS_ID = 1;

// Points credited by hand or for an event have no purchase to return: they are available at once
// (the return window holds back only what orders earn).
const NO_RETURN_WINDOW = (settings: LoyaltySettings): LoyaltySettings => ({
  ...settings,
  pendingDays: 0,
});
const MAX_KEY = 191;

/** An order as it was recorded, for earning (or reversing) its points. */
export interface OrderForEarning {
  orderId: number;
  customerId: number;
  placedAt: Date;
  amountMinor: number;
  /** Null: the configured default margin rate applies (margin basis only). */
  marginMinor: number | null;
  currency: string;
  /** completed earns; refunded reverses what the order earned. */
  status: string;
}

/** What recording an order did to its customer's points. */
export interface OrderEarning {
  orderId: number;
  customerId: number;
  /** Points the order earned now (boost bonuses not included); 0 when none. */
  earned: number;
  /** Points reversed now because the order is refunded; 0 when none. */
  reversed: number;
}

export interface EarnForOrdersOptions {
  /**
   * The ledger time of each earn: `now` (the server clock: live orders, the default) or
   * `placed_at` (the order's own time, for back-filling history). Either way never before the
   * account's ledger clock.
   */
  clock?: "now" | "placed_at";
  /**
   * The caller's transaction runs at READ COMMITTED (as `recordOrders` does): accounts are then
   * locked with one locking read ({@link lockAccounts}).
   */
  readCommitted?: boolean;
}

/** A customer's points as the API shows them. */
export interface LoyaltyAccountView {
  customerId: number;
  balance: number;
  available: number;
  pending: number;
  lifetimeEarned: number;
  redeemed: number;
  expired: number;
  /** Open points by expiry instant within the horizon asked for, earliest first. */
  expiringSoon: { points: number; expiresAt: Date }[];
  tierKey: string | null;
}

/** One ledger entry with the lots it changed. */
export interface LedgerEntryView {
  seq: number;
  type: string;
  at: Date;
  points: number;
  availableChange: number;
  pendingChange: number;
  reason: string;
  source: string;
  sourceKind: string;
  sourceId: string | null;
  operation: string;
  tierKey: string | null;
  clawback: unknown;
  lots: {
    lotNo: number;
    points: number;
    lotSource: string;
    lotKind: string;
    expiresAt: Date | null;
  }[];
}

/** The outcome of a points write. */
export interface PointsWrite {
  /** The main entry of the operation (the first one on a repeat of its idempotency key). */
  entry: { seq: number; points: number; type: string };
  account: LoyaltyAccountView;
  /** True when the idempotency key had been used: nothing was written now. */
  replayed: boolean;
}

export interface RedemptionView {
  id: number;
  rewardId: number;
  customerId: number;
  code: string;
  points: number;
  status: string;
  redeemedAt: Date;
  reversedAt: Date | null;
}

export interface RedemptionWrite {
  redemption: RedemptionView;
  account: LoyaltyAccountView;
  replayed: boolean;
}

/** A reward as stored, terms in plain values. */
export interface RewardInput {
  name: string;
  description?: string | null;
  pointsCost: number;
  /** Null or empty: every customer. */
  tierKeys?: string[] | null;
  /** Null: unlimited. */
  stock?: number | null;
  perCustomerLimit?: number | null;
  validFrom?: Date | null;
  validUntil?: Date | null;
  active?: boolean | null;
  couponPrefix?: string | null;
  /** Redeemable only when a running campaign unlocks it for the customer. */
  campaignOnly?: boolean | null;
}

export interface LoyaltyServiceOptions {
  /** The server clock (tests inject one). */
  now?: () => Date;
  /** What campaigns add to an order's points; none by default. */
  boosts?: EarningBoosts;
  /** Margin rate for orders stored without a margin, when the value settings have none. */
  defaultMarginRate: string;
  /** Moves earners up at once under a points or spend tier policy (none by default). */
  tierQualification?: TierQualification;
}

/** An expected refusal raised inside a transaction (which it rolls back). */
class Refusal extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => p.message).join("; "));
  }
}

const refuse = (field: string | null, code: string, message: string): Refusal =>
  new Refusal([problem(field, code, message)]);

const int = (value: unknown): number => toSafeInteger(value as string | number) ?? 0;

function sourceOf(actor: Actor): { kind: SourceKind; id: string | null; text: string } {
  if (actor.type === "user")
    return { kind: "user", id: String(actor.id), text: `admin:${actor.id}` };
  if (actor.type === "api_key") {
    return { kind: "api_key", id: String(actor.id), text: `api_key:${actor.id}` };
  }
  return { kind: "system", id: actor.label.slice(0, 64), text: `system:${actor.label}` };
}

/**
 * The loyalty programme's writes and reads over the ledger tables, on the pure rules of
 * @valuetier/domain. Every write runs in one transaction that first takes the customer's account
 * row FOR UPDATE (creating it when missing), so writes for a customer run one at a time and see
 * each other; it loads only the open lots (and, to reverse an order, that order's lots and earlier
 * reversals), brings them up to date (activate, then expire, at the ledger time), applies the
 * operation, and appends the entries and lot changes and updates the lots and the cached
 * balances in the same transaction.
 *
 * Idempotency: every write takes a key, stored on the operation's main entry (unique per
 * account). A repeat with the same key writes nothing and returns the first result; a key used
 * for another operation is refused (IDEMPOTENCY_KEY_REUSED). A refused operation stores nothing,
 * so its key can be used again.
 *
 * Time: live operations use the server clock, never before the account's last entry (the
 * ledger's clock does not go back).
 */
export class LoyaltyService {
  private readonly dialect: SqlDialect;
  private readonly now: () => Date;
  private boosts: EarningBoosts;
  private unlocks: RewardUnlocks = noRewardUnlocks;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: LoyaltyServiceOptions,
  ) {
    this.dialect = sqlDialect(dataSource);
    this.now = options.now ?? (() => new Date());
    this.boosts = options.boosts ?? noEarningBoosts;
  }

  /**
   * Every write of the service: one transaction at READ COMMITTED on MySQL. The account's row lock
   * is what orders the writes of a customer; each read after it must see what the previous holder
   * committed, which under REPEATABLE READ a snapshot taken by an earlier read of the same
   * transaction would hide (two redemptions would both spend the same lots). READ COMMITTED also
   * takes no gap locks, so first-time customers do not deadlock on each other's inserts.
   */
  private transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return runInTransaction(this.dataSource, work, { readCommitted: true });
  }

  /** Registers what campaigns add to earning (composition does, once campaigns exist). */
  useEarningBoosts(boosts: EarningBoosts): void {
    this.boosts = boosts;
  }

  /** Registers which rewards campaigns unlock for their treated members (composition does). */
  useRewardUnlocks(unlocks: RewardUnlocks): void {
    this.unlocks = unlocks;
  }

  // ---------------------------------------------------------------- settings

  /** The programme's settings (the domain's defaults until an admin changes them). */
  async settings(manager: EntityManager = this.dataSource.manager): Promise<LoyaltySettings> {
    // Raw SQL: read in every earning transaction, where building an entity query costs more than
    // the read.
    const [row] = (await manager.query("SELECT settings_json FROM loyalty_settings WHERE id = ?", [
      SETTINGS_ID,
    ])) as { settings_json: string }[];
    if (row) return JSON.parse(row.settings_json) as LoyaltySettings;
    return defaultLoyaltySettings();
  }

  /** Checks and saves the settings (audited); every problem comes back with its field path. */
  async updateSettings(
    settings: LoyaltySettings,
    actor: Actor,
  ): Promise<LoyaltySettings | Problem[]> {
    const issues = validateLoyaltySettings(settings);
    if (issues.length > 0) {
      return issues.map((i) => problem(`input.${i.field}`, i.code, i.message));
    }
    const saved = async (): Promise<LoyaltySettings> =>
      this.transaction(async (manager) => {
        const repo = manager.getRepository(LoyaltySettingsEntity);
        const before = await this.settings(manager);
        const json = JSON.stringify(settings);
        const existing = await repo.findOneBy({ id: SETTINGS_ID });
        if (existing) {
          await repo.update(
            { id: SETTINGS_ID },
            { settingsJson: json, updatedBy: actor.label.slice(0, 254) },
          );
        } else {
          await repo.insert({
            id: SETTINGS_ID,
            settingsJson: json,
            updatedBy: actor.label.slice(0, 254),
          });
        }
        await recordAudit(manager, actor, {
          action: "loyalty.settings",
          entityType: "loyalty_settings",
          before,
          after: settings,
        });
        return settings;
      });
    try {
      return await saved();
    } catch (error) {
      // Two first saves at once: the second updates the row the first inserted.
      if (isDuplicateKeyError(error)) return saved();
      throw error;
    }
  }

  // ---------------------------------------------------------------- reads

  /**
   * A customer's points now: the stored lots brought up to date in memory (activation and
   * expiry due by now are counted as done), without writing.
   *
   * @param expiringWithinDays horizon of `expiringSoon` (default 30).
   * @returns null when the customer does not exist.
   */
  async account(customerId: number, expiringWithinDays = 30): Promise<LoyaltyAccountView | null> {
    return this.accountView(this.dataSource.manager, customerId, expiringWithinDays);
  }

  private async accountView(
    manager: EntityManager,
    customerId: number,
    expiringWithinDays = 30,
  ): Promise<LoyaltyAccountView | null> {
    return (
      (await this.accountViews(manager, [customerId], expiringWithinDays)).get(customerId) ?? null
    );
  }

  /**
   * The points of many customers in four queries whatever their number (a page of customers
   * asking for `loyalty`): customers with their accounts, their tiers, their open lots.
   *
   * @returns a view per existing customer (zero for one without points yet).
   */
  async accounts(
    customerIds: readonly number[],
    expiringWithinDays = 30,
  ): Promise<Map<number, LoyaltyAccountView>> {
    return this.accountViews(this.dataSource.manager, customerIds, expiringWithinDays);
  }

  private async accountViews(
    manager: EntityManager,
    customerIds: readonly number[],
    expiringWithinDays: number,
  ): Promise<Map<number, LoyaltyAccountView>> {
    const views = new Map<number, LoyaltyAccountView>();
    const ids = [...new Set(customerIds)];
    if (ids.length === 0) return views;
    const rows: Record<string, unknown>[] = [];
    for (const part of chunks(ids, 1000)) {
      const list = this.dialect.inList(part);
      rows.push(
        ...((await manager.query(
          "SELECT c.id, a.customer_id, a.balance, a.available, a.pending, a.lifetime_earned, a.lifetime_redeemed, " +
            "a.lifetime_expired, a.next_lot, a.next_entry, a.last_at, a.version " +
            `FROM customers c LEFT JOIN loyalty_accounts a ON a.customer_id = c.id WHERE c.id IN (${list.sql})`,
          list.params,
        )) as Record<string, unknown>[]),
      );
    }
    const tiers = await currentTiers(manager, this.dialect, ids);
    const accounts: AccountRow[] = [];
    for (const row of rows) {
      const customerId = int(row.id);
      if (row.customer_id === null || row.customer_id === undefined) {
        views.set(customerId, {
          customerId,
          balance: 0,
          available: 0,
          pending: 0,
          lifetimeEarned: 0,
          redeemed: 0,
          expired: 0,
          expiringSoon: [],
          tierKey: tiers.get(customerId) ?? null,
        });
        continue;
      }
      accounts.push({
        customerId,
        balance: int(row.balance),
        available: int(row.available),
        pending: int(row.pending),
        lifetimeEarned: int(row.lifetime_earned),
        lifetimeRedeemed: int(row.lifetime_redeemed),
        lifetimeExpired: int(row.lifetime_expired),
        nextLot: int(row.next_lot),
        nextEntry: int(row.next_entry),
        lastAt: row.last_at ? fromSqlDateTime(row.last_at as Date | string)!.getTime() : null,
        version: int(row.version),
      });
    }
    const states = await loadLedgers(manager, this.dialect, accounts);
    for (const account of accounts) {
      views.set(
        account.customerId,
        this.view(
          account,
          states.get(account.customerId)!,
          tiers.get(account.customerId) ?? null,
          expiringWithinDays,
        ),
      );
    }
    return views;
  }

  /** The balances of `state` once activation and expiry due by now are applied (in memory). */
  private view(
    account: AccountRow,
    state: PointsLedger,
    tierKey: string | null,
    expiringWithinDays = 30,
  ): LoyaltyAccountView {
    const now = this.now().getTime();
    const at = state.lastAt === null ? now : Math.max(now, state.lastAt);
    const activated = activate(state, at);
    const expired = expire(activated.state, at);
    const current = balances(expired.state, at, expiringWithinDays);
    const justExpired = expired.entries.reduce((s, e) => s - e.points, 0);
    const horizon = at + expiringWithinDays * 86_400_000;
    const byInstant = new Map<number, number>();
    for (const lot of expired.state.lots) {
      if (lot.remaining > 0 && lot.expiresAt !== null && lot.expiresAt <= horizon) {
        byInstant.set(lot.expiresAt, (byInstant.get(lot.expiresAt) ?? 0) + lot.remaining);
      }
    }
    return {
      customerId: account.customerId,
      balance: current.balance,
      available: current.available,
      pending: current.pending,
      lifetimeEarned: account.lifetimeEarned,
      redeemed: account.lifetimeRedeemed,
      expired: account.lifetimeExpired + justExpired,
      expiringSoon: [...byInstant.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([instant, points]) => ({ points, expiresAt: new Date(instant) })),
      tierKey,
    };
  }

  /** A page of a customer's ledger, newest first, each entry with the lots it changed. */
  async ledger(
    customerId: number,
    first: number,
    after: string | null | undefined,
  ): Promise<{ page: Page<LedgerEntryView>; countTotal: () => Promise<number> }> {
    const repo = this.dataSource.getRepository(LoyaltyEntryEntity);
    const order: KeysetOrder<LoyaltyEntryEntity> = {
      name: "loyaltyLedger:seq:DESC",
      column: null,
      idColumn: "e.seq",
      direction: "DESC",
      id: (row) => row.seq,
      cursorValue: () => null,
    };
    const page = await keysetPage(
      repo.createQueryBuilder("e").where("e.accountId = :customerId", { customerId }),
      order,
      first,
      after,
    );
    return {
      page: { ...page, rows: await this.withLots(customerId, page.rows) },
      countTotal: () => repo.countBy({ accountId: customerId }),
    };
  }

  /**
   * The programme's economics (loyalty-economics.ts) over `[from, until)`: by default the twelve
   * months up to now, from the start of the month eleven months back.
   */
  async economics(
    period: { from?: Date | null; until?: Date | null } = {},
  ): Promise<LoyaltyEconomicsReport | Problem[]> {
    const asOf = this.now();
    const until = period.until ?? asOf;
    const from =
      period.from ?? new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - 11, 1));
    if (from >= until) {
      return [problem("from", "INVALID_PERIOD", "from must be before until")];
    }
    return loyaltyEconomics(this.dataSource, await this.settings(), { asOf, from, until });
  }

  /** One ledger entry with its lot changes, or null. */
  async ledgerEntry(customerId: number, seq: number): Promise<LedgerEntryView | null> {
    const row = await this.dataSource
      .getRepository(LoyaltyEntryEntity)
      .findOneBy({ accountId: customerId, seq });
    return row ? ((await this.withLots(customerId, [row]))[0] ?? null) : null;
  }

  private async withLots(
    customerId: number,
    entries: readonly LoyaltyEntryEntity[],
  ): Promise<LedgerEntryView[]> {
    const changes = new Map<number, LedgerEntryView["lots"]>();
    if (entries.length > 0) {
      const list = this.dialect.inList(entries.map((r) => r.seq));
      const rows: Record<string, unknown>[] = await this.dataSource.query(
        "SELECT c.entry_seq, c.lot_no, c.points, l.source, l.kind, l.expires_at FROM loyalty_lot_changes c " +
          "JOIN loyalty_lots l ON l.account_id = c.account_id AND l.lot_no = c.lot_no " +
          `WHERE c.account_id = ? AND c.entry_seq IN (${list.sql}) ORDER BY c.entry_seq, c.n`,
        [customerId, ...(list.params ?? [])],
      );
      for (const row of rows) {
        const seq = int(row.entry_seq);
        const lots = changes.get(seq) ?? [];
        lots.push({
          lotNo: int(row.lot_no),
          points: int(row.points),
          lotSource: String(row.source),
          lotKind: String(row.kind),
          expiresAt: fromSqlDateTime((row.expires_at as Date | string | null) ?? null),
        });
        changes.set(seq, lots);
      }
    }
    return entries.map((e) => ({
      seq: e.seq,
      type: e.type,
      at: e.at,
      points: e.points,
      availableChange: e.availableChange,
      pendingChange: e.pendingChange,
      reason: e.reason,
      source: e.source,
      sourceKind: e.sourceKind,
      sourceId: e.sourceId,
      operation: e.operation,
      tierKey: e.tierKey,
      clawback: e.clawbackJson ? JSON.parse(e.clawbackJson) : null,
      lots: changes.get(e.seq) ?? [],
    }));
  }

  // ---------------------------------------------------------------- writes for one customer

  /**
   * Credits points to a customer (a storefront or an admin), in a new lot available at once
   * (no purchase to return) and expiring by the programme's rule.
   *
   * @returns the earn entry and the account, or problems (NOT_FOUND, INVALID_POINTS,
   *   INVALID_TEXT, IDEMPOTENCY_KEY_REUSED, INVALID_IDEMPOTENCY_KEY).
   */
  async earnPoints(
    input: { customerId: number; points: number; reason: string; idempotencyKey: string },
    actor: Actor,
  ): Promise<PointsWrite | Problem[]> {
    const source = sourceOf(actor);
    return this.pointsWrite("earn_points", input.customerId, input.idempotencyKey, actor, {
      apply: (ledger, settings, at) =>
        ledger.apply(
          (s) =>
            earn(s, NO_RETURN_WINDOW(settings), {
              points: input.points,
              at,
              source: source.text,
              reason: input.reason,
            }),
          { operation: "earn_points", sourceKind: source.kind, sourceId: source.id },
        ),
      matches: (first) => first.points === input.points,
    });
  }

  /**
   * Bonus points for a named event of the settings (sign_up, birthday, review, …), not capped.
   *
   * @returns as {@link earnPoints}, or UNKNOWN_BONUS_EVENT.
   */
  async earnBonus(
    input: { customerId: number; event: string; idempotencyKey: string },
    actor: Actor,
  ): Promise<PointsWrite | Problem[]> {
    const source = sourceOf(actor);
    return this.pointsWrite("bonus_event", input.customerId, input.idempotencyKey, actor, {
      apply: (ledger, settings, at) => {
        const points = bonusPoints(settings, input.event);
        if (points === 0)
          throw refuse("input.event", "INVALID_POINTS", `${input.event} gives no points`);
        return ledger.apply(
          (s) =>
            earn(s, NO_RETURN_WINDOW(settings), {
              points,
              at,
              source: `bonus:${input.event}`,
              reason: `bonus: ${input.event}`,
            }),
          { operation: "bonus_event", sourceKind: source.kind, sourceId: source.id },
        );
      },
      matches: () => true,
    });
  }

  /**
   * A manual correction by an admin, with a reason, audited. Positive points go into a new lot
   * available at once; negative ones are taken from the open points (refused under cap_at_zero
   * when the balance is short).
   */
  async adjustPoints(
    input: { customerId: number; points: number; reason: string; idempotencyKey: string },
    actor: Actor,
  ): Promise<PointsWrite | Problem[]> {
    const source = sourceOf(actor);
    return this.pointsWrite("adjust_points", input.customerId, input.idempotencyKey, actor, {
      apply: (ledger, settings, at) =>
        ledger.apply(
          (s) =>
            adjust(s, settings, {
              points: input.points,
              at,
              source: source.text,
              reason: input.reason,
            }),
          { operation: "adjust_points", sourceKind: source.kind, sourceId: source.id },
        ),
      matches: (first) => first.type === "adjust",
      audit: async (manager, entrySeq) => {
        await recordAudit(manager, actor, {
          action: "loyalty.adjust",
          entityType: "customer",
          entityId: input.customerId,
          after: { points: input.points, reason: input.reason, entrySeq },
        });
      },
    });
  }

  /** Makes the customer's pending points due by now available (what the job does, for one). */
  async activateAccount(customerId: number): Promise<number> {
    return (await this.housekeep([customerId], "activate", this.now())).entries;
  }

  /** Expires the customer's points due by now (what the job does, for one). */
  async expireAccount(customerId: number): Promise<number> {
    return (await this.housekeep([customerId], "expire", this.now())).entries;
  }

  private async pointsWrite(
    operation: string,
    customerId: number,
    idempotencyKey: string,
    _actor: Actor,
    op: {
      apply: (ledger: AccountLedger, settings: LoyaltySettings, at: number) => AppendedEntry[];
      matches: (first: { points: number; type: string }) => boolean;
      audit?: (manager: EntityManager, entrySeq: number) => Promise<void>;
    },
  ): Promise<PointsWrite | Problem[]> {
    const keyProblem = checkKey(idempotencyKey);
    if (keyProblem) return [keyProblem];
    return this.refusable(() =>
      this.transaction(async (manager) => {
        const account = await this.lockOne(manager, customerId);
        const first = await this.firstOf(manager, customerId, idempotencyKey);
        if (first) {
          if (first.operation !== operation || !op.matches(first)) {
            throw reusedKey(first.operation);
          }
          return {
            entry: { seq: first.seq, points: first.points, type: first.type },
            account: (await this.accountView(manager, customerId))!,
            replayed: true,
          };
        }
        const settings = await this.settings(manager);
        const tier =
          (await currentTiers(manager, this.dialect, [customerId])).get(customerId) ?? null;
        const [state] = (
          await loadLedgers(manager, this.dialect, [account], new Map(), { forWrite: true })
        ).values();
        const ledger = new AccountLedger(account, state!, tier);
        const at = this.housekeepLedger(ledger, this.now().getTime());
        const added = op.apply(ledger, settings, at);
        // The key goes on the operation's main entry (apply marked the first one).
        const main = added[0]!;
        main.meta = { ...main.meta, idempotencyKey };
        await saveLedgers(manager, this.dialect, [ledger]);
        if (main.entry.points > 0)
          await this.options.tierQualification?.afterEarn(manager, [customerId], new Date(at));
        await op.audit?.(manager, main.seq);
        return {
          entry: { seq: main.seq, points: main.entry.points, type: main.entry.type },
          account: (await this.accountView(manager, customerId))!,
          replayed: false,
        };
      }),
    );
  }

  /** Applies activation then expiry due at the ledger time for `now`; returns that time. */
  private housekeepLedger(ledger: AccountLedger, now: number): number {
    const at = ledger.clock(now);
    const meta: EntryMeta = { operation: "housekeeping", sourceKind: "system", sourceId: null };
    ledger.apply((s) => activate(s, at), { ...meta, operation: "activate" });
    ledger.apply((s) => expire(s, at), { ...meta, operation: "expire" });
    return at;
  }

  private async lockOne(manager: EntityManager, customerId: number): Promise<AccountRow> {
    // Always inside this.transaction (READ COMMITTED).
    const account = (
      await lockAccounts(manager, this.dialect, [customerId], { readCommitted: true })
    ).get(customerId);
    if (!account)
      throw refuse("input.customerId", "NOT_FOUND", `no customer with id ${customerId}`);
    return account;
  }

  private async firstOf(
    manager: EntityManager,
    customerId: number,
    idempotencyKey: string,
  ): Promise<{
    seq: number;
    points: number;
    type: string;
    operation: string;
    source: string;
  } | null> {
    const rows: Record<string, unknown>[] = await manager.query(
      "SELECT seq, points, type, operation, source FROM loyalty_entries WHERE account_id = ? AND idempotency_key = ?",
      [customerId, idempotencyKey],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      seq: int(row.seq),
      points: int(row.points),
      type: String(row.type),
      operation: String(row.operation),
      source: String(row.source),
    };
  }

  /**
   * Runs a write; refusals come back as problems, and a write that lost an idempotency race
   * (its key committed by another transaction meanwhile) runs once more to read the first
   * result back.
   */
  private async refusable<T>(work: () => Promise<T>): Promise<T | Problem[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (error instanceof Refusal) return error.problems;
        if (error instanceof LoyaltyError) {
          return [problem(error.field ? `input.${error.field}` : null, error.code, error.message)];
        }
        if (
          attempt < 3 &&
          (error instanceof DuplicateOperationError || isDuplicateKeyError(error))
        ) {
          continue;
        }
        throw error;
      }
    }
  }

  // ---------------------------------------------------------------- rewards and redemption

  /**
   * Redeems one unit of a reward for a customer: the reward's terms checked (tier, stock,
   * per-customer limit, validity) with the domain's checkRedemption, the points taken from the
   * lots earliest expiry first, one unit of stock taken by a conditional UPDATE (never below 0),
   * and a unique coupon code issued, all in one transaction behind the account's row lock.
   */
  async redeemReward(
    input: { customerId: number; rewardId: number; idempotencyKey: string },
    actor: Actor,
  ): Promise<RedemptionWrite | Problem[]> {
    const keyProblem = checkKey(input.idempotencyKey);
    if (keyProblem) return [keyProblem];
    const source = sourceOf(actor);
    return this.refusable(() =>
      this.transaction(async (manager) => {
        const { customerId, rewardId, idempotencyKey } = input;
        const account = await this.lockOne(manager, customerId);
        const previous = await manager
          .getRepository(LoyaltyRedemptionEntity)
          .findOneBy({ accountId: customerId, idempotencyKey });
        if (previous) {
          if (previous.rewardId !== rewardId) throw reusedKey("redeem_reward");
          return {
            redemption: toRedemptionView(previous),
            account: (await this.accountView(manager, customerId))!,
            replayed: true,
          };
        }
        const first = await this.firstOf(manager, customerId, idempotencyKey);
        if (first) throw reusedKey(first.operation);
        const reward = await manager.getRepository(LoyaltyRewardEntity).findOneBy({ id: rewardId });
        if (!reward || reward.active !== 1) {
          throw refuse(
            "input.rewardId",
            "NOT_FOUND",
            reward ? `reward ${rewardId} is not active` : `no reward with id ${rewardId}`,
          );
        }
        const tier =
          (await currentTiers(manager, this.dialect, [customerId])).get(customerId) ?? null;
        const [state] = (
          await loadLedgers(manager, this.dialect, [account], new Map(), { forWrite: true })
        ).values();
        const ledger = new AccountLedger(account, state!, tier);
        const at = this.housekeepLedger(ledger, this.now().getTime());
        const counted: { n: unknown }[] = await manager.query(
          "SELECT COUNT(*) AS n FROM loyalty_redemptions WHERE account_id = ? AND reward_id = ? AND status = 'redeemed'",
          [customerId, rewardId],
        );
        // A reward a running campaign unlocks for this customer (a treated member) is open to
        // them whatever their tier; a campaign-only reward is open to nobody else.
        const unlocked = (
          await this.unlocks.unlockedFor(manager, customerId, new Date(at), [rewardId])
        ).has(rewardId);
        if (reward.campaignOnly === 1 && !unlocked) {
          throw refuse(
            "input.rewardId",
            "REWARD_LOCKED",
            `reward ${rewardId} is only for customers a running campaign offers it to`,
          );
        }
        const terms = rewardTerms(reward);
        const check = checkRedemption(
          unlocked ? { ...terms, eligibleTiers: null } : terms,
          {
            availablePoints: spendablePoints(ledger.state, at),
            tier,
            alreadyRedeemed: int(counted[0]?.n),
          },
          at,
        );
        if (!check.ok) {
          throw new Refusal(
            check.refusals.map((r) => problem("input.rewardId", r.code, r.message)),
          );
        }
        if (reward.remaining !== null) {
          const taken = await manager
            .createQueryBuilder()
            .update(LoyaltyRewardEntity)
            .set({ remaining: () => "remaining - 1" })
            .where("id = :id AND remaining > 0", { id: rewardId })
            .execute();
          if ((taken.affected ?? 0) === 0) {
            throw refuse("input.rewardId", "OUT_OF_STOCK", `reward ${rewardId} is out of stock`);
          }
        }
        const [main] = ledger.apply(
          (s) =>
            redeem(s, {
              points: check.pointsCost,
              at,
              source: `reward:${rewardId}`,
              reason: `redeemed: ${reward.name}`.slice(0, 500),
            }),
          {
            operation: "redeem_reward",
            sourceKind: source.kind,
            sourceId: source.id,
            idempotencyKey,
          },
        );
        await saveLedgers(manager, this.dialect, [ledger]);
        const repo = manager.getRepository(LoyaltyRedemptionEntity);
        let redemption: LoyaltyRedemptionEntity | null = null;
        for (let draw = 0; redemption === null; draw++) {
          const row = repo.create({
            rewardId,
            accountId: customerId,
            entrySeq: main!.seq,
            points: check.pointsCost,
            code: newCouponCode(reward.couponPrefix),
            status: "redeemed",
            idempotencyKey,
            redeemedAt: new Date(at),
            reversalEntrySeq: null,
            reversedAt: null,
          });
          try {
            redemption = await this.insertRedemption(manager, row);
          } catch (error) {
            // A code drawn twice (60 random bits: practically never): draw another.
            if (!isDuplicateKeyError(error) || draw >= 5) throw error;
            const clash = await repo.findOneBy({ accountId: customerId, idempotencyKey });
            if (clash) throw new DuplicateOperationError("redemption already stored");
          }
        }
        // Events out (the webhooks outbox), in this transaction: only a committed redemption.
        await emitEvent(manager, {
          type: "reward.redeemed",
          key: `redemption:${redemption.id}`,
          payload: {
            customerId: await externalIdOf(manager, customerId),
            redemptionId: String(redemption.id),
            rewardId: String(rewardId),
            rewardName: reward.name,
            points: check.pointsCost,
            redeemedAt: new Date(at).toISOString(),
          },
        });
        return {
          redemption: toRedemptionView(redemption),
          account: (await this.accountView(manager, customerId))!,
          replayed: false,
        };
      }),
    );
  }

  private async insertRedemption(
    manager: EntityManager,
    row: LoyaltyRedemptionEntity,
  ): Promise<LoyaltyRedemptionEntity> {
    const result = await manager.getRepository(LoyaltyRedemptionEntity).insert(row);
    const id = int(result.identifiers[0]?.id);
    return { ...row, id };
  }

  /**
   * Gives a redemption's points back (an adjust entry into a new available lot, source
   * `redemption:<id>`), returns its unit to stock and marks it reversed.
   */
  async reverseRedemption(
    input: { redemptionId: number; reason: string; idempotencyKey: string },
    actor: Actor,
  ): Promise<RedemptionWrite | Problem[]> {
    const keyProblem = checkKey(input.idempotencyKey);
    if (keyProblem) return [keyProblem];
    const source = sourceOf(actor);
    return this.refusable(() =>
      this.transaction(async (manager) => {
        const repo = manager.getRepository(LoyaltyRedemptionEntity);
        const found = await repo.findOneBy({ id: input.redemptionId });
        if (!found) {
          throw refuse(
            "input.redemptionId",
            "NOT_FOUND",
            `no redemption with id ${input.redemptionId}`,
          );
        }
        const customerId = found.accountId;
        const account = await this.lockOne(manager, customerId);
        const first = await this.firstOf(manager, customerId, input.idempotencyKey);
        const redemption = (await repo.findOneBy({ id: input.redemptionId }))!;
        if (first) {
          if (
            first.operation !== REVERSE_REDEMPTION ||
            first.source !== `redemption:${redemption.id}`
          ) {
            throw reusedKey(first.operation);
          }
          return {
            redemption: toRedemptionView(redemption),
            account: (await this.accountView(manager, customerId))!,
            replayed: true,
          };
        }
        if (redemption.status !== "redeemed") {
          throw refuse(
            "input.redemptionId",
            "ALREADY_REVERSED",
            `redemption ${redemption.id} was already reversed`,
          );
        }
        const settings = await this.settings(manager);
        const tier =
          (await currentTiers(manager, this.dialect, [customerId])).get(customerId) ?? null;
        const [state] = (
          await loadLedgers(manager, this.dialect, [account], new Map(), { forWrite: true })
        ).values();
        const ledger = new AccountLedger(account, state!, tier);
        const at = this.housekeepLedger(ledger, this.now().getTime());
        const [main] = ledger.apply(
          (s) =>
            adjust(s, settings, {
              points: redemption.points,
              at,
              source: `redemption:${redemption.id}`,
              reason: input.reason,
            }),
          {
            operation: REVERSE_REDEMPTION,
            sourceKind: source.kind,
            sourceId: source.id,
            idempotencyKey: input.idempotencyKey,
          },
        );
        await saveLedgers(manager, this.dialect, [ledger]);
        await repo.update(
          { id: redemption.id },
          { status: "reversed", reversalEntrySeq: main!.seq, reversedAt: new Date(at) },
        );
        await manager
          .createQueryBuilder()
          .update(LoyaltyRewardEntity)
          .set({ remaining: () => "remaining + 1" })
          .where("id = :id AND remaining IS NOT NULL", { id: redemption.rewardId })
          .execute();
        await recordAudit(manager, actor, {
          action: "loyalty.reverse_redemption",
          entityType: "loyalty_redemption",
          entityId: redemption.id,
          after: { points: redemption.points, reason: input.reason },
        });
        return {
          redemption: toRedemptionView((await repo.findOneBy({ id: redemption.id }))!),
          account: (await this.accountView(manager, customerId))!,
          replayed: false,
        };
      }),
    );
  }

  /** A customer's redemptions, newest first. */
  async redemptions(customerId: number, limit = 50): Promise<RedemptionView[]> {
    const rows = await this.dataSource
      .getRepository(LoyaltyRedemptionEntity)
      .find({ where: { accountId: customerId }, order: { id: "DESC" }, take: limit });
    return rows.map(toRedemptionView);
  }

  /**
   * The catalogue; with `customerId`, only the active rewards that customer may see: campaign-only
   * rewards appear only when a running campaign unlocks them for the customer (never for control
   * members or non-members).
   */
  async rewards(
    options: { activeOnly?: boolean; customerId?: number } = {},
  ): Promise<LoyaltyRewardEntity[]> {
    const forCustomer = options.customerId !== undefined;
    const rows = await this.dataSource.getRepository(LoyaltyRewardEntity).find({
      where: options.activeOnly || forCustomer ? { active: 1 } : {},
      order: { id: "ASC" },
    });
    if (!forCustomer) return rows;
    const gated = rows.filter((r) => r.campaignOnly === 1).map((r) => r.id);
    if (gated.length === 0) return rows;
    const unlocked = await this.unlocks.unlockedFor(
      this.dataSource.manager,
      options.customerId!,
      this.now(),
      gated,
    );
    return rows.filter((r) => r.campaignOnly !== 1 || unlocked.has(r.id));
  }

  async reward(id: number): Promise<LoyaltyRewardEntity | null> {
    return this.dataSource.getRepository(LoyaltyRewardEntity).findOneBy({ id });
  }

  /** Adds a reward to the catalogue (audited). */
  async createReward(input: RewardInput, actor: Actor): Promise<LoyaltyRewardEntity | Problem[]> {
    const problems = checkReward(input, true);
    if (problems.length > 0) return problems;
    return this.transaction(async (manager) => {
      const repo = manager.getRepository(LoyaltyRewardEntity);
      const stock = input.stock ?? null;
      const result = await repo.insert({
        name: input.name.trim(),
        description: input.description?.trim() ?? "",
        pointsCost: input.pointsCost,
        tierKeys:
          input.tierKeys && input.tierKeys.length > 0 ? JSON.stringify(input.tierKeys) : null,
        stock,
        remaining: stock,
        perCustomerLimit: input.perCustomerLimit ?? null,
        validFrom: input.validFrom ?? null,
        validUntil: input.validUntil ?? null,
        active: input.active === false ? 0 : 1,
        couponPrefix: input.couponPrefix?.trim() ?? "",
        campaignOnly: input.campaignOnly ? 1 : 0,
      });
      const reward = await repo.findOneByOrFail({ id: int(result.identifiers[0]?.id) });
      await recordAudit(manager, actor, {
        action: "loyalty.reward.create",
        entityType: "loyalty_reward",
        entityId: reward.id,
        after: input,
      });
      return reward;
    });
  }

  /**
   * Changes a reward (audited). Fields left out (undefined) keep their value. A new `stock`
   * sets the units issued in all: what is left moves by the difference, never below 0.
   */
  async updateReward(
    id: number,
    input: Partial<RewardInput>,
    actor: Actor,
  ): Promise<LoyaltyRewardEntity | Problem[]> {
    const problems = checkReward(input, false);
    if (problems.length > 0) return problems;
    return this.refusable(() =>
      this.transaction(async (manager) => {
        const repo = manager.getRepository(LoyaltyRewardEntity);
        const rows = await manager.query(
          `SELECT id FROM loyalty_rewards WHERE id = ?${this.dialect.forUpdate}`,
          [id],
        );
        if ((rows as unknown[]).length === 0) {
          throw refuse("input.id", "NOT_FOUND", `no reward with id ${id}`);
        }
        const before = await repo.findOneByOrFail({ id });
        const change: Partial<LoyaltyRewardEntity> = {};
        if (input.name !== undefined) change.name = input.name.trim();
        if (input.description !== undefined) change.description = input.description?.trim() ?? "";
        if (input.pointsCost !== undefined) change.pointsCost = input.pointsCost;
        if (input.tierKeys !== undefined) {
          change.tierKeys =
            input.tierKeys && input.tierKeys.length > 0 ? JSON.stringify(input.tierKeys) : null;
        }
        if (input.stock !== undefined) {
          change.stock = input.stock;
          change.remaining =
            input.stock === null
              ? null
              : Math.max(0, input.stock - ((before.stock ?? 0) - (before.remaining ?? 0)));
        }
        if (input.perCustomerLimit !== undefined) change.perCustomerLimit = input.perCustomerLimit;
        if (input.validFrom !== undefined) change.validFrom = input.validFrom;
        if (input.validUntil !== undefined) change.validUntil = input.validUntil;
        if (input.active !== undefined && input.active !== null)
          change.active = input.active ? 1 : 0;
        if (input.couponPrefix !== undefined)
          change.couponPrefix = input.couponPrefix?.trim() ?? "";
        if (input.campaignOnly !== undefined && input.campaignOnly !== null)
          change.campaignOnly = input.campaignOnly ? 1 : 0;
        if (Object.keys(change).length > 0) await repo.update({ id }, change);
        const after = await repo.findOneByOrFail({ id });
        await recordAudit(manager, actor, {
          action: "loyalty.reward.update",
          entityType: "loyalty_reward",
          entityId: id,
          before,
          after,
        });
        return after;
      }),
    );
  }

  // ---------------------------------------------------------------- orders

  /**
   * Earns the points of recorded orders, and reverses them for refunded ones, inside the
   * caller's transaction (the one that records the orders). Idempotent per order: an order earns
   * once (key `order:<id>:earn`) and is reversed once (`order:<id>:refund`), so recording the
   * same orders again changes nothing. Completed orders earn by the settings (basis, rate, tier
   * multiplier from the customer's current tier, campaign boosts, caps); refunded orders that
   * earned have what is left of their points reversed (from their own lots first).
   *
   * @param manager the caller's transaction.
   * @param orders the orders as stored (customers must exist).
   * @returns what each order's earning did now (orders with nothing to do are left out).
   */
  async earnForOrders(
    manager: EntityManager,
    orders: readonly OrderForEarning[],
    options: EarnForOrdersOptions = {},
  ): Promise<OrderEarning[]> {
    if (orders.length === 0) return [];
    const dialect = this.dialect;
    const customerIds = [...new Set(orders.map((o) => o.customerId))];
    const accounts = await lockAccounts(manager, dialect, customerIds, {
      readCommitted: options.readCommitted === true,
    });
    const done = await this.orderKeys(manager, orders);
    const toEarn = orders.filter(
      (o) => o.status === "completed" && !done.has(`${o.customerId}|order:${o.orderId}:earn`),
    );
    const toReverse = orders.filter(
      (o) =>
        o.status === "refunded" &&
        done.has(`${o.customerId}|order:${o.orderId}:earn`) &&
        !done.has(`${o.customerId}|order:${o.orderId}:refund`),
    );
    if (toEarn.length === 0 && toReverse.length === 0) return [];
    const settings = await this.settings(manager);
    const working = [...new Set([...toEarn, ...toReverse].map((o) => o.customerId))].filter((id) =>
      accounts.has(id),
    );
    const tiers = await currentTiers(manager, dialect, working);
    const reverseSources = new Map<number, string[]>();
    for (const o of toReverse) {
      const list = reverseSources.get(o.customerId) ?? [];
      list.push(`order:${o.orderId}`);
      reverseSources.set(o.customerId, list);
    }
    const states = await loadLedgers(
      manager,
      dialect,
      working.map((id) => accounts.get(id)!),
      reverseSources,
      { forWrite: true },
    );
    const ledgers = new Map<number, AccountLedger>();
    for (const id of working) {
      ledgers.set(id, new AccountLedger(accounts.get(id)!, states.get(id)!, tiers.get(id) ?? null));
    }
    const now = this.now().getTime();
    const clockOf = (o: OrderForEarning) =>
      options.clock === "placed_at" ? o.placedAt.getTime() : now;
    const marginRate =
      toEarn.some((o) => o.marginMinor === null) && settings.earnBasis === "margin"
        ? await this.defaultMarginRate(manager)
        : null;

    // Points already earned from orders in each order's cap period.
    const periodEarned = await this.periodEarnings(manager, settings, toEarn, clockOf);
    const boosts = toEarn.length
      ? await this.boosts.forOrders(
          manager,
          toEarn.map((o) => ({
            orderId: String(o.orderId),
            customerId: String(o.customerId),
            placedAt: o.placedAt,
          })),
        )
      : new Map<string, EarningBoost[]>();

    const pointsOf = (o: OrderForEarning, at: number, applied: readonly EarningBoost[]): number => {
      const tier = tiers.get(o.customerId) ?? null;
      const cap = settings.periodCap;
      const earnedInPeriod = cap
        ? (periodEarned.get(o.customerId) ?? [])
            .filter((e) => e.at >= capPeriodStart(cap.period, at))
            .reduce((s, e) => s + e.points, 0)
        : 0;
      return earnPoints(settings, {
        amountMinor: o.amountMinor,
        marginMinor: o.marginMinor ?? (marginRate ? marginOf(o.amountMinor, marginRate) : null),
        currencyExponent: currencyExponent(o.currency),
        tier,
        campaignMultipliers: applied.map((b) => b.multiplier),
        earnedInPeriod,
      }).points;
    };

    // What each boost adds, one after the other, so that the extras add up to the total.
    const effects: BoostEffect[] = [];
    for (const o of toEarn) {
      const list = boosts.get(String(o.orderId)) ?? [];
      if (list.length === 0) continue;
      const at = ledgers.get(o.customerId)!.clock(clockOf(o));
      let before = pointsOf(o, at, []);
      for (let i = 0; i < list.length; i++) {
        const withIt = pointsOf(o, at, list.slice(0, i + 1));
        effects.push({
          source: list[i]!.source,
          customerId: String(o.customerId),
          orderId: String(o.orderId),
          extraPoints: withIt - before + Math.max(0, list[i]!.bonusPoints),
        });
        before = withIt;
      }
    }
    const accepted = effects.length ? await this.boosts.recordEffects(manager, effects) : [];
    const acceptedKeys = new Set(accepted.map((e) => `${e.orderId}|${e.source}`));

    const results = new Map<number, OrderEarning>();
    for (const o of toEarn) {
      const ledger = ledgers.get(o.customerId);
      if (!ledger) continue;
      const at = this.housekeepLedger(ledger, clockOf(o));
      const applied = (boosts.get(String(o.orderId)) ?? []).filter((b) =>
        acceptedKeys.has(`${o.orderId}|${b.source}`),
      );
      const points = pointsOf(o, at, applied);
      const result = { orderId: o.orderId, customerId: o.customerId, earned: 0, reversed: 0 };
      if (points > 0) {
        ledger.apply(
          (s) =>
            earn(s, settings, {
              points,
              at,
              source: `order:${o.orderId}`,
              reason: "points for an order",
            }),
          {
            operation: "order_earn",
            sourceKind: "order",
            sourceId: String(o.orderId),
            idempotencyKey: `order:${o.orderId}:earn`,
          },
        );
        const list = periodEarned.get(o.customerId) ?? [];
        list.push({ at, points });
        periodEarned.set(o.customerId, list);
        result.earned = points;
      }
      for (const boost of applied) {
        if (boost.bonusPoints <= 0) continue;
        ledger.apply(
          (s) =>
            earn(s, settings, {
              points: boost.bonusPoints,
              at,
              source: boost.source,
              reason: `campaign bonus for order:${o.orderId}`,
            }),
          {
            operation: "campaign_bonus",
            sourceKind: "campaign",
            sourceId: boost.source.replace(/^campaign:/, ""),
            idempotencyKey: `order:${o.orderId}:bonus:${boost.source}`.slice(0, MAX_KEY),
          },
        );
      }
      results.set(o.orderId, result);
    }
    for (const o of toReverse) {
      const ledger = ledgers.get(o.customerId);
      if (!ledger) continue;
      const source = `order:${o.orderId}`;
      const earned = ledger.state.lots
        .filter((l) => l.kind === "earn" && l.source === source)
        .reduce((s, l) => s + l.points, 0);
      const requested = ledger.state.entries
        .filter((e) => e.type === "reverse" && e.source === source)
        .reduce((s, e) => s + (e.clawback?.requested ?? 0), 0);
      const left = earned - requested;
      if (left <= 0) continue;
      const at = this.housekeepLedger(ledger, clockOf(o));
      const [main] = ledger.apply(
        (s) =>
          reverse(s, settings, {
            source,
            amount: { points: left },
            at,
            reason: "order refunded",
          }),
        {
          operation: "order_refund",
          sourceKind: "order",
          sourceId: String(o.orderId),
          idempotencyKey: `order:${o.orderId}:refund`,
        },
      );
      const result = results.get(o.orderId) ?? {
        orderId: o.orderId,
        customerId: o.customerId,
        earned: 0,
        reversed: 0,
      };
      result.reversed = -main!.entry.points;
      results.set(o.orderId, result);
    }
    await saveLedgers(manager, dialect, [...ledgers.values()]);
    await this.options.tierQualification?.afterEarn(
      manager,
      toEarn.map((o) => o.customerId),
      new Date(now),
    );
    return [...results.values()];
  }

  /** Which order earn/refund keys the orders' accounts already hold ("customer|key"). */
  private async orderKeys(
    manager: EntityManager,
    orders: readonly OrderForEarning[],
  ): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunks(orders, 500)) {
      const accounts = this.dialect.inList([...new Set(part.map((o) => o.customerId))]);
      const sources = this.dialect.inList(part.map((o) => `order:${o.orderId}`));
      const rows: { account_id: unknown; idempotency_key: string | null }[] = await manager.query(
        `SELECT account_id, idempotency_key FROM loyalty_entries WHERE account_id IN (${accounts.sql}) ` +
          `AND source IN (${sources.sql}) AND type IN ('earn', 'reverse')${this.dialect.forUpdate}`,
        [...(accounts.params ?? []), ...(sources.params ?? [])],
      );
      for (const row of rows) {
        if (row.idempotency_key) found.add(`${int(row.account_id)}|${row.idempotency_key}`);
      }
    }
    return found;
  }

  private async periodEarnings(
    manager: EntityManager,
    settings: LoyaltySettings,
    orders: readonly OrderForEarning[],
    clockOf: (o: OrderForEarning) => number,
  ): Promise<Map<number, { at: number; points: number }[]>> {
    const earned = new Map<number, { at: number; points: number }[]>();
    const cap = settings.periodCap;
    if (!cap || orders.length === 0) return earned;
    const from = Math.min(...orders.map((o) => capPeriodStart(cap.period, clockOf(o))));
    for (const part of chunks([...new Set(orders.map((o) => o.customerId))], 1000)) {
      const list = this.dialect.inList(part);
      const rows: { account_id: unknown; at: Date | string; points: unknown }[] =
        await manager.query(
          `SELECT account_id, at, points FROM loyalty_entries WHERE account_id IN (${list.sql}) ` +
            `AND type = 'earn' AND operation = 'order_earn' AND at >= ?${this.dialect.forUpdate}`,
          [...(list.params ?? []), toSqlDateTime(new Date(from))],
        );
      for (const row of rows) {
        const id = int(row.account_id);
        const entries = earned.get(id) ?? [];
        entries.push({ at: fromSqlDateTime(row.at)!.getTime(), points: int(row.points) });
        earned.set(id, entries);
      }
    }
    return earned;
  }

  private async defaultMarginRate(manager: EntityManager): Promise<string> {
    const rows: { default_margin_rate: string }[] = await manager.query(
      "SELECT default_margin_rate FROM value_settings WHERE id = 1",
    );
    return rows[0]?.default_margin_rate ?? this.options.defaultMarginRate;
  }

  // ---------------------------------------------------------------- activation and expiry

  /**
   * Makes every pending lot due by `now` available (one activate entry per lot), account by
   * account in transactions of up to 200 accounts. Running it again changes nothing.
   */
  async activateDue(
    now: Date = this.now(),
    onProgress?: (done: number, total: number) => Promise<void>,
  ): Promise<HousekeepingResult> {
    const ids: { account_id: unknown }[] = await this.dataSource.query(
      "SELECT DISTINCT account_id FROM loyalty_lots WHERE available = 0 AND pending_until <= ? ORDER BY account_id",
      [toSqlDateTime(now)],
    );
    return this.housekeepAll(
      ids.map((r) => int(r.account_id)),
      "activate",
      now,
      onProgress,
    );
  }

  /**
   * Expires the open points of every lot whose expiry has come by `now` (after activating what
   * is due, so debts are repaid first), one expire entry per lot. Running it again changes
   * nothing.
   */
  async expireDue(
    now: Date = this.now(),
    onProgress?: (done: number, total: number) => Promise<void>,
  ): Promise<HousekeepingResult> {
    const ids: { account_id: unknown }[] = await this.dataSource.query(
      "SELECT DISTINCT account_id FROM loyalty_lots WHERE is_open = 1 AND remaining > 0 AND expires_at <= ? " +
        "AND kind <> 'debt' ORDER BY account_id",
      [toSqlDateTime(now)],
    );
    return this.housekeepAll(
      ids.map((r) => int(r.account_id)),
      "expire",
      now,
      onProgress,
    );
  }

  private async housekeepAll(
    accountIds: number[],
    kind: "activate" | "expire",
    now: Date,
    onProgress?: (done: number, total: number) => Promise<void>,
  ): Promise<HousekeepingResult> {
    const total: HousekeepingResult = { accounts: 0, entries: 0, points: 0 };
    let done = 0;
    for (const part of chunks(accountIds, 200)) {
      const result = await this.housekeep(part, kind, now);
      total.accounts += result.accounts;
      total.entries += result.entries;
      total.points += result.points;
      done += part.length;
      await onProgress?.(done, accountIds.length);
    }
    return total;
  }

  private async housekeep(
    accountIds: readonly number[],
    kind: "activate" | "expire",
    now: Date,
  ): Promise<HousekeepingResult> {
    return this.transaction(async (manager) => {
      const accounts = await lockAccounts(manager, this.dialect, accountIds, {
        readCommitted: true,
      });
      const list = [...accounts.values()];
      const states = await loadLedgers(manager, this.dialect, list, new Map(), { forWrite: true });
      const tiers = await currentTiers(manager, this.dialect, [...accounts.keys()]);
      const ledgers: AccountLedger[] = [];
      const result: HousekeepingResult = { accounts: 0, entries: 0, points: 0 };
      const meta: EntryMeta = {
        operation: kind,
        sourceKind: "system",
        sourceId: `job:loyalty-${kind}`,
      };
      for (const account of list) {
        const ledger = new AccountLedger(
          account,
          states.get(account.customerId)!,
          tiers.get(account.customerId) ?? null,
        );
        const at = ledger.clock(now.getTime());
        ledger.apply((s) => activate(s, at), { ...meta, operation: "activate" });
        if (kind === "expire") ledger.apply((s) => expire(s, at), meta);
        const mine = ledger.appended.filter((a) => a.entry.type === kind);
        if (ledger.appended.length > 0) {
          result.accounts++;
          result.entries += mine.length;
          result.points += mine.reduce(
            (s, a) =>
              s + (kind === "activate" ? (a.entry.activated?.points ?? 0) : -a.entry.points),
            0,
          );
          ledgers.push(ledger);
        }
      }
      await saveLedgers(manager, this.dialect, ledgers);
      return result;
    });
  }
}

/** What an activation or expiry pass did. */
export interface HousekeepingResult {
  /** Accounts written. */
  accounts: number;
  /** Activate (or expire) entries appended. */
  entries: number;
  /** Points made available (or expired). */
  points: number;
}

function checkKey(key: string): Problem | null {
  if (typeof key !== "string" || key.trim() === "" || key.length > MAX_KEY) {
    return problem(
      "input.idempotencyKey",
      "INVALID_IDEMPOTENCY_KEY",
      `idempotencyKey must be text of 1 to ${MAX_KEY} characters`,
    );
  }
  return null;
}

const reusedKey = (operation: string): Refusal =>
  refuse(
    "input.idempotencyKey",
    "IDEMPOTENCY_KEY_REUSED",
    `this idempotency key was already used for another request (${operation}); use a new key for a new request`,
  );

function marginOf(amountMinor: number, rate: string): number {
  const [whole, fraction = ""] = rate.split(".");
  const numerator = BigInt(`${whole}${fraction}`);
  const denominator = 10n ** BigInt(fraction.length);
  return Number((BigInt(amountMinor) * numerator) / denominator);
}

function rewardTerms(reward: LoyaltyRewardEntity) {
  return {
    pointsCost: reward.pointsCost,
    eligibleTiers: reward.tierKeys ? (JSON.parse(reward.tierKeys) as string[]) : null,
    stock: reward.remaining,
    perCustomerLimit: reward.perCustomerLimit,
    validFrom: reward.validFrom ? reward.validFrom.getTime() : null,
    validUntil: reward.validUntil ? reward.validUntil.getTime() : null,
  };
}

function toRedemptionView(row: LoyaltyRedemptionEntity): RedemptionView {
  return {
    id: row.id,
    rewardId: row.rewardId,
    customerId: row.accountId,
    code: row.code,
    points: row.points,
    status: row.status,
    redeemedAt: row.redeemedAt,
    reversedAt: row.reversedAt,
  };
}

const WHOLE = (n: unknown, min: number, max: number) =>
  Number.isSafeInteger(n) && (n as number) >= min && (n as number) <= max;

function checkReward(input: Partial<RewardInput>, creating: boolean): Problem[] {
  const problems: Problem[] = [];
  if (creating || input.name !== undefined) {
    const name = input.name?.trim() ?? "";
    if (name === "" || name.length > 120) {
      problems.push(
        problem("input.name", "INVALID_TEXT", "name must be text of 1 to 120 characters"),
      );
    }
  }
  if ((creating || input.pointsCost !== undefined) && !WHOLE(input.pointsCost, 1, 1_000_000_000)) {
    problems.push(
      problem(
        "input.pointsCost",
        "INVALID_POINTS",
        `pointsCost must be whole points from 1 to 1000000000 (got ${String(input.pointsCost)})`,
      ),
    );
  }
  if (input.stock !== undefined && input.stock !== null && !WHOLE(input.stock, 0, 1_000_000_000)) {
    problems.push(
      problem(
        "input.stock",
        "INVALID_STOCK",
        "stock must be a whole number from 0, or null for unlimited",
      ),
    );
  }
  if (
    input.perCustomerLimit !== undefined &&
    input.perCustomerLimit !== null &&
    !WHOLE(input.perCustomerLimit, 1, 1_000_000)
  ) {
    problems.push(
      problem(
        "input.perCustomerLimit",
        "INVALID_LIMIT",
        "perCustomerLimit must be a whole number from 1, or null for none",
      ),
    );
  }
  for (const [i, key] of (input.tierKeys ?? []).entries()) {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(key)) {
      problems.push(
        problem(
          `input.tierKeys.${i}`,
          "TIER_KEY_INVALID",
          `${JSON.stringify(key)} is not a tier key`,
        ),
      );
    }
  }
  if (input.validFrom && input.validUntil && input.validFrom >= input.validUntil) {
    problems.push(
      problem("input.validUntil", "INVALID_PERIOD", "validUntil must be after validFrom"),
    );
  }
  const prefix = input.couponPrefix?.trim() ?? "";
  if (!/^[A-Z0-9-]{0,16}$/.test(prefix)) {
    problems.push(
      problem(
        "input.couponPrefix",
        "INVALID_PREFIX",
        "couponPrefix must be up to 16 capital letters, digits or dashes",
      ),
    );
  }
  return problems;
}

/** A customer's external id, for event payloads. */
async function externalIdOf(manager: EntityManager, customerId: number): Promise<string> {
  const rows: { external_id: string }[] = await manager.query(
    "SELECT external_id FROM customers WHERE id = ?",
    [customerId],
  );
  return rows[0]?.external_id ?? String(customerId);
}
