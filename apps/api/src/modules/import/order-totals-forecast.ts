import { externalIdKey, FIELD_LIMITS, ORDER_COLUMNS } from "@valuetier/domain";
import { streamCsvRows } from "./csv-source";
import { addOrder, noOrders, type OrderTotals } from "./customer-aggregates";
import type { ImportSettings } from "./import-model";
import { usualLineParser } from "./order-batch";

/**
 * The aggregates (order count, spend, first and last order) that the customers of an orders
 * file will have once its orders are imported, read from the file before its customers are
 * written, so that a customer the import creates is written once with them instead of being
 * inserted without orders and updated afterwards: on MySQL the update of 100,000 customers
 * (three indexed columns each) cost about as much as inserting them.
 *
 * It is a forecast, not a result: it reads only the usual machine-made lines (those the order
 * importer's own fast reader takes) and counts a completed order even if the import rejects it
 * for a reason that needs other rows or the database (a duplicate id, an unknown customer, a
 * date before the customer's). Whatever it gets wrong is put right at the end of the import,
 * which checks every customer it created against the orders it actually wrote
 * ({@link settleNewCustomerTotals}).
 */
export class OrderTotalsForecast {
  private readonly totals = new Map<string, OrderTotals>();

  /** The forecast for one customer, by external id key; undefined when it has no completed order. */
  get(customerKey: string): OrderTotals | undefined {
    return this.totals.get(customerKey);
  }

  /** How many customers have a completed order. */
  get size(): number {
    return this.totals.size;
  }

  /**
   * Reads an orders file (a pass of its own, through the import's CSV reader: about a second
   * for a million lines). Lines the fast reader does not take are left out of the forecast.
   *
   * @throws {ImportFileError} as the import would for the same file (missing, unreadable…).
   */
  static async read(
    file: string,
    settings: Pick<ImportSettings, "currency" | "now" | "futureToleranceMs">,
  ): Promise<OrderTotalsForecast> {
    const forecast = new OrderTotalsForecast();
    await streamCsvRows(file, ORDER_COLUMNS, {
      batchSize: 65_536,
      accept: () => false,
      lineReader: (header) => {
        const parse = usualLineParser(header, settings);
        if (parse === undefined) return undefined;
        // Orders files are usually grouped by customer: a line of the same customer as the
        // line before adds to the same totals, without decoding its id or looking it up.
        const last = Buffer.alloc(FIELD_LIMITS.externalId);
        let lastLength = -1;
        let current: OrderTotals | undefined;
        return (buf, start, end) => {
          const line = parse(buf, start, end);
          if (line === null) return false;
          if (line.status !== "completed") return true;
          const { customerStart, customerEnd, amount, ms } = line;
          const length = customerEnd - customerStart;
          let same = current !== undefined && length === lastLength;
          for (let i = 0; same && i < length; i++) same = buf[customerStart + i] === last[i];
          if (!same || current === undefined) {
            const key = externalIdKey(buf.toString("latin1", customerStart, customerEnd));
            current = forecast.totals.get(key);
            if (current === undefined) {
              current = noOrders(ms);
              forecast.totals.set(key, current);
            }
            for (let i = 0; i < length; i++) last[i] = buf[customerStart + i]!;
            lastLength = length;
          }
          addOrder(current, amount, ms);
          return true;
        };
      },
      onBatch: () => Promise.resolve(),
    });
    for (const totals of forecast.totals.values()) {
      // A sum beyond a safe integer would be wrong; the import reports such a customer itself.
      if (!Number.isSafeInteger(totals.spentMinor)) totals.spentMinor = 0;
    }
    return forecast;
  }
}
