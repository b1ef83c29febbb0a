/**
 * A fresh idempotency key for one intended write. The form keeps it until the write succeeds,
 * so a double click or a retry after a lost answer repeats the same operation (the API returns
 * the first result) instead of applying it twice.
 *
 * @param prefix - what the key is for, e.g. "admin-adjust".
 * @returns e.g. "admin-adjust:6f1c…".
 */
export function newIdempotencyKey(prefix: string): string {
  const random =
    typeof crypto !== "undefined" && typeof crypto.randomUUID === "function"
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}:${random}`;
}
