import { getCurrentScope, onScopeDispose, readonly, ref } from "vue";

/**
 * Calls `tick` every `intervalMs` until it answers false, `stop()` is called or the component
 * goes away. The next call is scheduled only after the previous one has settled, so a slow
 * server never has two polls of the same thing in flight. A tick that throws is treated as
 * "keep going": a dropped request must not end the watch on a job that is still running.
 *
 * @param tick - one poll; resolves to true to poll again.
 * @param intervalMs - pause between the end of one poll and the start of the next.
 * @returns `start()` (first poll right away; restarts if already polling), `stop()` and
 *   `active`.
 * @example
 * const polling = usePolling(async () => (await fetchJob()).running, 1500);
 * polling.start();
 */
export function usePolling(tick: () => Promise<boolean> | boolean, intervalMs: number) {
  const active = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Each start() opens a new generation; a poll that settles after stop() or a restart sees
  // that its generation is over and schedules nothing.
  let generation = 0;

  async function poll(own: number): Promise<void> {
    let again = true;
    try {
      again = await tick();
    } catch {
      again = true;
    }
    if (own !== generation) return;
    if (again) timer = setTimeout(() => void poll(own), intervalMs);
    else active.value = false;
  }

  function stop(): void {
    generation += 1;
    clearTimeout(timer);
    timer = undefined;
    active.value = false;
  }

  function start(): void {
    stop();
    active.value = true;
    void poll(generation);
  }

  if (getCurrentScope()) onScopeDispose(stop);

  return { start, stop, active: readonly(active) };
}
