import { describe, expect, it } from "vitest";
import { createRng } from "../../src/lib/random.js";
import {
  fitSbg,
  sbgChurnProbability,
  sbgExpectedResidualLifetime,
  sbgLogLik,
  sbgProjectSurvivors,
  sbgRetention,
  sbgSurvival,
  simulateSbg,
} from "../../src/lib/models/sbg.js";
import { sbgClv, sbgDiscountedExpectedLifetime } from "../../src/lib/models/valuation.js";

// Fader & Hardie (2007), "How to Project Customer Retention", table 1 / figure 2.
const REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241];
const HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491];

describe("sBG fit", () => {
  it("recovers γ = 0.704, δ = 1.182 on the 'regular' cohort (Fader & Hardie 2007, §4)", () => {
    const f = fitSbg(REGULAR);
    expect(f.gamma).toBeCloseTo(0.704, 3);
    expect(f.delta).toBeCloseTo(1.182, 3);
    expect(Object.isFrozen(f)).toBe(true);
  });

  it("recovers γ = 0.668, δ = 3.806 on the 'high end' cohort (Fader & Hardie 2007, §4)", () => {
    const f = fitSbg(HIGH_END);
    expect(f.gamma).toBeCloseTo(0.668, 3);
    expect(f.delta).toBeCloseTo(3.806, 3);
  });

  it("reaches the same maximum from every start (log-likelihood within 1e-6 of the best)", () => {
    const starts = [
      [0.05, 0.05],
      [1, 1],
      [20, 0.1],
      [0.1, 40],
      [5, 5],
    ];
    const each = starts.map((s) => fitSbg(REGULAR, { starts: [s], standardErrors: false }).logLik);
    const best = Math.max(...each);
    for (const ll of each) expect(best - ll).toBeLessThan(1e-6);
    expect(Math.abs(fitSbg(REGULAR).logLik - best)).toBeLessThan(1e-6);
  });

  it("pools cohorts of different lengths: the pooled log-likelihood is the sum of the cohorts'", () => {
    const p = { gamma: 0.7, delta: 1.2 };
    const a = [1000, 631, 468, 382];
    const b = [500, 400, 330, 290, 260, 240];
    expect(sbgLogLik(p, [a, b])).toBeCloseTo(sbgLogLik(p, [a]) + sbgLogLik(p, [b]), 9);
    const f = fitSbg([a, b]);
    expect(Number.isFinite(f.logLik)).toBe(true);
  });

  it("rejects survivor counts that increase, naming the cohort and period", () => {
    expect(() => fitSbg([100, 80, 90])).toThrow(/invalid alive count in cohort 0 at period 2/);
  });
});

