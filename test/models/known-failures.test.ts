/**
 * Regression tests for the known failing inputs of issue 14. Every expected value comes from
 * an independent computation written here — numerical quadrature of the model's defining
 * integral, a closed form, or a replay of the random draws — never from the library's own
 * special-function code.
 */
import { describe, expect, it } from "vitest";
import {
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesIfAlive,
  bgnbdProbabilityAliveOne,
  fitBgnbd,
} from "../../src/lib/models/bgnbd.js";
import { fitGammaGamma, gammaGammaExpectedSpendOne, gammaGammaLogLik } from "../../src/lib/models/gammagamma.js";
import {
  fitParetoNbd,
  paretoNbdLogLikPerCustomer,
  paretoNbdProbabilityAliveOne,
} from "../../src/lib/models/paretonbd.js";
import { fitSbg, sbgExpectedResidualLifetime } from "../../src/lib/models/sbg.js";
import { drawParameters } from "../../src/lib/models/uncertainty.js";
import { predictClv, predictClvWithBands } from "../../src/lib/models/clv.js";
import { monthLength, monthlyDiscountRate } from "../../src/lib/models/discounting.js";
import { lgamma } from "../../src/lib/models/special.js";
import { createRng } from "../../src/lib/random.js";
import { cdnowWithSpend } from "./helpers.js";

/** Composite Simpson's rule with n (even) intervals. */
function simpson(f: (u: number) => number, lo: number, hi: number, n: number): number {
  const h = (hi - lo) / n;
  let s = f(lo) + f(hi);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(lo + i * h);
  return (s * h) / 3;
}

