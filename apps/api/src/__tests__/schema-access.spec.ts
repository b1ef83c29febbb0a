import { describe, expect, it } from "vitest";
import { getSchema } from "../graphql/schema";

describe("every root field states who may call it", () => {
  it("has an access rule on each query and mutation", async () => {
    const schema = await getSchema();
    const missing: string[] = [];
    for (const type of [schema.getQueryType(), schema.getMutationType()]) {
      for (const field of Object.values(type?.getFields() ?? {})) {
        const access = field.extensions?.access as string[] | undefined;
        if (!access?.length) missing.push(`${type!.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
    expect(schema.getMutationType()?.getFields().login?.extensions?.access).toEqual(["public"]);
    expect(schema.getQueryType()?.getFields().customer?.extensions?.access).toEqual([
      "customers:read",
    ]);
  });
});
