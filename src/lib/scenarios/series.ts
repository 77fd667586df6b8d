/**
 * The value factor of one (pool, renewals) group under a set of lever effects:
 *   F = Σ_{k=1}^{H} R(k) · m(k) · v^k,   R(k) = Π_{j=1}^{k} r'(n + j),   r'(t) = 1 − h(t_k) · (1 − r(t)),
 * where r(t) = (δ + t − 1) ÷ (γ + δ + t − 1) is the sBG retention of the account's pool
 * (Fader & Hardie 2007 eq. 9), n its renewals so far, v = 1 ÷ (1 + d)^(L/12) the discount per
 * period of L months, t_k = k·L months from the as-of date, h the churn-hazard multiplier and
 * m the revenue multiplier of the levers that select the account; F₀ is F with h = m = 1.
 * Transactional (BG/NBD) accounts use the same form with a constant monthly churn q of their
 * pool ("flat" pool, see loaders/outputs/scenarios), L = 1.
 */
import { sbgConditionalSurvival } from "../models/sbg.js";
import type { ScenarioPool } from "./inputs.js";

/** Years of the revenue projection. */
export const PROJECTION_YEARS = 5;

/** Hazard and revenue multipliers and discount change of a set of model levers, on a time grid. */
export interface PeriodEffects {
  /** h(t_k) and m(t_k), k = 1 … K. */
  readonly hazard: Float64Array;
  readonly revenue: Float64Array;
  /** Annual discount rate change (fraction). */
  readonly discountChange: number;
}

export interface SeriesResult {
  /** F = Σ_{k ≤ H} R(k) m(k) v^k. */
  readonly valueFactor: number;
  /** Expected payments in the horizon, Σ_{k ≤ H} R(k) (the expected lifetime in periods, truncated). */
  readonly payments: number;
  /** Expected billings per year from now, in payments: Σ_{k: t_k in year y} R(k) m(k). */
  readonly yearly: Float64Array;
}

/**
 * The value factor of an account with `renewals` renewals in `pool` under `effects` (on the
 * grid t_k = k · pool.periodMonths, at least max(H, 5 years) long).
 */
export function survivalSeries(
  pool: ScenarioPool,
  renewals: number,
  effects: PeriodEffects,
  horizonMonths: number,
  annualDiscountRate: number,
): SeriesResult {
  const L = pool.periodMonths;
  const H = Math.floor(horizonMonths / L);
  const K = Math.max(H, Math.ceil((PROJECTION_YEARS * 12) / L));
  if (effects.hazard.length < K || effects.revenue.length < K)
    throw new RangeError(`invalid effects: ${effects.hazard.length} periods, ${K} needed`);
  const d = annualDiscountRate + effects.discountChange;
  const v = Math.pow(1 + Math.max(d, -0.99), -L / 12);
  const yearly = new Float64Array(PROJECTION_YEARS);
  const churn = pool.kind === "sbg" ? { gamma: pool.gamma, delta: pool.delta } : { churn: pool.churn };
  const survival = sbgConditionalSurvival(churn, renewals, K, effects.hazard);
  let discount = 1;
  let valueFactor = 0;
  let payments = 0;
  for (let k = 1; k <= K; k++) {
    const R = survival[k - 1];
    const m = effects.revenue[k - 1];
    discount *= v;
    if (k <= H) {
      valueFactor += R * m * discount;
      payments += R;
    }
    const year = Math.ceil((k * L) / 12) - 1;
    if (year < PROJECTION_YEARS) yearly[year] += R * m;
  }
  return { valueFactor, payments, yearly };
}

/** Neutral effects (h = m = 1) on a grid of K periods. */
export function neutralEffects(K: number): PeriodEffects {
  return { hazard: new Float64Array(K).fill(1), revenue: new Float64Array(K).fill(1), discountChange: 0 };
}

/** Periods computed per account: the valuation horizon and at least the five projected years. */
export function periodsFor(pool: ScenarioPool, horizonMonths: number): number {
  return Math.max(
    Math.floor(horizonMonths / pool.periodMonths),
    Math.ceil((PROJECTION_YEARS * 12) / pool.periodMonths),
  );
}
