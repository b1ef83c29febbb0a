import { describe, expect, it } from "vitest";
import { createRng, sampleGamma } from "../random";
import { toSummaryColumns, type CustomerSummary } from "./customer-summary";
import { fitClvModels } from "./fit-clv-models";
import { simulateBgNbdCustomers } from "./simulate-bg-nbd";

const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe("fitClvModels", () => {
  it("fits BG/NBD always and Gamma-Gamma when spend is present", () => {
    const withSpend = simulateBgNbdCustomers(params, {
      customers: 3000,
      T: 39,
      seed: 1,
      gammaGamma: { p: 6, q: 4, v: 15 },
    });
    const both = fitClvModels(withSpend);
    expect(both.gammaGamma).not.toBeNull();
    expect(both.customers).toBe(3000);
    expect(both.repeatCustomers).toBe(withSpend.frequency.filter((x) => x > 0).length);
    const { monetary: _, ...withoutSpend } = withSpend;
    expect(fitClvModels(withoutSpend).gammaGamma).toBeNull();
  });

  it("turns a Gamma-Gamma failure into a warning only when the spend model is optional", () => {
    // BG/NBD data from the model; spend with a Pareto-like tail (ν ~ Gamma(q = 0.6)).
    const sim = simulateBgNbdCustomers(params, { customers: 6000, T: 39, seed: 4 });
    const rng = createRng(9);
    const heavy: CustomerSummary[] = Array.from(sim.frequency, (x, i) => ({
      customerId: String(i),
      frequency: x,
      recency: sim.recency[i]!,
      T: sim.T[i]!,
      monetary: x > 0 ? sampleGamma(rng, 3, 1 / sampleGamma(rng, 0.6, 1)) : 0,
    }));
    const columns = toSummaryColumns(heavy);
    expect(() => fitClvModels(columns)).toThrow(
      expect.objectContaining({ code: "GAMMA_GAMMA_Q_NOT_ABOVE_ONE" }),
    );
    const optional = fitClvModels(columns, { spendModel: "optional" });
    expect(optional.gammaGamma).toBeNull();
    expect(optional.warnings.join(" ")).toMatch(/Gamma-Gamma spend model not fitted: .*q = /);
  });
});
