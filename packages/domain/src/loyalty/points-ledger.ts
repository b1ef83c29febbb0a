import { roundQuotient } from "./loyalty-decimal";
import { DAY_MS, pointsExpireAt } from "./loyalty-calendar";
import { LoyaltyError } from "./loyalty-error";
import type { LoyaltySettings, NegativeBalancePolicy } from "./loyalty-settings";

/**
 * A lot: points credited together (one order, one bonus, one adjustment), consumed as one.
 * `kind: "debt"` is the single lot that holds a negative balance left by a clawback under
 * `allow_negative`; its `remaining` is ≤ 0 and points that become available repay it first.
 */
export interface Lot {
  id: string;
  kind: "earn" | "adjust" | "debt";
  /** What credited the lot, e.g. `order:123` or `bonus:birthday`. */
  source: string;
  /** Points the lot was credited with (0 for the debt lot). */
  points: number;
  /** Points still open: `points` minus everything taken from it. */
  remaining: number;
  earnedAt: number;
  /** The lot is pending until this instant and available from it on. */
  pendingUntil: number;
  /** The lot's open points expire at this instant; null: never. */
  expiresAt: number | null;
  /** Whether an activate entry has made the lot spendable. */
  available: boolean;
}

export type LedgerEntryType = "earn" | "activate" | "redeem" | "expire" | "reverse" | "adjust";

/** A signed change to one lot's open points: negative when points were taken from it. */
export interface LotChange {
  lotId: string;
  points: number;
}

/** How a clawback (refund or negative adjustment) was met. */
export interface Clawback {
  policy: NegativeBalancePolicy;
  /** Points the refund or adjustment asked to take. */
  requested: number;
  /** Taken from the lots the refunded order created (reversals only). */
  fromSourceLots: number;
  /** Taken from the customer's other lots. */
  fromBalance: number;
  /** Left as a negative balance (`allow_negative`). */
  owed: number;
  /** Not taken because the balance would have gone below zero (`cap_at_zero`). */
  forgiven: number;
}

/**
 * One appended change. `points` is the change to the balance (available + pending): the balance
 * is the sum of `points` over the ledger, and each entry's `points` equals the sum of its
 * `lots` changes, so every point of every lot can be traced to the entries that moved it.
 */
export interface LedgerEntry {
  id: number;
  type: LedgerEntryType;
  at: number;
  points: number;
  availableChange: number;
  pendingChange: number;
  lots: LotChange[];
  /** Activate entries: the lot made available and its open points at that moment. */
  activated?: LotChange;
  reason: string;
  source: string;
  clawback?: Clawback;
  /** Reverse entries made from a refund: what was refunded of which order total. */
  refund?: { refundedMinor: number; orderMinor: number };
}

/** A customer's points: lots and the ledger that explains them. Never edited in place. */
export interface PointsLedger {
  readonly lots: readonly Lot[];
  readonly entries: readonly LedgerEntry[];
  /** The latest instant an operation was applied at: time never goes back. */
  readonly lastAt: number | null;
  readonly nextLot: number;
}

/** The new state and the entries the operation appended. */
export interface LedgerResult {
  state: PointsLedger;
  entries: LedgerEntry[];
}

const DEBT_LOT = "debt";

/**
 * An empty ledger.
 *
 * @returns a ledger with no lots and no entries.
 * @example
 * emptyLedger().entries.length; // 0
 */
export function emptyLedger(): PointsLedger {
  return { lots: [], entries: [], lastAt: null, nextLot: 1 };
}

function checkPoints(points: number, field: string, allowNegative = false): void {
  if (!Number.isSafeInteger(points) || points === 0 || (!allowNegative && points < 0)) {
    throw new LoyaltyError(
      "INVALID_POINTS",
      `${field} must be a whole number of points${allowNegative ? " other than 0" : " of at least 1"} (got ${String(points)})`,
      field,
    );
  }
}

