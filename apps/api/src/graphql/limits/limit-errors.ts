import { HeaderMap } from "@apollo/server";
import { GraphQLError } from "graphql";

/** Which limit refused a request; sent as extensions.limit beside the code. */
export type QueryLimit =
  "bytes" | "tokens" | "aliases" | "depth" | "cost" | "occurrences" | "budget" | "responseFields";

/**
 * A request refused before anything ran (HTTP 400, code QUERY_TOO_COMPLEX): `limit` names the
 * limit, `max` its value and `actual` the request's figure.
 */
export function queryTooComplex(
  limit: QueryLimit,
  message: string,
  figures: { max: number; actual: number; field?: string },
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: "QUERY_TOO_COMPLEX", limit, ...figures, http: { status: 400 } },
  });
}

/** The caller's request budget is spent (HTTP 429 with Retry-After in whole seconds). */
export function rateLimited(
  message: string,
  figures: { retryAfterSeconds: number; cost: number; capacity: number },
): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: "RATE_LIMITED",
      limit: "budget",
      ...figures,
      http: {
        status: 429,
        headers: new HeaderMap([["retry-after", String(figures.retryAfterSeconds)]]),
      },
    },
  });
}

/** Formats a figure for a message: 1234567 → "1,234,567"; huge estimates stay readable. */
export function figure(n: number): string {
  return n < 1e15 ? Math.round(n).toLocaleString("en-US") : n.toExponential(2);
}
