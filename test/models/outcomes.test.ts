/**
 * The outcome simulation (src/lib/models/outcomes.ts): honest bands on data generated from
 * known processes, reproducible per seed, collapsing to the expected value when both
 * uncertainties are switched off, and agreeing with the closed-form sBG expectation.
 */
import { describe, expect, it } from "vitest";
import {
  bandOf,
  simulateOutcomes,
  type ContractAccountState,
  type ForecastState,
} from "../../src/lib/models/outcomes.js";
import { fitSbg, SBG_PARAM_NAMES, sbgDiscountedSurvival as discountedSurvival } from "../../src/lib/models/sbg.js";
import { drawParameters } from "../../src/lib/models/uncertainty.js";
import { beta, createRng, uniform } from "../../src/lib/random.js";

const MARGINS = { subscription: 1, transactional: 1 };

/** Churned accounts in the next 12 months of one simulated segment, and the forecast state made from its history. */
function segment(seed: number) {
  const rng = createRng(seed);
  const gamma = uniform(rng, 0.6, 3),
    delta = uniform(rng, 3, 12);
  const cohorts: number[][] = [];
  const survivors: { n: number; theta: number }[] = [];
  // 12 monthly cohorts of 40 accounts, observed 1 … 12 periods up to the cut.
  for (let L = 1; L <= 12; L++) {
    const alive = new Array<number>(L + 1).fill(0);
    for (let i = 0; i < 40; i++) {
      const theta = beta(rng, gamma, delta);
      let paid = 1; // periods paid before churning
      while (rng.next() >= theta && paid <= L + 12) paid++;
      for (let t = 0; t <= Math.min(L, paid - 1); t++) alive[t]++;
      if (paid > L) survivors.push({ n: L, theta });
    }
    cohorts.push(alive);
  }
  // What happened: a survivor of n renewals churns within 12 months unless it renews 12 more times.
  let churned = 0;
  for (const s of survivors) {
    let renewals = 0;
    while (renewals < 12 && rng.next() >= s.theta) renewals++;
    if (renewals < 12) churned++;
  }
  const fit = fitSbg(cohorts);
  const draws = drawParameters(createRng(seed + 1), SBG_PARAM_NAMES, fit, fit.covLog, 200);
  const contracts: ContractAccountState[] = survivors.map((s, i) => ({
    accountId: `a${i}`,
    pool: "segment",
    periodMonths: 1,
    renewals: s.n,
    monthsLeftInPeriod: 0,
    mrrCents: 100,
    draws,
    point: fit,
  }));
  const state: ForecastState = { draws: 200, margins: MARGINS, contracts, purchases: null };
  return { state, churned };
}

function churnBand(state: ForecastState, seed: number) {
  const totals = new Float64Array(state.draws);
  simulateOutcomes(state, { months: 12, annualDiscount: 0, seed }, (_id, j, o) => {
    if (o.churned) totals[j]++;
  });
  return bandOf(totals);
}

describe("outcome bands on histories generated from a known sBG process", () => {
  it("the 80% band of next year's churned accounts covers the truth in 80% of segments (±3 binomial sd)", () => {
    const segments = 80;
    let covered = 0;
    for (let s = 0; s < segments; s++) {
      const { state, churned } = segment(1000 + s);
      const band = churnBand(state, 7 + s);
      if (churned >= band.p10 && churned <= band.p90) covered++;
    }
    // Binomial(80, 0.8): sd = √(0.8 · 0.2 / 80) = 0.045; ±3 sd = 0.67 … 0.93.
    const tolerance = 3 * Math.sqrt((0.8 * 0.2) / segments);
    expect(covered / segments).toBeGreaterThanOrEqual(0.8 - tolerance);
    expect(covered / segments).toBeLessThanOrEqual(0.8 + tolerance);
  });
});

describe("outcome and parameter bands", () => {
  const { state } = segment(42);
  const revenueBand = (opts: { accountRandomness?: boolean; parameterUncertainty?: boolean }, seed = 3) => {
    const totals = new Float64Array(state.draws);
    simulateOutcomes(state, { months: 12, annualDiscount: 0, seed, ...opts }, (_id, j, o) => {
      totals[j] += o.revenueCents;
    });
    return { band: bandOf(Float64Array.from(totals)), totals };
  };

  it("the outcome band contains the parameter band", () => {
    // A few dozen accounts: each one's own chance to churn matters, as in a B2B segment.
    const small = { ...state, contracts: state.contracts.slice(0, 40) };
    const band = (accountRandomness: boolean) => {
      const totals = new Float64Array(small.draws);
      simulateOutcomes(small, { months: 12, annualDiscount: 0, seed: 3, accountRandomness }, (_id, j, o) => {
        totals[j] += o.revenueCents;
      });
      return bandOf(totals);
    };
    const outcome = band(true);
    const parameter = band(false);
    expect(outcome.p10).toBeLessThan(parameter.p10);
    expect(outcome.p90).toBeGreaterThan(parameter.p90);
  });

  it("both collapse to the point value when both uncertainties are off", () => {
    const { totals } = revenueBand({ accountRandomness: false, parameterUncertainty: false });
    expect(new Set(totals).size).toBe(1);
    // Independent: 100 cents × Σ_k S(n + k)/S(n) over 12 months, by the build's recursion.
    const expected = state.contracts.reduce((s, a) => s + 100 * discountedSurvival(a.point, a.renewals, 12, 0), 0);
    expect(totals[0]).toBeCloseTo(expected, 6);
  });

  it("is reproducible per seed, and a new seed gives new outcomes", () => {
    expect(revenueBand({}, 5).totals).toEqual(revenueBand({}, 5).totals);
    expect(revenueBand({}, 5).totals).not.toEqual(revenueBand({}, 6).totals);
  });

  it("account randomness alone averages to the closed-form expectation (Monte Carlo, 1% tolerance)", () => {
    const { totals } = revenueBand({ parameterUncertainty: false });
    const mean = totals.reduce((s, v) => s + v, 0) / totals.length;
    const expected = state.contracts.reduce((s, a) => s + 100 * discountedSurvival(a.point, a.renewals, 12, 0), 0);
    expect(Math.abs(mean / expected - 1)).toBeLessThan(0.01);
  });

  it("discounted value without randomness equals the valuation's discounted survival", () => {
    const one = { ...state, contracts: state.contracts.slice(0, 1) };
    let value = 0;
    simulateOutcomes(
      one,
      { months: 60, annualDiscount: 0.1, seed: 1, accountRandomness: false, parameterUncertainty: false },
      (_id, j, o) => j === 0 && (value = o.discountedMarginCents),
    );
    const a = one.contracts[0];
    const monthly = Math.pow(1.1, 1 / 12) - 1;
    expect(value).toBeCloseTo(100 * discountedSurvival(a.point, a.renewals, 60, monthly), 6);
  });
});
