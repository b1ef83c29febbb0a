import { mixingVarianceFor, normalMixtureRadius } from "./confidence-sequence";
import { checkAlpha, MeasurementError } from "./measurement-error";
import { normalQuantile } from "./normal-distribution";
import { studentTQuantile } from "./student-t";
import { welchDegreesOfFreedom } from "./welch-difference";

/** What a campaign of a given size can detect. */
export interface MinimumDetectableEffectInput {
  /** Customers in the treated group. */
  treatment: number;
  /** Customers in the control group. */
  control: number;
  /** Standard deviation of the per-customer outcome (e.g. from a pre-period); for a conversion
   * rate p, √(p(1 − p)). Used for both groups unless sdControl is given. */
  sd: number;
  sdControl?: number;
  /** Two-sided significance level, default 0.05. */
  alpha?: number;
  /** Probability of detecting an effect of the returned size, default 0.8. */
  power?: number;
  /** τ² of the confidence sequence; default: tuned to these group sizes (mixingVarianceFor). */
  mixingVariance?: number;
}

export interface MinimumDetectableEffect {
  /** Smallest true effect the 1 − alpha Welch interval at the end excludes 0 for, with the
   * given power: (t(ν, 1 − α/2) + t(ν, power))·SE. */
  fixedHorizon: number;
  /** The same for the always-valid sequence at the planned end: radius(V) + z(power)·√V. The
   * price of being allowed to look every day. */
  sequential: number;
  /** SE of Δ at these sizes: √(sd_T²/n_T + sd_C²/n_C). */
  standardError: number;
}

function positive(name: string, value: number, integer: boolean, min: number): void {
  if (!(Number.isFinite(value) && value >= min) || (integer && !Number.isInteger(value))) {
    throw new MeasurementError(
      "INVALID_PARAMETER",
      `${name} must be ${integer ? "a whole number" : "a number"} ≥ ${min} (got ${value})`,
      { field: name },
    );
  }
}

/**
 * Minimum detectable effect (in outcome units) of a two-group comparison, the usual power
 * calculation (e.g. Kohavi, Tang & Xu 2020, "Trustworthy Online Controlled Experiments",
 * ch. 17) with Student t quantiles so small groups are not flattered, plus its always-valid
 * counterpart.
 *
 * @param input group sizes, sd, alpha, power.
 * @returns both effects and the standard error.
 * @throws {MeasurementError} INVALID_PARAMETER for groups under 2, a negative sd, alpha or power
 *   outside (0, 1).
 * @example
 * minimumDetectableEffect({ treatment: 9000, control: 1000, sd: 40 }).fixedHorizon; // ≈ 3.74
 */
export function minimumDetectableEffect(
  input: MinimumDetectableEffectInput,
): MinimumDetectableEffect {
  const { treatment, control, sd } = input;
  const sdControl = input.sdControl ?? sd;
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  positive("treatment", treatment, true, 2);
  positive("control", control, true, 2);
  positive("sd", sd, false, 0);
  positive("sdControl", sdControl, false, 0);
  checkAlpha(alpha);
  checkAlpha(power, "power");
  const variance = (sd * sd) / treatment + (sdControl * sdControl) / control;
  const standardError = Math.sqrt(variance);
  if (variance === 0) return { fixedHorizon: 0, sequential: 0, standardError };
  const df = welchDegreesOfFreedom(
    { n: treatment, mean: 0, sd },
    { n: control, mean: 0, sd: sdControl },
  );
  const fixedHorizon =
    (studentTQuantile(1 - alpha / 2, df) + studentTQuantile(power, df)) * standardError;
  const tau2 = input.mixingVariance ?? mixingVarianceFor(variance, alpha);
  const sequential =
    normalMixtureRadius(variance, tau2, alpha) + normalQuantile(power) * standardError;
  return { fixedHorizon, sequential, standardError };
}
