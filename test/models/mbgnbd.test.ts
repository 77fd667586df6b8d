import { describe, expect, it } from "vitest";
import { createRng } from "../../src/lib/random.js";
import {
  fitMbgnbd,
  mbgnbdConditionalExpectedPurchases,
  mbgnbdExpectedPurchases,
  mbgnbdExpectedPurchasesIfAlive,
  mbgnbdGroupedLogLik,
  mbgnbdLogLik,
  mbgnbdLogLikPerCustomer,
  mbgnbdProbabilityAlive,
  mbgnbdProbabilityOfPurchases,
  simulateMbgnbd,
  MBGNBD_PARAM_NAMES,
} from "../../src/lib/models/mbgnbd.js";
import { groupRfm } from "../../src/lib/models/data.js";
import { hyp2f1 } from "../../src/lib/models/hyp2f1.js";
import { checkIdentification } from "../../src/lib/models/identification.js";
import { betaGrid, cdnowRfm, expect2, gammaGrid } from "./helpers.js";

// Published MBG/NBD estimates on the 2,357-customer CDNOW calibration data: BTYDplus
// (Platzer, github.com/mplatzer/BTYDplus), reproduced by lifetimes' test
// `TestModifiedBetaGeoFitter.test_params_out_is_close_to_BTYDplus` (r 0.525, α 6.183, a 0.891, b 1.614).
const PUBLISHED = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };

/**
 * lifetimes' ModifiedBetaGeoFitter formulas, transcribed term by term from its docstrings so that
 * the library's route (through BG/NBD with b + 1) is checked against the reference's direct one.
 */
const reference = {
  expected: (p: typeof PUBLISHED, t: number) =>
    (p.b / (p.a - 1)) *
    (1 - hyp2f1(p.r, p.b + 1, p.a + p.b, t / (p.alpha + t)) * Math.pow(p.alpha / (p.alpha + t), p.r)),
  alive: (p: typeof PUBLISHED, x: number, tx: number, T: number) =>
    1 / (1 + (p.a / (p.b + x)) * Math.pow((p.alpha + T) / (p.alpha + tx), p.r + x)),
  conditional: (p: typeof PUBLISHED, t: number, x: number, tx: number, T: number) => {
    const hyp = hyp2f1(p.r + x, p.b + x + 1, p.a + p.b + x, t / (p.alpha + T + t));
    const num = ((p.a + p.b + x) / (p.a - 1)) * (1 - hyp * Math.pow((p.alpha + T) / (p.alpha + t + T), p.r + x));
    return num / (1 + (p.a / (p.b + x)) * Math.pow((p.alpha + T) / (p.alpha + tx), p.r + x));
  },
};

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("MBG/NBD fit on CDNOW", () => {
  const data = cdnowRfm();
  const f = fitMbgnbd(data);

  it("gives the published r = 0.525, α = 6.183, a = 0.891, b = 1.614 (BTYDplus; lifetimes' test)", () => {
    for (const k of MBGNBD_PARAM_NAMES) expect(f[k]).toBeCloseTo(PUBLISHED[k], 3);
    // Better than BG/NBD's −9582.43 on the same data (one more way to leave, same parameter count).
    expect(f.logLik).toBeGreaterThan(-9582.43);
    expect(f.logLik).toBeLessThan(-9580);
  });

  it("reaches the same maximum from widely different starts (log-likelihood within 1e-6 of the best)", () => {
    const starts = [
      [1, 1, 1, 1],
      [0.01, 0.1, 0.1, 10],
      [10, 100, 5, 0.2],
      [0.5, 20, 3, 3],
    ];
    const each = starts.map((s) => fitMbgnbd(data, { starts: [s], standardErrors: false }).logLik);
    const best = Math.max(...each, f.logLik);
    for (const ll of each) expect(best - ll).toBeLessThan(1e-6);
  });

  it("is identified on CDNOW: no parameter at a bound, standard errors below the estimates", () => {
    const id = checkIdentification(MBGNBD_PARAM_NAMES, f);
    expect(id.warnings).toEqual([]);
    expect(id.unusable).toBe(false);
  });

  it("has a summed per-customer log-likelihood equal to the grouped, recurrence-based one", () => {
    const per = mbgnbdLogLikPerCustomer(PUBLISHED, data).reduce((s, v) => s + v, 0);
    expect(per).toBeCloseTo(mbgnbdLogLik(PUBLISHED, data), 7);
  });

  it("has an analytic gradient that matches central differences of the log-likelihood", () => {
    const g = groupRfm(data);
    const th = Float64Array.from(MBGNBD_PARAM_NAMES.map((k) => Math.log(PUBLISHED[k])));
    const grad = new Float64Array(4);
    const ll = (t: Float64Array) =>
      mbgnbdGroupedLogLik({ r: Math.exp(t[0]), alpha: Math.exp(t[1]), a: Math.exp(t[2]), b: Math.exp(t[3]) }, g);
    mbgnbdGroupedLogLik(PUBLISHED, g, grad);
    for (let i = 0; i < 4; i++) {
      const h = 1e-6;
      const tp = Float64Array.from(th),
        tm = Float64Array.from(th);
      tp[i] += h;
      tm[i] -= h;
      expect(grad[i]).toBeCloseTo((ll(tp) - ll(tm)) / (2 * h), 3);
    }
  });

  it("matches lifetimes' likelihood terms A₁…A₄ for one customer", () => {
    // lifetimes: A₁ = lnΓ(r+x) − lnΓ(r) + r ln α; A₂ = lnΓ(a+b) + lnΓ(b+x+1) − lnΓ(b) − lnΓ(a+b+x+1);
    // A₃ = −(r+x) ln(α+T); A₄ = ln a − ln(b+x) + (r+x)(ln(α+T) − ln(α+t_x)); ℓ = A₁+A₂+A₃+ln(1+e^A₄).
    // Here with r = 1, a = 1, b = 2 (Γ at integers): x = 2, t_x = 3, T = 5, α = 1.
    const p = { r: 1, alpha: 1, a: 1, b: 2 };
    const A1 = Math.log(2) + 0; // lnΓ(3) − lnΓ(1) + 1·ln 1
    const A2 = Math.log(2) + Math.log(24) - 0 - Math.log(120); // lnΓ(3) + lnΓ(5) − lnΓ(2) − lnΓ(6)
    const A3 = -3 * Math.log(6);
    const A4 = Math.log(1) - Math.log(4) + 3 * (Math.log(6) - Math.log(4));
    const expected = A1 + A2 + A3 + Math.log1p(Math.exp(A4));
    const got = mbgnbdLogLikPerCustomer(p, { frequency: [2], recency: [3], T: [5] })[0];
    expect(got).toBeCloseTo(expected, 12);
  });
});

