import { parseMoney } from "../money";
import { FIELD_LIMITS } from "./columns";
import {
  type ImportFieldError,
  type ImportRecord,
  type RecordValidation,
  type RecordValidationOptions,
} from "./import-error";
import { normaliseEmail } from "./normalise-email";
import { normaliseTags } from "./normalise-tags";
import { externalId, optionalText } from "./text-fields";
import { moneyError, requiredInstant } from "./field-checks";

/** A customer record that passed validation, normalised and ready to store. */
export interface CustomerRow {
  externalId: string;
  /** Lower case; null when the record has none. */
  email: string | null;
  /** Empty string when the record has none. */
  name: string;
  /** When the business first saw the customer (`created_at` in customers.csv). */
  createdAt: Date;
  /** Lower case; null when unknown. */
  acquisitionChannel: string | null;
  /** Minor units of the store currency; null when unknown. */
  acquisitionCostMinor: number | null;
  /** Normalised tags joined with ';' (see normaliseTags); empty string for none. */
  tags: string;
  /** Net promoter score 0–10, or null. */
  nps: number | null;
}

export interface CustomerValidationOptions extends RecordValidationOptions {
  /** ISO 4217 code of the store currency, in which `acquisition_cost` is given. */
  currency: string;
}

const NPS = /^\d{1,2}$/;

/**
 * Validates one customers.csv record (`external_id,email,name,created_at,acquisition_channel,
 * acquisition_cost[,tags][,nps]`). `external_id` and `created_at` are required; the other
 * values may be empty. Every problem of the record is reported, not just the first.
 *
 * @param record column name → raw text.
 * @param options `now` (and tolerance) for the future-date check; the store `currency`.
 * @returns the normalised {@link CustomerRow}, or the list of problems.
 * @example
 * validateCustomerRecord(
 *   { external_id: "C1", email: "Ann@Example.com", name: "Ann", created_at: "2024-01-05",
 *     acquisition_channel: "Organic", acquisition_cost: "0", tags: "VIP", nps: "9" },
 *   { now: new Date(), currency: "USD" },
 * ); // { ok: true, row: { externalId: "C1", email: "ann@example.com", … } }
 */
export function validateCustomerRecord(
  record: ImportRecord,
  options: CustomerValidationOptions,
): RecordValidation<CustomerRow> {
  const errors: ImportFieldError[] = [];
  const id = externalId(record.external_id, "external_id", FIELD_LIMITS.externalId, errors);

  let email: string | null = null;
  const emailText = record.email?.trim() ?? "";
  if (emailText !== "") {
    const parsed = normaliseEmail(emailText);
    if (parsed.ok) email = parsed.email;
    else errors.push({ field: "email", code: "INVALID_EMAIL", message: parsed.message });
  }

  const name = optionalText(record.name, "name", FIELD_LIMITS.name, errors) ?? "";

  const createdAt = requiredInstant(record.created_at, "created_at", options, errors);

  const channel = optionalText(
    record.acquisition_channel,
    "acquisition_channel",
    FIELD_LIMITS.acquisitionChannel,
    errors,
  );

  let cost: number | null = null;
  const costText = record.acquisition_cost?.trim() ?? "";
  if (costText !== "") {
    const parsed = parseMoney(costText, options.currency);
    if (!parsed.ok) errors.push(moneyError("acquisition_cost", parsed));
    else if (parsed.minor < 0) {
      errors.push({
        field: "acquisition_cost",
        code: "NEGATIVE_AMOUNT",
        message: `must not be negative, got ${costText}`,
      });
    } else cost = parsed.minor;
  }

  let tags = "";
  const tagsText = record.tags ?? "";
  if (tagsText.trim() !== "") {
    const parsed = normaliseTags(tagsText);
    if (parsed.ok) tags = parsed.tags;
    else errors.push({ field: "tags", code: "TOO_LONG", message: parsed.message });
  }

  let nps: number | null = null;
  const npsText = record.nps?.trim() ?? "";
  if (npsText !== "") {
    const value = NPS.test(npsText) ? Number(npsText) : Number.NaN;
    if (value >= 0 && value <= 10) nps = value;
    else {
      errors.push({
        field: "nps",
        code: "OUT_OF_RANGE",
        message: `must be a whole number from 0 to 10, got ${JSON.stringify(npsText)}`,
      });
    }
  }

  if (errors.length > 0 || id === null || createdAt === null) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    row: {
      externalId: id,
      email,
      name,
      createdAt,
      acquisitionChannel: channel === null ? null : channel.toLowerCase(),
      acquisitionCostMinor: cost,
      tags,
      nps,
    },
  };
}