function checkText(input: { source: string; reason: string }): void {
  for (const field of ["source", "reason"] as const) {
    const text: unknown = input[field];
    if (typeof text !== "string" || text.trim() === "" || text.length > 500) {
      throw new LoyaltyError(
        "INVALID_TEXT",
        `${field} must be text of 1 to 500 characters (got ${JSON.stringify(text) ?? String(text)})`,
        field,
      );
    }
  }
}

function checkTime(state: PointsLedger, at: number): void {
  if (!Number.isSafeInteger(at)) {
    throw new LoyaltyError(
      "INVALID_TIME",
      `at must be whole epoch milliseconds (got ${String(at)})`,
      "at",
    );
  }
  if (state.lastAt !== null && at < state.lastAt) {
    throw new LoyaltyError(
      "CLOCK_WENT_BACK",
      `at ${new Date(at).toISOString()} is before the ledger's last operation at ${new Date(state.lastAt).toISOString()}`,
      "at",
    );
  }
}

const sumOf = (lots: readonly Lot[], available: boolean): number =>
  lots.reduce((s, l) => (l.available === available ? s + l.remaining : s), 0);

// Earliest expiry first (never-expiring last), then oldest, then creation order.
function byExpiry(a: Lot, b: Lot): number {
  const ea = a.expiresAt ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt ?? Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  if (a.earnedAt !== b.earnedAt) return a.earnedAt - b.earnedAt;
  return Number(a.id.slice(1)) - Number(b.id.slice(1));
}

/** A working copy of the lots for one operation; `commit` turns the changes into an entry. */
class Draft {
  readonly lots: Lot[];
  private readonly index = new Map<string, number>();
  private changes: LotChange[] = [];
  private entries: LedgerEntry[] = [];
  private nextLot: number;
  private before: { available: number; pending: number };
  constructor(private readonly state: PointsLedger) {
    this.lots = state.lots.map((l) => ({ ...l }));
    this.lots.forEach((l, i) => this.index.set(l.id, i));
    this.nextLot = state.nextLot;
    this.before = { available: sumOf(state.lots, true), pending: sumOf(state.lots, false) };
  }

  lot(id: string): Lot {
    return this.lots[this.index.get(id)!]!;
  }
  addLot(lot: Omit<Lot, "id">, id?: string): Lot {
    const created = { ...lot, id: id ?? `L${this.nextLot++}` };
    this.index.set(created.id, this.lots.length);
    this.lots.push(created);
    return created;
  }
  change(lotId: string, points: number): void {
    if (points === 0) return;
    this.lot(lotId).remaining += points;
    this.changes.push({ lotId, points });
  }
  /** Takes up to `want` points from `lots` in the order given; returns what it took. */
  take(lots: readonly Lot[], want: number): number {
    let taken = 0;
    for (const lot of lots) {
      if (taken === want) break;
      const n = Math.min(lot.remaining, want - taken);
      if (n > 0) {
        this.change(lot.id, -n);
        taken += n;
      }
    }
    return taken;
  }
  /** Points that became available repay a negative balance first. */
  repayDebt(lotId: string): void {
    const debt = this.index.has(DEBT_LOT) ? this.lot(DEBT_LOT) : undefined;
    const lot = this.lot(lotId);
    if (!debt || debt.remaining >= 0 || !lot.available) return;
    const n = Math.min(lot.remaining, -debt.remaining);
    this.change(lot.id, -n);
    this.change(DEBT_LOT, n);
  }
  debtLot(at: number): Lot {
    if (this.index.has(DEBT_LOT)) return this.lot(DEBT_LOT);
    return this.addLot(
      {
        kind: "debt",
        source: "debt",
        points: 0,
        remaining: 0,
        earnedAt: at,
        pendingUntil: at,
        expiresAt: null,
        available: true,
      },
      DEBT_LOT,
    );
  }
  commit(
    entry: Omit<LedgerEntry, "id" | "points" | "availableChange" | "pendingChange" | "lots">,
  ): void {
    const available = sumOf(this.lots, true);
    const pending = sumOf(this.lots, false);
    const availableChange = available - this.before.available;
    const pendingChange = pending - this.before.pending;
    this.entries.push({
      id: this.state.entries.length + this.entries.length + 1,
      ...entry,
      points: availableChange + pendingChange,
      availableChange,
      pendingChange,
      lots: this.changes,
    });
    this.changes = [];
    this.before = { available, pending };
  }
  result(at: number): LedgerResult {
    return {
      state: {
        lots: this.lots,
        entries: [...this.state.entries, ...this.entries],
        lastAt: at,
        nextLot: this.nextLot,
      },
      entries: this.entries,
    };
  }
}

