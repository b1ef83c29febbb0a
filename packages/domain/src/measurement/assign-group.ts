import type { ExperimentGroup } from "./assignment-groups";
import { MeasurementError } from "./measurement-error";
import { sha256Unit } from "./sha256";

/** The salt of the global holdout; change it only to draw a new holdout. */
export const GLOBAL_HOLDOUT_SALT = "valuetier-global-holdout";

function checkShare(share: number, field: string): void {
  if (!(Number.isFinite(share) && share >= 0 && share <= 1)) {
    throw new MeasurementError(
      "INVALID_PARAMETER",
      `${field} must be a number from 0 to 1 (got ${share})`,
      { field },
    );
  }
}

function checkKey(key: string, field: string): void {
  if (typeof key !== "string" || key.length === 0) {
    throw new MeasurementError("INVALID_PARAMETER", `${field} must be a non-empty string`, {
      field,
    });
  }
}

/**
 * A stable position in [0, 1) for a text: the first 52 bits of its SHA-256 (of the UTF-8
 * bytes) divided by 2^52. SHA-256 spreads any keys, however alike ("c1", "c2", …), uniformly,
 * and the result is the same on every machine and in every language.
 *
 * @param text the key.
 * @returns a number in [0, 1).
 * @example
 * hashToUnit("spring-sale:42"); // the same number on every call
 */
export function hashToUnit(text: string): number {
  return sha256Unit(text);
}

/**
 * The stable position of a customer in a campaign: {@link hashToUnit} of "campaignKey:customerKey".
 * Store it at launch if you need to explain an assignment later.
 */
export function assignmentPosition(campaignKey: string, customerKey: string): number {
  checkKey(campaignKey, "campaignKey");
  checkKey(customerKey, "customerKey");
  return hashToUnit(`${campaignKey}:${customerKey}`);
}

/**
 * Treatment or control for a customer in a campaign, by a stable hash: control when the
 * customer's position {@link assignmentPosition} is below `controlShare`. The same campaign and
 * customer always give the same group; raising the share only moves customers from treatment to
 * control, never back; different campaigns draw independent groups. Pure and deterministic.
 *
 * @param campaignKey the campaign's stable key (its id).
 * @param customerKey the customer's stable key (id or external id; use one consistently).
 * @param controlShare share of customers held out as control, 0 to 1 (default campaigns: 0.1).
 * @returns "control" or "treatment".
 * @throws {MeasurementError} INVALID_PARAMETER for an empty key or a share outside [0, 1].
 * @example
 * assignGroup("spring-sale", "cust-42", 0.1); // "treatment" (on every call, on every machine)
 */
export function assignGroup(
  campaignKey: string,
  customerKey: string,
  controlShare: number,
): ExperimentGroup {
  checkShare(controlShare, "controlShare");
  return assignmentPosition(campaignKey, customerKey) < controlShare ? "control" : "treatment";
}

/**
 * Whether a customer is in the global holdout (excluded from every campaign, for long-run
 * measurement), by the same hash with its own salt: "salt:customerKey" below `holdoutShare`.
 * Independent of every campaign's assignment (campaign keys must not equal the salt).
 *
 * @param customerKey the customer's stable key.
 * @param holdoutShare share of all customers held out, 0 to 1 (0 turns the holdout off).
 * @param salt the holdout's salt; a new salt draws a new holdout.
 * @returns true when the customer is held out of every campaign.
 * @throws {MeasurementError} INVALID_PARAMETER for an empty key or salt, or a share outside [0, 1].
 * @example
 * isInGlobalHoldout("cust-42", 0.05); // false for about 95% of customers
 */
export function isInGlobalHoldout(
  customerKey: string,
  holdoutShare: number,
  salt: string = GLOBAL_HOLDOUT_SALT,
): boolean {
  checkShare(holdoutShare, "holdoutShare");
  checkKey(customerKey, "customerKey");
  checkKey(salt, "salt");
  if (holdoutShare === 0) return false;
  return hashToUnit(`${salt}:${customerKey}`) < holdoutShare;
}
