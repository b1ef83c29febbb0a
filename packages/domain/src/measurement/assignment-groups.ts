import { MeasurementError } from "./measurement-error";

/** The two arms of a campaign. */
export type ExperimentGroup = "treatment" | "control";

export const EXPERIMENT_GROUPS: readonly ExperimentGroup[] = ["treatment", "control"];

/**
 * Checks a per-customer group column and returns the indices of each group.
 *
 * @throws {MeasurementError} INVALID_GROUP naming the first index that is neither group.
 */
export function splitGroups(
  groups: ArrayLike<ExperimentGroup>,
  field = "groups",
): { treatment: number[]; control: number[] } {
  const treatment: number[] = [];
  const control: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g === "treatment") treatment.push(i);
    else if (g === "control") control.push(i);
    else {
      throw new MeasurementError(
        "INVALID_GROUP",
        `${field}[${i}] must be "treatment" or "control" (got ${JSON.stringify(g)})`,
        { index: i, field },
      );
    }
  }
  return { treatment, control };
}
