import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API keys look like `vt_<prefix>_<secret>`: the prefix (8 hex characters) is stored in clear
 * and indexed so a key can be found without scanning; the whole key is stored as SHA-256.
 */
const KEY_PATTERN = /^vt_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKeySecret {
  /** The whole key, shown to its owner once. */
  secret: string;
  /** Visible part, e.g. vt_1a2b3c4d. */
  prefix: string;
  hash: string;
}

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function newApiKeySecret(): NewApiKeySecret {
  const prefix = `vt_${randomBytes(4).toString("hex")}`;
  const secret = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { secret, prefix, hash: hashApiKey(secret) };
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith("vt_");
}

/** The stored prefix of a presented key, or null when the key is malformed. */
export function apiKeyPrefix(token: string): string | null {
  const match = KEY_PATTERN.exec(token);
  return match ? `vt_${match[1]}` : null;
}

export function apiKeyMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(token), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