describe("sBG curves", () => {
  const p = { gamma: 0.704, delta: 1.182 };

  it("has survival that never increases and retention r(t) = S(t)/S(t−1) = (δ+t−1)/(γ+δ+t−1) (F&H 2007 eq. 9)", () => {
    let prev = 1;
    for (let t = 1; t <= 200; t++) {
      const s = sbgSurvival(p, t);
      expect(s).toBeLessThanOrEqual(prev);
      expect(sbgRetention(p, t)).toBeCloseTo(s / prev, 12);
      prev = s;
    }
  });

  it("has a churn-time PMF that sums to 1 over a long horizon (tail = S(horizon))", () => {
    let sum = 0;
    for (let t = 1; t <= 100_000; t++) sum += sbgChurnProbability(p, t);
    expect(sum + sbgSurvival(p, 100_000)).toBeCloseTo(1, 10);
    expect(sum).toBeGreaterThan(0.99);
  });

  it("projects the regular cohort close to the observed survivors (F&H 2007 fig. 4)", () => {
    const proj = sbgProjectSurvivors(fitSbg(REGULAR), 1000, 12);
    for (let t = 0; t < REGULAR.length; t++) expect(Math.abs(proj[t] - REGULAR[t])).toBeLessThan(15);
    expect(proj[12]).toBeLessThan(proj[7]);
  });

  it("computes DERL (F&H 2010 eq. 6) equal to the direct discounted sum Σ S(t)/S(n−1)/(1+d)^(t−n)", () => {
    for (const renewals of [0, 1, 4, 10]) {
      const n = renewals + 1;
      let direct = 0;
      for (let t = n; t < n + 20000; t++) direct += sbgSurvival(p, t) / sbgSurvival(p, n - 1) / Math.pow(1.1, t - n);
      expect(sbgExpectedResidualLifetime(p, renewals, 0.1)).toBeCloseTo(direct, 9);
    }
    // DERL grows with tenure: long-tenured customers are the loyal ones (F&H 2010 §3).
    expect(sbgExpectedResidualLifetime(p, 10, 0.1)).toBeGreaterThan(sbgExpectedResidualLifetime(p, 0, 0.1));
  });

  it("computes DEL of a new customer ₂F₁(1, δ; γ+δ; 1/(1+d)) as Σ_{t≥0} S(t)/(1+d)^t (F&H 2010 eq. 5)", () => {
    let direct = 0;
    for (let t = 0; t < 20000; t++) direct += sbgSurvival(p, t) / Math.pow(1.1, t);
    expect(sbgDiscountedExpectedLifetime(p, 0.1)).toBeCloseTo(direct, 9);
  });

  it("values a monthly contract as margin × MRR × DERL/(1 + d_m) when the horizon is long", () => {
    const months = 3000;
    const dm = Math.pow(1.1, 1 / 12) - 1;
    const clv = sbgClv(p, { renewals: 3, mrr: 100, months, margin: 0.8, annualDiscount: 0.1 });
    expect(clv).toBeCloseTo((0.8 * 100 * sbgExpectedResidualLifetime(p, 3, dm)) / (1 + dm), 6);
  });
});

describe("sBG simulation and uncertainty", () => {
  it("recovers the parameters of a simulated population within 4 standard errors", () => {
    // 20,000 customers over 10 periods; the fit's own SEs are ~3–6 % here, and a seeded
    // draw within 4 SE of the truth is what a correct estimator gives (|z| > 4 has p ≈ 6e-5).
    const truth = { gamma: 0.7, delta: 1.2 };
    const alive = simulateSbg(createRng(42), truth, 20000, 10);
    const f = fitSbg(alive);
    expect(Math.abs(f.gamma - truth.gamma)).toBeLessThan(4 * f.se!.gamma);
    expect(Math.abs(f.delta - truth.delta)).toBeLessThan(4 * f.se!.delta);
  });

  it("has standard errors that match a parametric bootstrap within 25 %", () => {
    // Oracle: SD of refitted γ, δ over 300 cohorts simulated from the regular-cohort fit.
    // With 300 replicates the SD itself has ~4 % sampling error; 25 % leaves room for the
    // finite-sample skew of the MLE (n = 1000), which the asymptotic SE ignores.
    const f = fitSbg(REGULAR);
    const rng = createRng(7);
    const g: number[] = [],
      d: number[] = [];
    for (let b = 0; b < 300; b++) {
      const fb = fitSbg(simulateSbg(rng, f, 1000, 7), { standardErrors: false });
      g.push(fb.gamma);
      d.push(fb.delta);
    }
    const sd = (v: number[]) => {
      const m = v.reduce((s, x) => s + x, 0) / v.length;
      return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
    };
    expect(Math.abs(sd(g) / f.se!.gamma - 1)).toBeLessThan(0.25);
    expect(Math.abs(sd(d) / f.se!.delta - 1)).toBeLessThan(0.25);
  });

  it("simulates the same cohort for the same seed", () => {
    const p = { gamma: 0.7, delta: 1.2 };
    expect(Array.from(simulateSbg(createRng(3), p, 500, 5))).toEqual(Array.from(simulateSbg(createRng(3), p, 500, 5)));
  });
});
