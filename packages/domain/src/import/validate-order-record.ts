import { isKnownCurrency, parseMoney } from "../money";
import { FIELD_LIMITS } from "./columns";
import { moneyError, requiredInstant } from "./field-checks";
import {
  type ImportFieldError,
  type ImportRecord,
  type RecordValidation,
  type RecordValidationOptions,
} from "./import-error";
import { externalId } from "./text-fields";

/** Options of {@link validateOrderRecord}. */
export interface OrderValidationOptions extends RecordValidationOptions {
  /**
   * ISO 4217 code of the store currency. When given, an order in any other currency is
   * refused (CURRENCY_MISMATCH): customer totals are sums in the store currency, and adding
   * 1,500 JPY as 1,500 of it would be wrong.
   */
  currency?: string;
}

/** Order statuses the import accepts. */
export const ORDER_STATUSES = ["completed", "refunded"] as const;
export type ImportOrderStatus = (typeof ORDER_STATUSES)[number];

/** An order record that passed validation, normalised and ready to store. */
export interface OrderRow {
  externalId: string;
  customerExternalId: string;
  placedAt: Date;
  /** Minor units of `currency`, never negative. */
  amountMinor: number;
  /** Minor units of `currency`; null when the record gives none (the default margin rate applies). */
  marginMinor: number | null;
  /** Upper-case ISO 4217 code. */
  currency: string;
  status: ImportOrderStatus;
}

/**
 * Validates one orders.csv record (`external_id,customer_external_id,placed_at,amount,margin,
 * currency,status`). Everything but `margin` is required. The amount must not be negative
 * (a refund is an order with status `refunded`, not a negative amount). The margin may be
 * negative (a loss-making order) but not larger than the amount. Whether the customer exists
 * is for the caller to check: it needs the database.
 *
 * @param record column name → raw text.
 * @param options `now` (and tolerance) for the future-date check; the store `currency`, when
 *   orders in other currencies must be refused.
 * @returns the normalised {@link OrderRow}, or the list of problems.
 * @example
 * validateOrderRecord(
 *   { external_id: "O1", customer_external_id: "C1", placed_at: "2024-02-01T10:00:00Z",
 *     amount: "19.99", margin: "", currency: "usd", status: "Completed" },
 *   { now: new Date() },
 * ); // { ok: true, row: { amountMinor: 1999, marginMinor: null, currency: "USD", … } }
 */
export function validateOrderRecord(
  record: ImportRecord,
  options: OrderValidationOptions,
): RecordValidation<OrderRow> {
  const errors: ImportFieldError[] = [];
  const id = externalId(record.external_id, "external_id", FIELD_LIMITS.externalId, errors);
  const customerId = externalId(
    record.customer_external_id,
    "customer_external_id",
    FIELD_LIMITS.externalId,
    errors,
  );

  const placedAt = requiredInstant(record.placed_at, "placed_at", options, errors);

  let currency: string | null = null;
  const currencyText = record.currency?.trim() ?? "";
  if (currencyText === "") {
    errors.push({ field: "currency", code: "REQUIRED", message: "is required" });
  } else {
    const upper = currencyText.toUpperCase();
    if (/^[A-Z]{3}$/.test(upper) && isKnownCurrency(upper)) {
      const store = options.currency?.toUpperCase();
      if (store !== undefined && upper !== store) {
        errors.push({
          field: "currency",
          code: "CURRENCY_MISMATCH",
          message: `is ${upper}, but the store's currency is ${store}: amounts in other currencies cannot be added to customer totals (convert the order to ${store} first)`,
        });
      } else currency = upper;
    } else {
      errors.push({
        field: "currency",
        code: "UNKNOWN_CURRENCY",
        message: `unknown currency code ${JSON.stringify(currencyText)} (expected ISO 4217, e.g. USD)`,
      });
    }
  }

  let amount: number | null = null;
  const amountText = record.amount?.trim() ?? "";
  if (amountText === "") {
    errors.push({ field: "amount", code: "REQUIRED", message: "is required" });
  } else if (currency !== null) {
    const parsed = parseMoney(amountText, currency);
    if (!parsed.ok) errors.push(moneyError("amount", parsed));
    else if (parsed.minor < 0) {
      errors.push({
        field: "amount",
        code: "NEGATIVE_AMOUNT",
        message: `must not be negative, got ${amountText} (record refunds with status "refunded")`,
      });
    } else amount = parsed.minor;
  }

  let margin: number | null = null;
  const marginText = record.margin?.trim() ?? "";
  if (marginText !== "" && currency !== null) {
    const parsed = parseMoney(marginText, currency);
    if (!parsed.ok) errors.push(moneyError("margin", parsed));
    else if (amount !== null && parsed.minor > amount) {
      errors.push({
        field: "margin",
        code: "OUT_OF_RANGE",
        message: `${marginText} is larger than the amount ${amountText}`,
      });
    } else margin = parsed.minor;
  }

  let status: ImportOrderStatus | null = null;
  const statusText = record.status?.trim() ?? "";
  if (statusText === "") {
    errors.push({ field: "status", code: "REQUIRED", message: "is required" });
  } else {
    const lower = statusText.toLowerCase();
    if (lower === "completed" || lower === "refunded") status = lower;
    else {
      errors.push({
        field: "status",
        code: "UNKNOWN_STATUS",
        message: `unknown status ${JSON.stringify(statusText)} (expected completed or refunded)`,
      });
    }
  }

  if (
    errors.length > 0 ||
    id === null ||
    customerId === null ||
    placedAt === null ||
    currency === null ||
    amount === null ||
    status === null
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    row: {
      externalId: id,
      customerExternalId: customerId,
      placedAt,
      amountMinor: amount,
      marginMinor: margin,
      currency,
      status,
    },
  };
}
