/**
 * Shifted-beta-geometric (sBG) model of contract renewal.
 *
 * Fader, P. S. & Hardie, B. G. S. (2007). How to Project Customer Retention. Journal of
 * Interactive Marketing 21(1), 76–90; and (2010) Customer-Base Valuation in a Contractual
 * Setting: The Perils of Ignoring Heterogeneity. Marketing Science 29(1), 85–93.
 *
 * Assumptions: at the end of each period an active customer churns with probability θ,
 * constant over time; θ varies across customers as Beta(γ, δ). Periods are the contract
 * periods (months for monthly plans, years in the 2007 paper's example); t counts them.
 */
import type { Rng } from "../random.js";
import { beta as drawBeta } from "../random.js";
import type { Column } from "./data.js";
import { fitOnLogScale, freezeParams, type FitOptions, type FitUncertainty } from "./fitting.js";
import { lbeta } from "./special.js";

/** sBG parameters: churn probability θ ~ Beta(gamma, delta). */
export interface SbgParams {
  readonly gamma: number;
  readonly delta: number;
}

/** A fitted sBG model: parameters, maximised log-likelihood and standard errors. */
export type SbgFit = SbgParams & { readonly logLik: number } & FitUncertainty<"gamma" | "delta">;

/**
 * One cohort: `alive[t]` customers still active at the start of period t + 1, t = 0 … n
 * (`alive[0]` is the cohort size). Several cohorts may have different lengths.
 */
export type SbgCohort = Column;

export const SBG_PARAM_NAMES = ["gamma", "delta"] as const;

function checkCohort(alive: Column, c: number): void {
  if (alive.length < 2) throw new RangeError(`invalid cohort ${c}: need at least periods 0 and 1`);
  for (let t = 0; t < alive.length; t++) {
    const v = alive[t];
    if (!(v >= 0) || !Number.isFinite(v))
      throw new RangeError(`invalid alive count in cohort ${c} at period ${t}: ${v}`);
    if (t > 0 && v > alive[t - 1])
      throw new RangeError(
        `invalid alive count in cohort ${c} at period ${t}: ${v} > ${alive[t - 1]} (survivors cannot increase)`,
      );
  }
}

/**
 * ln P(T = t | γ, δ) = ln B(γ + 1, δ + t − 1) − ln B(γ, δ), t = 1, 2, … (F&H 2007 eq. 7):
 * the probability that a customer churns at the end of period t.
 */
export function sbgLogChurnProbability(p: SbgParams, t: number): number {
  return lbeta(p.gamma + 1, p.delta + t - 1) - lbeta(p.gamma, p.delta);
}

/** P(T = t | γ, δ) = B(γ + 1, δ + t − 1) / B(γ, δ), t = 1, 2, … (F&H 2007 eq. 7). */
export function sbgChurnProbability(p: SbgParams, t: number): number {
  return Math.exp(sbgLogChurnProbability(p, t));
}

/**
 * Survival S(t | γ, δ) = B(γ, δ + t) / B(γ, δ) (F&H 2007 eq. 8): share of a new cohort still
 * active after t periods (S(0) = 1). Computed from ln B so large t stays accurate.
 */
export function sbgSurvival(p: SbgParams, t: number): number {
  if (t === 0) return 1;
  return Math.exp(lbeta(p.gamma, p.delta + t) - lbeta(p.gamma, p.delta));
}

/**
 * Retention rate r(t) = S(t) / S(t − 1) = (δ + t − 1) / (γ + δ + t − 1), t ≥ 1 (F&H 2007 eq. 9):
 * the share of customers active in period t − 1 who renew in period t. Increases with t.
 */
export function sbgRetention(p: SbgParams, t: number): number {
  if (!(t >= 1)) throw new RangeError(`invalid period t = ${t}: retention is defined for t ≥ 1`);
  return (p.delta + t - 1) / (p.gamma + p.delta + t - 1);
}

/**
 * Sum of the cohort log-likelihoods (F&H 2007 eq. 10):
 * ℓ = Σ_cohorts [ Σ_{t=1}^{n} (alive[t−1] − alive[t]) ln P(T = t) + alive[n] ln S(n) ].
 */
