import { DomainError } from "../errors/domain-error";

// Database ids are positive whole numbers written in plain decimal: no sign, exponent, hex,
// leading zero or white space, which Number() would all accept ("0x1", "1e0", " 2").
const ID = /^[1-9][0-9]{0,14}$/;

/**
 * Parses a GraphQL `ID` argument that names a database row.
 *
 * @param text the argument as sent.
 * @param argument its name, for the message (e.g. "id", "input.id").
 * @returns the id.
 * @throws {DomainError} INVALID_INPUT saying which argument is not an id.
 * @example
 * parseId("42", "id"); // 42
 * parseId("0x1", "id"); // throws: id: "0x1" is not an id (a positive whole number such as 42)
 */
export function parseId(text: string, argument: string): number {
  if (!ID.test(text)) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new DomainError(
      "INVALID_INPUT",
      `${argument}: ${JSON.stringify(shown)} is not an id (a positive whole number such as 42)`,
      { field: argument },
    );
  }
  return Number(text);
}
