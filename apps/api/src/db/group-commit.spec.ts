import { describe, expect, it } from "vitest";
import { GroupCommit } from "./group-commit";

interface Call {
  id: string;
  keys: string[];
  weight?: number;
  fail?: boolean;
}

/** A GroupCommit over fake transactions that are held open until released. */
function harness(options: { maxInFlight?: number; maxWeight?: number } = {}) {
  const groups: string[][] = [];
  const open: (() => void)[] = [];
  const commit = new GroupCommit<Call, string>({
    run: async (calls) => {
      groups.push(calls.map((c) => c.id));
      await new Promise<void>((resolve) => open.push(resolve));
      if (calls.some((c) => c.fail)) throw new Error(`failed: ${calls.map((c) => c.id).join()}`);
      return calls.map((c) => `done ${c.id}`);
    },
    weight: (c) => c.weight ?? 1,
    keys: (c) => c.keys,
    maxWeight: options.maxWeight ?? 100,
    maxInFlight: options.maxInFlight ?? 1,
  });
  const releaseAll = async () => {
    // Release every open transaction until nothing is left waiting.
    for (let i = 0; i < 100; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      const next = open.shift();
      if (!next) {
        await new Promise((resolve) => setImmediate(resolve));
        if (open.length === 0) return;
        continue;
      }
      next();
    }
  };
  return { commit, groups, releaseAll, open };
}

describe("GroupCommit", () => {
  it("runs a call at once when nothing is in flight, and groups the calls that waited", async () => {
    const { commit, groups, releaseAll } = harness();
    const first = commit.submit({ id: "a", keys: ["1"] });
    const rest = ["b", "c", "d"].map((id, i) => commit.submit({ id, keys: [`k${i}`] }));
    expect(groups).toEqual([["a"]]);
    await releaseAll();
    expect(await first).toBe("done a");
    expect(await Promise.all(rest)).toEqual(["done b", "done c", "done d"]);
    expect(groups).toEqual([["a"], ["b", "c", "d"]]);
    expect(commit.stats).toMatchObject({ transactions: 2, calls: 4, largestGroup: 3 });
  });

  it("never puts two calls with a shared key together, and keeps their order", async () => {
    const { commit, groups, releaseAll } = harness();
    const all = [
      commit.submit({ id: "a", keys: ["x"] }),
      commit.submit({ id: "b", keys: ["x", "y"] }),
      commit.submit({ id: "c", keys: ["z"] }),
      // Shares y with b, which waits: it must not overtake b.
      commit.submit({ id: "d", keys: ["y"] }),
      commit.submit({ id: "e", keys: ["x"] }),
    ];
    await releaseAll();
    await Promise.all(all);
    expect(groups).toEqual([["a"], ["b", "c"], ["d", "e"]]);
  });

  it("keeps a group within maxWeight, but runs a heavier call alone", async () => {
    const { commit, groups, releaseAll } = harness({ maxWeight: 10 });
    const all = [
      commit.submit({ id: "a", keys: [] }),
      commit.submit({ id: "b", keys: [], weight: 6 }),
      commit.submit({ id: "c", keys: [], weight: 6 }),
      commit.submit({ id: "d", keys: [], weight: 4 }),
      commit.submit({ id: "e", keys: [], weight: 50 }),
    ];
    await releaseAll();
    await Promise.all(all);
    expect(groups).toEqual([["a"], ["b", "d"], ["c"], ["e"]]);
  });

  it("runs up to maxInFlight transactions at once", async () => {
    const { commit, groups, releaseAll } = harness({ maxInFlight: 2 });
    const all = ["a", "b", "c", "d"].map((id) => commit.submit({ id, keys: [id] }));
    expect(groups).toEqual([["a"], ["b"]]);
    await releaseAll();
    await Promise.all(all);
    expect(groups).toEqual([["a"], ["b"], ["c", "d"]]);
  });

  it("reports a failing call to its caller only: the group's calls run again alone", async () => {
    const { commit, groups, releaseAll } = harness();
    const first = commit.submit({ id: "a", keys: [] });
    const good = commit.submit({ id: "b", keys: [] });
    const bad = commit.submit({ id: "c", keys: [], fail: true });
    const alsoGood = commit.submit({ id: "d", keys: [] });
    const settled = Promise.allSettled([first, good, bad, alsoGood]);
    await releaseAll();
    const outcomes = await settled;
    expect(outcomes.map((o) => o.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect((outcomes[2] as PromiseRejectedResult).reason).toEqual(new Error("failed: c"));
    expect(groups).toEqual([["a"], ["b", "c", "d"], ["b"], ["c"], ["d"]]);
    expect(commit.stats.splits).toBe(1);
  });

  it("refuses a limit below 1", () => {
    expect(
      () =>
        new GroupCommit<Call, string>({
          run: async () => [],
          weight: () => 1,
          keys: () => [],
          maxWeight: 10,
          maxInFlight: 0,
        }),
    ).toThrow(/at least 1/);
  });
});
