import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The header every delivery is signed in: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = "X-ValueTier-Signature";

/** A new endpoint secret: "whsec_" and 32 random bytes in base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * The signature header value for `body` sent at `timestampSeconds`: HMAC-SHA256 with the
 * endpoint's secret over `${t}.${body}`, in hex.
 *
 * @example
 * signWebhook("whsec_x", '{"a":1}', 1700000000); // "t=1700000000,v1=<64 hex digits>"
 */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${mac}`;
}

/**
 * Checks a signature header as a receiver should: the HMAC over `${t}.${body}` matches one of
 * the `v1` values (compared in constant time), and `t` is within `toleranceSeconds` of `now`
 * (against replays). The body must be the raw bytes received, not a re-serialised object.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  const parts = header.split(",").map((part) => part.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isSafeInteger(t)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(
    createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"),
    "hex",
  );
  return parts
    .filter(([k, v]) => k === "v1" && v !== undefined && /^[0-9a-f]{64}$/.test(v))
    .some(([, v]) => timingSafeEqual(Buffer.from(v!, "hex"), expected));
}
