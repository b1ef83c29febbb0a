import {
  ApolloClient,
  ApolloLink,
  InMemoryCache,
  Observable,
  type FetchResult,
} from "@apollo/client/core";
import { DefaultApolloClient } from "@vue/apollo-composable";
import { mount } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { defineComponent } from "vue";
import type { ScoringRunFieldsFragment, ScoringRunStatus } from "../gql/graphql";
import { useScoringRunWatch, type ScoringRunWatchOptions } from "./useScoringRunWatch";

function runNode(
  status: ScoringRunStatus,
  progress: number,
  extra: Partial<ScoringRunFieldsFragment> = {},
) {
  return {
    __typename: "ScoringRun",
    id: "7",
    status,
    phase: status === "SUCCEEDED" ? "done" : "scoring",
    progress,
    customersScored: Math.round(progress * 5000),
    customersTotal: 5000,
    isCurrent: status === "SUCCEEDED",
    createdAt: "2024-06-30T10:00:00.000Z",
    startedAt: "2024-06-30T10:00:01.000Z",
    finishedAt: status === "SUCCEEDED" ? "2024-06-30T10:00:09.000Z" : null,
    error: null,
    triggeredBy: "admin@valuetier.local",
    totalClv: null,
    settings: { __typename: "ValueSettings", model: "BGNBD", horizonMonths: 12 },
    ...extra,
  };
}

type Answer = ReturnType<typeof runNode> | null | Error;

/** A fake API answering scoringRun(id) with the next of `answers` (the last one repeats). */
function setup(answers: Answer[], options: ScoringRunWatchOptions = {}) {
  const requests: Record<string, unknown>[] = [];
  const link = new ApolloLink((operation) => {
    requests.push({ name: operation.operationName, ...operation.variables });
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
    if (answer instanceof Error) return new Observable<FetchResult>((o) => o.error(answer));
    return Observable.of({ data: { scoringRun: answer } });
  });
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  let watch!: ReturnType<typeof useScoringRunWatch>;
  const wrapper = mount(
    defineComponent({
      setup() {
        watch = useScoringRunWatch({ intervalMs: 1000, ...options });
        return () => null;
      },
    }),
    { global: { provide: { [DefaultApolloClient]: client } } },
  );
  return { watch, requests, wrapper };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("useScoringRunWatch", () => {
  it("polls the run until it succeeds, then reports it once and stops", async () => {
    const onFinished = vi.fn();
    const { watch, requests } = setup(
      [runNode("RUNNING", 0.2), runNode("RUNNING", 0.7), runNode("SUCCEEDED", 1)],
      { onFinished },
    );

    watch.follow("7");
    await vi.advanceTimersByTimeAsync(0);
    expect(watch.run.value?.progress).toBe(0.2);
    expect(watch.watching.value).toBe(true);

    await vi.advanceTimersByTimeAsync(1000);
    expect(watch.run.value?.progress).toBe(0.7);

    await vi.advanceTimersByTimeAsync(1000);
    expect(watch.run.value?.status).toBe("SUCCEEDED");
    expect(onFinished).toHaveBeenCalledOnce();
    expect(onFinished.mock.calls[0]?.[0]).toMatchObject({ id: "7", status: "SUCCEEDED" });
    expect(watch.watching.value).toBe(false);

    await vi.advanceTimersByTimeAsync(10_000);
    expect(requests).toHaveLength(3);
    expect(requests[0]).toEqual({ name: "ScoringRunProgress", id: "7" });
  });

  it("reports a failed run as finished too", async () => {
    const onFinished = vi.fn();
    const { watch } = setup([runNode("FAILED", 0.45, { error: "BG/NBD did not converge" })], {
      onFinished,
    });
    watch.follow("7");
    await vi.advanceTimersByTimeAsync(0);
    expect(onFinished).toHaveBeenCalledWith(
      expect.objectContaining({ status: "FAILED", error: "BG/NBD did not converge" }),
    );
    expect(watch.watching.value).toBe(false);
  });

  it("keeps polling through a failed request and clears the error when one succeeds", async () => {
    const onFinished = vi.fn();
    const { watch } = setup(
      [new Error("socket hang up"), runNode("RUNNING", 0.5), runNode("SUCCEEDED", 1)],
      { onFinished },
    );
    watch.follow("7");
    await vi.advanceTimersByTimeAsync(0);
    expect(watch.error.value?.message).toContain("socket hang up");
    expect(watch.watching.value).toBe(true);

    await vi.advanceTimersByTimeAsync(1000);
    expect(watch.error.value).toBeNull();
    expect(watch.run.value?.progress).toBe(0.5);

    await vi.advanceTimersByTimeAsync(1000);
    expect(onFinished).toHaveBeenCalledOnce();
  });

  it("shows what is already known until the first answer", async () => {
    const { watch } = setup([runNode("RUNNING", 0.1)]);
    const queued = runNode("QUEUED", 0) as unknown as ScoringRunFieldsFragment;
    watch.follow("7", queued);
    expect(watch.run.value?.status).toBe("QUEUED");
    await vi.advanceTimersByTimeAsync(0);
    expect(watch.run.value?.status).toBe("RUNNING");
    watch.stop();
  });

  it("stops when the run no longer exists", async () => {
    const onFinished = vi.fn();
    const { watch, requests } = setup([null], { onFinished });
    watch.follow("404");
    await vi.advanceTimersByTimeAsync(5000);
    expect(watch.run.value).toBeNull();
    expect(watch.watching.value).toBe(false);
    expect(onFinished).not.toHaveBeenCalled();
    expect(requests).toHaveLength(1);
  });

  it("stops polling when the page is left", async () => {
    const { watch, requests, wrapper } = setup([runNode("RUNNING", 0.3)]);
    watch.follow("7");
    await vi.advanceTimersByTimeAsync(0);
    wrapper.unmount();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(requests).toHaveLength(1);
  });
});
