import type { ScoringRunStatus } from "../../gql/graphql";

/** Tag colour per run status. */
export const RUN_STATUS_TAG: Record<ScoringRunStatus, "default" | "info" | "success" | "error"> = {
  QUEUED: "default",
  RUNNING: "info",
  SUCCEEDED: "success",
  FAILED: "error",
};

/** The phases `ScoringRun.phase` reports (a String in the schema, not an enum). */
export const RUN_PHASES = ["queued", "aggregating", "fitting", "scoring", "done"] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

/**
 * The phase as a known key, for its translated label.
 *
 * @param phase - `ScoringRun.phase`.
 * @returns the phase, or null for one this admin does not know yet (then shown as sent).
 * @example
 * runPhase("fitting") // "fitting"
 */
export function runPhase(phase: string): RunPhase | null {
  return (RUN_PHASES as readonly string[]).includes(phase) ? (phase as RunPhase) : null;
}
