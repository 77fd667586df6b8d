/**
 * NBD (no dropout), the fallback when BG/NBD runs to its no-dropout boundary: its likelihood is
 * BG/NBD's limit as a → 0 (FHL 2005 eq. 6 with B(a, b + x)/B(a, b) → 1 and the dropout term → 0),
 * its maximum solves the score equations written out here, and it recovers simulated parameters.
 */
import { describe, expect, it } from "vitest";
import { bgnbdLogLik } from "../../src/lib/models/bgnbd.js";
import { fitNbd, nbdConditionalExpectedPurchases, nbdLogLik } from "../../src/lib/models/nbd.js";
import { predictClv } from "../../src/lib/models/clv.js";
import { createRng, exponential, gamma } from "../../src/lib/random.js";
import { cdnowRfm } from "./helpers.js";

/** Poisson purchasing with λ ~ Gamma(r, α), no dropout, observed for T. */
function simulate(seed: number, r: number, alpha: number, n: number) {
  const rng = createRng(seed);
  const frequency: number[] = [],
    recency: number[] = [],
    T: number[] = [];
  for (let i = 0; i < n; i++) {
    const len = 20 + 180 * rng.next();
    const lambda = gamma(rng, r, alpha);
    let t = exponential(rng, lambda),
      x = 0,
      tx = 0;
    while (t <= len) {
      x++;
      tx = t;
      t += exponential(rng, lambda);
    }
    frequency.push(x);
    recency.push(tx);
    T.push(len);
  }
  return { frequency, recency, T };
}

describe("NBD", () => {
  it("has BG/NBD's log-likelihood in the limit a → 0", () => {
    const data = cdnowRfm();
    const p = { r: 0.3, alpha: 6 };
    // a tiny enough that the dropout term a/(b + x − 1) · ((α + T)/(α + t_x))^(r+x) vanishes for every CDNOW history
    expect(nbdLogLik(p, data)).toBeCloseTo(bgnbdLogLik({ ...p, a: 1e-80, b: 1 }, data), 6);
  });

  it("fits at the zero of the score equations Σ r/α − (r + x)/(α + T) and Σ ψ(r + x) − ψ(r) + ln(α/(α + T))", () => {
    const data = cdnowRfm();
    const f = fitNbd(data);
    let dA = 0,
      dR = 0;
    for (let i = 0; i < data.frequency.length; i++) {
      const x = data.frequency[i],
        T = data.T[i];
      dA += f.r / f.alpha - (f.r + x) / (f.alpha + T);
      for (let k = 0; k < x; k++) dR += 1 / (f.r + k);
      dR += Math.log(f.alpha / (f.alpha + T));
    }
    expect(Math.abs(dA * f.alpha)).toBeLessThan(1e-4);
    expect(Math.abs(dR * f.r)).toBeLessThan(1e-4);
  });

  it("recovers r and α of a 5,000-customer simulation within 4 standard errors", () => {
    const f = fitNbd(simulate(3, 1.5, 30, 5000));
    expect(Math.abs(f.r - 1.5)).toBeLessThan(4 * f.se!.r);
    expect(Math.abs(f.alpha - 30)).toBeLessThan(4 * f.se!.alpha);
  });

  it("values purchases at the posterior rate (r + x)/(α + T), always alive", () => {
    const p = { r: 1.5, alpha: 30 };
    const data = { frequency: [4], recency: [50], T: [80], monetaryValue: [20] };
    const spend = { p: 6, q: 4, gamma: 15 };
    const out = predictClv("nbd", p, spend, data, { unit: "weeks", months: 12, annualDiscount: 0, margin: 1 });
    // undiscounted, 12 months = 52.18 weeks: E[Y] = (r + x)/(α + T) · 52.18; spend p(γ + x z̄)/(p x + q − 1)
    const weeks = (12 * 365.25) / 12 / 7;
    expect(out.probabilityAlive[0]).toBe(1);
    expect(out.clv[0]).toBeCloseTo(((5.5 / 110) * weeks * (6 * (15 + 80))) / (24 + 3), 9);
    expect(nbdConditionalExpectedPurchases(p, weeks, 4, 80)).toBeCloseTo((5.5 / 110) * weeks, 12);
  });
});
