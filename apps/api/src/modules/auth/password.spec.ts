import { describe, expect, it } from "vitest";
import {
  hashPassword,
  MAX_CONCURRENT_HASHES,
  passwordHashesComputed,
  verifyPassword,
} from "./password";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct horsf", hash)).toBe(false);
    expect(await verifyPassword("x", "not-a-hash")).toBe(false);
  });

  it(`computes at most ${MAX_CONCURRENT_HASHES} hashes at once, however many are asked for`, async () => {
    const hash = await hashPassword("pw-123456");
    const before = passwordHashesComputed();
    const all = Array.from({ length: 8 }, () => verifyPassword("pw-123456", hash));
    // Right after the calls only the first slots have started; the rest wait their turn.
    expect(passwordHashesComputed() - before).toBe(MAX_CONCURRENT_HASHES);
    expect(await Promise.all(all)).toEqual(Array(8).fill(true));
    expect(passwordHashesComputed() - before).toBe(8);
  });
});
