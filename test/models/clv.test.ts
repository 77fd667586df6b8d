import { describe, expect, it } from "vitest";
import { createRng } from "../../src/lib/random.js";
import { bgnbdConditionalExpectedPurchases, fitBgnbd } from "../../src/lib/models/bgnbd.js";
import { fitGammaGamma, gammaGammaExpectedSpend } from "../../src/lib/models/gammagamma.js";
import { fitMbgnbd, mbgnbdConditionalExpectedPurchases } from "../../src/lib/models/mbgnbd.js";
import { paretoNbdConditionalExpectedPurchases } from "../../src/lib/models/paretonbd.js";
import { predictClv, predictClvWithBands } from "../../src/lib/models/clv.js";
import { monthLength, monthlyDiscountRate } from "../../src/lib/models/discounting.js";
import { cdnowWithSpend } from "./helpers.js";

const FHL = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PNBD = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
const MBG = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }; // BTYDplus's CDNOW fit
const GG = { p: 6.25, q: 3.74, gamma: 15.44 };
const opts = { unit: "weeks" as const, months: 12, annualDiscount: 0.1, margin: 0.3 };

describe("purchase-model CLV", () => {
  const data = cdnowWithSpend();
  const small = {
    frequency: data.frequency.slice(0, 60),
    recency: data.recency.slice(0, 60),
    T: data.T.slice(0, 60),
    monetaryValue: data.monetaryValue.slice(0, 60),
  };

  for (const [model, params, cond] of [
    ["bgnbd", FHL, bgnbdConditionalExpectedPurchases],
    ["mbgnbd", MBG, mbgnbdConditionalExpectedPurchases],
    ["paretonbd", PNBD, paretoNbdConditionalExpectedPurchases],
  ] as const) {
    it(`equals margin × E[spend] × Σ_k ΔE[Y](month k)/(1+d_m)^k computed from the ${model} conditional expectation month by month`, () => {
      // Independent path: the model's own conditional E[Y(t)] (general ₂F₁ for BG/NBD)
      // evaluated at each month end, differenced and discounted here.
      const p = predictClv(model, params as never, GG, small, opts);
      const spend = gammaGammaExpectedSpend(GG, small);
      const dm = monthlyDiscountRate(0.1),
        D = monthLength("weeks");
      const prev = new Float64Array(60);
      const want = new Float64Array(60);
      for (let k = 1; k <= 12; k++) {
        const cur = (cond as (a: unknown, t: number, d: typeof small) => Float64Array)(params, k * D, small);
        for (let i = 0; i < 60; i++) want[i] += (cur[i] - prev[i]) / Math.pow(1 + dm, k);
        prev.set(cur);
      }
      for (let i = 0; i < 60; i++) expect(p.clv[i]).toBeCloseTo(0.3 * spend[i] * want[i], 9);
      // expectedPurchases over the default t = 12 months
      expect(p.expectedPurchases[0]).toBeCloseTo(prev[0], 10);
    });
  }

  it("takes a month length and a monthly discount rate as given (the reference implementation's convention)", () => {
    // The equivalent monthly rate and the default month reproduce the default exactly…
    const base = predictClv("bgnbd", FHL, GG, small, opts);
    const same = predictClv("bgnbd", FHL, GG, small, {
      ...opts,
      monthLength: 365.25 / 12 / 7,
      monthlyDiscount: Math.pow(1.1, 1 / 12) - 1,
    });
    for (let i = 0; i < 60; i++) expect(same.clv[i]).toBeCloseTo(base.clv[i], 12);
    // …and with no discount the horizon's CLV is margin × spend × E[Y(H Δ)] for any Δ.
    const flat = predictClv("mbgnbd", MBG, GG, small, { ...opts, monthLength: 4.345, monthlyDiscount: 0 });
    const ey = mbgnbdConditionalExpectedPurchases(MBG, 12 * 4.345, small);
    const spend = gammaGammaExpectedSpend(GG, small);
    for (let i = 0; i < 60; i++) expect(flat.clv[i]).toBeCloseTo(0.3 * spend[i] * ey[i], 10);
    expect(() => predictClv("bgnbd", FHL, GG, small, { ...opts, monthLength: 0 })).toThrow(/invalid month length/);
  });

  it("is monotone (linear) in the gross margin", () => {
    const lo = predictClv("bgnbd", FHL, GG, small, { ...opts, margin: 0.2 });
    const hi = predictClv("bgnbd", FHL, GG, small, { ...opts, margin: 0.4 });
    for (let i = 0; i < 60; i++) {
      expect(hi.clv[i]).toBeGreaterThanOrEqual(lo.clv[i]);
      expect(hi.clv[i]).toBeCloseTo(2 * lo.clv[i], 10);
    }
  });

  it("rejects an unknown model with an invalid … error", () => {
    expect(() => predictClv("bgbb" as never, FHL, GG, small, opts)).toThrow(/invalid purchase model/);
  });
});

