import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { checkDocument, countAliasesAndRepeats, documentGuard } from "./document-guard";

const limits = { maxBytes: 32_768, maxTokens: 1000, maxAliases: 50 };

describe("checkDocument", () => {
  it("accepts an ordinary query", () => {
    expect(
      checkDocument('{ customer(externalId: "C1") { name totalSpent { amount } } }', limits),
    ).toBeNull();
  });

  it("refuses a query longer than maxBytes, saying how long it is", () => {
    const error = checkDocument(`{ __typename } # ${"x".repeat(40_000)}`, limits);
    expect(error?.extensions).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      limit: "bytes",
      max: 32_768,
    });
    expect(error?.message).toMatch(/^query is 40,017 bytes long; at most 32,768/);
  });

  it("refuses a query with more than maxTokens tokens", () => {
    const error = checkDocument(`{ ${"__typename ".repeat(1000)} }`, limits);
    expect(error?.extensions).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      limit: "tokens",
      max: 1000,
    });
  });

  it("counts aliases and fields repeated in one selection set, inline fragments included", () => {
    const document = parse(`
      { a: dashboard { customers } b: dashboard { customers }
        customers { edges { node { id } } }
        customers { totalCount }
        ... on Query { customers { totalCount } }
        ...F }
      fragment F on Query { customers { totalCount } }
    `);
    // 2 aliases, customers twice more in the operation; the fragment's own set is separate.
    expect(countAliasesAndRepeats(document)).toBe(4);
  });

  it("refuses more aliases than maxAliases, saying how many", () => {
    const query = `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: dashboard { customers }`).join(" ")} }`;
    const error = checkDocument(query, limits);
    expect(error?.extensions).toMatchObject({ limit: "aliases", max: 50, actual: 60 });
    expect(error?.message).toBe("query has 60 aliases and repeated fields; at most 50 are allowed");
  });

  it("refuses 3,300 aliases of dashboard at whichever limit it meets first", () => {
    const query = `{ ${Array.from({ length: 3300 }, (_, i) => `a${i}: dashboard { customers }`).join(" ")} }`;
    for (const shape of [limits, { ...limits, maxBytes: 1_000_000 }]) {
      const started = performance.now();
      const error = checkDocument(query, shape);
      // A few ms on a quiet machine: the guard stops at the first limit it meets. The bound is
      // a hang guard with room for a loaded CI machine, not a speed target.
      expect(performance.now() - started).toBeLessThan(250);
      expect(error?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    }
  });

  it("leaves syntax errors to Apollo", () => {
    expect(checkDocument("{ customers(", limits)).toBeNull();
  });
});

describe("documentGuard", () => {
  /** Runs the middleware on a body; returns the status it answered, or "next". */
  const send = (guard: ReturnType<typeof documentGuard>, query: string) => {
    let outcome: number | "next" = "next";
    const res = {
      status(code: number) {
        outcome = code;
        return { json: () => undefined };
      },
    };
    guard({ body: { query }, query: {} } as never, res as never, () => (outcome = "next"));
    return outcome;
  };

  it("passes a query within the limits every time, and refuses one over them every time", () => {
    const guard = documentGuard({ ...limits, maxAliases: 1 });
    const ok = '{ customer(externalId: "C1") { name } }';
    const over = "{ a: dashboard { customers } b: dashboard { customers } }";
    for (let i = 0; i < 3; i++) {
      expect(send(guard, ok)).toBe("next");
      expect(send(guard, over)).toBe(400);
    }
  });

  it("remembers at most 500 passed queries: the oldest is checked again, still passes", () => {
    const guard = documentGuard(limits);
    for (let i = 0; i < 600; i++) expect(send(guard, `{ a${i}: __typename }`)).toBe("next");
    expect(send(guard, "{ a0: __typename }")).toBe("next");
  });
});
