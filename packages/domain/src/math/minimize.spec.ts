import { describe, expect, it } from "vitest";
import { minimizeBfgs } from "./bfgs";
import { invertSymmetricPositiveDefinite } from "./invert-symmetric";
import type { ObjectiveWithGradient } from "./line-search";
import { MathError } from "./math-error";
import { minimize } from "./minimize";
import { minimizeNelderMead } from "./nelder-mead";
import { numericalHessian } from "./numerical-hessian";

/** Rosenbrock's banana valley, minimum 0 at (1, 1). */
const rosenbrock: ObjectiveWithGradient = (x, g) => {
  const [a, b] = [x[0]!, x[1]!];
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

describe("minimizeBfgs", () => {
  it("finds the minimum of the Rosenbrock function from the classic start (−1.2, 1)", () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(result.iterations).toBeLessThan(100);
  });

  it("can stop on the predicted decrease (Newton decrement) instead of the gradient", () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1], {
      gradientTolerance: 0,
      decrementTolerance: 1e-12,
    });
    expect(result.converged).toBe(true);
    expect(result.message).toMatch(/predicted decrease/);
    expect(result.value).toBeLessThan(1e-10);
  });

  it("does not modify its start point", () => {
    const start = [-1.2, 1];
    minimizeBfgs(rosenbrock, start);
    expect(start).toEqual([-1.2, 1]);
  });

  it("reports no convergence when the objective is not finite at the start", () => {
    const result = minimizeBfgs(() => Number.NaN, [0]);
    expect(result.converged).toBe(false);
    expect(result.message).toMatch(/not finite/);
  });
});

describe("minimizeNelderMead", () => {
  it("finds the minimum of a shifted quadratic without gradients", () => {
    const result = minimizeNelderMead((x) => (x[0]! - 1) ** 2 + 3 * (x[1]! + 2) ** 2 + 5, [0, 0]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(-2, 5);
    expect(result.value).toBeCloseTo(5, 10);
  });
});

describe("minimize", () => {
  it("falls back to Nelder-Mead when BFGS cannot start, then polishes with BFGS", () => {
    // The gradient is undefined far from the optimum, the value is not.
    const f: ObjectiveWithGradient = (x, g) => {
      const far = Math.abs(x[0]!) > 3;
      g[0] = far ? Number.NaN : 2 * (x[0]! - 1);
      g[1] = far ? Number.NaN : 2 * (x[1]! - 2);
      return (x[0]! - 1) ** 2 + (x[1]! - 2) ** 2;
    };
    const result = minimize(f, [4, 0]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 8);
    expect(result.x[1]).toBeCloseTo(2, 8);
    expect(result.message).toMatch(/Nelder-Mead/);
  });

  it("throws a coded error when nothing converges", () => {
    // |x| has no zero-gradient point: no method can meet the gradient test.
    const f: ObjectiveWithGradient = (x, g) => {
      g[0] = Math.sign(x[0]!) || 1;
      return Math.abs(x[0]!);
    };
    expect(() => minimize(f, [2], { label: "test fit" })).toThrow(MathError);
    expect(() => minimize(f, [2], { label: "test fit" })).toThrow(/test fit did not converge/);
  });
});

describe("numericalHessian and invertSymmetricPositiveDefinite", () => {
  it("recover a quadratic's matrix and its inverse", () => {
    const a = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 2],
    ];
    const f: ObjectiveWithGradient = (x, g) => {
      let value = 0;
      for (let i = 0; i < 3; i++) {
        let row = 0;
        for (let j = 0; j < 3; j++) row += a[i]![j]! * x[j]!;
        g[i] = row;
        value += 0.5 * x[i]! * row;
      }
      return value;
    };
    const h = numericalHessian(f, [0.3, -2, 5]);
    h.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(a[i]![j]!, 8)));
    const inverse = invertSymmetricPositiveDefinite(h)!;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let product = 0;
        for (let k = 0; k < 3; k++) product += a[i]![k]! * inverse[k]![j]!;
        expect(product).toBeCloseTo(i === j ? 1 : 0, 8);
      }
    }
  });

  it("returns undefined for a matrix that is not positive definite", () => {
    expect(
      invertSymmetricPositiveDefinite([
        [1, 2],
        [2, 1],
      ]),
    ).toBeUndefined();
  });
});