function activateDue(draft: Draft, at: number): void {
  const due = draft.lots
    .filter((l) => !l.available && l.pendingUntil <= at)
    .sort((a, b) => a.pendingUntil - b.pendingUntil || byExpiry(a, b));
  for (const lot of due) {
    lot.available = true;
    const activated = { lotId: lot.id, points: lot.remaining };
    draft.repayDebt(lot.id);
    draft.commit({
      type: "activate",
      at,
      activated,
      reason: "return window ended",
      source: lot.source,
    });
  }
}

/**
 * Credits points in a new lot, pending until the return window (`settings.pendingDays`) ends
 * and expiring by `settings.expiry`, both counted from `at`. With no return window the lot is
 * activated at once (an activate entry follows the earn entry).
 *
 * @param state the ledger.
 * @param settings the loyalty settings.
 * @param input points (≥ 1), when, the source (e.g. `order:123`) and a reason.
 * @returns the new ledger and the appended entries.
 * @throws {LoyaltyError} INVALID_POINTS, INVALID_TEXT (empty source or reason), INVALID_TIME or
 *   CLOCK_WENT_BACK.
 * @example
 * earn(emptyLedger(), defaultLoyaltySettings(),
 *   { points: 120, at: Date.UTC(2026, 0, 1), source: "order:1", reason: "order" }).state.lots[0].remaining;
 * // 120
 */
export function earn(
  state: PointsLedger,
  settings: Pick<LoyaltySettings, "pendingDays" | "expiry">,
  input: { points: number; at: number; source: string; reason: string },
): LedgerResult {
  checkPoints(input.points, "points");
  checkText(input);
  checkTime(state, input.at);
  const draft = new Draft(state);
  const lot = draft.addLot({
    kind: "earn",
    source: input.source,
    points: 0,
    remaining: 0,
    earnedAt: input.at,
    pendingUntil: input.at + settings.pendingDays * DAY_MS,
    expiresAt: pointsExpireAt(settings.expiry, input.at),
    available: false,
  });
  lot.points = input.points;
  draft.change(lot.id, input.points);
  draft.commit({ type: "earn", at: input.at, reason: input.reason, source: input.source });
  activateDue(draft, input.at);
  return draft.result(input.at);
}

/**
 * Makes pending lots available once their return window has ended (`pendingUntil <= now`),
 * one activate entry per lot; points that become available repay a negative balance first.
 *
 * @param state the ledger.
 * @param now the current instant.
 * @returns the new ledger and the activate entries (none when nothing was due).
 * @throws {LoyaltyError} INVALID_TIME or CLOCK_WENT_BACK.
 * @example
 * activate(state, Date.UTC(2026, 1, 1)).entries.map((e) => e.type); // ["activate"]
 */
export function activate(state: PointsLedger, now: number): LedgerResult {
  checkTime(state, now);
  const draft = new Draft(state);
  activateDue(draft, now);
  return draft.result(now);
}

function spendable(lots: readonly Lot[], now: number): Lot[] {
  return lots
    .filter(
      (l) =>
        l.kind !== "debt" &&
        l.available &&
        l.remaining > 0 &&
        (l.expiresAt === null || l.expiresAt > now),
    )
    .sort(byExpiry);
}

