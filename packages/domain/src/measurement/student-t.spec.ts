import { describe, expect, it } from "vitest";
import { MeasurementError } from "./measurement-error";
import { normalCdf, normalQuantile, normalUpperTail } from "./normal-distribution";
import { studentTCdf, studentTQuantile, studentTUpperTail } from "./student-t";

// Reference values from scipy.stats 1.17 (t.ppf, t.cdf, t.sf, norm.cdf, norm.ppf), which uses
// the Cephes / Boost implementations; closed forms for ν = 1, 2 and 4 are checked separately.
const close = (actual: number, expected: number, relative = 1e-12) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));

describe("studentTQuantile", () => {
  it("matches published quantiles, including fractional degrees of freedom", () => {
    const cases: [number, number, number][] = [
      [0.975, 1, 12.706204736174694],
      [0.975, 2, 4.302652729749462],
      [0.975, 3, 3.1824463052837078],
      [0.975, 10, 2.228138851986274],
      [0.975, 30, 2.0422724563012378],
      [0.975, 1000, 1.9623390808264083],
      [0.975, 1e6, 1.959966356814107],
      [0.995, 5, 4.032142983555228],
      [0.9, 2.5, 1.7302509288071766],
      [0.999999, 7.3, 13.493523060689595],
      [0.6, 0.5, 0.3979754267847907],
      [1e-10, 4, -416.1751403296041],
    ];
    for (const [p, df, expected] of cases) close(studentTQuantile(p, df), expected, 1e-11);
  });

  it("agrees with the closed forms for 1, 2 and 4 degrees of freedom", () => {
    // Written with the smaller tail q, so the closed forms themselves keep their digits.
    for (const q of [1e-9, 0.001, 0.02, 0.2, 0.45]) {
      close(studentTQuantile(q, 1), -1 / Math.tan(Math.PI * q), 1e-10);
      close(studentTQuantile(1 - q, 1), 1 / Math.tan(Math.PI * q), 1e-7);
      close(studentTQuantile(q, 2), -(1 - 2 * q) / Math.sqrt(2 * q * (1 - q)), 1e-10);
      // ν = 4: t = −2·√(k − 1) with k = cos(⅓·acos(√α))/√α, α = 4q(1 − q).
      const alpha = 4 * q * (1 - q);
      const k = Math.cos(Math.acos(Math.sqrt(alpha)) / 3) / Math.sqrt(alpha);
      close(studentTQuantile(q, 4), -2 * Math.sqrt(k - 1), 1e-9);
    }
  });

  it("is the normal quantile at infinite degrees of freedom and symmetric about 0", () => {
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
    expect(studentTQuantile(0.5, 7)).toBe(0);
    for (const df of [0.8, 3, 41.7, 5000]) {
      expect(studentTQuantile(0.25, df)).toBe(-studentTQuantile(0.75, df));
    }
  });

  it("refuses probabilities outside (0, 1) and degrees of freedom ≤ 0", () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN]) {
      expect(() => studentTQuantile(p, 5)).toThrow(MeasurementError);
    }
    for (const df of [0, -2, Number.NaN]) {
      expect(() => studentTQuantile(0.9, df)).toThrow(/degrees of freedom/);
    }
  });
});

describe("studentTCdf and studentTUpperTail", () => {
  it("matches published values, keeping relative precision far in the tails", () => {
    const cases: [number, number, number, number][] = [
      [2, 5, 0.9490302605850708, 0.050969739414929174],
      [-3, 12.5, 0.005316405754948329, 0.005316405754948329],
      [10, 3, 0.9989358004707929, 0.0010641995292070751],
      [40, 30, 1.0, 6.863022597203209e-28],
      [1.5, 0.7, 0.7798174514903798, 0.22018254850962013],
      [0.1, 1e5, 0.5398277370466369, 0.46017226295336316],
      [-8, 4000, 8.077699774787075e-16, 8.077699774787075e-16],
      [6, 1e7, 0.9999999990133787, 9.86621366683891e-10],
    ];
    for (const [t, df, cdf, tail] of cases) {
      close(studentTCdf(t, df), cdf, 1e-12);
      // At ν = 10⁷, ln B(ν/2, ½) is a difference of numbers near 7·10⁷: about 1e-11 is left.
      close(studentTUpperTail(Math.abs(t), df), tail, df > 1e6 ? 5e-11 : 1e-12);
    }
  });

  it("agrees with the closed forms for 1 and 2 degrees of freedom", () => {
    // Lower tails in forms without cancellation: atan(1/|t|)/π and 1/(s(s + |t|)), s = √(2 + t²).
    for (const t of [-1e6, -30, -2.5, -0.3, -0.01]) {
      close(studentTCdf(t, 1), Math.atan(-1 / t) / Math.PI, 1e-12);
      const s = Math.sqrt(2 + t * t);
      close(studentTCdf(t, 2), 1 / (s * (s - t)), 1e-12);
    }
    for (const t of [0, 0.01, 1, 4.2, 100]) {
      close(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-12);
      close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-12);
    }
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 15);
  });

  it("inverts the quantile", () => {
    for (const df of [1.3, 4, 17.25, 250, 123456]) {
      for (const p of [1e-8, 0.025, 0.31, 0.5, 0.9, 0.995]) {
        close(studentTCdf(studentTQuantile(p, df), df), p, 1e-11);
      }
    }
  });

  it("handles infinite arguments and NaN", () => {
    expect(studentTCdf(Infinity, 3)).toBe(1);
    expect(studentTCdf(-Infinity, 3)).toBe(0);
    expect(studentTCdf(Number.NaN, 3)).toBeNaN();
  });
});

describe("normal distribution", () => {
  it("matches published values of Φ and its quantile, deep in the tail", () => {
    const cdf: [number, number][] = [
      [-1, 0.15865525393145707],
      [-5, 2.866515718791933e-7],
      [-10, 7.61985302416047e-24],
      [-37, 5.7255712225239266e-300],
      [3, 0.9986501019683699],
      [0.5, 0.6914624612740131],
    ];
    for (const [z, p] of cdf) close(normalCdf(z), p, 1e-12);
    close(normalUpperTail(10), 7.61985302416047e-24, 1e-12);
    const quantiles: [number, number][] = [
      [0.975, 1.959963984540054],
      [1e-300, -37.0470962993612],
      [0.3, -0.5244005127080409],
      [1e-12, -7.034483825301131],
    ];
    for (const [p, z] of quantiles) close(normalQuantile(p), z, 1e-12);
  });
});
