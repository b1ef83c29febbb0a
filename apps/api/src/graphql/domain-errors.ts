import { GraphQLError } from "graphql";
import type { MiddlewareFn } from "type-graphql";
import { DomainError, type DomainErrorCode } from "../errors/domain-error";

function assertUnreachable(code: never): never {
  throw new Error(`unmapped domain error code ${String(code)}`);
}

/**
 * What the API answers for each domain error code: the one mapping from services' coded
 * failures to GraphQL. The switch is exhaustive, so a new code fails the type check until it
 * is mapped here.
 */
export function toGraphQLError(error: DomainError): GraphQLError {
  const code: DomainErrorCode = error.code;
  switch (code) {
    case "BUSY":
      // Nothing was written; asking again shortly will usually succeed.
      return new GraphQLError(error.message, {
        extensions: {
          code,
          http: { status: 503, headers: new Map([["retry-after", "1"]]) },
        },
      });
    default:
      return assertUnreachable(code);
  }
}

/**
 * Turns a DomainError thrown by a root resolver (or the service it called) into its GraphQL
 * error. Services are called from root fields; nested fields pass straight through, so the
 * mapping costs them one function call.
 */
export const mapDomainErrors: MiddlewareFn = ({ info }, next) => {
  if (info.path.prev !== undefined) return next();
  return next().catch((error: unknown) => {
    throw error instanceof DomainError ? toGraphQLError(error) : error;
  });
};
