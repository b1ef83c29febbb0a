import { useApolloClient } from "@vue/apollo-composable";
import { readonly, ref, shallowRef } from "vue";
import { isRunUnderWay } from "../components/value/scoringRunFields";
import { graphql } from "../gql";
import type { ScoringRunFieldsFragment } from "../gql/graphql";
import { usePolling } from "./usePolling";

const ScoringRunProgressQuery = graphql(`
  query ScoringRunProgress($id: ID!) {
    scoringRun(id: $id) {
      ...ScoringRunFields
    }
  }
`);

/** A run is polled this often: the API reports progress after every chunk of customers. */
export const RUN_POLL_INTERVAL_MS = 1500;

export interface ScoringRunWatchOptions {
  intervalMs?: number;
  /** Called once when the watched run has succeeded or failed. */
  onFinished?: (run: ScoringRunFieldsFragment) => void | Promise<void>;
}

/**
 * Follows one scoring run: polls `scoringRun(id)` from the network every 1.5 s until it has
 * succeeded or failed (or no longer exists), then calls `onFinished`. A failed poll is kept
 * in `error` and retried on the next tick; the run goes on on the server either way.
 *
 * @param options - poll interval and what to do when the run ends.
 * @returns `follow(id)`, `stop()`, the latest `run`, `error` and whether it is `watching`.
 */
export function useScoringRunWatch(options: ScoringRunWatchOptions = {}) {
  const { resolveClient } = useApolloClient();
  const runId = ref<string | null>(null);
  const run = shallowRef<ScoringRunFieldsFragment | null>(null);
  const error = shallowRef<Error | null>(null);

  async function tick(): Promise<boolean> {
    const id = runId.value;
    if (id === null) return false;
    try {
      const result = await resolveClient().query({
        query: ScoringRunProgressQuery,
        variables: { id },
        fetchPolicy: "network-only",
      });
      // follow() moved on to another run while this answer was on its way.
      if (runId.value !== id) return false;
      error.value = null;
      const node = result.data.scoringRun;
      run.value = node ?? null;
      if (!node) return false;
      if (isRunUnderWay(node.status)) return true;
      await options.onFinished?.(node);
      return false;
    } catch (caught) {
      if (runId.value === id)
        error.value = caught instanceof Error ? caught : new Error(String(caught));
      return true;
    }
  }

  const polling = usePolling(tick, options.intervalMs ?? RUN_POLL_INTERVAL_MS);

  /**
   * Starts following a run, replacing any run followed before.
   *
   * @param id - the run's id.
   * @param known - what is already known of it (e.g. the runScoring answer), shown until the
   *   first poll returns.
   */
  function follow(id: string, known?: ScoringRunFieldsFragment | null): void {
    runId.value = id;
    run.value = known ?? null;
    error.value = null;
    polling.start();
  }

  function stop(): void {
    polling.stop();
    runId.value = null;
  }

  return {
    follow,
    stop,
    runId: readonly(runId),
    run,
    error,
    watching: polling.active,
  };
}