describe("MBG/NBD predictions", () => {
  const data = cdnowRfm();
  const f = fitMbgnbd(data);

  it("matches lifetimes' per-customer formulas for every CDNOW customer to 1e-6 (relative)", () => {
    const t = 39;
    const alive = mbgnbdProbabilityAlive(f, data);
    const cond = mbgnbdConditionalExpectedPurchases(f, t, data);
    for (let i = 0; i < data.frequency.length; i++) {
      const x = data.frequency[i],
        tx = data.recency[i],
        T = data.T[i];
      expect(rel(alive[i], reference.alive(f, x, tx, T))).toBeLessThan(1e-6);
      expect(rel(cond[i], reference.conditional(f, t, x, tx, T))).toBeLessThan(1e-6);
    }
    for (const u of [0.1429, 1, 3, 31.8571, 32, 78])
      expect(rel(mbgnbdExpectedPurchases(f, u), reference.expected(f, u))).toBeLessThan(1e-9);
  });

  it("matches a 2-D numerical integration of the model's definition for E[Y(t) | x, t_x, T] and P(alive)", () => {
    // Independent oracle, no ₂F₁: the individual likelihood is (1−p)^(x+1) λ^x e^(−λT) (alive: x + 1
    // flips survived) + p (1−p)^x λ^x e^(−λ t_x) (left at t_x); an active customer then buys
    // E[X(t) | λ, p] = (1 − e^(−λpt))/p in the next t (FHL 2005 eq. 4). Posterior expectations by
    // quadrature over λ ~ Gamma(r + x, α + t_x) and p ~ Beta(a, b).
    for (const [x, tx, T, t] of [
      [2, 30.43, 38.86, 39],
      [0, 0, 32, 52],
      [7, 20, 35, 26],
    ]) {
      const lam = gammaGrid(PUBLISHED.r + x, PUBLISHED.alpha + tx, 1200);
      const pg = betaGrid(PUBLISHED.a, PUBLISHED.b, 1200);
      const alive = (l: number, p: number) => Math.pow(1 - p, x + 1) * Math.exp(-l * (T - tx));
      const dead = (_l: number, p: number) => p * Math.pow(1 - p, x);
      const num = expect2(lam, pg, (l, p) => alive(l, p) * (-Math.expm1(-l * p * t) / p));
      const den = expect2(lam, pg, (l, p) => alive(l, p) + dead(l, p));
      const h = { frequency: [x], recency: [tx], T: [T] };
      expect(rel(mbgnbdConditionalExpectedPurchases(PUBLISHED, t, h)[0], num / den)).toBeLessThan(1e-6);
      expect(mbgnbdProbabilityAlive(PUBLISHED, h)[0]).toBeCloseTo(expect2(lam, pg, alive) / den, 8);
    }
  });

  it("matches a Monte Carlo simulation of E[X(t)] and P(X(t) = 0, 1, 2) within 4 standard errors", () => {
    // 200,000 simulated customers observed for t = 39 weeks; MC standard errors from the sample.
    const t = 39;
    const n = 200_000;
    const sim = simulateMbgnbd(createRng(12), PUBLISHED, new Float64Array(n).fill(t));
    let m = 0,
      m2 = 0;
    const counts = [0, 0, 0];
    for (const x of sim.frequency) {
      m += x;
      m2 += x * x;
      if (x < 3) counts[x]++;
    }
    m /= n;
    const se = Math.sqrt((m2 / n - m * m) / n);
    expect(Math.abs(mbgnbdExpectedPurchases(PUBLISHED, t) - m)).toBeLessThan(4 * se);
    for (let k = 0; k < 3; k++) {
      const q = counts[k] / n;
      expect(Math.abs(mbgnbdProbabilityOfPurchases(PUBLISHED, t, k) - q)).toBeLessThan(
        4 * Math.sqrt((q * (1 - q)) / n),
      );
    }
  });

  it("has P(X(t) = n) summing to 1 with mean E[X(t)]", () => {
    let s = 0,
      mean = 0;
    for (let k = 0; k < 2000; k++) {
      const q = mbgnbdProbabilityOfPurchases(PUBLISHED, 52, k);
      s += q;
      mean += k * q;
    }
    expect(s).toBeCloseTo(1, 10);
    expect(rel(mean, mbgnbdExpectedPurchases(PUBLISHED, 52))).toBeLessThan(1e-9);
    expect(mbgnbdProbabilityOfPurchases(PUBLISHED, 0, 0)).toBeCloseTo(1, 14);
  });

  it("has P(alive) below 1 at x = 0 and decreasing as the last purchase gets older", () => {
    const pa = mbgnbdProbabilityAlive(PUBLISHED, {
      frequency: [0, 0, 3, 3, 3],
      recency: [0, 0, 38, 20, 2],
      T: [1, 38, 38, 38, 38],
    });
    expect(pa[0]).toBeLessThan(1);
    expect(pa[0]).toBeGreaterThan(pa[1]);
    expect(pa[2]).toBeGreaterThan(pa[3]);
    expect(pa[3]).toBeGreaterThan(pa[4]);
  });

  it("is finite and continuous at a = 1 (the removable singularity of b/(a − 1))", () => {
    const at = (a: number) => mbgnbdExpectedPurchases({ ...PUBLISHED, a }, 52);
    expect(Number.isFinite(at(1))).toBe(true);
    expect(rel(at(1), (at(1 - 1e-3) + at(1 + 1e-3)) / 2)).toBeLessThan(1e-6);
    const e = mbgnbdExpectedPurchasesIfAlive({ ...PUBLISHED, a: 1 }, 52, 3, 30);
    expect(Number.isFinite(e) && e > 0).toBe(true);
  });

  it("refuses data it cannot be fitted on instead of returning nonsense parameters", () => {
    expect(() => fitMbgnbd({ frequency: [0, 0, 0], recency: [0, 0, 0], T: [5, 6, 7] })).toThrow(
      /all frequencies are 0/,
    );
    expect(() => fitMbgnbd({ frequency: [3], recency: [4], T: [6] })).toThrow(/a single customer/);
    expect(() => fitMbgnbd({ frequency: [1, 2], recency: [0, 0], T: [0, 0] })).toThrow(/T = 0/);
  });
});