describe("prediction bands from parameter draws", () => {
  const data = cdnowWithSpend();
  const bg = fitBgnbd(data);
  const gg = fitGammaGamma(data);

  it("is reproducible per seed, differs across seeds, and orders P10 ≤ P50 ≤ P90 around the point CLV", () => {
    const run = (seed: number) =>
      predictClvWithBands("bgnbd", bg, gg, data, { ...opts, draws: 200, rng: createRng(seed) });
    const a = run(1),
      b = run(1),
      c = run(2);
    expect(Array.from(a.clvP10)).toEqual(Array.from(b.clvP10));
    expect(a.totalP90).toBe(b.totalP90);
    expect(a.totalP90).not.toBe(c.totalP90);
    let inside = 0;
    for (let i = 0; i < a.clv.length; i++) {
      expect(a.clvP10[i]).toBeLessThanOrEqual(a.clvP50[i]);
      expect(a.clvP50[i]).toBeLessThanOrEqual(a.clvP90[i]);
      if (a.clv[i] >= a.clvP10[i] && a.clv[i] <= a.clvP90[i]) inside++;
    }
    expect(inside / a.clv.length).toBeGreaterThan(0.95);
    expect(a.totalP10).toBeLessThan(a.totalClv);
    expect(a.totalP90).toBeGreaterThan(a.totalClv);
  });
});

describe("MBG/NBD bands", () => {
  it("are reproducible per seed and order P10 ≤ P50 ≤ P90, with P(alive) below 1 for x = 0", () => {
    const data = cdnowWithSpend();
    const mbg = fitMbgnbd(data);
    const gg = fitGammaGamma(data);
    const run = () => predictClvWithBands("mbgnbd", mbg, gg, data, { ...opts, draws: 100, rng: createRng(3) });
    const a = run(),
      b = run();
    expect(a.totalP50).toBe(b.totalP50);
    expect(a.rejectedDraws).toBe(0);
    expect(a.totalP10).toBeLessThan(a.totalClv);
    expect(a.totalP90).toBeGreaterThan(a.totalClv);
    for (let i = 0; i < a.clv.length; i++) expect(a.clvP10[i]).toBeLessThanOrEqual(a.clvP90[i]);
    const zero = data.frequency.indexOf(0);
    expect(a.probabilityAlive[zero]).toBeLessThan(1);
  });
});

describe("bands for many distinct histories", () => {
  it("match the exact draws within 1% when the draws are computed on binned (x, T) pairs", async () => {
    const { readFileSync } = await import("node:fs");
    const path = await import("node:path");
    const { fitBgnbd } = await import("../../src/lib/models/bgnbd.js");
    const { fitGammaGamma } = await import("../../src/lib/models/gammagamma.js");
    const { predictClvWithBands } = await import("../../src/lib/models/clv.js");
    const { createRng } = await import("../../src/lib/random.js");
    // CDNOW summary with spend (Fader & Hardie 2013 inputs).
    const text = readFileSync(
      path.resolve(import.meta.dirname, "../../../shared/datasets/cdnow_customers_summary_with_transactions.csv"),
      "utf8",
    )
      .trim()
      .split("\n")
      .slice(1);
    const rows = text.map((l) => l.split(",").map(Number));
    const data = {
      frequency: rows.map((r) => r[1]),
      recency: rows.map((r) => r[2]),
      T: rows.map((r) => r[3]),
      monetaryValue: rows.map((r) => r[4]),
    };
    const bg = fitBgnbd(data);
    const repeat = rows.filter((r) => r[1] > 0);
    const gg = fitGammaGamma({ frequency: repeat.map((r) => r[1]), monetaryValue: repeat.map((r) => r[4]) });
    const opts = { unit: "weeks" as const, months: 24, annualDiscount: 0.1, margin: 0.3, draws: 100 };
    const exact = predictClvWithBands("bgnbd", bg, gg, data, {
      ...opts,
      rng: createRng(7),
      binAbove: Number.POSITIVE_INFINITY,
    });
    const binned = predictClvWithBands("bgnbd", bg, gg, data, { ...opts, rng: createRng(7), binAbove: 0 });
    expect(binned.totalClv).toBe(exact.totalClv); // the point estimate never uses the bins
    for (const q of ["totalP10", "totalP50", "totalP90"] as const) expect(binned[q] / exact[q]).toBeCloseTo(1, 2);
    let worst = 0;
    for (let i = 0; i < exact.clv.length; i++)
      if (exact.clvP50[i] > 1) worst = Math.max(worst, Math.abs(binned.clvP50[i] / exact.clvP50[i] - 1));
    expect(worst).toBeLessThan(0.01);
  });
});
