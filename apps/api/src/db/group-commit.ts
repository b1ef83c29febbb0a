/**
 * Group commit: concurrent calls of one kind of write share a database transaction.
 *
 * A storefront records orders one per call, from many clients at once. Each call alone costs a
 * transaction of about twenty statements whatever its size (the writes are set-based), so under
 * load the database round trips, not the work, set the pace. A {@link GroupCommit} runs a call
 * at once when fewer than `maxInFlight` transactions of its kind are running; otherwise the call
 * waits, and the calls that waited go together in the next transaction, up to `maxWeight`
 * records. A quiet server therefore adds no delay, and a busy one writes more per transaction.
 *
 * What each caller sees is unchanged: its promise settles only after the transaction holding its
 * call committed (or failed), with that call's own result. Two calls that name the same key (an
 * order's external id) never share a transaction, so concurrent calls for the same record still
 * run one after the other, as they would alone; a call that waits for such a conflict keeps its
 * place ahead of later calls that conflict with it. When a shared transaction fails with an error
 * that is not transient (transient ones already restart it, see `runInTransaction`), each of its
 * calls runs again alone, so that one call's failure is reported to that caller only.
 */
export interface GroupCommitOptions<Call, Result> {
  /**
   * Runs `calls` in one transaction and returns one result per call, in order. It must be safe to
   * run again with a subset of the calls (after a failure).
   */
  run: (calls: readonly Call[]) => Promise<Result[]>;
  /** How many records a call holds, for `maxWeight`. */
  weight: (call: Call) => number;
  /** Keys of the records a call writes; calls sharing a key are not put together. */
  keys: (call: Call) => readonly string[];
  /** Most records in one transaction; a heavier call still runs, alone. */
  maxWeight: number;
  /** Transactions of this kind running at once. */
  maxInFlight: number;
}

interface Pending<Call, Result> {
  call: Call;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<Call, Result> {
  private queue: Pending<Call, Result>[] = [];
  private inFlight = 0;
  /** Transactions run and calls they held, for tests and diagnostics. */
  readonly stats = { transactions: 0, calls: 0, largestGroup: 0, splits: 0 };

  constructor(private readonly options: GroupCommitOptions<Call, Result>) {
    if (!(options.maxInFlight >= 1) || !(options.maxWeight >= 1)) {
      throw new Error("GroupCommit: maxInFlight and maxWeight must be at least 1");
    }
  }

  /** Runs `call` in a transaction, alone or with other calls waiting, and settles with its result. */
  submit(call: Call): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const group = this.take();
      this.inFlight++;
      void this.execute(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** Takes the oldest waiting calls that fit together, leaving the rest in their order. */
  private take(): Pending<Call, Result>[] {
    const group: Pending<Call, Result>[] = [];
    const rest: Pending<Call, Result>[] = [];
    const taken = new Set<string>();
    // Keys of calls left waiting: a later call that shares one must not overtake them.
    const waiting = new Set<string>();
    let weight = 0;
    for (const pending of this.queue) {
      const keys = this.options.keys(pending.call);
      const w = this.options.weight(pending.call);
      const fits =
        group.length === 0 ||
        (weight + w <= this.options.maxWeight && !keys.some((k) => taken.has(k) || waiting.has(k)));
      if (fits) {
        group.push(pending);
        weight += w;
        for (const k of keys) taken.add(k);
      } else {
        rest.push(pending);
        for (const k of keys) waiting.add(k);
      }
    }
    this.queue = rest;
    return group;
  }

  private async execute(group: Pending<Call, Result>[]): Promise<void> {
    this.stats.transactions++;
    this.stats.calls += group.length;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, group.length);
    let results: Result[];
    try {
      results = await this.options.run(group.map((p) => p.call));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      // One call may be what failed: run each alone, so that only its caller sees the error.
      this.stats.splits++;
      for (const pending of group) {
        try {
          const [result] = await this.options.run([pending.call]);
          pending.resolve(result!);
        } catch (own) {
          pending.reject(own);
        }
      }
      return;
    }
    group.forEach((pending, i) => pending.resolve(results[i]!));
  }
}