describe("MBG/NBD simulate-then-fit", () => {
  it("recovers r, α, a, b of a 10,000-customer simulation within 4 standard errors", () => {
    const truth = { r: 0.5, alpha: 6, a: 0.9, b: 1.6 };
    const rng = createRng(2025);
    const T = Float64Array.from({ length: 10000 }, () => 26 + 26 * rng.next());
    const f = fitMbgnbd(simulateMbgnbd(rng, truth, T));
    for (const k of MBGNBD_PARAM_NAMES) expect(Math.abs(f[k] - truth[k])).toBeLessThan(4 * f.se![k]);
  });

  it("flags a fit on customers who never leave (dropout runs to 0) as weakly identified", () => {
    // Nobody leaves (p ≈ 0): the likelihood rises as a → 0 or b → ∞, and the checks must say so.
    const rng = createRng(7);
    const T = Float64Array.from({ length: 3000 }, () => 26 + 26 * rng.next());
    const f = fitMbgnbd(simulateMbgnbd(rng, { r: 2, alpha: 10, a: 1e-3, b: 1e4 }, T));
    const id = checkIdentification(MBGNBD_PARAM_NAMES, f);
    expect(id.weak).toBe(true);
    expect(id.warnings.length).toBeGreaterThan(0);
  });
});
