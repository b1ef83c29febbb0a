import { describe, expect, it } from "vitest";
import {
  confidenceSequence,
  mixingVarianceFor,
  normalMixtureRadius,
  optimalMixingRatio,
  sequentialVariance,
} from "./confidence-sequence";
import { summaryFromMoments } from "./group-summary";
import { MeasurementError } from "./measurement-error";
import { createRng, sampleNormal, sampleSpend } from "./test-simulation";
import { welchDifference } from "./welch-difference";

describe("normal-mixture confidence sequence", () => {
  it("computes the radius √(V(V+τ²)/τ² · (2 ln(1/α) + ln((V+τ²)/V)))", () => {
    const c = 2 * Math.log(20);
    expect(normalMixtureRadius(0.25, 2.05, 0.05)).toBeCloseTo(
      Math.sqrt(((0.25 * 2.3) / 2.05) * (c + Math.log(2.3 / 0.25))),
      14,
    );
    expect(confidenceSequence(2, 0.25, 2.05).ci![0]).toBeCloseTo(0.4824387153583305, 12);
    expect(normalMixtureRadius(0, 1, 0.05)).toBe(0);
  });

  it("picks τ² where the radius is smallest, and is always wider than the fixed interval", () => {
    const r = optimalMixingRatio(0.05);
    expect(r).toBeCloseTo(8.211968062068253, 12);
    expect(r).toBeCloseTo(2 * Math.log(20) + Math.log1p(r), 12);
    const v = 3;
    const best = normalMixtureRadius(v, mixingVarianceFor(v, 0.05), 0.05);
    for (const factor of [0.5, 0.9, 1.1, 2]) {
      expect(normalMixtureRadius(v, factor * r * v, 0.05)).toBeGreaterThan(best);
    }
    // ≈ 3.04 standard errors at the tuned point, against 1.96 for a single look: the price of
    // looking as often as one likes.
    expect(best / Math.sqrt(v)).toBeCloseTo(3.035, 3);
  });

  it("uses the pooled variance when the control group's own is too small to trust", () => {
    const t = { n: 900, mean: 10, sd: 30 };
    const c = { n: 20, mean: 8, sd: 5 };
    const welch = (30 * 30) / 900 + (5 * 5) / 20;
    const v = sequentialVariance(t, c);
    expect(v).toBeGreaterThan(welch);
    const ss = 899 * 900 + 19 * 25 + ((900 * 20) / 920) * 4;
    expect(v).toBeCloseTo((ss / 919) * (1 / 900 + 1 / 20), 10);
    // Equal groups with equal spread: both estimates agree.
    const g = { n: 500, mean: 3, sd: 2 };
    expect(sequentialVariance(g, g)).toBeCloseTo((4 / 500) * 2, 4);
  });

  it("is conclusive only when the interval excludes 0", () => {
    expect(confidenceSequence(5, 1, 8).conclusive).toBe(true);
    expect(confidenceSequence(-5, 1, 8).conclusive).toBe(true);
    expect(confidenceSequence(1, 1, 8).conclusive).toBe(false);
    expect(confidenceSequence(1, 0, 8)).toMatchObject({ ci: null, conclusive: false });
  });

  it("refuses a non-positive mixing variance, a negative variance and a bad alpha", () => {
    expect(() => normalMixtureRadius(1, 0, 0.05)).toThrow(/mixingVariance must be a positive/);
    expect(() => normalMixtureRadius(-1, 1, 0.05)).toThrow(MeasurementError);
    expect(() => confidenceSequence(1, 1, 1, 1)).toThrow(/alpha/);
    expect(() => mixingVarianceFor(0, 0.05)).toThrow(/plannedVariance/);
  });

  it("under no effect, looking every day for 60 days declares a false effect in at most 5% of 500 simulations (a daily Welch test would not)", () => {
    const rng = createRng(60);
    const days = 60;
    const perDay = 100; // customers entering a day, 10% of them control
    const simulations = 500;
    // Spend: 20% buy, lognormal(8, 1) cents. τ² is fixed before the first look, from the
    // planned sizes (5400 / 600) and the spend sd of a pre-period (here its known value).
    const mean = 0.2 * Math.exp(8.5);
    const sd = Math.sqrt(0.2 * Math.exp(16 + 2) - mean * mean);
    const tau2 = mixingVarianceFor(sd * sd * (1 / 5400 + 1 / 600), 0.05);
    let sequentialFalse = 0;
    let plugInFalse = 0;
    let welchFalse = 0;
    for (let s = 0; s < simulations; s++) {
      const t = { n: 0, sum: 0, sumOfSquares: 0 };
      const c = { n: 0, sum: 0, sumOfSquares: 0 };
      let sequentialHit = false;
      let plugInHit = false;
      let welchHit = false;
      for (let day = 0; day < days; day++) {
        for (let k = 0; k < perDay; k++) {
          const g = rng.next() < 0.1 ? c : t;
          const y = sampleSpend(rng, 0.2, 8, 1);
          g.n += 1;
          g.sum += y;
          g.sumOfSquares += y * y;
        }
        if (c.n < 2) continue;
        const st = summaryFromMoments(t);
        const sc = summaryFromMoments(c);
        const v = sequentialVariance(st, sc);
        if (confidenceSequence(st.mean - sc.mean, v, tau2).conclusive) sequentialHit = true;
        const welchVariance = (st.sd * st.sd) / st.n + (sc.sd * sc.sd) / sc.n;
        if (confidenceSequence(st.mean - sc.mean, welchVariance, tau2).conclusive) plugInHit = true;
        const w = welchDifference(st, sc);
        if (w.ci && (w.ci[0] > 0 || w.ci[1] < 0)) welchHit = true;
      }
      if (sequentialHit) sequentialFalse += 1;
      if (plugInHit) plugInFalse += 1;
      if (welchHit) welchFalse += 1;
    }
    expect(sequentialFalse / simulations).toBeLessThanOrEqual(0.05);
    // The same daily looks with the fixed 95% interval: far more than 5% false alarms.
    expect(welchFalse / simulations).toBeGreaterThan(0.1);
    // And the sequence with the plain Welch variance is fooled by the small early control
    // group's variance (why sequentialVariance takes the pooled one when it is larger).
    expect(plugInFalse / simulations).toBeGreaterThan(0.1);
  });

  it("holds for a frozen audience whose spending accumulates, checked daily for 60 days (300 simulations)", () => {
    // The campaigns' case: 3,000 customers fixed at launch (300 control); each day each buys
    // with probability 1% for lognormal(8, 1) cents; each look compares cumulative revenue.
    const rng = createRng(77);
    const n = 3000;
    const control = 300;
    const days = 60;
    const p = 0.01;
    // Variance of a customer's 60-day revenue (compound Poisson-like), for τ² at the planned end.
    const m1 = Math.exp(8.5);
    const m2 = Math.exp(18);
    const variance = days * p * m2 - days * p * p * m1 * m1;
    const tau2 = mixingVarianceFor(variance * (1 / (n - control) + 1 / control), 0.05);
    let falseAlarms = 0;
    for (let s = 0; s < 300; s++) {
      const y = new Float64Array(n);
      let hit = false;
      for (let day = 0; day < days; day++) {
        for (let i = 0; i < n; i++) {
          if (rng.next() < p) y[i] = y[i]! + Math.round(Math.exp(8 + sampleNormal(rng)));
        }
        const t = { n: 0, sum: 0, sumOfSquares: 0 };
        const c = { n: 0, sum: 0, sumOfSquares: 0 };
        for (let i = 0; i < n; i++) {
          const g = i < control ? c : t;
          g.n += 1;
          g.sum += y[i]!;
          g.sumOfSquares += y[i]! * y[i]!;
        }
        const st = summaryFromMoments(t);
        const sc = summaryFromMoments(c);
        const v = sequentialVariance(st, sc);
        if (v > 0 && confidenceSequence(st.mean - sc.mean, v, tau2).conclusive) hit = true;
      }
      if (hit) falseAlarms += 1;
    }
    expect(falseAlarms / 300).toBeLessThanOrEqual(0.05);
  });

  it("still finds a real effect: conversion 20% → 35% is declared by day 60 in over 80% of simulations", () => {
    const rng = createRng(61);
    const mean = 0.2 * Math.exp(8.5);
    const sd = Math.sqrt(0.2 * Math.exp(18) - mean * mean);
    const tau2 = mixingVarianceFor(sd * sd * (1 / 5400 + 1 / 600), 0.05);
    let found = 0;
    for (let s = 0; s < 200; s++) {
      const t = { n: 0, sum: 0, sumOfSquares: 0 };
      const c = { n: 0, sum: 0, sumOfSquares: 0 };
      for (let day = 0; day < 60; day++) {
        for (let k = 0; k < 100; k++) {
          const control = rng.next() < 0.1;
          const g = control ? c : t;
          const y = sampleSpend(rng, control ? 0.2 : 0.35, 8, 1);
          g.n += 1;
          g.sum += y;
          g.sumOfSquares += y * y;
        }
      }
      const st = summaryFromMoments(t);
      const sc = summaryFromMoments(c);
      if (confidenceSequence(st.mean - sc.mean, sequentialVariance(st, sc), tau2).conclusive) {
        found += 1;
      }
    }
    expect(found / 200).toBeGreaterThan(0.8);
  });
});
