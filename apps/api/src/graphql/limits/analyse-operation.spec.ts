import { buildSchema, getOperationAST, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { analyseOperation } from "./analyse-operation";
import { CostModel, type CostRules } from "./cost-model";

const schema = buildSchema(`
  interface Node { id: ID! }
  type Money { amount: String! currency: String! }
  type Customer implements Node {
    id: ID!
    name: String!
    tags: [String!]!
    orders(first: Int! = 50, after: String): OrderConnection!
    valueHistory(first: Int! = 12): [Money!]!
  }
  type Order implements Node { id: ID! amount: Money! customer: Customer! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type OrderEdge { cursor: String! node: Order! }
  type OrderConnection { edges: [OrderEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type CustomerEdge { cursor: String! node: Customer! }
  type CustomerConnection { edges: [CustomerEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type Kpis { customers: Int! }
  type ApiKey { id: ID! name: String! }
  union SearchHit = Customer | Order
  type Query {
    customers(first: Int! = 50, after: String): CustomerConnection!
    node(id: ID!): Node
    search(text: String!, first: Int! = 10): [SearchHit!]!
    dashboard: Kpis!
    apiKeys: [ApiKey!]!
  }
  input OrderInput { externalId: String! }
  type UserError { field: String code: String! message: String! }
  type RecordOrdersPayload { imported: Int! orders: [Order!]! userErrors: [UserError!]! }
  type LoginPayload { token: String }
  type Mutation {
    recordOrders(input: [OrderInput!]!): RecordOrdersPayload!
    login(email: String!, password: String!): LoginPayload!
  }
`);

const rules: CostRules = {
  fieldCosts: { "Query.dashboard": 1000, "CustomerConnection.totalCount": 200 },
  pageArgument: "first",
  maxPageSize: 250,
  itemsArgument: "input",
  maxItems: 1000,
  unboundedListSize: 100,
};
const model = new CostModel(schema, rules);

function analyse(query: string, variables: Record<string, unknown> = {}, watched: string[] = []) {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error("test query has no single operation");
  return analyseOperation(model, document, operation, variables, watched);
}

describe("analyseOperation", () => {
  it("costs a connection as its fixed fields plus page size × what each edge asks for", () => {
    const shape = analyse("{ customers(first: 10) { totalCount edges { node { id name } } } }");
    // customers 1 + totalCount 200 + 10 × (edges 1 + node 1 + id 1 + name 1)
    expect(shape).toEqual({ depth: 4, cost: 241, aliases: 0, fieldCounts: {} });
  });

  it("uses the argument's default page size when none is given", () => {
    expect(analyse("{ customers { edges { node { id } } } }").cost).toBe(1 + 50 * 3);
  });

  it("multiplies nested connections", () => {
    const shape = analyse(
      "{ customers(first: 250) { edges { node { orders(first: 250) { edges { node { id } } } } } } }",
    );
    // 1 + 250 × (edges 1 + node 1 + orders (1 + 250 × 3))
    expect(shape.cost).toBe(1 + 250 * (2 + 1 + 250 * 3));
    expect(shape.depth).toBe(7);
  });

  it("reads page sizes from variables, their defaults, and caps them at the largest page", () => {
    const query = "query($n: Int! = 20) { customers(first: $n) { edges { node { id } } } }";
    expect(analyse(query, { n: 5 }).cost).toBe(1 + 5 * 3);
    expect(analyse(query).cost).toBe(1 + 20 * 3);
    expect(analyse(query, { n: 10_000 }).cost).toBe(1 + 250 * 3);
    // A variable not given leaves the argument to its own default, as graphql does.
    expect(analyse("query($n: Int) { customers(first: $n) { edges { node { id } } } }").cost).toBe(
      1 + 50 * 3,
    );
  });

  it("sizes a list field by its own page argument", () => {
    expect(
      analyse("{ node(id: 1) { ... on Customer { valueHistory(first: 4) { amount currency } } } }")
        .cost,
    ).toBe(1 + 1 + 4 * 2);
  });

  it("sizes bulk payload lists by the number of input items", () => {
    const query = `mutation($input: [OrderInput!]!) {
      recordOrders(input: $input) {
        imported
        orders { customer { orders(first: 250) { edges { node { id } } } } }
      }
    }`;
    const perOrder = 1 + 1 + 1 + 250 * 3; // orders item, customer, orders connection
    const items = Array.from({ length: 1000 }, (_, i) => ({ externalId: `O-${i}` }));
    expect(analyse(query, { input: items }).cost).toBe(1 + 1 + 1000 * perOrder);
    expect(analyse(query, { input: items.slice(0, 2) }).cost).toBe(1 + 1 + 2 * perOrder);
    // A single object stands for a list of one; an unknown input for the most allowed.
    expect(analyse(query, { input: { externalId: "O-1" } }).cost).toBe(1 + 1 + perOrder);
    expect(analyse(query, {}).cost).toBe(1 + 1 + 1000 * perOrder);
    const literal = `mutation { recordOrders(input: [{ externalId: "a" }, { externalId: "b" }, { externalId: "c" }]) { orders { id } userErrors { code } } }`;
    expect(analyse(literal).cost).toBe(1 + 3 * (2 + 2));
  });

  it("assumes a fixed length for lists nothing bounds, and one for introspection lists", () => {
    expect(analyse("{ apiKeys { id name } }").cost).toBe(1 + 100 * 2);
    expect(analyse("{ __schema { types { name fields { name } } } }").cost).toBe(5);
  });

  it("counts every alias as its own field, at the field's declared cost", () => {
    const shape = analyse(
      "{ a: dashboard { customers } b: dashboard { customers } dashboard { customers } }",
    );
    expect(shape.aliases).toBe(2);
    expect(shape.cost).toBe(3 * 1001);
  });

  it("follows fragments on interfaces, unions and inline fragments", () => {
    const shape = analyse(`
      { node(id: 1) { id ...CustomerBits ... on Order { amount { amount } } }
        search(text: "a", first: 3) { ... on Customer { name } ...OrderBits } }
      fragment CustomerBits on Customer { orders(first: 2) { edges { node { id } } } }
      fragment OrderBits on Order { id customer { id } }
    `);
    // node 1 + id 1 + CustomerBits (1 + 2 × 3) + Order (amount 1 + amount 1)
    // search 1 + 3 × (name 1 + OrderBits (id 1 + customer 1 + id 1))
    expect(shape.cost).toBe(1 + 1 + 7 + 2 + (1 + 3 * (1 + 3)));
    expect(shape.depth).toBe(5);
  });

  it("analyses each fragment once, so 2^40 paths cost no more time than 40 fragments", () => {
    let query = "{ ...F0 }\n";
    for (let i = 0; i < 40; i++)
      query += `fragment F${i} on Query { dashboard { customers } ...F${i + 1} ...F${i + 1} }\n`;
    query += "fragment F40 on Query { apiKeys { id } }";
    const started = performance.now();
    const shape = analyse(query);
    const elapsed = performance.now() - started;
    // A hang guard: walking the 2^40 paths would take days. It takes about 1 ms; the bound
    // leaves room for a loaded CI machine.
    expect(elapsed).toBeLessThan(1_000);
    expect(shape.depth).toBe(2);
    // 2^i copies of F_i: each of F0..F39 adds a dashboard (1001), F40 adds apiKeys (1 + 100).
    expect(shape.cost).toBe((2 ** 40 - 1) * 1001 + 2 ** 40 * 101);
  });

  it("counts watched fields through aliases and fragment spreads", () => {
    const watched = ["Mutation.login"];
    const login = 'login(email: "a", password: "b") { token }';
    expect(analyse(`mutation { ${login} }`, {}, watched).fieldCounts).toEqual({
      "Mutation.login": 1,
    });
    expect(analyse(`mutation { a: ${login} b: ${login} }`, {}, watched).fieldCounts).toEqual({
      "Mutation.login": 2,
    });
    const spread = `mutation { ...L ...M } fragment M on Mutation { ...L ...L } fragment L on Mutation { ${login} }`;
    expect(analyse(spread, {}, watched).fieldCounts).toEqual({ "Mutation.login": 3 });
  });

  it("survives fragment cycles and unknown fields (graphql's validation refuses them later)", () => {
    const shape = analyse(
      "{ ...A } fragment A on Query { dashboard { customers } ...B } fragment B on Query { ...A nope { x } }",
    );
    expect(shape.cost).toBe(1001 + 2);
  });
});