export function sbgLogLik(p: SbgParams, cohorts: readonly SbgCohort[]): number {
  let ll = 0;
  const lb0 = lbeta(p.gamma, p.delta);
  for (const alive of cohorts) {
    const n = alive.length - 1;
    for (let t = 1; t <= n; t++) {
      const lost = alive[t - 1] - alive[t];
      if (lost > 0) ll += lost * (lbeta(p.gamma + 1, p.delta + t - 1) - lb0);
    }
    if (alive[n] > 0) ll += alive[n] * (lbeta(p.gamma, p.delta + n) - lb0);
  }
  return ll;
}

/**
 * Maximum-likelihood γ, δ from one cohort's survivor counts or several pooled cohorts
 * (each `alive` array starts with the cohort size at period 0). Multi-start optimisation on
 * (ln γ, ln δ); see fitting.ts for the standard errors.
 */
export function fitSbg(cohorts: SbgCohort | readonly SbgCohort[], opts: FitOptions = {}): SbgFit {
  const list: readonly SbgCohort[] = isCohortList(cohorts) ? cohorts : [cohorts];
  if (list.length === 0) throw new RangeError("invalid cohorts: none given");
  list.forEach(checkCohort);
  // Without a single churn the likelihood rises without bound as the churn rate goes to 0 (γ → 0):
  // there is nothing to estimate.
  if (list.every((alive) => alive[alive.length - 1] === alive[0]))
    throw new RangeError("invalid cohorts: no customer churned, so γ and δ cannot be estimated");
  const ll = (th: Float64Array) => sbgLogLik({ gamma: Math.exp(th[0]), delta: Math.exp(th[1]) }, list);
  const fit = fitOnLogScale(
    ll,
    [
      [1, 1],
      [0.5, 5],
      [3, 0.5],
    ],
    opts,
  );
  return freezeParams(SBG_PARAM_NAMES, fit) as SbgFit;
}

function isCohortList(c: SbgCohort | readonly SbgCohort[]): c is readonly SbgCohort[] {
  return c.length > 0 && typeof (c as ArrayLike<unknown>)[0] !== "number";
}

/** Expected survivors n₀ · S(t) for t = 0 … horizon (a retention projection, F&H 2007 fig. 4). */
export function sbgProjectSurvivors(p: SbgParams, cohortSize: number, horizon: number): Float64Array {
  const out = new Float64Array(horizon + 1);
  for (let t = 0; t <= horizon; t++) out[t] = cohortSize * sbgSurvival(p, t);
  return out;
}

/**
 * Discounted expected residual lifetime (F&H 2010 eq. 6) of a customer who has made
 * `renewals` = n − 1 renewals, valued just before the next renewal decision, in periods:
 *
 *   DERL = Σ_{t=n}^∞ [S(t) / S(n − 1)] / (1 + d)^(t−n)
 *        = B(γ, δ + n) / B(γ, δ + n − 1) · ₂F₁(1, δ + n; γ + δ + n; 1 / (1 + d)).
 *
 * `discount` d is per period (e.g. 0.1 per year for annual contracts). Multiply by the
 * payment per period for the customer's residual value. d = 0 needs γ > 1 (otherwise the
 * expected lifetime is infinite).
 */
export function sbgExpectedResidualLifetime(p: SbgParams, renewals: number, discount: number): number {
  if (!Number.isInteger(renewals) || renewals < 0) throw new RangeError(`invalid renewals: ${renewals}`);
  if (!(discount >= 0) || !Number.isFinite(discount)) throw new RangeError(`invalid discount rate: ${discount}`);
  const n = renewals + 1;
  const { gamma, delta } = p;
  if (discount === 0) {
    // ₂F₁(1, δ + n; γ + δ + n; 1) = (γ + δ + n − 1)/(γ − 1) (Gauss), so DERL = (δ + n − 1)/(γ − 1).
    if (!(gamma > 1))
      throw new RangeError(`invalid discount rate 0: the expected lifetime is infinite for γ = ${gamma} ≤ 1`);
    return (delta + n - 1) / (gamma - 1);
  }
  // Summed term by term: term₀ = S(n)/S(n − 1) = (δ + n − 1)/(γ + δ + n − 1), termₖ = termₖ₋₁ · v ·
  // (δ + n + k − 1)/(γ + δ + n + k − 1). The terms are positive with ratios below v = 1/(1 + d),
  // so nothing cancels (the 1 − z connection formula of ₂F₁ lost every digit at many renewals
  // and d < 1/9) and the tail after a term u is below u v/(1 − v).
  const v = 1 / (1 + discount);
  const tail = v / (1 - v);
  let term = (delta + n - 1) / (gamma + delta + n - 1);
  let sum = term;
  for (let k = 1; k < 100_000_000; k++) {
    term *= (v * (delta + n + k - 1)) / (gamma + delta + n + k - 1);
    sum += term;
    if (term * tail <= 1e-17 * sum) return sum;
  }
  throw new RangeError(`DERL did not converge for discount ${discount}`);
}

