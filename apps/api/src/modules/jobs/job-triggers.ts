import { messageOf } from "./job-runner";

/**
 * Something that starts jobs on this process's runner without anyone asking: the schedules
 * (with the recovery of stopped processes' jobs), webhook deliveries waiting to be sent,
 * campaigns due to start or end. Every `everyMs` it looks, and when there is work it enqueues
 * the job (the job runner keeps one per kind across processes, so two processes looking at
 * once start one job).
 */
export interface JobTrigger {
  /** Names the trigger in log lines, e.g. "webhook delivery". */
  name: string;
  everyMs: number;
  /** Looks for work and enqueues what is due. Errors are logged; the next turn tries again. */
  fire: () => Promise<unknown>;
}

interface Entry {
  trigger: JobTrigger;
  nextAt: number;
  busy: boolean;
}

/**
 * Drives every {@link JobTrigger} of the process with one timer (unref'd: it never keeps the
 * process alive). A trigger whose last turn is still under way skips its turn; one that throws
 * is logged and fires again at its next turn.
 */
export class JobTriggers {
  private readonly entries: Entry[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The timer's period: the shortest trigger's. */
  private step = 0;
  private stopped = false;

  /**
   * @param log where a trigger's failure is written.
   * @param options `running: false` keeps every trigger added from firing (tests that count
   *   the queries of one request).
   */
  constructor(
    private readonly log: Pick<Console, "error"> = console,
    private readonly options: { running?: boolean } = {},
  ) {}

  /** Starts `trigger`: its first turn comes `everyMs` from now. */
  add(trigger: JobTrigger): void {
    if (!(trigger.everyMs > 0)) {
      throw new RangeError(`${trigger.name}: everyMs must be above 0, got ${trigger.everyMs}`);
    }
    if (this.stopped) throw new Error("JobTriggers: stopped");
    this.entries.push({ trigger, nextAt: Date.now() + trigger.everyMs, busy: false });
    if (this.options.running !== false) this.restartTimer();
  }

  /** Stops every trigger (turns under way finish on their own). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private restartTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.step = Math.min(...this.entries.map((e) => e.trigger.everyMs));
    this.timer = setInterval(() => this.tick(), this.step);
    this.timer.unref();
  }

  private tick(): void {
    const now = Date.now();
    for (const entry of this.entries) {
      // Half a step of slack: a timer that fires a millisecond early must not cost a whole turn.
      if (entry.busy || now < entry.nextAt - this.step / 2) continue;
      entry.busy = true;
      entry.nextAt = now + entry.trigger.everyMs;
      void entry.trigger
        .fire()
        .catch((error: unknown) => this.log.error(`${entry.trigger.name}: ${messageOf(error)}`))
        .finally(() => (entry.busy = false));
    }
  }
}
