import path from "node:path";
import { ClvError, fitClvModels } from "@valuetier/domain";
import { describe, expect, it, vi } from "vitest";
import { CDNOW_DIR } from "./__tests__/clv-test-helpers";
import { loadSummaries } from "./load-summaries";
import { SpendFitThread, withClvModelsFitter } from "./spend-fit-thread";

const withSpendCsv = path.join(CDNOW_DIR, "cdnow_customers_summary_with_transactions.csv");
const load = () => loadSummaries(withSpendCsv, "summary", "week", undefined, new Date());

describe("Gamma-Gamma in a second thread", () => {
  it("is used from a size on, and gives exactly the models of a single-thread fit", async () => {
    expect(SpendFitThread.forInput(withSpendCsv, Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(SpendFitThread.forInput(path.join(CDNOW_DIR, "no-such-file.csv"), 0)).toBeNull();
    const { columns } = await load();
    const threadFits = vi.spyOn(SpendFitThread.prototype, "fit");
    try {
      const models = await withClvModelsFitter(
        withSpendCsv,
        async (fit) => fit(columns),
        0, // every file is large enough
      );
      expect(threadFits).toHaveBeenCalledTimes(1);
      expect(models.gammaGamma).not.toBeNull();
      expect(models).toEqual(fitClvModels(columns));
      // Below the size, no thread: the same models on this one.
      const small = await withClvModelsFitter(
        withSpendCsv,
        async (fit) => fit(columns),
        Number.MAX_SAFE_INTEGER,
      );
      expect(threadFits).toHaveBeenCalledTimes(1);
      expect(small).toEqual(models);
    } finally {
      threadFits.mockRestore();
    }
    const thread = SpendFitThread.forInput(withSpendCsv, 0);
    expect(thread).toBeInstanceOf(SpendFitThread);
    await thread?.close();
  });

  it("answers with the ClvError the fit threw there, code and all", async () => {
    const thread = new SpendFitThread();
    try {
      const nobodyReturned = { frequency: new Float64Array(5), monetary: new Float64Array(5) };
      const failure = await thread.fit(nobodyReturned).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ClvError);
      expect(failure).toMatchObject({
        code: "NO_REPEAT_CUSTOMERS",
        message: expect.stringContaining("Gamma-Gamma has nothing to fit"),
      });
    } finally {
      await thread.close();
    }
  });

  it("rejects, never hangs, when the thread stops before answering", async () => {
    const { columns } = await load();
    const thread = new SpendFitThread();
    const answer = thread.fit({ frequency: columns.frequency, monetary: columns.monetary! });
    await thread.close();
    await expect(answer).rejects.toThrow(/thread stopped \(exit code \d+\) before answering/);
  });

  it("rejects a fit asked for after the thread failed to start", async () => {
    const thread = new SpendFitThread(path.join(CDNOW_DIR, "no-such-module.js"));
    try {
      await new Promise((resolve) => setTimeout(resolve, 500)); // the thread fails meanwhile
      const spend = { frequency: Float64Array.of(1, 2), monetary: Float64Array.of(5, 6) };
      await expect(thread.fit(spend)).rejects.toThrow(
        /the Gamma-Gamma fit thread failed: Cannot find module/,
      );
    } finally {
      await thread.close();
    }
  });
});
