import { ApolloClient, HttpLink, InMemoryCache, from } from "@apollo/client/core";
import type { NormalizedCacheObject } from "@apollo/client/core";
import { setContext } from "@apollo/client/link/context";
import { onError } from "@apollo/client/link/error";
import { isUnauthenticated } from "./errors";

// Apollo Client 3.14 warns about APIs removed in 4.0. The ones that fire here are called
// inside @vue/apollo-composable (getLastResult/getLastError on query errors), which this app
// cannot change, so they are muted; our own code avoids the deprecated APIs.
(globalThis as Record<symbol, unknown>)[Symbol.for("apollo.deprecations")] = true;

export interface ApolloClientOptions {
  /** Same-origin endpoint: the API serves the admin, and Vite proxies it in development. */
  uri?: string;
  /** Current bearer token, read on every request so a new login applies at once. */
  getToken: () => string | null;
  /** Called once per failed operation whose error says the session is gone. */
  onUnauthenticated: () => void;
}

/**
 * Builds the admin's Apollo client: bearer auth on every request, and a jump back to the
 * login page when the API answers UNAUTHENTICATED (or HTTP 401).
 */
export function createApolloClient(
  options: ApolloClientOptions,
): ApolloClient<NormalizedCacheObject> {
  const authLink = setContext((_operation, { headers }) => {
    const token = options.getToken();
    return {
      headers: token ? { ...headers, Authorization: `Bearer ${token}` } : headers,
    };
  });

  const errorLink = onError(({ graphQLErrors, networkError }) => {
    if (isUnauthenticated(graphQLErrors, networkError)) options.onUnauthenticated();
  });

  return new ApolloClient({
    link: from([errorLink, authLink, new HttpLink({ uri: options.uri ?? "/graphql" })]),
    cache: new InMemoryCache(),
    defaultOptions: {
      watchQuery: { fetchPolicy: "cache-and-network" },
    },
  });
}
