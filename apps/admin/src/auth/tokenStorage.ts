/** localStorage key of the bearer token returned by the `login` mutation. */
export const TOKEN_STORAGE_KEY = "valuetier.token";

/**
 * Reads the stored bearer token.
 *
 * @returns the token, or null when signed out or when storage is unavailable (private mode).
 */
export function readToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * Stores the bearer token, or removes it when given null.
 *
 * @param token - the token from `login`, or null to sign out.
 */
export function writeToken(token: string | null): void {
  try {
    if (token === null) localStorage.removeItem(TOKEN_STORAGE_KEY);
    else localStorage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Storage can be disabled; the session then lasts as long as the page.
  }
}
