import {
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSchema } from "../graphql/schema";
import { API_KEY_SCOPES, type ApiKeyScope } from "../modules/auth/permissions";
import { startTestApi, type TestApi } from "../testing/test-server";

// Walks every mutation's payload with API keys of every scope set and checks that no field a
// key reads back is one it could not have queried directly: a type marked readable only with
// some permission (ReadableWith) must come back as null, with a FORBIDDEN error, to a key
// without it.

/** Inputs for the mutations API keys may call; any other mutation must be for people only. */
const SAMPLE_INPUTS: Record<string, () => Record<string, unknown>> = {
  upsertCustomers: () => ({
    input: [
      {
        externalId: "PA-1",
        email: "pa1@example.test",
        name: "Pat",
        createdAt: "2023-01-01T00:00:00Z",
      },
    ],
  }),
  // An unchanged replay of an order that exists: the case that used to read the customer back.
  recordOrders: () => ({
    input: [
      {
        externalId: "PA-O1",
        customerExternalId: "PA-1",
        placedAt: "2024-01-02T00:00:00Z",
        amount: "12.00",
        currency: "USD",
        status: "COMPLETED",
      },
    ],
  }),
};

const SCOPE_SETS: ApiKeyScope[][] = [
  ...API_KEY_SCOPES.map((scope) => [scope]),
  ["customers:write", "orders:write"],
  [...API_KEY_SCOPES],
];

const callable = (field: GraphQLField<unknown, unknown>) =>
  field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined);

/**
 * Selections of `type` that each end in one object's scalar fields: one for the type's own
 * scalars, and, for every object field, one per selection of that field's type, `depth`
 * levels down. Selecting one path at a time keeps a refused non-null field (which nulls its
 * parent) from hiding what a sibling field would have shown.
 */
function pathSelections(type: GraphQLType, depth: number): string[] {
  const named = getNamedType(type);
  if (!isObjectType(named)) return [""];
  const fields = Object.values(named.getFields()).filter(callable);
  const scalars = fields.filter((f) => isLeafType(getNamedType(f.type))).map((f) => f.name);
  const out = [`{ __typename ${scalars.join(" ")} }`];
  if (depth === 0) return out;
  for (const field of fields) {
    if (!isObjectType(getNamedType(field.type))) continue;
    for (const sub of pathSelections(field.type, depth - 1)) {
      out.push(`{ __typename ${field.name} ${sub} }`);
    }
  }
  return out;
}

/** A mutation's own arguments as variables, e.g. `($input: [OrderInput!]!)` and `(input: $input)`. */
function argumentsOf(field: GraphQLField<unknown, unknown>) {
  if (field.args.length === 0) return { declare: "", pass: "" };
  return {
    declare: `(${field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ")})`,
    pass: `(${field.args.map((a) => `${a.name}: $${a.name}`).join(", ")})`,
  };
}

/**
 * What reading each type needs, stated here independently of the schema's own markings, so
 * that removing a marking (or adding a type to a payload) fails this test instead of passing
 * it unseen.
 */
const READ_NEEDS: Record<string, string> = {
  Customer: "customers:read",
  Order: "customers:read",
  CustomerValue: "customers:read",
};

/** Types a payload may show any caller of its mutation: what the call itself did. */
const OUTCOME_TYPES = new Set(["UserError", "RecordOutcome"]);

/**
 * Every non-null value in `value` (of type `parent`) that the key could not have read by
 * querying it directly, as "path needs permission"; and any type that is neither classified in
 * READ_NEEDS nor an outcome type.
 */
function leaks(
  parent: GraphQLObjectType,
  value: unknown,
  scopes: ReadonlySet<string>,
  path: string,
  isPayload = false,
): string[] {
  if (value === null || value === undefined || typeof value !== "object") return [];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => leaks(parent, item, scopes, `${path}.${i}`, isPayload));
  }
  const found: string[] = [];
  const needed = READ_NEEDS[parent.name];
  if (needed === undefined && !isPayload && !OUTCOME_TYPES.has(parent.name)) {
    found.push(`${path}: type ${parent.name} is not classified in READ_NEEDS`);
  }
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === null || name === "__typename") continue;
    if (needed !== undefined && !scopes.has(needed)) {
      found.push(`${path}.${name} needs ${needed}`);
    }
    const field = parent.getFields()[name];
    const type = field ? getNamedType(field.type) : undefined;
    if (type && isObjectType(type) && needed === undefined) {
      found.push(...leaks(type, child, scopes, `${path}.${name}`));
    }
  }
  return found;
}

const unwrapList = (type: GraphQLType): GraphQLType =>
  isNonNullType(type) || isListType(type) ? unwrapList(type.ofType) : type;

