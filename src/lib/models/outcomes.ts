/**
 * Outcome simulation: what each account may actually do over the next months, not only what
 * it is expected to do.
 *
 * The parameter band (uncertainty.ts) answers "how sure are we of the model's average?"; an
 * outcome band also lets each account renew or churn, buy or not, per its own random draw.
 * Draw j of the simulation uses parameter draw j of the account's model (the same draws as the
 * parameter band) and then one random future for the account:
 *
 * - a contract account after n renewals has churn probability θ ~ Beta(γ, δ + n) (the sBG
 *   posterior of a survivor) and renews L more times, P(L ≥ k) = (1 − θ)^k;
 * - a transactional account is alive with its P(alive); if alive, its purchase rate is
 *   λ ~ Gamma(r + x, α + T); BG/NBD and MBG/NBD drop out after each purchase with
 *   p ~ Beta(a, b + x) (MBG: b + x + 1), Pareto/NBD after a lifetime Exp(μ), μ ~ Gamma(s, β + T);
 *   NBD never drops out. Its spend per purchase day is Gamma(p, ν) with ν ~ Gamma(q + p x, γ + x z̄)
 *   (Gamma-Gamma), or its observed mean when Gamma-Gamma was not identified.
 *
 * Every random number comes from one seeded generator consumed account by account, draw by
 * draw: the same inputs and seed give the same outcomes.
 */
import { beta, createRng, gamma, poisson, type Rng } from "../random.js";
import type { GammaGammaParams } from "./gammagamma.js";
import type { SbgParams } from "./sbg.js";
import { monthlyDiscountRate } from "./discounting.js";
import { quantileSorted } from "./quantiles.js";
import type { PurchaseModel } from "./purchase-models.js";

/** Weeks per month (purchase models count time in weeks). */
export const WEEKS_PER_MONTH = 365.25 / 12 / 7;

export interface ContractAccountState {
  readonly accountId: string;
  /** The sBG pool whose fit values the account (segment, tier or term level). */
  readonly pool: string;
  /** Billing period in months (1 monthly, 12 annual). */
  readonly periodMonths: number;
  /** Renewals survived in the current run (n). */
  readonly renewals: number;
  /** Months of the current, already-started period still to run after the as-of month. */
  readonly monthsLeftInPeriod: number;
  readonly mrrCents: number;
  /** sBG parameter draws of the account's pool (shared by the pool's accounts), one per draw. */
  readonly draws: readonly SbgParams[];
  /** Point estimate of the pool's fit. */
  readonly point: SbgParams;
}

export interface PurchaseState {
  readonly model: PurchaseModel;
  readonly point: Readonly<Record<string, number>>;
  readonly modelDraws: readonly Readonly<Record<string, number>>[];
  /** Gamma-Gamma point and draws; null when each account's observed mean spend is used. */
  readonly spendPoint: GammaGammaParams | null;
  readonly spendDraws: readonly GammaGammaParams[] | null;
  /** Spend per purchase day when Gamma-Gamma is not used (cents). */
  readonly fixedSpend: ArrayLike<number> | null;
  readonly accountId: readonly string[];
  /** x, t_x, T in weeks; z̄ the mean spend of the repeat purchase days (cents). */
  readonly frequency: ArrayLike<number>;
  readonly recency: ArrayLike<number>;
  readonly T: ArrayLike<number>;
  readonly monetaryValue: ArrayLike<number>;
  probabilityAlive(params: Readonly<Record<string, number>>, x: number, tx: number, T: number): number;
  /** Expected purchases in (T, T + t] (P(alive) included): the model's conditional expectation. */
  expectedPurchases(params: Readonly<Record<string, number>>, t: number, x: number, tx: number, T: number): number;
}

/** What the models know about the accounts at one as-of date, enough to simulate their future. */
export interface ForecastState {
  readonly draws: number;
  readonly margins: Readonly<Record<"subscription" | "transactional", number>>;
  readonly contracts: readonly ContractAccountState[];
  readonly purchases: PurchaseState | null;
}

export interface SimulationOptions {
  readonly months: number;
  /** Annual discount rate for `discountedCents`; 0 for undiscounted. */
  readonly annualDiscount: number;
  readonly seed: number;
  /** false: parameter draws only (each account's expected outcome under draw j). */
  readonly accountRandomness?: boolean;
  /** false: every draw uses the point estimate (account randomness only). */
  readonly parameterUncertainty?: boolean;
}

