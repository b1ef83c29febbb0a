import { describe, expect, it } from "vitest";
import { createRng, sampleGamma } from "../random";
import { toSummaryColumns, type CustomerSummary } from "./customer-summary";
import { ClvError } from "./clv-error";
import { fitClvModels, fitClvModelsAlongside, type SpendFitter } from "./fit-clv-models";
import { fitGammaGamma } from "./fit-gamma-gamma";
import { simulateBgNbdCustomers } from "./simulate-bg-nbd";

const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const withSpend = simulateBgNbdCustomers(params, {
  customers: 3000,
  T: 39,
  seed: 1,
  gammaGamma: { p: 6, q: 4, v: 15 },
});

describe("fitClvModels", () => {
  it("fits BG/NBD always and Gamma-Gamma when spend is present", () => {
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

  describe("with Gamma-Gamma fitted alongside", () => {
    // As a worker thread answers: later, after BG/NBD has been fitted on this thread.
    const later: SpendFitter = (spend) => Promise.resolve().then(() => fitGammaGamma(spend));

    it("gives exactly what fitClvModels gives, handing the fitter only x and m̄", async () => {
      const handed: string[][] = [];
      const models = await fitClvModelsAlongside(withSpend, (spend) => {
        handed.push(Object.keys(spend));
        return later(spend);
      });
      expect(models).toEqual(fitClvModels(withSpend));
      expect(handed).toEqual([["frequency", "monetary"]]);
      const { monetary: _, ...withoutSpend } = withSpend;
      const unused: SpendFitter = () => Promise.reject(new Error("not asked for"));
      expect((await fitClvModelsAlongside(withoutSpend, unused)).gammaGamma).toBeNull();
    });

    it("treats the fitter's ClvError as fitClvModels treats fitGammaGamma's", async () => {
      const failing: SpendFitter = () =>
        Promise.reject(new ClvError("GAMMA_GAMMA_Q_NOT_ABOVE_ONE", "q = 0.8 is not above 1"));
      await expect(fitClvModelsAlongside(withSpend, failing)).rejects.toMatchObject({
        code: "GAMMA_GAMMA_Q_NOT_ABOVE_ONE",
      });
      const optional = await fitClvModelsAlongside(withSpend, failing, { spendModel: "optional" });
      expect(optional.gammaGamma).toBeNull();
      expect(optional.warnings).toEqual([
        "Gamma-Gamma spend model not fitted: q = 0.8 is not above 1",
      ]);
      // Any other failure (a thread that died) is never made a warning.
      const crashed: SpendFitter = () => Promise.reject(new Error("worker exited"));
      await expect(
        fitClvModelsAlongside(withSpend, crashed, { spendModel: "optional" }),
      ).rejects.toThrow("worker exited");
    });

    it("throws the BG/NBD error when both fits fail, leaving no rejection unhandled", async () => {
      const nobodyReturned = {
        frequency: new Float64Array(10),
        recency: new Float64Array(10),
        T: new Float64Array(10).fill(20),
        monetary: new Float64Array(10),
      };
      // A spend rejection left unhandled would fail this run (vitest reports it as an error).
      await expect(fitClvModelsAlongside(nobodyReturned, later)).rejects.toMatchObject({
        code: "NO_REPEAT_CUSTOMERS",
        message: expect.stringContaining("BG/NBD"),
      });
      const spendFailure = await later(nobodyReturned).catch((error: unknown) => error);
      expect(spendFailure).toMatchObject({ code: "NO_REPEAT_CUSTOMERS" });
    });
  });
});
