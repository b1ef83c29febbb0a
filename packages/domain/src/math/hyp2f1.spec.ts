import { describe, expect, it } from "vitest";
import { hyp2f1 } from "./hyp2f1";
import { MathError } from "./math-error";

/** Relative difference, with an absolute floor for values near 0. */
function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}

function expectClose(actual: number, expected: number, tolerance = 1e-12): void {
  expect(relativeError(actual, expected), `${actual} vs ${expected}`).toBeLessThan(tolerance);
}

/**
 * An independent reference: the plain defining series with Kahan summation and a fixed,
 * generous number of terms (only for 0 < z < 1 where every term is positive).
 */
function naiveSeries(a: number, b: number, c: number, z: number, terms: number): number {
  let term = 1;
  let sum = 1;
  let compensation = 0;
  for (let n = 0; n < terms; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    const y = term - compensation;
    const t = sum + y;
    compensation = t - sum - y;
    sum = t;
  }
  return sum;
}

describe("hyp2f1", () => {
  it("2F1(1, 1; 2; z) = −ln(1 − z)/z, including z close to 1 (c − a − b = 0) and z < 0", () => {
    const zs = [-50, -0.9, -0.3, 1e-9, 0.1, 0.5, 0.74, 0.76, 0.89, 0.91, 0.99, 0.999999, 1 - 1e-12];
    for (const z of zs) expectClose(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z, 1e-13);
  });

  it("2F1(a, b; b; z) = (1 − z)^(−a) for integer and non-integer a", () => {
    for (const a of [0.3, 2.5, 7]) {
      for (const b of [1.7, 0.4]) {
        for (const z of [-3, 0.2, 0.8, 0.95, 0.9999]) {
          expectClose(hyp2f1(a, b, b, z), Math.pow(1 - z, -a), 1e-12);
        }
      }
    }
  });

  it("2F1(1/2, 1/2; 3/2; x²) = asin(x)/x (c − a − b = 1/2)", () => {
    for (const x of [0.1, 0.5, 0.9, 0.99, 0.999999]) {
      expectClose(hyp2f1(0.5, 0.5, 1.5, x * x), Math.asin(x) / x);
    }
  });

  it("2F1(1/2, 1; 3/2; −x²) = atan(x)/x and 2F1(1/2, 1; 3/2; x²) = atanh(x)/x", () => {
    for (const x of [0.5, 2, 100]) expectClose(hyp2f1(0.5, 1, 1.5, -x * x), Math.atan(x) / x);
    for (const x of [0.3, 0.9, 0.97, 0.9999])
      expectClose(hyp2f1(0.5, 1, 1.5, x * x), Math.atanh(x) / x);
  });

  it("2F1(1, 1; 3; z) = 2(z + (1 − z) ln(1 − z))/z² (c − a − b = 1)", () => {
    for (const z of [0.3, 0.8, 0.95, 0.999999]) {
      expectClose(hyp2f1(1, 1, 3, z), (2 * (z + (1 - z) * Math.log1p(-z))) / (z * z));
    }
  });

  it("2F1(a, 1 − a; 3/2; sin²x) = sin((2a − 1)x)/((2a − 1) sin x)", () => {
    for (const a of [0.2, 1.7, 3.3]) {
      for (const x of [0.4, 1.2, 1.55]) {
        const expected = Math.sin((2 * a - 1) * x) / ((2 * a - 1) * Math.sin(x));
        expectClose(hyp2f1(a, 1 - a, 1.5, Math.sin(x) ** 2), expected, 1e-11);
      }
    }
  });

  it("terminating series: Chebyshev T_n(x) = 2F1(−n, n; 1/2; (1 − x)/2)", () => {
    for (const n of [1, 2, 5, 10]) {
      for (const x of [-0.9, 0.2, 0.95]) {
        expectClose(hyp2f1(-n, n, 0.5, (1 - x) / 2), Math.cos(n * Math.acos(x)), 1e-11);
      }
    }
    // c at a pole is fine when the series stops first: 2F1(−1, b; −2; z) = 1 + bz/2.
    expectClose(hyp2f1(-1, 3, -2, 0.5), 1 + (3 * 0.5) / 2);
  });

  it("Gauss's theorem at z = 1", () => {
    expectClose(hyp2f1(1, 1, 3, 1), 2);
    expectClose(hyp2f1(0.5, 0.5, 1.5, 1), Math.PI / 2, 1e-13);
  });

  it("agrees with the plain series where the z → 1 − z transformations are used", () => {
    // BG/NBD-shaped arguments (r + x, b + x, a + b + x − 1) and near-integer c − a − b.
    const cases: [number, number, number][] = [
      [0.243 + 2, 2.426 + 2, 0.793 + 2.426 + 2 - 1],
      [0.243 + 25, 2.426 + 25, 0.793 + 2.426 + 25 - 1],
      [0.7, 1.3, 1.9],
      [1, 1, 2 + 3e-5],
      [1, 1, 2 - 2e-7],
      [2.5, 0.5, 4 + 5e-5],
      [3, 2, 4.0001],
    ];
    for (const [a, b, c] of cases) {
      for (const z of [0.8, 0.93, 0.97]) {
        expectClose(hyp2f1(a, b, c, z), naiveSeries(a, b, c, z, 40_000), 1e-11);
      }
    }
  });

  it("rejects arguments outside its domain", () => {
    expect(() => hyp2f1(1, 1, 2, 1.5)).toThrow(MathError);
    expect(() => hyp2f1(1, 1, 0, 0.5)).toThrow(/c must not be/);
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(/diverges/);
    expect(() => hyp2f1(Number.NaN, 1, 2, 0.5)).toThrow(/finite/);
  });
});