/** One simulated future of one account under one draw. */
export interface Outcome {
  /** Month-end MRR summed over the months (contracts) or invoiced spend (transactional), cents, undiscounted. */
  revenueCents: number;
  /** The valuation's measure: margin of each future payment, discounted to the as-of date. */
  discountedMarginCents: number;
  /** Revenue in the window (> 0). */
  active: boolean;
  /** Contract accounts: the contract ended inside the window; null for transactional accounts. */
  churned: boolean | null;
}

export type OutcomeVisitor = (accountId: string, draw: number, outcome: Readonly<Outcome>) => void;

/**
 * Simulates every modelled account's next `months`, draws × accounts, account-major: all draws
 * of one account are visited one after the other (so a caller can take per-account quantiles
 * with a buffer of one account's draws).
 */
export function simulateOutcomes(state: ForecastState, opts: SimulationOptions, visit: OutcomeVisitor): void {
  const rng = createRng(opts.seed);
  const random = opts.accountRandomness !== false;
  const withParams = opts.parameterUncertainty !== false;
  const out: Outcome = { revenueCents: 0, discountedMarginCents: 0, active: false, churned: null };
  const monthly = monthlyDiscountRate(opts.annualDiscount);
  for (const a of state.contracts) {
    const len = a.periodMonths;
    const periods = Math.floor(opts.months / len);
    const vPeriod = 1 / Math.pow(1 + monthly, len);
    const payment = a.mrrCents * len * state.margins.subscription;
    for (let j = 0; j < state.draws; j++) {
      const p = withParams ? a.draws[j] : a.point;
      if (random) {
        const renewed = renewalsAhead(rng, p, a.renewals, periods + 1);
        const paid = Math.min(renewed, periods);
        const months = Math.min(opts.months, a.monthsLeftInPeriod + len * renewed);
        out.revenueCents = a.mrrCents * months;
        out.discountedMarginCents = payment * annuity(vPeriod, paid);
        out.active = months > 0;
        out.churned = a.monthsLeftInPeriod + len * renewed < opts.months;
      } else {
        // Expected values: Σ_k S(n + k)/S(n) per period, by the retention recursion.
        let ratio = 1,
          factor = 1,
          value = 0,
          months = Math.min(opts.months, a.monthsLeftInPeriod);
        for (let k = 1; k <= Math.ceil(opts.months / len); k++) {
          ratio *= 1 / (1 + p.gamma / (p.delta + a.renewals + k - 1));
          factor *= vPeriod;
          if (k <= periods) value += ratio * factor;
          months += ratio * Math.max(0, Math.min(len, opts.months - a.monthsLeftInPeriod - (k - 1) * len));
        }
        out.revenueCents = a.mrrCents * months;
        out.discountedMarginCents = payment * value;
        out.active = months > 0;
        out.churned = null;
      }
      visit(a.accountId, j, out);
    }
  }
  const ps = state.purchases;
  if (!ps) return;
  const H = opts.months * WEEKS_PER_MONTH;
  // Continuous discount rate per week, for e^{-ρt} over a purchase time t in weeks.
  const rho = Math.log(1 + monthly) / WEEKS_PER_MONTH;
  const margin = state.margins.transactional;
  for (let i = 0; i < ps.accountId.length; i++) {
    const x = ps.frequency[i],
      tx = ps.recency[i],
      T = ps.T[i],
      z = ps.monetaryValue[i];
    for (let j = 0; j < state.draws; j++) {
      const m = withParams ? ps.modelDraws[j] : ps.point;
      const s = ps.spendPoint ? (withParams ? ps.spendDraws![j] : ps.spendPoint) : null;
      let purchases: number, window: number, spend: number;
      if (random) {
        const alive = ps.model === "nbd" ? 1 : ps.probabilityAlive(m, x, tx, T);
        ({ purchases, window } = rng.next() < alive ? futurePurchases(rng, ps.model, m, x, T, H) : NONE);
        if (purchases === 0) spend = 0;
        else if (s) {
          const nu = gamma(rng, s.q + s.p * x, s.gamma + x * z);
          spend = gamma(rng, purchases * s.p, nu);
        } else spend = purchases * ps.fixedSpend![i];
      } else {
        purchases = ps.expectedPurchases(m, H, x, tx, T);
        window = H;
        const mean = s ? (s.p * (s.gamma + x * z)) / (s.p * x + s.q - 1) : ps.fixedSpend![i];
        spend = purchases * mean;
      }
      // Purchases spread evenly over the alive window: mean discount (1 − e^{−ρW}) / (ρW).
      const discount = rho > 0 && window > 0 ? (1 - Math.exp(-rho * window)) / (rho * window) : 1;
      out.revenueCents = spend;
      out.discountedMarginCents = margin * spend * discount;
      out.active = purchases > 0;
      out.churned = null;
      visit(ps.accountId[i], j, out);
    }
  }
}

