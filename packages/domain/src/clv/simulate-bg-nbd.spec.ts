import { describe, expect, it } from "vitest";
import { simulateBgNbdCustomers } from "./simulate-bg-nbd";

const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe("simulateBgNbdCustomers", () => {
  it("is reproducible from its seed", () => {
    const options = {
      customers: 500,
      T: 39,
      birthSpread: 12,
      holdout: 39,
      seed: 42,
      gammaGamma: { p: 6, q: 4, v: 15 },
    };
    const a = simulateBgNbdCustomers(params, options);
    const b = simulateBgNbdCustomers(params, options);
    const c = simulateBgNbdCustomers(params, { ...options, seed: 43 });
    expect(a).toEqual(b);
    expect(a.frequency).not.toEqual(c.frequency);
  });

  it("produces valid summaries: 0 ≤ t_x ≤ T, t_x = 0 and m̄ = 0 without repeats", () => {
    const sim = simulateBgNbdCustomers(params, {
      customers: 5000,
      T: 39,
      birthSpread: 12,
      seed: 1,
      gammaGamma: { p: 6, q: 4, v: 15 },
    });
    for (let i = 0; i < 5000; i++) {
      const [x, tx, T, m] = [sim.frequency[i]!, sim.recency[i]!, sim.T[i]!, sim.monetary![i]!];
      expect(Number.isInteger(x)).toBe(true);
      expect(T).toBeGreaterThan(27 - 1e-9);
      expect(T).toBeLessThanOrEqual(39);
      expect(tx).toBeLessThanOrEqual(T);
      if (x === 0) expect([tx, m]).toEqual([0, 0]);
      else expect(m).toBeGreaterThan(0);
    }
  });

  it("records dated data on the requested grid, so identical customers repeat", () => {
    const sim = simulateBgNbdCustomers(params, {
      customers: 2000,
      T: 39,
      birthSpread: 12,
      resolution: 1 / 7,
      seed: 2,
    });
    for (const t of [...sim.recency, ...sim.T]) {
      expect(Math.abs(t * 7 - Math.round(t * 7))).toBeLessThan(1e-6);
    }
  });

  it("rejects invalid options", () => {
    expect(() => simulateBgNbdCustomers(params, { customers: 0, T: 1, seed: 1 })).toThrow(
      /customers must be/,
    );
    expect(() =>
      simulateBgNbdCustomers(params, { customers: 5, T: 10, birthSpread: 10, seed: 1 }),
    ).toThrow(/birthSpread/);
    expect(() =>
      simulateBgNbdCustomers({ ...params, r: 0 }, { customers: 5, T: 10, seed: 1 }),
    ).toThrow(/r must be/);
  });
});