describe("mutation payloads with every API key scope", () => {
  let api: TestApi;
  let admin: string;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.adminToken();
    schema = await getSchema();
    // The customer and order the samples write already exist, so replays read stored data.
    for (const name of ["upsertCustomers", "recordOrders"]) {
      const field = schema.getMutationType()!.getFields()[name]!;
      const args = argumentsOf(field);
      const res = await api.gql(
        `mutation${args.declare} { ${name}${args.pass} { userErrors { code message } } }`,
        SAMPLE_INPUTS[name]!(),
        admin,
      );
      expect(JSON.stringify(res.data)).not.toContain('"code"');
    }
  });

  afterAll(async () => {
    await api?.close();
  });

  it("finds no field readable beyond the key's scopes", async () => {
    const mutations = Object.values(schema.getMutationType()!.getFields());
    const found: string[] = [];
    const exercised: string[] = [];
    for (const scopes of SCOPE_SETS) {
      const created = await api.gql<{ createApiKey: { secret: string | null } }>(
        'mutation($scopes: [String!]!) { createApiKey(input: { name: "walker", scopes: $scopes }) { secret } }',
        { scopes },
        admin,
      );
      const key = created.data!.createApiKey.secret!;
      const granted = new Set<string>(scopes);
      for (const field of mutations) {
        const access = (field.extensions?.access as string[] | undefined) ?? [];
        if (access.includes("public")) continue;
        const args = argumentsOf(field);
        const sample =
          SAMPLE_INPUTS[field.name] ??
          (field.args.every((arg) => !isNonNullType(arg.type)) ? () => ({}) : undefined);
        const payloadType = unwrapList(field.type);
        const queries = pathSelections(payloadType, 5).map(
          (selection) => `mutation${args.declare} { ${field.name}${args.pass} ${selection} }`,
        );
        const query = queries[0]!;
        if (!sample) {
          // Not callable by keys at all: the root refuses before anything runs.
          const res = await api.gql(query, {}, key);
          expect(res.data?.[field.name] ?? null, field.name).toBeNull();
          expect(res.errors?.[0]?.extensions?.code, field.name).toMatch(/FORBIDDEN|BAD_USER_INPUT/);
          continue;
        }
        const first = await api.gql<Record<string, unknown>>(query, sample(), key);
        if (!access.every((p) => p === "authenticated" || granted.has(p))) {
          expect(first.data?.[field.name] ?? null).toBeNull();
          expect(first.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
          continue;
        }
        exercised.push(`${field.name} with ${scopes.join("+")}`);
        const named = getNamedType(payloadType);
        for (const selection of queries) {
          const res = await api.gql<Record<string, unknown>>(selection, sample(), key);
          const payload = res.data?.[field.name];
          expect(payload, JSON.stringify(res.errors)).toBeTruthy();
          if (isObjectType(named)) {
            found.push(...leaks(named, payload, granted, `${field.name}[${scopes}]`, true));
          }
          // What was held back is said, as FORBIDDEN errors, never silently.
          const withheld = JSON.stringify(payload).includes("null");
          if (withheld && !granted.has("customers:read") && SAMPLE_INPUTS[field.name]) {
            expect(res.errors?.some((e) => e.extensions?.code === "FORBIDDEN")).toBe(true);
          }
        }
      }
    }
    expect(found).toEqual([]);
    // The walk really called the key-callable mutations, with and without customers:read.
    expect(exercised).toEqual(
      expect.arrayContaining([
        "upsertCustomers with customers:write",
        "recordOrders with orders:write",
        "upsertCustomers with customers:read+customers:write+orders:write+loyalty:write",
      ]),
    );
    // Every mutation of the schema, for every scope set, a few selections each: a few thousand
    // requests, which outgrow the default minute on a loaded CI machine.
  }, 300_000);

  it("tells a customers:write key that an email is taken without naming the customer", async () => {
    const created = await api.gql<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "writer", scopes: ["customers:write"] }) { secret } }',
      {},
      admin,
    );
    const res = await api.gql<{
      upsertCustomers: { userErrors: { code: string; message: string }[] };
    }>(
      "mutation($input: [CustomerInput!]!) { upsertCustomers(input: $input) { userErrors { code message } } }",
      {
        input: [
          { externalId: "PA-2", email: "pa1@example.test", createdAt: "2023-01-01T00:00:00Z" },
        ],
      },
      created.data!.createApiKey.secret,
    );
    const [error] = res.data!.upsertCustomers.userErrors;
    expect(error!.code).toBe("EMAIL_TAKEN");
    expect(error!.message).not.toContain("PA-1");
  });

  it("keeps business-wide figures from storefront keys", async () => {
    const created = await api.gql<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(input: { name: "shop", scopes: ["customers:read"] }) { secret } }',
      {},
      admin,
    );
    const key = created.data!.createApiKey.secret;
    for (const query of [
      "{ dashboard { customers } }",
      "{ valueModel { __typename } }",
      "{ scoringRuns(first: 1) { edges { node { id } } } }",
      "{ valueSettings { horizonMonths } }",
    ]) {
      const res = await api.gql(query, {}, key);
      expect(res.errors?.[0]?.extensions?.code, query).toBe("FORBIDDEN");
    }
    const customer = await api.gql<{ customer: { externalId: string } }>(
      '{ customer(externalId: "PA-1") { externalId } }',
      {},
      key,
    );
    expect(customer.data?.customer.externalId).toBe("PA-1");
  });
});
