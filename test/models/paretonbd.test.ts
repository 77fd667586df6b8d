import { describe, expect, it } from "vitest";
import { createRng } from "../../src/lib/random.js";
import {
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdLogLik,
  paretoNbdLogLikPerCustomer,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityOfPurchases,
  simulateParetoNbd,
} from "../../src/lib/models/paretonbd.js";
import { groupRfm } from "../../src/lib/models/data.js";
import { cdnowRfm, expect2, gammaGrid } from "./helpers.js";

// Oracle values: Fader, Hardie & Lee (2005, Marketing Science) report the Pareto/NBD fit to
// the CDNOW sample as r = 0.55, α = 10.58, s = 0.61, β = 11.67, LL = −9595.0 (also the
// lifetimes ParetoNBDFitter result on this file).
const FIT = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

describe("Pareto/NBD fit on CDNOW", () => {
  const data = cdnowRfm();
  const f = fitParetoNbd(data);

  it("gives r = 0.553, α = 10.578, s = 0.606, β = 11.669 and LL = −9595.0", () => {
    expect(f.r).toBeCloseTo(0.553, 3);
    expect(f.alpha).toBeCloseTo(10.578, 2);
    expect(f.s).toBeCloseTo(0.606, 3);
    expect(f.beta).toBeCloseTo(11.669, 2);
    expect(f.logLik).toBeCloseTo(-9595.0, 1);
  });

  it("reaches the same maximum from several starts (log-likelihood within 1e-6 of the best)", () => {
    const starts = [
      [1, 1, 1, 1],
      [0.1, 50, 3, 2],
      [3, 3, 0.2, 40],
    ];
    const each = starts.map((s) => fitParetoNbd(data, { starts: [s], standardErrors: false }).logLik);
    const best = Math.max(...each, f.logLik);
    for (const ll of each) expect(best - ll).toBeLessThan(1e-6);
    expect(best - f.logLik).toBeLessThan(1e-6);
  });

  it("has an analytic gradient that matches central differences of the log-likelihood (α < β, α > β, α = β, x in the hundreds)", () => {
    const g = groupRfm({
      frequency: [...data.frequency, 300, 250],
      recency: [...data.recency, 90, 38.61],
      T: [...data.T, 100, 39],
    });
    for (const p of [
      FIT,
      { r: 0.8, alpha: 14, s: 0.4, beta: 3 },
      { r: 1.3, alpha: 7, s: 1.7, beta: 7 },
      { r: 0.55, alpha: 1000, s: 0.6, beta: 10 },
    ]) {
      const th = [p.r, p.alpha, p.s, p.beta].map(Math.log);
      const grad = new Float64Array(4);
      paretoNbdLogLik(p, g, grad);
      const ll = (t: number[]) =>
        paretoNbdLogLik({ r: Math.exp(t[0]), alpha: Math.exp(t[1]), s: Math.exp(t[2]), beta: Math.exp(t[3]) }, g);
      for (let i = 0; i < 4; i++) {
        const h = 1e-5;
        const tp = th.slice(),
          tm = th.slice();
        tp[i] += h;
        tm[i] -= h;
        const numeric = (ll(tp) - ll(tm)) / (2 * h);
        expect(Math.abs(grad[i] - numeric)).toBeLessThan(1e-4 * (1 + Math.abs(numeric)));
      }
    }
  });

  it("has a summed per-customer log-likelihood equal to the grouped one", () => {
    const per = paretoNbdLogLikPerCustomer(FIT, data).reduce((s, v) => s + v, 0);
    expect(per).toBeCloseTo(paretoNbdLogLik(FIT, data), 7);
  });
});

