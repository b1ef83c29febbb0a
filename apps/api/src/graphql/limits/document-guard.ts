import type { RequestHandler } from "express";
import { GraphQLError, Kind, parse, type DocumentNode, type SelectionSetNode } from "graphql";
import { figure, queryTooComplex } from "./limit-errors";

/** Limits checked on the query text before graphql validates it. */
export interface DocumentLimits {
  /** Longest query string, in UTF-8 bytes. */
  maxBytes: number;
  /** Most lexical tokens (names, punctuation, values; comments excluded). */
  maxTokens: number;
  /** Most aliases plus fields selected again under the same name in one selection set. */
  maxAliases: number;
}

/**
 * Aliases, and fields selected again under a response name already used in the same selection
 * set (inline fragments included, as graphql merges them): graphql's
 * OverlappingFieldsCanBeMerged compares such fields pairwise, so 300 copies of one field cost
 * it ~40 ms and 1,000 over a second.
 */
export function countAliasesAndRepeats(document: DocumentNode): number {
  let count = 0;
  const scan = (set: SelectionSetNode, names: Set<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) count += 1;
        const name = (selection.alias ?? selection.name).value;
        if (names.has(name)) count += 1;
        else names.add(name);
        if (selection.selectionSet) scan(selection.selectionSet, new Set());
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        scan(selection.selectionSet, names);
      }
    }
  };
  for (const definition of document.definitions) {
    if (
      definition.kind === Kind.OPERATION_DEFINITION ||
      definition.kind === Kind.FRAGMENT_DEFINITION
    )
      scan(definition.selectionSet, new Set());
  }
  return count;
}

/**
 * Checks a query's size, tokens and aliases in time linear in its length, before the graphql
 * validation whose cost grows faster than that.
 *
 * @returns the error to answer with, or null when the query is within the limits (or does not
 *   parse: Apollo then reports the syntax error itself)
 * @example
 * checkDocument("{ a: dashboard { customers } b: dashboard { customers } }", { maxBytes: 1e4, maxTokens: 1e3, maxAliases: 1 })
 * // GraphQLError "query has 2 aliases and repeated fields; at most 1 are allowed"
 */
export function checkDocument(query: string, limits: DocumentLimits): GraphQLError | null {
  const bytes = Buffer.byteLength(query, "utf8");
  if (bytes > limits.maxBytes) {
    return queryTooComplex(
      "bytes",
      `query is ${figure(bytes)} bytes long; at most ${figure(limits.maxBytes)} are allowed: send bulk data as variables`,
      { max: limits.maxBytes, actual: bytes },
    );
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (error) {
    if (error instanceof GraphQLError && /more th\w+ \d+ tokens/.test(error.message)) {
      return queryTooComplex(
        "tokens",
        `query has more than ${figure(limits.maxTokens)} tokens, the most allowed: send bulk data as variables`,
        { max: limits.maxTokens, actual: limits.maxTokens + 1 },
      );
    }
    return null;
  }
  const aliases = countAliasesAndRepeats(document);
  if (aliases > limits.maxAliases) {
    return queryTooComplex(
      "aliases",
      `query has ${figure(aliases)} aliases and repeated fields; at most ${figure(limits.maxAliases)} are allowed`,
      { max: limits.maxAliases, actual: aliases },
    );
  }
  return null;
}

/**
 * Queries remembered as within the limits (oldest forgotten first), and the longest kept: at
 * most about 4 MB however many distinct queries callers send.
 */
const PASSED_QUERIES = 500;
const PASSED_QUERY_MAX_LENGTH = 4_000;

/**
 * Express middleware for the GraphQL endpoint, after the JSON body parser and before Apollo:
 * refuses a query over the document limits with HTTP 400, before authentication and graphql's
 * validation spend anything on it.
 */
export function documentGuard(limits: DocumentLimits): RequestHandler {
  // The checks depend on the text alone, so a query that passed passes again: clients send the
  // same few documents over and over (with different variables), and each is parsed once here.
  const passed = new Set<string>();
  return (req, res, next) => {
    const body: unknown = req.body;
    const fromBody =
      body && typeof body === "object" && !Array.isArray(body)
        ? (body as { query?: unknown }).query
        : undefined;
    const query = typeof fromBody === "string" ? fromBody : req.query.query;
    if (typeof query !== "string" || passed.has(query)) return next();
    const error = checkDocument(query, limits);
    if (!error) {
      if (query.length <= PASSED_QUERY_MAX_LENGTH) {
        if (passed.size >= PASSED_QUERIES) passed.delete(passed.values().next().value!);
        passed.add(query);
      }
      return next();
    }
    const { http: _http, ...extensions } = error.extensions;
    res.status(400).json({ errors: [{ message: error.message, extensions }] });
  };
}
