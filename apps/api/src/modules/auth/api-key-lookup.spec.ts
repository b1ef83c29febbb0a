import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { systemActor } from "../audit/audit.service";
import { ApiKeyService } from "../api-keys/api-key.service";
import { apiKeyPrefix } from "../api-keys/api-key-secret";
import { ApiKeyLookup } from "./api-key-lookup";
import { authenticate } from "./authenticate";

describe("ApiKeyLookup on MySQL", () => {
  let db: TestDatabase;
  let keys: ApiKeyService;

  beforeAll(async () => {
    db = await createTestDatabase("vt_key_lookup");
    keys = new ApiKeyService(db.dataSource);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const create = async (name: string) => {
    const made = await keys.create({ name, scopes: ["customers:read"] }, systemActor("test"));
    if (Array.isArray(made)) throw new Error(JSON.stringify(made));
    return made;
  };

  it("answers lookups asked for together with one SELECT, each with its own row", async () => {
    const a = await create("storefront a");
    const b = await create("storefront b");
    const lookup = new ApiKeyLookup(db.dataSource);
    const query = vi.spyOn(db.dataSource, "query");
    try {
      const found = await Promise.all([
        lookup.find(a.key.prefix),
        lookup.find(b.key.prefix),
        lookup.find(a.key.prefix),
        lookup.find("vt_nosuchprefix"),
      ]);
      expect(query).toHaveBeenCalledTimes(1);
      expect(found.map((k) => k?.name ?? null)).toEqual([
        "storefront a",
        "storefront b",
        "storefront a",
        null,
      ]);
      expect(found[0]).toMatchObject({ id: a.key.id, secretHash: a.key.secretHash });
      expect(found[0]!.revokedAt).toBeNull();
      // A later turn asks again: nothing is kept between turns.
      await lookup.find(a.key.prefix);
      expect(query).toHaveBeenCalledTimes(2);
    } finally {
      query.mockRestore();
    }
  });

  it("sees a revocation at the next request, and refuses the key", async () => {
    const made = await create("revoked soon");
    const header = `Bearer ${made.secret}`;
    const ok = await authenticate(db.dataSource, header, "x".repeat(32));
    expect(ok).toMatchObject({ kind: "api_key", apiKeyId: made.key.id });
    await keys.revoke(String(made.key.id), systemActor("test"));
    await expect(authenticate(db.dataSource, header, "x".repeat(32))).rejects.toThrow(
      `API key ${apiKeyPrefix(made.secret)} has been revoked`,
    );
  });

  it("passes a failed SELECT to every lookup that waited on it", async () => {
    const lookup = new ApiKeyLookup(db.dataSource);
    const query = vi.spyOn(db.dataSource, "query").mockRejectedValueOnce(new Error("gone"));
    try {
      const both = await Promise.allSettled([lookup.find("vt_a"), lookup.find("vt_b")]);
      expect(both.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    } finally {
      query.mockRestore();
    }
  });
});