const NONE = { purchases: 0, window: 0 } as const;

/** Renewals a survivor of n renewals makes in the next `cap` periods, at most `cap`. */
function renewalsAhead(rng: Rng, p: SbgParams, n: number, cap: number): number {
  const theta = beta(rng, p.gamma, p.delta + n);
  if (theta <= 0) return cap;
  if (theta >= 1) return 0;
  let u = rng.next();
  while (u === 0) u = rng.next();
  // Number of successes before the first failure: P(L ≥ k) = (1 − θ)^k.
  return Math.min(cap, Math.floor(Math.log(u) / Math.log1p(-theta)));
}

/** An alive account's purchases in the next H weeks, and the length of the window it stayed alive in. */
function futurePurchases(
  rng: Rng,
  model: PurchaseModel,
  m: Readonly<Record<string, number>>,
  x: number,
  T: number,
  H: number,
): { purchases: number; window: number } {
  const lambda = gamma(rng, m.r + x, m.alpha + T);
  if (model === "paretonbd") {
    const mu = gamma(rng, m.s, m.beta + T);
    let u = rng.next();
    while (u === 0) u = rng.next();
    const window = Math.min(H, -Math.log(u) / mu);
    return { purchases: poisson(rng, lambda * window), window };
  }
  const count = poisson(rng, lambda * H);
  if (model === "nbd" || count === 0) return { purchases: count, window: H };
  const p = beta(rng, m.a, m.b + x + (model === "mbgnbd" ? 1 : 0));
  if (p <= 0) return { purchases: count, window: H };
  let u = rng.next();
  while (u === 0) u = rng.next();
  // Purchases until the one after which the account drops out: P(N ≥ k) = (1 − p)^(k − 1).
  const last = p >= 1 ? 1 : 1 + Math.floor(Math.log(u) / Math.log1p(-p));
  const purchases = Math.min(count, last);
  return { purchases, window: purchases < count ? (H * purchases) / count : H };
}

/** Σ_{k=1}^{m} v^k. */
function annuity(v: number, m: number): number {
  if (m <= 0) return 0;
  return v === 1 ? m : (v * (1 - Math.pow(v, m))) / (1 - v);
}

/**
 * Each modelled account's expected discounted margin over `months` at the point estimates
 * (no parameter draws, no account randomness): the deterministic twin of the simulation.
 */
export function expectedValues(state: ForecastState, months: number, annualDiscount: number): Map<string, number> {
  const out = new Map<string, number>();
  simulateOutcomes(
    { ...state, draws: 1 },
    { months, annualDiscount, seed: 0, accountRandomness: false, parameterUncertainty: false },
    (id, _j, o) => out.set(id, o.discountedMarginCents),
  );
  return out;
}

/**
 * `now`'s accounts (their histories at the later date) under `then`'s fitted models: the same
 * pool's sBG fit and the same purchase and spend model. Accounts whose pool or model did not
 * exist then keep their current parameters.
 */
export function withParametersOf(now: ForecastState, then: ForecastState): ForecastState {
  const poolPoint = new Map(then.contracts.map((a) => [a.pool, a.point]));
  const contracts = now.contracts.map((a) => {
    const point = poolPoint.get(a.pool);
    return point ? { ...a, point } : a;
  });
  const np = now.purchases,
    tp = then.purchases;
  const purchases =
    np && tp
      ? {
          ...np,
          model: tp.model,
          point: tp.point,
          spendPoint: tp.spendPoint ?? np.spendPoint,
          probabilityAlive: tp.probabilityAlive,
          expectedPurchases: tp.expectedPurchases,
        }
      : np;
  return { ...now, margins: then.margins, contracts, purchases };
}

/** P10, P50, P90 of a sample (sorts it in place). */
export function bandOf(values: Float64Array): { p10: number; p50: number; p90: number } {
  values.sort();
  return { p10: quantileSorted(values, 0.1), p50: quantileSorted(values, 0.5), p90: quantileSorted(values, 0.9) };
}
