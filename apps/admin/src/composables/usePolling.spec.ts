import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { effectScope } from "vue";
import { usePolling } from "./usePolling";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("usePolling", () => {
  it("polls at once, then every interval until the tick answers false", async () => {
    const answers = [true, true, false];
    const tick = vi.fn(async () => answers.shift() ?? false);
    const polling = usePolling(tick, 1000);

    polling.start();
    expect(polling.active.value).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(tick).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(999);
    expect(tick).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(tick).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(tick).toHaveBeenCalledTimes(3);
    expect(polling.active.value).toBe(false);

    await vi.advanceTimersByTimeAsync(10_000);
    expect(tick).toHaveBeenCalledTimes(3);
  });

  it("waits for a slow poll before scheduling the next one", async () => {
    let inFlight = 0;
    let most = 0;
    const tick = vi.fn(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5000));
      inFlight -= 1;
      return true;
    });
    const polling = usePolling(tick, 1000);
    polling.start();
    await vi.advanceTimersByTimeAsync(20_000);
    polling.stop();
    expect(most).toBe(1);
    // 0–5 s first poll, 6–11 s second, 12–17 s third, fourth started at 18 s.
    expect(tick).toHaveBeenCalledTimes(4);
  });

  it("keeps polling after a failed tick", async () => {
    const tick = vi
      .fn<() => Promise<boolean>>()
      .mockRejectedValueOnce(new Error("network down"))
      .mockResolvedValueOnce(false);
    const polling = usePolling(tick, 500);
    polling.start();
    await vi.advanceTimersByTimeAsync(600);
    expect(tick).toHaveBeenCalledTimes(2);
    expect(polling.active.value).toBe(false);
  });

  it("stops on stop(), even while a poll is in flight", async () => {
    let release!: (again: boolean) => void;
    const tick = vi.fn(() => new Promise<boolean>((resolve) => (release = resolve)));
    const polling = usePolling(tick, 100);
    polling.start();
    await vi.advanceTimersByTimeAsync(0);
    polling.stop();
    release(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(tick).toHaveBeenCalledTimes(1);
    expect(polling.active.value).toBe(false);
  });

  it("restarts cleanly: only one chain of polls runs", async () => {
    const tick = vi.fn(async () => true);
    const polling = usePolling(tick, 1000);
    polling.start();
    polling.start();
    await vi.advanceTimersByTimeAsync(3000);
    polling.stop();
    // Two immediate polls (one per start), then one chain: 1 s, 2 s, 3 s.
    expect(tick).toHaveBeenCalledTimes(5);
  });

  it("stops when its component's scope ends", async () => {
    const tick = vi.fn(async () => true);
    const scope = effectScope();
    const polling = scope.run(() => usePolling(tick, 1000))!;
    polling.start();
    await vi.advanceTimersByTimeAsync(0);
    scope.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(tick).toHaveBeenCalledTimes(1);
    expect(polling.active.value).toBe(false);
  });
});