describe("Pareto/NBD with x in the hundreds (₂F₁ overflow or cancellation)", () => {
  // The second likelihood term is s ∫_{t_x}^{T} (α + τ)^−(r+x) (β + τ)^−(s+1) dτ (FHL note on
  // the Pareto/NBD, the step before eqs. 19–20: the customer dies at τ ∈ (t_x, T]), so
  //   P(alive) = 1 / (1 + s (α + T)^(r+x) (β + T)^s I),  I = that integral,
  // computed here by Simpson's rule in log space (scaled by the integrand at t_x).
  function logIntegral(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
    const f = (tau: number) => -(r + x) * Math.log(alpha + tau) - (s + 1) * Math.log(beta + tau);
    const f0 = f(tx);
    return f0 + Math.log(simpson((tau) => Math.exp(f(tau) - f0), tx, T, 200_000));
  }
  function aliveByQuadrature(
    r: number,
    alpha: number,
    s: number,
    beta: number,
    x: number,
    tx: number,
    T: number,
  ): number {
    const logOdds =
      Math.log(s) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + logIntegral(r, alpha, s, beta, x, tx, T);
    return 1 / (1 + Math.exp(logOdds));
  }
  const cases = [
    // α ≥ 12β: the P(alive) was empty (NaN); truth ≈ 0.757
    { name: "α = 100 β", p: { r: 0.55, alpha: 1000, s: 0.6, beta: 10 }, x: 300, tx: 90, T: 100, truth: 0.757 },
    // β ≥ 3α: the P(alive) was 1; truth ≈ 0.647
    { name: "β = 12 α", p: { r: 0.55, alpha: 10, s: 0.6, beta: 120 }, x: 1000, tx: 38.61, T: 39, truth: 0.647 },
  ];
  for (const c of cases) {
    it(`gives P(alive) and the log-likelihood of the quadrature when ${c.name}, x = ${c.x}`, () => {
      const { r, alpha, s, beta } = c.p;
      const expected = aliveByQuadrature(r, alpha, s, beta, c.x, c.tx, c.T);
      expect(expected).toBeCloseTo(c.truth, 3);
      const got = paretoNbdProbabilityAliveOne(c.p, c.x, c.tx, c.T);
      expect(Math.abs(got - expected)).toBeLessThan(1e-9);
      // ℓ = ln Γ(r + x) − ln Γ(r) + r ln α + s ln β + ln[(α + T)^−(r+x) (β + T)^−s + s I]
      const head = lgamma(r + c.x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
      const t1 = -(r + c.x) * Math.log(alpha + c.T) - s * Math.log(beta + c.T);
      const t2 = Math.log(s) + logIntegral(r, alpha, s, beta, c.x, c.tx, c.T);
      const ll = head + Math.max(t1, t2) + Math.log1p(Math.exp(-Math.abs(t1 - t2)));
      const [got2] = paretoNbdLogLikPerCustomer(c.p, { frequency: [c.x], recency: [c.tx], T: [c.T] });
      expect(Number.isFinite(got2)).toBe(true);
      expect(Math.abs(got2 - ll)).toBeLessThan(1e-8 * Math.abs(ll));
    });
  }
});

describe("sBG DERL at many renewals and d < 1/9", () => {
  // After n − 1 = renewals renewals the churn probability has the posterior Beta(γ, δ + renewals),
  // and DERL = Σ_{k≥0} E[(1 − θ)^(k+1)] / (1 + d)^k = E[(1 − θ) / (1 − v (1 − θ))], v = 1/(1 + d)
  // (F&H 2010 §2). Quadrature with θ = w^(1/γ), which removes the θ^(γ−1) singularity at 0.
  function derlByQuadrature(gamma: number, delta: number, renewals: number, d: number): number {
    const v = 1 / (1 + d);
    const b = delta + renewals;
    const weight = (w: number) => {
      const theta = Math.pow(w, 1 / gamma);
      return theta >= 1 ? 0 : Math.exp((b - 1) * Math.log1p(-theta));
    };
    const num = simpson(
      (w) => {
        const theta = Math.pow(w, 1 / gamma);
        return (weight(w) * (1 - theta)) / (1 - v * (1 - theta));
      },
      0,
      1,
      2_000_000,
    );
    return num / simpson(weight, 0, 1, 2_000_000);
  }
  it("gives ≈ 10.73 for γ 0.704, δ 1.182, 300 renewals, d 0.1 (it gave −181.1)", () => {
    const p = { gamma: 0.704, delta: 1.182 };
    const expected = derlByQuadrature(p.gamma, p.delta, 300, 0.1);
    expect(expected).toBeCloseTo(10.73, 2);
    expect(Math.abs(sbgExpectedResidualLifetime(p, 300, 0.1) - expected)).toBeLessThan(1e-7 * expected);
  });
  it("stays right with a monthly rate (1.1^(1/12) − 1) at 300 and 1,000 renewals", () => {
    const p = { gamma: 0.704, delta: 1.182 };
    const d = monthlyDiscountRate(0.1);
    for (const n of [300, 1000]) {
      const expected = derlByQuadrature(p.gamma, p.delta, n, d);
      expect(Math.abs(sbgExpectedResidualLifetime(p, n, d) - expected)).toBeLessThan(1e-7 * expected);
    }
  });
  it("equals the closed form (δ + n)/(γ − 1), the mean of (1 − θ)/θ under Beta(γ, δ + n), at d = 0", () => {
    expect(sbgExpectedResidualLifetime({ gamma: 2.5, delta: 4 }, 10, 0)).toBeCloseTo(14 / 1.5, 12);
    expect(() => sbgExpectedResidualLifetime({ gamma: 0.7, delta: 4 }, 10, 0)).toThrow(/infinite/);
  });
});

describe("BG/NBD at a = 1 (a removable singularity)", () => {
  // E[X(t) | λ, p] = (1 − e^(−λ p t))/p (FHL 2005 §3); over λ ~ Gamma(r, α) this is
  // (1 − (α/(α + p t))^r)/p, and over p ~ Beta(a, b) a one-dimensional integral.
  function expectedByQuadrature(r: number, alpha: number, a: number, b: number, t: number): number {
    const lb = lgamma(a) + lgamma(b) - lgamma(a + b);
    const f = (p: number) => {
      if (p <= 0) return ((r * t) / alpha) * (a === 1 ? Math.exp(-lb) : 0);
      if (p >= 1) return 0;
      return (
        (-Math.expm1(-r * Math.log1p((p * t) / alpha)) / p) *
        Math.exp((a - 1) * Math.log(p) + (b - 1) * Math.log1p(-p) - lb)
      );
    };
    return simpson(f, 0, 1, 400_000);
  }
  it("gives the quadrature's E[X(t)] at a = 1 exactly, and is continuous across it", () => {
    const p = { r: 0.243, alpha: 4.41, a: 1, b: 2.43 };
    for (const t of [1, 39, 78, 260]) {
      const expected = expectedByQuadrature(p.r, p.alpha, 1, p.b, t);
      const got = bgnbdExpectedPurchases(p, t);
      expect(Number.isFinite(got)).toBe(true);
      expect(Math.abs(got - expected)).toBeLessThan(1e-8 * expected);
      for (const a of [1 - 1e-9, 1 + 1e-9, 1 + 2e-4])
        expect(Math.abs(bgnbdExpectedPurchases({ ...p, a }, t) - expected)).toBeLessThan(1e-3 * expected);
    }
  });
  it("values a customer at a = 1 as the month-by-month sum of the quadrature's conditional purchases", () => {
    const p = { r: 0.243, alpha: 4.41, a: 1, b: 2.43 };
    const data = { frequency: [3], recency: [30.4], T: [38.9], monetaryValue: [25] };
    const spend = { p: 6.25, q: 3.74, gamma: 15.44 };
    const months = 12;
    const got = predictClv("bgnbd", p, spend, data, { unit: "weeks", months, annualDiscount: 0.1, margin: 0.3 });
    // Posterior of an active customer: r + x, α + T, a, b + x (FHL 2005 eq. 10).
    const ifAlive = (t: number) => expectedByQuadrature(p.r + 3, p.alpha + 38.9, 1, p.b + 3, t);
    const v = 1 / (1 + monthlyDiscountRate(0.1));
    let sum = 0,
      prev = 0;
    for (let k = 1; k <= months; k++) {
      const cur = ifAlive(k * monthLength("weeks"));
      sum += (cur - prev) * Math.pow(v, k);
      prev = cur;
    }
    const expected = 0.3 * gammaGammaExpectedSpendOne(spend, 3, 25) * bgnbdProbabilityAliveOne(p, 3, 30.4, 38.9) * sum;
    expect(Math.abs(got.clv[0] - expected)).toBeLessThan(1e-7 * expected);
    expect(bgnbdConditionalExpectedPurchases(p, 52, data)[0]).toBeCloseTo(
      bgnbdProbabilityAliveOne(p, 3, 30.4, 38.9) * ifAlive(52),
      8,
    );
    expect(bgnbdExpectedPurchasesIfAlive(p, 52, 3, 38.9)).toBeCloseTo(ifAlive(52), 8);
  });
});

describe("Gamma-Gamma on degenerate spend", () => {
  it("refuses constant spend, whose likelihood has no maximum (it rises without bound as p, q → ∞)", () => {
    const data = { frequency: [1, 2, 3, 5, 8], monetaryValue: [10, 10, 10, 10, 10] };
    expect(() => fitGammaGamma(data)).toThrow(/same mean spend/);
    // Along p = q = k with the population mean p γ/(q − 1) held at 10, the log-likelihood grows with k.
    const ll = (k: number) => gammaGammaLogLik({ p: k, q: k, gamma: (10 * (k - 1)) / k }, data);
    expect(ll(1e2)).toBeLessThan(ll(1e4));
    expect(ll(1e4)).toBeLessThan(ll(1e6));
  });
  it("refuses a single repeat customer", () => {
    expect(() => fitGammaGamma({ frequency: [0, 4, 0], monetaryValue: [0, 12.5, 0] })).toThrow(
      /single repeat customer/,
    );
  });
  it("fits CDNOW with a $0 repeat customer added exactly as CDNOW alone, and counts the excluded row", () => {
    const cdnow = cdnowWithSpend();
    const base = fitGammaGamma(cdnow, { standardErrors: false });
    const withZero = fitGammaGamma(
      { frequency: [...cdnow.frequency, 2], monetaryValue: [...cdnow.monetaryValue, 0] },
      { standardErrors: false },
    );
    expect(withZero.excludedZeroSpend).toBe(1);
    expect(base.excludedZeroSpend).toBeUndefined();
    for (const k of ["p", "q", "gamma"] as const) expect(withZero[k]).toBe(base[k]);
    // and the CLV of that customer is the population-mean-shrunk spend p γ/(p x + q − 1), not an error
    const row = { frequency: [2], recency: [20], T: [30], monetaryValue: [0] };
    const clv = predictClv("bgnbd", { r: 0.243, alpha: 4.41, a: 0.793, b: 2.43 }, base, row, {
      unit: "weeks",
      months: 12,
      annualDiscount: 0.1,
      margin: 1,
    });
    expect(clv.expectedSpend[0]).toBeCloseTo((base.p * base.gamma) / (2 * base.p + base.q - 1), 10);
  });
});

describe("band draws of the spend model with q ≤ 1 (infinite mean spend)", () => {
  it("replaces every draw with q ≤ 1 (the count replayed from the same seed) and keeps P10 ≥ 0", () => {
    const cdnow = cdnowWithSpend();
    const data = {
      ...cdnow,
      frequency: cdnow.frequency.slice(0, 300),
      recency: cdnow.recency.slice(0, 300),
      T: cdnow.T.slice(0, 300),
      monetaryValue: cdnow.monetaryValue.slice(0, 300),
    };
    const bg = fitBgnbd(cdnow);
    // q = 1.2 with a log-scale SD of 0.5: P(q ≤ 1) = Φ(−ln 1.2 / 0.5) ≈ 36% of the raw draws.
    const spend = {
      p: 6.25,
      q: 1.2,
      gamma: 15.44,
      logLik: 0,
      covLog: [
        [0.01, 0, 0],
        [0, 0.25, 0],
        [0, 0, 0.01],
      ],
    };
    const J = 200;
    const out = predictClvWithBands("bgnbd", bg, spend, data, {
      unit: "weeks",
      months: 12,
      annualDiscount: 0.1,
      margin: 0.3,
      draws: J,
      rng: createRng(7),
      binAbove: Infinity,
    });
    // Replay: the library draws J purchase-model vectors, then J spend vectors, then one replacement at a time.
    const rng = createRng(7);
    drawParameters(rng, ["r", "alpha", "a", "b"], bg, bg.covLog, J);
    const sDraws = drawParameters(rng, ["p", "q", "gamma"], spend, spend.covLog, J);
    let rejected = 0;
    for (let j = 0; j < J; j++) {
      while (!(sDraws[j].q > 1)) {
        rejected++;
        sDraws[j] = drawParameters(rng, ["p", "q", "gamma"], spend, spend.covLog, 1)[0];
      }
    }
    expect(rejected).toBeGreaterThan(40);
    expect(out.rejectedDraws).toBe(rejected);
    for (let i = 0; i < data.frequency.length; i++) {
      expect(out.clvP10[i]).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(out.clvP90[i])).toBe(true);
    }
    expect(out.totalP10).toBeGreaterThan(0);
  });
});

describe("data a purchase or renewal model cannot be fitted on", () => {
  const zeros = { frequency: [0, 0, 0], recency: [0, 0, 0], T: [10, 20, 30] };
  it("refuses all-zero frequencies", () => {
    expect(() => fitBgnbd(zeros)).toThrow(/no customer made a repeat purchase/);
    expect(() => fitParetoNbd(zeros)).toThrow(/no customer made a repeat purchase/);
  });
  it("refuses a single customer", () => {
    const one = { frequency: [3], recency: [20], T: [30] };
    expect(() => fitBgnbd(one)).toThrow(/single customer/);
    expect(() => fitParetoNbd(one)).toThrow(/single customer/);
  });
  it("refuses x > 0 with T = 0, naming the row", () => {
    expect(() => fitBgnbd({ frequency: [1, 2], recency: [5, 0], T: [10, 0] })).toThrow(
      /row 1: 2 repeat purchases in an observation of length T = 0/,
    );
  });
  it("refuses sBG cohorts without a single churn", () => {
    expect(() =>
      fitSbg([
        [100, 100, 100],
        [50, 50],
      ]),
    ).toThrow(/no customer churned/);
  });
});
