import type { Role } from "../users/user.entity";

/**
 * Scopes an API key can carry (docs/graphql-api.md). A storefront key usually has only customers:read.
 */
export const API_KEY_SCOPES = [
  "customers:read",
  "customers:write",
  "orders:write",
  "loyalty:write",
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Permissions only people (roles) hold, never API keys. */
export const USER_ONLY_PERMISSIONS = [
  "users:manage",
  "api_keys:manage",
  "audit:read",
  // Start scoring runs and change the value settings (model, horizon, rates, CAC).
  "value:manage",
  // Business-wide figures (dashboard, fitted model, scoring runs, settings): storefront keys
  // see customers, never the business as a whole.
  "business:read",
  // Create, change and delete saved segments.
  "segments:manage",
  // Define value tiers and the policy that places customers in them.
  "tiers:manage",
  // Loyalty settings and manual point adjustments (audited): admins only.
  "loyalty:manage",
  // The rewards catalogue: create and change rewards, stock, limits and validity.
  "rewards:manage",
  // Webhook endpoints (their URLs and signing secrets) and the delivery log: admins only.
  "webhooks:manage",
  // Create, change, launch, pause and end campaigns, and the global holdout.
  "campaigns:manage",
] as const;

export type Permission = ApiKeyScope | (typeof USER_ONLY_PERMISSIONS)[number];

export const ROLES: readonly Role[] = ["ADMIN", "MARKETER", "ANALYST"];

/**
 * What each role may do. ANALYST is read-only; MARKETER works with customers and loyalty but does
 * not manage people, keys or the audit log; ADMIN may do everything.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: [...API_KEY_SCOPES, ...USER_ONLY_PERMISSIONS],
  MARKETER: [
    "customers:read",
    "customers:write",
    "orders:write",
    "loyalty:write",
    "value:manage",
    "business:read",
    "segments:manage",
    "tiers:manage",
    "rewards:manage",
    "campaigns:manage",
  ],
  ANALYST: ["customers:read", "business:read"],
};

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}
