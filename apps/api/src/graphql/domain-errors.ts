import { GraphQLError } from "graphql";
import { ArgumentValidationError, type MiddlewareFn } from "type-graphql";
import { DomainError, type DomainErrorCode, type Problem } from "../errors/domain-error";
import type { ApiErrorCode } from "./errors";

/** What the API answers for one domain error code. */
type Answer =
  /** Returned in the mutation's payload as a user error; the call itself succeeds. */
  | { as: "userError" }
  /** Thrown as a GraphQL error with this code and HTTP status. */
  | { as: "error"; code: ApiErrorCode | "BUSY"; status: number; retryAfterSeconds?: number };

/**
 * The one mapping from services' coded failures to the API. A `Record` over every code, so a
 * code added to DomainErrorCode fails the type check until it is given an answer here.
 */
const ANSWERS: Record<DomainErrorCode, Answer> = {
  // Nothing was written; asking again shortly usually succeeds.
  BUSY: { as: "error", code: "BUSY", status: 503, retryAfterSeconds: 1 },
  INVALID_INPUT: { as: "error", code: "BAD_USER_INPUT", status: 400 },
  TOO_MANY_ITEMS: { as: "userError" },
  INVALID_TRANSITION: { as: "userError" },
  AS_OF_IN_FUTURE: { as: "userError" },
};

/** A domain error as the GraphQL error the API throws for it. */
export function toGraphQLError(error: DomainError): GraphQLError {
  const answer = ANSWERS[error.code];
  const code = answer.as === "error" ? answer.code : "BAD_USER_INPUT";
  const status = answer.as === "error" ? answer.status : 400;
  const headers =
    answer.as === "error" && answer.retryAfterSeconds !== undefined
      ? new Map([["retry-after", String(answer.retryAfterSeconds)]])
      : undefined;
  return new GraphQLError(error.message, {
    extensions: {
      code,
      ...(error.field ? { field: error.field } : {}),
      http: { status, ...(headers ? { headers } : {}) },
    },
  });
}

/** A domain error as a user error, when that is how its code is answered. */
export function asUserError(error: unknown): Problem | null {
  if (!(error instanceof DomainError) || ANSWERS[error.code].as !== "userError") return null;
  return { field: error.field, code: error.code, message: error.message };
}

/**
 * Runs a mutation's service call; a domain error answered as a user error becomes the payload
 * `failed(problem)`, any other error is thrown (and mapped by {@link mapDomainErrors}).
 */
export async function payloadOf<T>(
  call: () => Promise<T>,
  failed: (problem: Problem) => T,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const problem = asUserError(error);
    if (problem) return failed(problem);
    throw error;
  }
}

/**
 * Turns a DomainError thrown by a root resolver (or the service it called) into its GraphQL
 * error. Services are called from root fields and from field resolvers of nested lists; nested
 * fields without a resolver pass straight through, so the mapping costs them one call.
 */
export const mapDomainErrors: MiddlewareFn = (_action, next) =>
  next().catch((error: unknown) => {
    if (error instanceof DomainError) throw toGraphQLError(error);
    if (error instanceof ArgumentValidationError) throw argumentError(error);
    throw error;
  });

interface ValidationFailure {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationFailure[];
}

/**
 * An argument outside its declared bounds (class-validator on an input or args type) is a
 * client error like any other: HTTP 400, code BAD_USER_INPUT, and a message that names the
 * argument and the rule instead of "Argument Validation Error".
 */
function argumentError(error: ArgumentValidationError): GraphQLError {
  const failures = (error.extensions.validationErrors ?? []) as ValidationFailure[];
  const lines: string[] = [];
  const walk = (list: ValidationFailure[], prefix: string) => {
    for (const failure of list) {
      const path = prefix ? `${prefix}.${failure.property}` : failure.property;
      for (const rule of Object.values(failure.constraints ?? {})) lines.push(`${path}: ${rule}`);
      walk(failure.children ?? [], path);
    }
  };
  walk(failures, "");
  const message = lines.length ? lines.slice(0, 10).join("; ") : error.message;
  // The failures without the rejected value or the target object: an echo of megabytes of
  // input is what a client must not get back.
  const validationErrors = failures.map(function strip(f: ValidationFailure): ValidationFailure {
    return {
      property: f.property,
      ...(f.constraints ? { constraints: f.constraints } : {}),
      ...(f.children?.length ? { children: f.children.map(strip) } : {}),
    };
  });
  return new GraphQLError(message, {
    extensions: { code: "BAD_USER_INPUT", validationErrors, http: { status: 400 } },
  });
}
