import { describe, expect, it } from "vitest";
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLik } from "../../src/lib/models/gammagamma.js";
import { lgamma } from "../../src/lib/models/special.js";
import { cdnowWithSpend } from "./helpers.js";

describe("Gamma-Gamma spend model", () => {
  const data = cdnowWithSpend();

  it("gives p = 6.25, q = 3.74, γ = 15.44 on CDNOW repeat customers (Fader & Hardie 2013, note 025)", () => {
    const f = fitGammaGamma(data);
    expect(f.p).toBeCloseTo(6.25, 2);
    expect(f.q).toBeCloseTo(3.74, 2);
    expect(f.gamma).toBeCloseTo(15.44, 1);
    // implied population mean spend p γ/(q − 1) ≈ $35.2 (note 025, §3)
    expect((f.p * f.gamma) / (f.q - 1)).toBeCloseTo(35.2, 1);
  });

  it("reaches the same maximum from several starts (log-likelihood within 1e-6 of the best)", () => {
    const each = [
      [1, 1, 1],
      [20, 2, 100],
      [0.5, 10, 5],
    ].map((s) => fitGammaGamma(data, { starts: [s], standardErrors: false }).logLik);
    const best = Math.max(...each);
    for (const ll of each) expect(best - ll).toBeLessThan(1e-6);
  });

  it("has a log-likelihood equal to the hand-written density of note 025 eq. 3 for one customer", () => {
    const [p, q, g, x, z] = [6, 4, 15, 3, 20];
    const hand =
      lgamma(p * x + q) -
      lgamma(p * x) -
      lgamma(q) +
      q * Math.log(g) +
      (p * x - 1) * Math.log(z) +
      p * x * Math.log(x) -
      (p * x + q) * Math.log(g + x * z);
    expect(gammaGammaLogLik({ p, q, gamma: g }, { frequency: [x], monetaryValue: [z] })).toBeCloseTo(hand, 12);
  });

  it("shrinks a customer's mean spend towards the population mean: (q−1)/(px+q−1)·pγ/(q−1) + px/(px+q−1)·z̄ (note 025 eq. 5)", () => {
    const pr = { p: 6.25, q: 3.74, gamma: 15.44 };
    // hand value for x = 2, z̄ = 22.35: 6.25·(15.44 + 44.7)/(12.5 + 2.74) = 375.875/15.24
    const [e] = gammaGammaExpectedSpend(pr, { frequency: [2], monetaryValue: [22.35] });
    expect(e).toBeCloseTo(375.875 / 15.24, 10);
    const [e0] = gammaGammaExpectedSpend(pr, { frequency: [0], monetaryValue: [0] });
    expect(e0).toBeCloseTo((6.25 * 15.44) / 2.74, 10);
  });

  it("rejects a repeat customer with zero or negative spend, naming the row", () => {
    expect(() => fitGammaGamma({ frequency: [1, 2], monetaryValue: [10, -3] })).toThrow(
      /invalid monetary value at row 1/,
    );
  });
});
