import { describe, expect, it } from "vitest";
import { timelineCuts } from "./campaign-timeline";

const DAY = 86_400_000;
const start = new Date("2026-03-01T10:00:00Z");

describe("timelineCuts", () => {
  it("cuts every day and ends at the window's end", () => {
    const end = new Date(start.getTime() + 3.5 * DAY);
    expect(timelineCuts(start, end).map((d) => (d.getTime() - start.getTime()) / DAY)).toEqual([
      1, 2, 3, 3.5,
    ]);
  });

  it("is the end alone for a window under a day, or an empty one", () => {
    const end = new Date(start.getTime() + 5 * 3_600_000);
    expect(timelineCuts(start, end)).toEqual([end]);
    expect(timelineCuts(start, start)).toEqual([start]);
  });

  it("widens the step to keep at most maxPoints", () => {
    const end = new Date(start.getTime() + 365 * DAY);
    const cuts = timelineCuts(start, end, 60);
    expect(cuts.length).toBeLessThanOrEqual(60);
    expect(cuts.at(-1)).toEqual(end);
    expect((cuts[1]!.getTime() - cuts[0]!.getTime()) / DAY).toBe(7);
  });

  it("refuses a maxPoints that is not a whole number ≥ 1", () => {
    expect(() => timelineCuts(start, start, 0)).toThrow(/maxPoints/);
  });
});
