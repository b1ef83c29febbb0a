/**
 * Codes of the failures services throw (rather than return as a result). Each has exactly one
 * meaning for a caller; `graphql/domain-errors.ts` maps every code to what the API answers (a
 * user error in a mutation's payload, or a GraphQL error with an HTTP status), and a code added
 * here fails the type check until it is mapped there.
 */
export type DomainErrorCode =
  /** Conflicting writes kept the database busy; nothing was written; try again later. */
  | "BUSY"
  /** An argument is malformed or out of range (a cursor, an id, a filter value). */
  | "INVALID_INPUT"
  /** More items in one call than allowed. */
  | "TOO_MANY_ITEMS"
  /** The action is not allowed in the entity's current status (e.g. launching an ended campaign). */
  | "INVALID_TRANSITION"
  /**
   * An "as of" instant later than the server clock (beyond a few minutes of clock skew), for a
   * pass that would date what it writes then (loyalty activation and expiry).
   */
  | "AS_OF_IN_FUTURE";

/** A coded failure of a service; knows nothing of GraphQL or HTTP. */
export class DomainError extends Error {
  override readonly name = "DomainError";
  /** The argument or input path at fault (e.g. "after", "input.3.email"), when there is one. */
  readonly field: string | null;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options: { cause?: unknown; field?: string | null } = {},
  ) {
    super(message, { cause: options.cause });
    this.field = options.field ?? null;
  }
}

/** An expected failure returned as data: the shape of every mutation's `userErrors`. */
export interface Problem {
  /** Path of the input field at fault, e.g. "input.3.email"; null when not tied to a field. */
  field: string | null;
  /** Stable, machine-readable code, e.g. INVALID_EMAIL. */
  code: string;
  message: string;
}

/** A {@link Problem}. */
export const problem = (field: string | null, code: string, message: string): Problem => ({
  field,
  code,
  message,
});
