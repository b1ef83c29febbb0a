import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { JobTriggers } from "./job-triggers";

describe("JobTriggers", () => {
  let triggers: JobTriggers | undefined;
  afterEach(() => triggers?.stop());

  it("fires each trigger at its own cadence with one timer", async () => {
    triggers = new JobTriggers({ error: () => undefined });
    const fast: number[] = [];
    const slow: number[] = [];
    triggers.add({ name: "fast", everyMs: 20, fire: async () => void fast.push(Date.now()) });
    triggers.add({ name: "slow", everyMs: 100, fire: async () => void slow.push(Date.now()) });
    await sleep(450);
    triggers.stop();
    // About 22 and 4 turns; a loaded machine delays timers, never adds turns.
    expect(fast.length).toBeGreaterThanOrEqual(5);
    expect(fast.length).toBeLessThanOrEqual(23);
    expect(slow.length).toBeGreaterThanOrEqual(1);
    expect(slow.length).toBeLessThanOrEqual(5);
    expect(fast.length).toBeGreaterThan(slow.length);
  });

  it("fires nothing when made not running (tests that count one request's queries)", async () => {
    triggers = new JobTriggers({ error: () => undefined }, { running: false });
    const fired: number[] = [];
    triggers.add({ name: "fast", everyMs: 10, fire: async () => void fired.push(Date.now()) });
    await sleep(100);
    expect(fired).toEqual([]);
  });

  it("skips a trigger's turn while its last one is still under way", async () => {
    triggers = new JobTriggers({ error: () => undefined });
    let running = 0;
    let most = 0;
    let turns = 0;
    triggers.add({
      name: "slow work",
      everyMs: 10,
      fire: async () => {
        turns++;
        running++;
        most = Math.max(most, running);
        await sleep(60);
        running--;
      },
    });
    await sleep(300);
    expect(most).toBe(1);
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it("logs a failing trigger by name and fires it again at its next turn", async () => {
    const logged: string[] = [];
    triggers = new JobTriggers({ error: (line: string) => void logged.push(line) });
    let turns = 0;
    triggers.add({
      name: "webhook delivery",
      everyMs: 15,
      fire: async () => {
        turns++;
        throw new Error("database went away");
      },
    });
    await sleep(200);
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(logged[0]).toBe("webhook delivery: database went away");
  });

  it("refuses a cadence that is not above 0", () => {
    triggers = new JobTriggers();
    expect(() => triggers!.add({ name: "x", everyMs: 0, fire: async () => undefined })).toThrow(
      /everyMs must be above 0/,
    );
  });
});
