import type { AggregateCuts, CompletedOrder } from "./order-aggregates";

const MS_PER_DAY = 86_400_000;

/**
 * Every customer of a scoring run in compact columns (about 130 bytes a customer, plus 12
 * bytes per purchase day), added up from the customers' completed orders chunk by chunk and
 * read again to fit and to score. Orders are not held: each customer's purchase days (a day
 * and what was spent on it) are, because the holdout and retention windows are placed from
 * the span of all orders, known only once every chunk is read ({@link applyCuts}). Money
 * columns hold integer minor units (exact in a double up to 2^53; a larger sum is an error).
 */
export class CustomerColumns {
  length = 0;
  id = new Int32Array(0);
  /** Recorded acquisition cost; NaN when none. */
  acquisitionCost = new Float64Array(0);
  orders = new Int32Array(0);
  purchaseDays = new Int32Array(0);
  firstDay = new Int32Array(0);
  lastDay = new Int32Array(0);
  firstAtMs = new Float64Array(0);
  lastAtMs = new Float64Array(0);
  amount = new Float64Array(0);
  firstDayAmount = new Float64Array(0);
  marginKnown = new Float64Array(0);
  amountWithoutMargin = new Float64Array(0);
  calibrationDays = new Int32Array(0);
  /** Last purchase day before the calibration cut; −1 when none. */
  calibrationLastDay = new Int32Array(0);
  calibrationAmount = new Float64Array(0);
  /** Bit 1: bought in the earlier retention window; bit 2: in the later one. */
  activity = new Uint8Array(0);
  /** Index of the customer's first purchase day in the day store (purchaseDays[i] of them). */
  dayStart = new Int32Array(0);

  /** Every customer's purchase days one after another, and what was spent on each. */
  private days = { length: 0, day: new Int32Array(1024), amount: new Float64Array(1024) };

  constructor(capacity: number) {
    this.grow(Math.max(16, capacity));
  }

  /** Appends a customer without orders (addOrders adds theirs); returns its index. */
  push(id: number, acquisitionCostMinor: number | null): number {
    if (this.length === this.id.length) this.grow(this.length * 2);
    const i = this.length++;
    this.id[i] = id;
    this.acquisitionCost[i] = acquisitionCostMinor ?? Number.NaN;
    this.calibrationLastDay[i] = -1;
    return i;
  }

  /**
   * Adds completed orders in the store currency, sorted by customer and then by time, to the
   * customers pushed last (whose ids must be ascending, as a chunk's are). Orders of customers
   * not among them are an error: a chunk reads exactly its customers' orders.
   */
  addOrders(orders: readonly CompletedOrder[], firstIndex: number): void {
    let i = firstIndex;
    for (const order of orders) {
      while (i < this.length && this.id[i]! < order.customerId) i++;
      if (i === this.length || this.id[i] !== order.customerId) {
        throw new Error(
          `order of customer ${order.customerId} is not in customer order, or not in this chunk`,
        );
      }
      this.addOrder(i, order);
    }
  }

  private addOrder(i: number, order: CompletedOrder): void {
    const ms = order.placedAtMs;
    const day = Math.floor(ms / MS_PER_DAY);
    const amount = order.amountMinor;
    if (this.orders[i] === 0) {
      this.firstAtMs[i] = ms;
      this.firstDay[i] = day;
      this.dayStart[i] = this.days.length;
      this.addDay(day);
    } else if (ms < this.lastAtMs[i]!) {
      throw new Error(`orders of customer ${order.customerId} are not in time order`);
    } else if (day !== this.lastDay[i]) {
      this.addDay(day);
    }
    this.lastAtMs[i] = ms;
    this.lastDay[i] = day;
    this.orders[i]!++;
    this.purchaseDays[i] = this.days.length - this.dayStart[i]!;
    this.days.amount[this.days.length - 1] = exactSum(
      this.days.amount[this.days.length - 1]!,
      amount,
    );
    this.amount[i] = exactSum(this.amount[i]!, amount);
    if (day === this.firstDay[i])
      this.firstDayAmount[i] = exactSum(this.firstDayAmount[i]!, amount);
    if (order.marginMinor === null) {
      this.amountWithoutMargin[i] = exactSum(this.amountWithoutMargin[i]!, amount);
    } else {
      this.marginKnown[i] = exactSum(this.marginKnown[i]!, order.marginMinor);
    }
  }

  private addDay(day: number): void {
    const days = this.days;
    if (days.length === days.day.length) {
      const dayColumn = new Int32Array(days.length * 2);
      dayColumn.set(days.day);
      const amountColumn = new Float64Array(days.length * 2);
      amountColumn.set(days.amount);
      days.day = dayColumn;
      days.amount = amountColumn;
    }
    days.day[days.length] = day;
    days.amount[days.length] = 0;
    days.length++;
  }

  /** First and last order of every customer, in epoch ms; null when no one has an order. */
  span(): { firstAtMs: number; lastAtMs: number } | null {
    let first = Infinity;
    let last = -Infinity;
    for (let i = 0; i < this.length; i++) {
      if (this.orders[i] === 0) continue;
      if (this.firstAtMs[i]! < first) first = this.firstAtMs[i]!;
      if (this.lastAtMs[i]! > last) last = this.lastAtMs[i]!;
    }
    return first === Infinity ? null : { firstAtMs: first, lastAtMs: last };
  }

  /**
   * Fills the calibration and retention columns for these cut-offs, and returns the holdout
   * tracking counts: per day on or after the calibration cut, how many customers who had
   * bought before the cut bought that day.
   */
  applyCuts(cuts: AggregateCuts): Map<number, number> {
    const { day, amount } = this.days;
    const cut = cuts.calibrationCut;
    const actualByDay = new Map<number, number>();
    for (let i = 0; i < this.length; i++) {
      let calibrationDays = 0;
      let calibrationLastDay = -1;
      let calibrationAmount = 0;
      let activity = 0;
      const boughtBeforeCut = this.orders[i]! > 0 && this.firstDay[i]! < cut;
      const end = this.dayStart[i]! + this.purchaseDays[i]!;
      for (let k = this.dayStart[i]!; k < end; k++) {
        const d = day[k]!;
        if (d < cut) {
          calibrationDays++;
          calibrationLastDay = d;
          calibrationAmount += amount[k]!;
        } else if (boughtBeforeCut) {
          actualByDay.set(d, (actualByDay.get(d) ?? 0) + 1);
        }
        if (d >= cuts.retentionPreviousStart && d < cuts.retentionLastStart) activity |= 1;
        if (d >= cuts.retentionLastStart) activity |= 2;
      }
      this.calibrationDays[i] = calibrationDays;
      this.calibrationLastDay[i] = calibrationLastDay;
      this.calibrationAmount[i] = calibrationAmount;
      this.activity[i] = activity;
    }
    return actualByDay;
  }

  private grow(capacity: number): void {
    for (const key of Object.keys(this) as (keyof this)[]) {
      const column = this[key];
      if (ArrayBuffer.isView(column)) {
        const Type = column.constructor as new (
          n: number,
        ) => typeof column & { set(a: unknown): void };
        const next = new Type(capacity);
        next.set(column);
        this[key] = next;
      }
    }
  }
}

/** a + b, both integers; refused when the sum is past what a double holds exactly. */
function exactSum(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) {
    throw new RangeError(`a customer's order amounts add up past ${Number.MAX_SAFE_INTEGER}`);
  }
  return sum;
}
