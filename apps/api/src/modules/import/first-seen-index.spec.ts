import { describe, expect, it } from "vitest";
import { FirstSeenIndex } from "./first-seen-index";

describe("FirstSeenIndex", () => {
  it("returns the first ref of a key seen again, and stores new keys", () => {
    const index = new FirstSeenIndex();
    expect(index.firstOrAdd("C1", 2)).toBeUndefined();
    expect(index.firstOrAdd("C2", 3)).toBeUndefined();
    expect(index.firstOrAdd("C1", 9)).toBe(2);
    expect(index.firstOrAdd("C1", 10)).toBe(2);
    expect(index.firstOrAdd("", 11)).toBeUndefined();
    expect(index.firstOrAdd("", 12)).toBe(11);
    expect(index.size).toBe(3);
  });

  it("agrees with a Map over many keys, through growth and rehashing", () => {
    const index = new FirstSeenIndex();
    const map = new Map<string, number>();
    let seed = 99;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let ref = 0; ref < 200_000; ref++) {
      // Short keys from a small alphabet collide a lot; a few long and non-ASCII ones too.
      const r = next();
      const key =
        r % 97 === 0
          ? `Zoë-${r % 50}`
          : r % 89 === 0
            ? "x".repeat(250 + (r % 10))
            : (r % 60_000).toString(36);
      const expected = map.get(key);
      if (expected === undefined) map.set(key, ref);
      expect(index.firstOrAdd(key, ref)).toBe(expected);
    }
    expect(index.size).toBe(map.size);
  });

  it("tells keys apart that differ only in their last character or length", () => {
    const index = new FirstSeenIndex();
    expect(index.firstOrAdd("O00000001", 1)).toBeUndefined();
    expect(index.firstOrAdd("O00000002", 2)).toBeUndefined();
    expect(index.firstOrAdd("O0000000", 3)).toBeUndefined();
    expect(index.firstOrAdd("O000000010", 4)).toBeUndefined();
    expect(index.firstOrAdd("O00000002", 5)).toBe(2);
  });
});
