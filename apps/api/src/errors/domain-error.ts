/**
 * Codes of the failures services throw (rather than return as a result). Each has exactly one
 * meaning for a caller; `graphql/domain-errors.ts` maps every code to what the API answers, and
 * a code added here fails the type check until it is mapped there.
 */
export type DomainErrorCode =
  /** Conflicting writes kept the database busy; nothing was written; try again later. */
  "BUSY";

/** A coded failure of a service; knows nothing of GraphQL or HTTP. */
export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
