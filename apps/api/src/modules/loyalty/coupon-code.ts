import { randomBytes } from "node:crypto";

// Crockford's base 32 without I, L, O, U: no letter a customer confuses with a digit.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A coupon code: the reward's prefix and 12 characters from a cryptographic random source
 * (60 bits), in two groups, e.g. `SHIP-7Q2M-K9XD-4HBT`. Uniqueness is the database's unique
 * index; the caller draws again on the rare collision.
 *
 * @param prefix the reward's coupon prefix ("" for none).
 * @returns the code.
 */
export function newCouponCode(prefix: string): string {
  const bytes = randomBytes(12);
  let body = "";
  for (let i = 0; i < 12; i++) {
    body += ALPHABET[bytes[i]! & 31];
    if (i === 3 || i === 7) body += "-";
  }
  return prefix ? `${prefix}${prefix.endsWith("-") ? "" : "-"}${body}` : body;
}