/**
 * The points a redemption can use at `now`: open available lots not yet expired, less any
 * negative balance. Lots whose expiry has come count for nothing even before `expire` runs.
 *
 * @param state the ledger.
 * @param now the current instant.
 * @returns spendable points (negative when the customer owes points).
 * @example
 * spendablePoints(emptyLedger(), 0); // 0
 */
export function spendablePoints(state: PointsLedger, now: number): number {
  const debt = state.lots.find((l) => l.kind === "debt")?.remaining ?? 0;
  return spendable(state.lots, now).reduce((s, l) => s + l.remaining, debt);
}

/**
 * Spends available points, taking them from lots earliest expiry first and recording how many
 * came from each lot. It never takes the balance below zero.
 *
 * @param state the ledger.
 * @param input points (≥ 1), when, the source (e.g. `reward:7`) and a reason.
 * @returns the new ledger and the redeem entry.
 * @throws {LoyaltyError} INSUFFICIENT_POINTS when fewer points are spendable; INVALID_POINTS,
 *   INVALID_TEXT, INVALID_TIME or CLOCK_WENT_BACK.
 * @example
 * redeem(state, { points: 50, at, source: "reward:7", reason: "free shipping" }).entries[0].points; // -50
 */
export function redeem(
  state: PointsLedger,
  input: { points: number; at: number; source: string; reason: string },
): LedgerResult {
  checkPoints(input.points, "points");
  checkText(input);
  checkTime(state, input.at);
  const have = spendablePoints(state, input.at);
  if (have < input.points) {
    throw new LoyaltyError(
      "INSUFFICIENT_POINTS",
      `redeeming ${input.points} points needs that many available; ${Math.max(0, have)} are`,
      "points",
    );
  }
  const draft = new Draft(state);
  draft.take(spendable(draft.lots, input.at), input.points);
  draft.commit({ type: "redeem", at: input.at, reason: input.reason, source: input.source });
  return draft.result(input.at);
}

/**
 * Expires what is left of every lot whose expiry has come (`expiresAt <= now`), pending or
 * available, one expire entry per lot, earliest expiry first.
 *
 * @param state the ledger.
 * @param now the current instant.
 * @returns the new ledger and the expire entries.
 * @throws {LoyaltyError} INVALID_TIME or CLOCK_WENT_BACK.
 * @example
 * expire(state, Date.UTC(2027, 0, 1)).entries[0].type; // "expire"
 */
export function expire(state: PointsLedger, now: number): LedgerResult {
  checkTime(state, now);
  const draft = new Draft(state);
  const due = draft.lots
    .filter(
      (l) => l.kind !== "debt" && l.remaining > 0 && l.expiresAt !== null && l.expiresAt <= now,
    )
    .sort(byExpiry);
  for (const lot of due) {
    draft.change(lot.id, -lot.remaining);
    draft.commit({ type: "expire", at: now, reason: "points expired", source: lot.source });
  }
  return draft.result(now);
}

// A clawback's rest comes from the customer's other open points, spendable ones first.
function otherLots(draft: Draft, exclude: ReadonlySet<string>): Lot[] {
  const open = draft.lots.filter((l) => l.kind !== "debt" && l.remaining > 0 && !exclude.has(l.id));
  return [
    ...open.filter((l) => l.available).sort(byExpiry),
    ...open.filter((l) => !l.available).sort(byExpiry),
  ];
}

function clawback(
  draft: Draft,
  policy: NegativeBalancePolicy,
  requested: number,
  fromSourceLots: number,
  exclude: ReadonlySet<string>,
  at: number,
): Clawback {
  const fromBalance = draft.take(otherLots(draft, exclude), requested - fromSourceLots);
  const rest = requested - fromSourceLots - fromBalance;
  let owed = 0;
  let forgiven = 0;
  if (rest > 0 && policy === "allow_negative") {
    draft.change(draft.debtLot(at).id, -rest);
    owed = rest;
  } else {
    forgiven = rest;
  }
  return { policy, requested, fromSourceLots, fromBalance, owed, forgiven };
}

