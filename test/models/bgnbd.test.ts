import { describe, expect, it } from "vitest";
import { createRng } from "../../src/lib/random.js";
import {
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesIfAlive,
  bgnbdGroupedLogLik,
  bgnbdLogLik,
  bgnbdLogLikPerCustomer,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchases,
  fitBgnbd,
  simulateBgnbd,
} from "../../src/lib/models/bgnbd.js";
import { groupRfm } from "../../src/lib/models/data.js";
import { betaGrid, cdnowRfm, expect2, gammaGrid } from "./helpers.js";

// FHL 2005 = Fader, Hardie & Lee (2005), "Counting Your Customers" the Easy Way, Marketing Science 24(2).
const FHL = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe("BG/NBD fit on CDNOW", () => {
  const data = cdnowRfm();
  const f = fitBgnbd(data);

  it("gives r = 0.243, α = 4.414, a = 0.793, b = 2.426 and LL = −9582.4 (FHL 2005 §4)", () => {
    expect(f.r).toBeCloseTo(0.243, 3);
    expect(f.alpha).toBeCloseTo(4.414, 3);
    expect(f.a).toBeCloseTo(0.793, 3);
    expect(f.b).toBeCloseTo(2.426, 3);
    expect(f.logLik).toBeCloseTo(-9582.4, 1);
  });

  it("reports standard errors close to lifetimes' CDNOW summary (0.013, 0.378, 0.186, 0.705)", () => {
    // Oracle: lifetimes BetaGeoFitter.summary on the same file (observed information).
    expect(f.se!.r).toBeCloseTo(0.0126, 3);
    expect(f.se!.alpha).toBeCloseTo(0.378, 2);
    expect(f.se!.a).toBeCloseTo(0.186, 2);
    expect(f.se!.b).toBeCloseTo(0.705, 2);
  });

  it("reaches the same maximum from widely different starts (log-likelihood within 1e-6 of the best)", () => {
    const starts = [
      [1, 1, 1, 1],
      [0.01, 0.1, 0.1, 10],
      [10, 100, 5, 0.2],
      [0.5, 20, 3, 3],
    ];
    const each = starts.map((s) => fitBgnbd(data, { starts: [s], standardErrors: false }).logLik);
    const best = Math.max(...each, f.logLik);
    for (const ll of each) expect(best - ll).toBeLessThan(1e-6);
    expect(best - f.logLik).toBeLessThan(1e-6);
  });

  it("has a summed per-customer log-likelihood equal to the grouped, recurrence-based one", () => {
    const per = bgnbdLogLikPerCustomer(FHL, data).reduce((s, v) => s + v, 0);
    expect(per).toBeCloseTo(bgnbdLogLik(FHL, data), 7);
  });

  it("has an analytic gradient that matches central differences of the log-likelihood", () => {
    const g = groupRfm(data);
    const th = Float64Array.from([FHL.r, FHL.alpha, FHL.a, FHL.b].map(Math.log));
    const grad = new Float64Array(4);
    const ll = (t: Float64Array) =>
      bgnbdGroupedLogLik({ r: Math.exp(t[0]), alpha: Math.exp(t[1]), a: Math.exp(t[2]), b: Math.exp(t[3]) }, g);
    bgnbdGroupedLogLik(FHL, g, grad);
    for (let i = 0; i < 4; i++) {
      const h = 1e-6;
      const tp = Float64Array.from(th),
        tm = Float64Array.from(th);
      tp[i] += h;
      tm[i] -= h;
      expect(grad[i]).toBeCloseTo((ll(tp) - ll(tm)) / (2 * h), 3);
    }
  });
});