/** Constant churn probability q per period: the sBG without heterogeneity (θ = q for everyone). */
export interface GeometricChurn {
  readonly churn: number;
}

/**
 * Probability that an account active in period t − 1 renews in period t = n + k when a scenario
 * multiplies its churn probability 1 − r(t) by h: max(0, 1 − h (1 − r(t))). For the sBG,
 * r(t) = (δ + t − 1) ÷ (γ + δ + t − 1) (F&H 2007 eq. 9), computed as 1 ÷ (1 + γ ÷ (δ + t − 1))
 * when h = 1 so that it stays exact when a far parameter draw makes δ overflow to ∞ (r → 1).
 */
function renewalProbability(p: SbgParams | GeometricChurn, n: number, k: number, h: number): number {
  if ("churn" in p) return Math.max(0, 1 - h * p.churn);
  const odds = p.gamma / (p.delta + n + k - 1);
  if (!Number.isFinite(odds)) return Math.max(0, 1 - h); // γ = ∞: everyone churns
  if (h === 1) return 1 / (1 + odds);
  return Math.max(0, 1 - h * (p.gamma / (p.gamma + p.delta + n + k - 1)));
}

/** Scenario multipliers per future period k = 1 … K (index k − 1); 1 where absent. */
export interface SurvivalScenario {
  /** h(k): multiplier of the churn probability in period k. */
  readonly hazard?: ArrayLike<number>;
  /** m(k): multiplier of the payment in period k. */
  readonly revenue?: ArrayLike<number>;
}

/**
 * Conditional survival R(k) = S(n + k) ÷ S(n), k = 1 … `periods` (element k − 1), of an account
 * that has made n = `renewals` renewals, by the retention recursion R(k) = R(k − 1) · r(n + k):
 * no special function per term. `hazard` multiplies each period's churn probability.
 */
export function sbgConditionalSurvival(
  p: SbgParams | GeometricChurn,
  renewals: number,
  periods: number,
  hazard?: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(periods);
  let R = 1;
  for (let k = 1; k <= periods; k++) out[k - 1] = R *= renewalProbability(p, renewals, k, hazard ? hazard[k - 1] : 1);
  return out;
}

/**
 * Discounted expected payments of a running contract over the next H = `periods` periods,
 * per unit of payment:
 *   F = Σ_{k=1}^{H} R(k) m(k) ÷ (1 + d)^k,   R(k) = S(n + k) ÷ S(n),   n = renewals,
 * each payment made only if the account renews up to it, `discount` d per period. The current
 * period, already billed, is not counted. Value = margin × payment per period × F; with d = 0
 * and no scenario, F is the expected number of payments in the horizon.
 */
export function sbgDiscountedSurvival(
  p: SbgParams,
  renewals: number,
  periods: number,
  discount: number,
  scenario: SurvivalScenario = {},
): number {
  const { hazard, revenue } = scenario;
  const v = 1 / (1 + discount);
  let R = 1;
  let factor = 1;
  let sum = 0;
  for (let k = 1; k <= periods; k++) {
    R *= renewalProbability(p, renewals, k, hazard ? hazard[k - 1] : 1);
    factor *= v;
    sum += R * (revenue ? revenue[k - 1] : 1) * factor;
  }
  return sum;
}

/**
 * Simulates `size` customers from the sBG model for `periods` periods: θᵢ ~ Beta(γ, δ),
 * churn at the end of each period with probability θᵢ. Returns alive counts for t = 0 … periods.
 */
export function simulateSbg(rng: Rng, p: SbgParams, size: number, periods: number): Float64Array {
  const alive = new Float64Array(periods + 1);
  for (let i = 0; i < size; i++) {
    const theta = drawBeta(rng, p.gamma, p.delta);
    let t = 0;
    alive[0]++;
    while (t < periods && rng.next() >= theta) {
      t++;
      alive[t]++;
    }
  }
  return alive;
}
