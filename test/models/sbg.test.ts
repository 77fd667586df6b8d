import { describe, expect, it } from "vitest";
import { createRng } from "../../src/lib/random.js";
import {
  fitSbg,
  sbgChurnProbability,
  sbgExpectedResidualLifetime,
  sbgLogLik,
  sbgProjectSurvivors,
  sbgConditionalSurvival,
  sbgDiscountedSurvival,
  sbgRetention,
  sbgSurvival,
  simulateSbg,
} from "../../src/lib/models/sbg.js";
import { closedFormDiscountedExpectedLifetime, closedFormDiscountedSurvival } from "../support/sbg-closed-form.js";

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
    expect(closedFormDiscountedExpectedLifetime(p, 0.1)).toBeCloseTo(direct, 9);
  });

  it("values a monthly contract as DERL/(1 + d_m) per unit of payment when the horizon is long", () => {
    const dm = Math.pow(1.1, 1 / 12) - 1;
    const f = sbgDiscountedSurvival(p, 3, 3000, dm);
    expect(f).toBeCloseTo(sbgExpectedResidualLifetime(p, 3, dm) / (1 + dm), 6);
  });
});

describe("sBG discounted survival (value of a running contract per unit of payment)", () => {
  it("pays the next period only if the account renews: (δ + n)/(γ + δ + n) ÷ (1 + d)", () => {
    // γ = 1, δ = 3, n = 0: P(renew) = 3/4; discounted 10%: 0.75 / 1.1.
    expect(sbgDiscountedSurvival({ gamma: 1, delta: 3 }, 0, 1, 0)).toBeCloseTo(0.75, 12);
    expect(sbgDiscountedSurvival({ gamma: 1, delta: 3 }, 0, 1, 0.1)).toBeCloseTo(0.75 / 1.1, 12);
    // Two periods, n = 2: renew 5/6, then 6/7 more: 5/6 + 5/6 × 6/7 = 5/6 + 5/7.
    expect(sbgDiscountedSurvival({ gamma: 1, delta: 3 }, 2, 2, 0)).toBeCloseTo(5 / 6 + 5 / 7, 12);
  });

  it("matches the closed-form survival B(γ, δ + t)/B(γ, δ) for any parameters, including δ = ∞", () => {
    for (const q of [
      { gamma: 0.2, delta: 1.1 },
      { gamma: 3.4, delta: 76 },
      { gamma: 0.05, delta: 0.3 },
    ]) {
      for (const n of [0, 1, 12, 40]) {
        expect(sbgDiscountedSurvival(q, n, 60, 0.008)).toBeCloseTo(closedFormDiscountedSurvival(q, n, 60, 0.008), 10);
        // With d = 0: the expected number of payments, Σ S(n + k)/S(n).
        expect(sbgDiscountedSurvival(q, n, 24, 0)).toBeCloseTo(closedFormDiscountedSurvival(q, n, 24, 0), 10);
      }
    }
    // No churn at all: 60 discounted payments of 1.
    const annuity = (1 - Math.pow(1.008, -60)) / 0.008;
    expect(sbgDiscountedSurvival({ gamma: 1, delta: Number.POSITIVE_INFINITY }, 3, 60, 0.008)).toBeCloseTo(annuity, 10);
    // γ = ∞: nobody renews.
    expect(sbgDiscountedSurvival({ gamma: Number.POSITIVE_INFINITY, delta: 2 }, 3, 60, 0.008)).toBe(0);
  });

  it("applies scenario multipliers: churn × h(k), payment × m(k)", () => {
    const q = { gamma: 0.5, delta: 10 };
    // n = 3, k = 1: t = 4, churn γ/(γ + δ + 3) = 0.5/13.5; doubled and the payment halved.
    const first = 1 - 2 * (0.5 / 13.5);
    expect(sbgDiscountedSurvival(q, 3, 1, 0, { hazard: [2], revenue: [0.5] })).toBeCloseTo(0.5 * first, 12);
    expect(sbgConditionalSurvival(q, 3, 1, [2])[0]).toBeCloseTo(first, 12);
    // A hazard that makes churn certain ends survival; h = 0 keeps everyone.
    expect(sbgConditionalSurvival(q, 3, 2, [100, 1])).toEqual(new Float64Array([0, 0]));
    expect(sbgConditionalSurvival(q, 3, 2, [0, 0])).toEqual(new Float64Array([1, 1]));
    // Neutral multipliers: R(k) = S(n + k)/S(n).
    const R = sbgConditionalSurvival(q, 3, 5);
    for (let k = 1; k <= 5; k++) expect(R[k - 1]).toBeCloseTo(sbgSurvival(q, 3 + k) / sbgSurvival(q, 3), 12);
  });

  it("treats a constant churn q as the geometric limit: R(k) = (1 − q)^k", () => {
    const R = sbgConditionalSurvival({ churn: 0.1 }, 7, 3);
    expect(Array.from(R)).toEqual([0.9, 0.9 * 0.9, 0.9 * 0.9 * 0.9].map((x) => expect.closeTo(x, 14)));
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