describe("BG/NBD predictions", () => {
  it("expects 1.226 purchases in the next 39 weeks for x = 2, t_x = 30.43, T = 38.86 (FHL 2005 §4)", () => {
    const e = bgnbdConditionalExpectedPurchases(FHL, 39, { frequency: [2], recency: [30.43], T: [38.86] });
    expect(e[0]).toBeCloseTo(1.226, 3);
  });

  it("matches a 2-D numerical integration of the model's definition for E[Y(t) | x, t_x, T]", () => {
    // Independent oracle: posterior expectation ∫∫ (1−p)^x λ^x e^(−λT) (1 − e^(−λpt))/p dG dF
    // / ∫∫ L(λ, p) dG dF with the individual-level BG/NBD likelihood (FHL 2005 eq. 3),
    // by quadrature — no ₂F₁ involved.
    for (const [x, tx, T, t] of [
      [2, 30.43, 38.86, 39],
      [0, 0, 32, 52],
      [7, 20, 35, 26],
    ]) {
      const lam = gammaGrid(FHL.r + x, FHL.alpha + tx, 1200);
      const pg = betaGrid(FHL.a, FHL.b, 1200);
      // weights relative to λ^(r+x−1) e^(−(α+t_x)λ) and p^(a−1)(1−p)^(b−1)
      const alive = (l: number, p: number) => Math.pow(1 - p, x) * Math.exp(-l * (T - tx));
      const dead = (l: number, p: number) => (x > 0 ? p * Math.pow(1 - p, x - 1) : 0);
      const num = expect2(lam, pg, (l, p) => alive(l, p) * (-Math.expm1(-l * p * t) / p));
      const den = expect2(lam, pg, (l, p) => alive(l, p) + dead(l, p));
      const got = bgnbdConditionalExpectedPurchases(FHL, t, { frequency: [x], recency: [tx], T: [T] })[0];
      expect(Math.abs(got - num / den) / (num / den)).toBeLessThan(1e-6);
      const pAlive = expect2(lam, pg, alive) / den;
      expect(bgnbdProbabilityAlive(FHL, { frequency: [x], recency: [tx], T: [T] })[0]).toBeCloseTo(pAlive, 8);
    }
  });

  it("matches a Monte Carlo simulation of E[X(t)] (FHL 2005 eq. 7) within 4 standard errors", () => {
    // 200,000 simulated customers observed for t = 39 weeks; MC standard error from the sample.
    const t = 39;
    const sim = simulateBgnbd(createRng(11), FHL, new Float64Array(200_000).fill(t));
    let m = 0,
      m2 = 0;
    for (const x of sim.frequency) {
      m += x;
      m2 += x * x;
    }
    const n = sim.frequency.length;
    m /= n;
    const se = Math.sqrt((m2 / n - m * m) / n);
    expect(Math.abs(bgnbdExpectedPurchases(FHL, t) - m)).toBeLessThan(4 * se);
  });

  it("keeps P(alive) in [0, 1], equal to 1 for x = 0, and decreasing as the last purchase gets older", () => {
    const data = cdnowRfm();
    for (const v of bgnbdProbabilityAlive(FHL, data)) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    const pa = bgnbdProbabilityAlive(FHL, { frequency: [0, 3, 3, 3], recency: [0, 38, 20, 2], T: [38, 38, 38, 38] });
    expect(pa[0]).toBe(1);
    expect(pa[1]).toBeGreaterThan(pa[2]);
    expect(pa[2]).toBeGreaterThan(pa[3]);
  });

  it("writes E[Y(t)] as E[X(t)] with posterior parameters r + x, α + T, b + x (FHL 2005 eq. 10)", () => {
    expect(bgnbdExpectedPurchasesIfAlive(FHL, 10, 0, 0)).toBeCloseTo(bgnbdExpectedPurchases(FHL, 10), 14);
  });

  it("gives P(X(2) = 10) = 1.07869e-7 (R package BTYD, bgnbd.pmf) and a PMF summing to 1 with mean E[X(t)]", () => {
    // Oracle: BTYD's documented example (cran.r-project.org/web/packages/BTYD) at FHL 2005's parameters.
    expect(Math.abs(bgnbdProbabilityOfPurchases(FHL, 2, 10) - 1.07869e-7) / 1.07869e-7).toBeLessThan(1e-4);
    let s = 0,
      mean = 0;
    for (let k = 0; k < 2000; k++) {
      const q = bgnbdProbabilityOfPurchases(FHL, 52, k);
      s += q;
      mean += k * q;
    }
    expect(s).toBeCloseTo(1, 10);
    expect(Math.abs(mean - bgnbdExpectedPurchases(FHL, 52)) / mean).toBeLessThan(1e-9);
  });

  it("rejects recency greater than T, naming the row", () => {
    expect(() => bgnbdConditionalExpectedPurchases(FHL, 1, { frequency: [1, 2], recency: [1, 9], T: [5, 8] })).toThrow(
      /invalid recency at row 1: recency 9 > T 8/,
    );
  });
});

describe("BG/NBD simulate-then-fit", () => {
  it("recovers r, α, a, b of a 20,000-customer simulation within 4 standard errors", () => {
    // T spread uniformly over 26–52 weeks as in a quarterly-acquired cohort. The fit's SEs
    // come from the observed information; a correct estimator lands within 4 SE (p ≈ 6e-5 each).
    const truth = { r: 0.5, alpha: 6, a: 0.8, b: 2.5 };
    const rng = createRng(2024);
    const T = Float64Array.from({ length: 20000 }, () => 26 + 26 * rng.next());
    const f = fitBgnbd(simulateBgnbd(rng, truth, T));
    for (const k of ["r", "alpha", "a", "b"] as const) expect(Math.abs(f[k] - truth[k])).toBeLessThan(4 * f.se![k]);
  });
});
