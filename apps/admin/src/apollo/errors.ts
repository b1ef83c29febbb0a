import type { GraphQLFormattedError } from "graphql";

/** `extensions.code` the API puts on errors for a missing, expired or revoked token. */
export const UNAUTHENTICATED = "UNAUTHENTICATED";

/**
 * Tells whether a failed operation means the session is no longer valid.
 *
 * @param graphQLErrors - errors from the response body.
 * @param networkError - transport error; a 401 status means the same as UNAUTHENTICATED.
 * @returns true when the user must sign in again.
 */
export function isUnauthenticated(
  graphQLErrors: ReadonlyArray<GraphQLFormattedError> | undefined,
  networkError: unknown,
): boolean {
  if (graphQLErrors?.some((e) => e.extensions?.["code"] === UNAUTHENTICATED)) return true;
  if (networkError !== null && typeof networkError === "object" && "statusCode" in networkError) {
    return networkError.statusCode === 401;
  }
  return false;
}