/** What a refund reverses: a part of the order's total, or a number of points. */
export type ReverseAmount = { refundedMinor: number; orderMinor: number } | { points: number };

/**
 * Reverses the points an order earned when it is refunded. For a money refund the points
 * reversed so far for the order are `floor(earned × refunded so far / order total)`, so partial
 * refunds that add up to the whole order reverse exactly what it earned. Points come first from
 * what is still open in the order's own lots (earliest expiry first), then from the customer's
 * other points; what the balance cannot cover is owed (a negative balance) under
 * `allow_negative` or forgiven under `cap_at_zero`, as recorded in the entry's `clawback`.
 *
 * @param state the ledger.
 * @param settings the loyalty settings (its negative-balance policy).
 * @param input the order's source, what was refunded, when and why.
 * @returns the new ledger and the reverse entry.
 * @throws {LoyaltyError} UNKNOWN_SOURCE when no lot came from `source`; REFUND_EXCEEDS_ORDER when
 *   the refunds add up to more than the order (or more points than it earned); INVALID_MONEY for
 *   amounts that are not whole minor units or an order total that changed between refunds;
 *   INVALID_TEXT, INVALID_TIME or CLOCK_WENT_BACK. A refund too small to reverse a whole point
 *   still appends its (0-point) entry: later refunds of the order count from it.
 * @example
 * // Half of a 15-point order refunded: 7 points reversed now, 8 with the other half.
 * reverse(state, settings, { source: "order:1", amount: { refundedMinor: 500, orderMinor: 1000 },
 *   at, reason: "refund" }).entries[0].points; // -7
 */
export function reverse(
  state: PointsLedger,
  settings: Pick<LoyaltySettings, "negativeBalance">,
  input: { source: string; amount: ReverseAmount; at: number; reason: string },
): LedgerResult {
  checkText(input);
  checkTime(state, input.at);
  const sourceLots = state.lots.filter((l) => l.kind === "earn" && l.source === input.source);
  if (sourceLots.length === 0) {
    throw new LoyaltyError(
      "UNKNOWN_SOURCE",
      `no points were earned from ${JSON.stringify(input.source)}`,
      "source",
    );
  }
  const earned = sourceLots.reduce((s, l) => s + l.points, 0);
  const previous = state.entries.filter((e) => e.type === "reverse" && e.source === input.source);
  const alreadyRequested = previous.reduce((s, e) => s + (e.clawback?.requested ?? 0), 0);
  let requested: number;
  let refund: LedgerEntry["refund"];
  const amount = input.amount;
  if ("points" in amount) {
    checkPoints(amount.points, "amount.points");
    if (amount.points > earned - alreadyRequested) {
      throw new LoyaltyError(
        "REFUND_EXCEEDS_ORDER",
        `${input.source} has ${earned - alreadyRequested} points left to reverse, not ${amount.points}`,
        "amount.points",
      );
    }
    requested = amount.points;
  } else {
    const { refundedMinor, orderMinor } = amount;
    if (!Number.isSafeInteger(orderMinor) || orderMinor <= 0) {
      throw new LoyaltyError(
        "INVALID_MONEY",
        `amount.orderMinor must be whole minor units above 0 (got ${String(orderMinor)})`,
        "amount.orderMinor",
      );
    }
    if (!Number.isSafeInteger(refundedMinor) || refundedMinor <= 0) {
      throw new LoyaltyError(
        "INVALID_MONEY",
        `amount.refundedMinor must be whole minor units above 0 (got ${String(refundedMinor)})`,
        "amount.refundedMinor",
      );
    }
    let refundedSoFar = refundedMinor;
    for (const e of previous) {
      if (!e.refund) continue;
      if (e.refund.orderMinor !== orderMinor) {
        throw new LoyaltyError(
          "INVALID_MONEY",
          `amount.orderMinor ${orderMinor} differs from the ${e.refund.orderMinor} of an earlier refund of ${input.source}`,
          "amount.orderMinor",
        );
      }
      refundedSoFar += e.refund.refundedMinor;
    }
    if (refundedSoFar > orderMinor) {
      throw new LoyaltyError(
        "REFUND_EXCEEDS_ORDER",
        `refunds of ${input.source} would add up to ${refundedSoFar}, more than the order's ${orderMinor}`,
        "amount.refundedMinor",
      );
    }
    const target = Number(
      roundQuotient(BigInt(earned) * BigInt(refundedSoFar), BigInt(orderMinor), "floor"),
    );
    requested = Math.max(0, target - alreadyRequested);
    refund = { refundedMinor, orderMinor };
  }

  const draft = new Draft(state);
  const own = sourceLots
    .map((l) => draft.lot(l.id))
    .filter((l) => l.remaining > 0)
    .sort(byExpiry);
  const fromSourceLots = draft.take(own, requested);
  const exclude = new Set(sourceLots.map((l) => l.id));
  const claw = clawback(
    draft,
    settings.negativeBalance,
    requested,
    fromSourceLots,
    exclude,
    input.at,
  );
  draft.commit({
    type: "reverse",
    at: input.at,
    reason: input.reason,
    source: input.source,
    clawback: claw,
    ...(refund ? { refund } : {}),
  });
  return draft.result(input.at);
}

