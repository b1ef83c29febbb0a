import type { CustomerOrderRow } from "./order-aggregates";

/**
 * Every customer of a scoring run in compact columns (about 130 bytes a customer), filled
 * chunk by chunk from the aggregate query and read again to fit and to score. Orders are
 * never held: only these per-customer aggregates. Money columns hold integer minor units
 * (exact in a double up to 2^53).
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

  constructor(capacity: number) {
    this.grow(Math.max(16, capacity));
  }

  /** Appends a customer; `row` is null for a customer without completed orders. */
  push(id: number, acquisitionCostMinor: number | null, row: CustomerOrderRow | null): void {
    if (this.length === this.id.length) this.grow(this.length * 2);
    const i = this.length++;
    this.id[i] = id;
    this.acquisitionCost[i] = acquisitionCostMinor ?? Number.NaN;
    if (!row) {
      this.calibrationLastDay[i] = -1;
      return;
    }
    const day = (date: Date) => Math.floor(date.getTime() / 86_400_000);
    this.orders[i] = row.orders;
    this.purchaseDays[i] = row.purchaseDays;
    this.firstDay[i] = day(row.firstAt);
    this.lastDay[i] = day(row.lastAt);
    this.firstAtMs[i] = row.firstAt.getTime();
    this.lastAtMs[i] = row.lastAt.getTime();
    this.amount[i] = row.amountMinor;
    this.firstDayAmount[i] = row.firstDayAmountMinor;
    this.marginKnown[i] = row.marginKnownMinor;
    this.amountWithoutMargin[i] = row.amountWithoutMarginMinor;
    this.calibrationDays[i] = row.calibrationDays;
    this.calibrationLastDay[i] = row.calibrationLastAt ? day(row.calibrationLastAt) : -1;
    this.calibrationAmount[i] = row.calibrationAmountMinor;
    this.activity[i] = (row.activeBefore ? 1 : 0) | (row.activeLast ? 2 : 0);
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
