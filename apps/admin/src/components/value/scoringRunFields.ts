import { graphql } from "../../gql";
import type { ScoringRunStatus } from "../../gql/graphql";

/**
 * The fields of a scoring run the runs table and the progress bar show. Both select the same
 * fields, so each poll of `scoringRun(id)` also updates that run's row through Apollo's
 * normalised cache (ScoringRun:id).
 */
export const ScoringRunFields = graphql(`
  fragment ScoringRunFields on ScoringRun {
    id
    status
    phase
    progress
    customersScored
    customersTotal
    isCurrent
    createdAt
    startedAt
    finishedAt
    error
    triggeredBy
    totalClv {
      amount
      currency
    }
    settings {
      model
      horizonMonths
    }
  }
`);

/**
 * Whether a run is still under way (queued or running), i.e. worth polling.
 *
 * @param status - the run's status.
 * @returns true for QUEUED and RUNNING.
 */
export function isRunUnderWay(status: ScoringRunStatus): boolean {
  return status === "QUEUED" || status === "RUNNING";
}
