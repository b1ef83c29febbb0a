// Simulation helpers shared by the measurement specs (not exported from the package).
import { createRng, sampleNormal, type Rng } from "../random";
import type { ExperimentGroup } from "./assignment-groups";

export { createRng, sampleNormal, type Rng };

/** Revenue-like outcome: 0 with probability 1 − p, else lognormal(mu, sigma), in minor units. */
export function sampleSpend(rng: Rng, p: number, mu: number, sigma: number): number {
  if (rng.next() >= p) return 0;
  return Math.round(Math.exp(mu + sigma * sampleNormal(rng)));
}

/** Groups with `control` controls first, then `treatment` treated customers. */
export function groupsOf(treatment: number, control: number): ExperimentGroup[] {
  return [
    ...new Array<ExperimentGroup>(control).fill("control"),
    ...new Array<ExperimentGroup>(treatment).fill("treatment"),
  ];
}
