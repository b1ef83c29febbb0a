import type { RouteLocationRaw } from "vue-router";

/**
 * Only a redirect back into this app is followed after login, never to another origin
 * ("//evil.example" is protocol-relative).
 *
 * @param value - the `redirect` query parameter.
 * @returns a safe in-app location.
 */
export function safeRedirect(value: unknown): RouteLocationRaw {
  if (typeof value === "string" && value.startsWith("/") && !value.startsWith("//")) return value;
  return { name: "customers" };
}