describe("Pareto/NBD likelihood and predictions against numerical integration", () => {
  // Independent oracle: the individual-level likelihood (FHL note eq. 3)
  //   L(λ, μ) = λ^x μ/(λ+μ) e^(−(λ+μ)t_x) + λ^(x+1)/(λ+μ) e^(−(λ+μ)T)
  // integrated over λ ~ Gamma(r, α), μ ~ Gamma(s, β) by quadrature (no ₂F₁).
  const cases = [
    { name: "α < β", p: FIT },
    { name: "α > β", p: { r: 0.8, alpha: 14, s: 0.4, beta: 3 } },
    { name: "α = β", p: { r: 1.3, alpha: 7, s: 1.7, beta: 7 } },
  ];
  const histories = [
    [0, 0, 30],
    [2, 30.43, 38.86],
    [5, 10, 36],
  ];
  for (const { name, p } of cases) {
    it(`matches the integrated likelihood when ${name}`, () => {
      for (const [x, tx, T] of histories) {
        const lam = gammaGrid(p.r, p.alpha, 1200),
          mu = gammaGrid(p.s, p.beta, 1200);
        const L = expect2(
          lam,
          mu,
          (l, m) => (Math.pow(l, x) * (m * Math.exp(-(l + m) * tx) + l * Math.exp(-(l + m) * T))) / (l + m),
        );
        const ll = paretoNbdLogLikPerCustomer(p, { frequency: [x], recency: [tx], T: [T] })[0];
        expect(ll).toBeCloseTo(Math.log(L), 7);
      }
    });

    it(`matches integrated P(alive) and E[Y(t) | x, t_x, T] when ${name}`, () => {
      for (const [x, tx, T] of histories) {
        // grids tilted by λ^x e^(−λ t_x) and e^(−μ t_x); the tilt cancels in the ratios
        const lam = gammaGrid(p.r + x, p.alpha + tx, 1200),
          mu = gammaGrid(p.s, p.beta + tx, 1200);
        const t = 39;
        const alive = (l: number, m: number) => Math.exp(-(l + m) * (T - tx));
        const den = expect2(lam, mu, (l, m) => (m + l * alive(l, m)) / (l + m));
        // the alive-at-T part of L is λ^x e^(−(λ+μ)T), i.e. alive(λ, μ) after the tilt
        const pa = expect2(lam, mu, alive) / den;
        // E[Y(t) | alive, λ, μ] = (λ/μ)(1 − e^(−μt)) (SMC 1987 eq. 20)
        const ey = expect2(lam, mu, (l, m) => alive(l, m) * (l / m) * -Math.expm1(-m * t)) / den;
        const h = { frequency: [x], recency: [tx], T: [T] };
        expect(paretoNbdProbabilityAlive(p, h)[0]).toBeCloseTo(pa, 7);
        expect(Math.abs(paretoNbdConditionalExpectedPurchases(p, t, h)[0] / ey - 1)).toBeLessThan(1e-6);
      }
    });
  }

  it("matches a Monte Carlo simulation of E[X(t)] (SMC 1987 eq. 17) within 4 standard errors", () => {
    const t = 39;
    const sim = simulateParetoNbd(createRng(5), FIT, new Float64Array(200_000).fill(t));
    let m = 0,
      m2 = 0;
    for (const x of sim.frequency) {
      m += x;
      m2 += x * x;
    }
    const n = sim.frequency.length;
    m /= n;
    const se = Math.sqrt((m2 / n - m * m) / n);
    expect(Math.abs(paretoNbdExpectedPurchases(FIT, t) - m)).toBeLessThan(4 * se);
  });

  it("has P(X(t) = n) summing to 1 with mean E[X(t)] (closed form, SMC 1987 eq. 17) for α < β and α > β", () => {
    for (const [p, t] of [
      [FIT, 39],
      [{ r: 0.8, alpha: 14, s: 0.4, beta: 3 }, 200],
    ] as const) {
      let total = 0,
        mean = 0;
      for (let k = 0; k < 3000; k++) {
        const q = paretoNbdProbabilityOfPurchases(p, t, k);
        total += q;
        mean += k * q;
      }
      expect(total).toBeCloseTo(1, 10);
      expect(Math.abs(mean / paretoNbdExpectedPurchases(p, t) - 1)).toBeLessThan(1e-9);
    }
    expect(paretoNbdProbabilityOfPurchases(FIT, 0, 0)).toBe(1);
  });

  it("matches a Monte Carlo simulation of P(X(t) = 0, 1, 2, 5) within 4 standard errors", () => {
    const n = 200_000;
    const sim = simulateParetoNbd(createRng(13), FIT, new Float64Array(n).fill(39));
    for (const k of [0, 1, 2, 5]) {
      const q = sim.frequency.filter((x) => x === k).length / n;
      expect(Math.abs(paretoNbdProbabilityOfPurchases(FIT, 39, k) - q)).toBeLessThan(4 * Math.sqrt((q * (1 - q)) / n));
    }
  });

  it("is continuous at s = 1 (the ln limit of E[X(t)])", () => {
    const a = paretoNbdExpectedPurchases({ ...FIT, s: 1 }, 20);
    const b = paretoNbdExpectedPurchases({ ...FIT, s: 1 + 1e-7 }, 20);
    expect(a).toBeCloseTo(b, 6);
  });

  it("keeps P(alive) in [0, 1] for every CDNOW customer", () => {
    for (const v of paretoNbdProbabilityAlive(FIT, cdnowRfm())) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });
});

describe("Pareto/NBD simulate-then-fit", () => {
  it("recovers r, α, s, β of a 6,000-customer simulation within 4 standard errors", () => {
    // Same reasoning as the BG/NBD recovery test: a correct MLE is within 4 SE with p ≈ 1 − 6e-5.
    const truth = { r: 0.6, alpha: 8, s: 0.8, beta: 12 };
    const rng = createRng(99);
    const T = Float64Array.from({ length: 6000 }, () => 26 + 26 * rng.next());
    const f = fitParetoNbd(simulateParetoNbd(rng, truth, T));
    for (const k of ["r", "alpha", "s", "beta"] as const) expect(Math.abs(f[k] - truth[k])).toBeLessThan(4 * f.se![k]);
  });
});
