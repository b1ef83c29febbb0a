/**
 * Inverse of a symmetric positive-definite matrix through its Cholesky factorisation
 * (Golub & Van Loan, "Matrix Computations", §4.2).
 *
 * @param m symmetric matrix as rows.
 * @returns the inverse, or `undefined` when the matrix is not positive definite (for a
 *   Hessian of a negative log-likelihood: the optimum is not a strict minimum, so standard
 *   errors do not exist).
 * @example
 * invertSymmetricPositiveDefinite([[4, 0], [0, 2]]); // [[0.25, 0], [0, 0.5]]
 */
export function invertSymmetricPositiveDefinite(
  m: readonly (readonly number[])[],
): number[][] | undefined {
  const n = m.length;
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = m[j]![j]!;
    for (let k = 0; k < j; k++) d -= l[j]![k]! ** 2;
    if (!(d > 0) || !Number.isFinite(d)) return undefined;
    l[j]![j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = m[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = s / l[j]![j]!;
    }
  }
  // Solve L Lᵀ X = I column by column.
  const inverse: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let col = 0; col < n; col++) {
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
      y[i] = s / l[i]![i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let k = i + 1; k < n; k++) s -= l[k]![i]! * inverse[k]![col]!;
      inverse[i]![col] = s / l[i]![i]!;
    }
  }
  return inverse;
}