/**
 * A manual correction. Positive points go into a new lot, available at once and expiring by
 * `settings.expiry` (repaying a negative balance first); negative points are taken from the
 * customer's open points (spendable first). When the balance is short, `allow_negative` leaves
 * the rest owed; `cap_at_zero` refuses the adjustment rather than silently take less.
 *
 * @param state the ledger.
 * @param settings the loyalty settings.
 * @param input signed points (not 0), when, a source (e.g. `admin:4`) and a reason.
 * @returns the new ledger and the adjust entry.
 * @throws {LoyaltyError} INSUFFICIENT_POINTS (cap_at_zero, balance short); INVALID_POINTS,
 *   INVALID_TEXT, INVALID_TIME or CLOCK_WENT_BACK.
 * @example
 * adjust(emptyLedger(), defaultLoyaltySettings(),
 *   { points: 25, at: 0, source: "admin:1", reason: "goodwill" }).entries[0].points; // 25
 */
export function adjust(
  state: PointsLedger,
  settings: Pick<LoyaltySettings, "expiry" | "negativeBalance">,
  input: { points: number; at: number; source: string; reason: string },
): LedgerResult {
  checkPoints(input.points, "points", true);
  checkText(input);
  checkTime(state, input.at);
  const draft = new Draft(state);
  if (input.points > 0) {
    const lot = draft.addLot({
      kind: "adjust",
      source: input.source,
      points: input.points,
      remaining: 0,
      earnedAt: input.at,
      pendingUntil: input.at,
      expiresAt: pointsExpireAt(settings.expiry, input.at),
      available: true,
    });
    draft.change(lot.id, input.points);
    draft.repayDebt(lot.id);
    draft.commit({ type: "adjust", at: input.at, reason: input.reason, source: input.source });
    return draft.result(input.at);
  }
  const requested = -input.points;
  if (settings.negativeBalance === "cap_at_zero") {
    const open =
      otherLots(draft, new Set()).reduce((s, l) => s + l.remaining, 0) +
      (draft.lots.find((l) => l.kind === "debt")?.remaining ?? 0);
    if (open < requested) {
      throw new LoyaltyError(
        "INSUFFICIENT_POINTS",
        `taking ${requested} points would leave a negative balance (the balance is ${open}) and negative balances are not allowed`,
        "points",
      );
    }
  }
  const claw = clawback(draft, settings.negativeBalance, requested, 0, new Set(), input.at);
  draft.commit({
    type: "adjust",
    at: input.at,
    reason: input.reason,
    source: input.source,
    clawback: claw,
  });
  return draft.result(input.at);
}
