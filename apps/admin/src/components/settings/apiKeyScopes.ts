/**
 * Scopes an API key can carry. The schema types them as plain strings
 * (`CreateApiKeyInput.scopes` documents the list), so they are listed here; the API rejects
 * any other value with a userError.
 */
export const API_KEY_SCOPES = [
  "customers:read",
  "customers:write",
  "orders:write",
  "loyalty:write",
] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** i18n key of each scope's explanation. */
export const API_KEY_SCOPE_DESCRIPTION = {
  "customers:read": "settings.apiKeys.scopeHelp.customersRead",
  "customers:write": "settings.apiKeys.scopeHelp.customersWrite",
  "orders:write": "settings.apiKeys.scopeHelp.ordersWrite",
  "loyalty:write": "settings.apiKeys.scopeHelp.loyaltyWrite",
} as const satisfies Record<ApiKeyScope, string>;
