/**
 * Customer lifetime value: simple formulas, purchase-model (BG/NBD or Pareto/NBD with
 * Gamma-Gamma spend) CLV, contractual (sBG) CLV, and prediction bands from parameter draws.
 *
 * Conventions: one month = 365.25 / 12 days (30.4375 days, 4.348 weeks); an annual discount
 * rate d is converted to the monthly rate d_m = (1 + d)^(1/12) − 1; cash flows of month k
 * (k = 1 … H) are discounted by (1 + d_m)^k; margin is the gross margin share in [0, 1].
 */
import type { Rng } from "../random.js";
import { bgnbdExpectedPurchasesIfAlive, BGNBD_PARAM_NAMES, type BgnbdParams } from "./bgnbd.js";
import { quantileSorted, type Column, type RfmColumns, checkRfmRow } from "./data.js";
import { GAMMAGAMMA_PARAM_NAMES, type GammaGammaParams } from "./gammagamma.js";
import { PARETONBD_PARAM_NAMES, paretoNbdExpectedPurchasesIfAlive, paretoNbdProbabilityAliveOne, type ParetoNbdParams } from "./paretonbd.js";
import { unitDays, type TimeUnit } from "./rfm.js";
import { sbgSurvival, type SbgParams } from "./sbg.js";
import { drawParameters } from "./uncertainty.js";
import { hyp2f1 } from "./hyp2f1.js";
import type { FitUncertainty } from "./fitting.js";

/** Days in one month (365.25 / 12). */
export const DAYS_PER_MONTH = 365.25 / 12;

/** Length of one month in `unit` (30.4375 days or 4.348 weeks). */
export function monthLength(unit: TimeUnit): number {
  return DAYS_PER_MONTH / unitDays(unit);
}

/** Monthly rate equivalent to an annual rate: d_m = (1 + d)^(1/12) − 1. */
export function monthlyDiscountRate(annualRate: number): number {
  if (!(annualRate > -1)) throw new RangeError(`invalid annual discount rate: ${annualRate}`);
  return Math.pow(1 + annualRate, 1 / 12) - 1;
}

/**
 * Simple (historical) LTV = average sale value × average transactions per period × retention
 * time in periods. No discounting, no heterogeneity; a back-of-envelope figure in money units.
 */
export function simpleLtv(averageSaleValue: number, transactionsPerPeriod: number, retentionPeriods: number): number {
  return averageSaleValue * transactionsPerPeriod * retentionPeriods;
}

/** Simple CLV = simple LTV × gross margin (margin in [0, 1]). */
export function simpleClv(ltv: number, grossMargin: number): number {
  checkMargin(grossMargin);
  return ltv * grossMargin;
}

function checkMargin(m: number): void {
  if (!(m >= 0 && m <= 1)) throw new RangeError(`invalid margin: ${m} (must be in [0, 1])`);
}

/**
 * Contractual CLV of an account that has survived `renewals` periods of a monthly sBG model:
 *   CLV = margin × MRR × Σ_{k=1}^{H} [S(n + k) / S(n)] / (1 + d_m)^k,   n = renewals,
 * i.e. the discounted payments of the next H months, each paid if the account is still active.
 * As H → ∞ this is margin × MRR × DERL(n, d_m) / (1 + d_m) (sbg.ts; a test checks it).
 */
export function sbgClv(p: SbgParams, opts: { renewals: number; mrr: number; months: number; margin: number; annualDiscount: number }): number {
  checkMargin(opts.margin);
  const dm = monthlyDiscountRate(opts.annualDiscount);
  const s0 = sbgSurvival(p, opts.renewals);
  let sum = 0;
  for (let k = 1; k <= opts.months; k++) sum += sbgSurvival(p, opts.renewals + k) / s0 / Math.pow(1 + dm, k);
  return opts.margin * opts.mrr * sum;
}

/** Which purchase model values the accounts. */
export type PurchaseModel = "bgnbd" | "paretonbd";

/** Per-account inputs: the RFM columns plus the mean repeat spend (zbar, money units). */
export interface AccountColumns extends RfmColumns {
  monetaryValue: Column;
}

export interface ClvOptions {
  /** Time unit of frequency/recency/T and of the model's α (and β). */
  unit: TimeUnit;
  /** Horizon H in months. */
  months: number;
  /** Annual discount rate, e.g. 0.1. */
  annualDiscount: number;
  /** Gross margin in [0, 1]. */
  margin: number;
  /** Horizon for the `expectedPurchases` output, in `unit` (default: H months). */
  t?: number;
}

/** Accounts indexed by their distinct (x, T) pairs (the expected purchases if alive depend on those only). */
interface Prepared {
  n: number;
  x: Int32Array;
  tx: Float64Array;
  T: Float64Array;
  z: Float64Array;
  pair: Int32Array;
  pairX: Int32Array;
  pairT: Float64Array;
}

function prepare(d: AccountColumns): Prepared {
  const n = d.frequency.length;
  if (d.recency.length !== n || d.T.length !== n || d.monetaryValue.length !== n) throw new RangeError("invalid columns: lengths differ");
  const x = new Int32Array(n), tx = new Float64Array(n), T = new Float64Array(n), z = new Float64Array(n), pair = new Int32Array(n);
  const map = new Map<string, number>();
  const px: number[] = [], pt: number[] = [];
  for (let i = 0; i < n; i++) {
    checkRfmRow(i, d.frequency[i], d.recency[i], d.T[i]);
    const m = d.monetaryValue[i];
    if (!(m >= 0) || !Number.isFinite(m)) throw new RangeError(`invalid monetary value at row ${i}: ${m}`);
    x[i] = d.frequency[i];
    tx[i] = x[i] === 0 ? 0 : d.recency[i];
    T[i] = d.T[i];
    z[i] = m;
    const k = `${x[i]}|${T[i]}`;
    let id = map.get(k);
    if (id === undefined) {
      map.set(k, (id = px.length));
      px.push(x[i]);
      pt.push(T[i]);
    }
    pair[i] = id;
  }
  return { n, x, tx, T, z, pair, pairX: Int32Array.from(px), pairT: Float64Array.from(pt) };
}

/**
 * BG/NBD expected purchases if alive at the month ends kΔ, k = 0 … H, for one (x, T):
 * (C/(a − 1)) [1 − (A/(A + t))^R ₂F₁(R, B; C; t/(A + t))] with R = r + x, A = α + T, B = b + x,
 * C = a + b + x − 1 (bgnbd.ts). The ₂F₁ coefficients do not depend on t, so all months share
 * one pass over the series.
 */
function bgnbdMonthly(p: BgnbdParams, x: number, T: number, delta: number, H: number, out: Float64Array): void {
  const R = p.r + x, A = p.alpha + T, B = p.b + x, C = p.a + p.b + x - 1;
  const z = new Float64Array(H + 1);
  const zp = new Float64Array(H + 1);
  const s = new Float64Array(H + 1);
  for (let k = 0; k <= H; k++) {
    const t = k * delta;
    z[k] = t / (A + t);
    zp[k] = 1;
    s[k] = 1;
  }
  if (H > 0 && z[H] > 0.9) {
    // slow series: fall back on the general ₂F₁
    for (let k = 0; k <= H; k++) out[k] = k === 0 ? 0 : bgnbdExpectedPurchasesIfAlive(p, k * delta, x, T);
    return;
  }
  let c = 1;
  for (let n = 0; n < 100000; n++) {
    c *= ((R + n) * (B + n)) / ((C + n) * (n + 1));
    let last = 0;
    for (let k = 1; k <= H; k++) {
      zp[k] *= z[k];
      const term = c * zp[k];
      s[k] += term;
      last = term;
    }
    if (Math.abs(last) <= 1e-17 * s[H] && n > R + B) break;
  }
  for (let k = 0; k <= H; k++) {
    const t = k * delta;
    out[k] = k === 0 ? 0 : (C / (p.a - 1)) * (1 - Math.pow(A / (A + t), R) * s[k]);
  }
}

/** Model parameters for one evaluation (a point estimate or one draw). */
type ModelParams = BgnbdParams | ParetoNbdParams;

/**
 * For each (x, T) pair: `disc` = Σ_{k=1}^{H} [E(kΔ) − E((k−1)Δ)] / (1 + d_m)^k and `eT` = E(t),
 * where E(·) is the expected purchases if alive. Writes P(alive) per account into `alive`.
 */
function evaluate(model: PurchaseModel, mp: ModelParams, prep: Prepared, delta: number, H: number, v: number, t: number, alive: Float64Array, disc: Float64Array, eT: Float64Array | null): void {
  const np = prep.pairX.length;
  const e = new Float64Array(H + 1);
  switch (model) {
    case "bgnbd": {
      const p = mp as BgnbdParams;
      for (let k = 0; k < np; k++) {
        bgnbdMonthly(p, prep.pairX[k], prep.pairT[k], delta, H, e);
        let s = 0, vk = 1;
        for (let m = 1; m <= H; m++) {
          vk *= v;
          s += (e[m] - e[m - 1]) * vk;
        }
        disc[k] = s;
        if (eT) eT[k] = bgnbdExpectedPurchasesIfAlive(p, t, prep.pairX[k], prep.pairT[k]);
      }
      const lalpha = new Map<number, number>();
      const la = (u: number) => {
        let r = lalpha.get(u);
        if (r === undefined) lalpha.set(u, (r = Math.log(p.alpha + u)));
        return r;
      };
      for (let i = 0; i < prep.n; i++) {
        const x = prep.x[i];
        if (x === 0) {
          alive[i] = 1;
          continue;
        }
        const lo = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * (la(prep.T[i]) - la(prep.tx[i]));
        alive[i] = 1 / (1 + Math.exp(lo));
      }
      break;
    }
    case "paretonbd": {
      const p = mp as ParetoNbdParams;
      for (let k = 0; k < np; k++) {
        let s = 0, vk = 1, prev = 0;
        for (let m = 1; m <= H; m++) {
          vk *= v;
          const cur = paretoNbdExpectedPurchasesIfAlive(p, m * delta, prep.pairX[k], prep.pairT[k]);
          s += (cur - prev) * vk;
          prev = cur;
        }
        disc[k] = s;
        if (eT) eT[k] = paretoNbdExpectedPurchasesIfAlive(p, t, prep.pairX[k], prep.pairT[k]);
      }
      const cache = new Map<string, number>();
      for (let i = 0; i < prep.n; i++) {
        const key = `${prep.x[i]}|${prep.tx[i]}|${prep.T[i]}`;
        let a = cache.get(key);
        if (a === undefined) cache.set(key, (a = paretoNbdProbabilityAliveOne(p, prep.x[i], prep.tx[i], prep.T[i])));
        alive[i] = a;
      }
      break;
    }
    default:
      throw new RangeError(`invalid purchase model: ${String(model)}`);
  }
}

/** Gamma-Gamma conditional mean spend p(γ + x z̄)/(p x + q − 1) (gammagamma.ts, note 025 eq. 5). */
function spendOf(s: GammaGammaParams, x: number, z: number): number {
  return (s.p * (s.gamma + x * z)) / (s.p * x + s.q - 1);
}

export interface ClvPrediction {
  /** Conditional expected purchases in the next `t` (model unit). */
  expectedPurchases: Float64Array;
  probabilityAlive: Float64Array;
  /** Gamma-Gamma expected mean spend per purchase (money units). */
  expectedSpend: Float64Array;
  /** margin × E[spend] × Σ_k (expected purchases in month k) / (1 + d_m)^k, money units. */
  clv: Float64Array;
  totalClv: number;
}

export interface ClvBands {
  /** Per-account quantiles of CLV over the parameter draws (P10, P50, P90). */
  clvP10: Float64Array;
  clvP50: Float64Array;
  clvP90: Float64Array;
  /** Quantiles of the portfolio total Σᵢ CLVᵢ over the draws. */
  totalP10: number;
  totalP50: number;
  totalP90: number;
  draws: number;
}

function checkOpts(o: ClvOptions): void {
  checkMargin(o.margin);
  unitDays(o.unit);
  if (!Number.isInteger(o.months) || o.months < 0) throw new RangeError(`invalid months: ${o.months}`);
  if (!(o.annualDiscount > -1)) throw new RangeError(`invalid annual discount: ${o.annualDiscount}`);
}

function paramsOf(model: PurchaseModel, p: Record<string, number>): ModelParams {
  switch (model) {
    case "bgnbd":
      return { r: p.r, alpha: p.alpha, a: p.a, b: p.b };
    case "paretonbd":
      return { r: p.r, alpha: p.alpha, s: p.s, beta: p.beta };
    default:
      throw new RangeError(`invalid purchase model: ${String(model)}`);
  }
}

/**
 * Discounted CLV per account for a purchase model and Gamma-Gamma spend (point estimate):
 *   CLVᵢ = margin × E[Mᵢ] × Σ_{k=1}^{H} [E[Yᵢ(kΔ)] − E[Yᵢ((k−1)Δ)]] / (1 + d_m)^k,
 * with Δ one month in the model's unit, E[Yᵢ(t)] the conditional expected purchases in
 * (T, T + t] (BG/NBD: FHL 2005 eq. 10; Pareto/NBD: SMC 1987 eq. 22) and E[Mᵢ] the Gamma-Gamma
 * conditional mean spend (note 025 eq. 5). Purchases and spend are assumed independent.
 */
export function predictClv(model: PurchaseModel, params: ModelParams, spend: GammaGammaParams, data: AccountColumns, opts: ClvOptions): ClvPrediction {
  checkOpts(opts);
  return predictPrepared(model, paramsOf(model, params as unknown as Record<string, number>), spend, prepare(data), opts);
}

function predictPrepared(model: PurchaseModel, mp: ModelParams, spend: GammaGammaParams, prep: Prepared, opts: ClvOptions): ClvPrediction {
  const delta = monthLength(opts.unit);
  const v = 1 / (1 + monthlyDiscountRate(opts.annualDiscount));
  const t = opts.t ?? opts.months * delta;
  const np = prep.pairX.length;
  const alive = new Float64Array(prep.n), disc = new Float64Array(np), eT = new Float64Array(np);
  evaluate(model, mp, prep, delta, opts.months, v, t, alive, disc, eT);
  const expectedPurchases = new Float64Array(prep.n), expectedSpend = new Float64Array(prep.n), clv = new Float64Array(prep.n);
  let total = 0;
  for (let i = 0; i < prep.n; i++) {
    expectedPurchases[i] = alive[i] * eT[prep.pair[i]];
    expectedSpend[i] = spendOf(spend, prep.x[i], prep.z[i]);
    clv[i] = opts.margin * expectedSpend[i] * alive[i] * disc[prep.pair[i]];
    total += clv[i];
  }
  return { expectedPurchases, probabilityAlive: alive, expectedSpend, clv, totalClv: total };
}

/**
 * Point CLV (as {@link predictClv}) plus P10/P50/P90 bands from `draws` parameter vectors of
 * the purchase model and, independently, of the Gamma-Gamma model (uncertainty.ts). The bands
 * cover parameter uncertainty only, not the randomness of future purchases (process noise).
 * Both fits need `covLog`. Reproducible for a given `rng` seed.
 */
export function predictClvWithBands(
  model: PurchaseModel,
  params: ModelParams & FitUncertainty<string>,
  spend: GammaGammaParams & FitUncertainty<string>,
  data: AccountColumns,
  opts: ClvOptions & { draws: number; rng: Rng },
): ClvPrediction & ClvBands {
  checkOpts(opts);
  const prep = prepare(data);
  const mp = paramsOf(model, params as unknown as Record<string, number>);
  const point = predictPrepared(model, mp, spend, prep, opts);
  const names = model === "bgnbd" ? BGNBD_PARAM_NAMES : PARETONBD_PARAM_NAMES;
  const J = opts.draws;
  const mDraws = drawParameters(opts.rng, names as readonly string[], mp as unknown as Record<string, number>, params.covLog, J);
  const sDraws = drawParameters(opts.rng, GAMMAGAMMA_PARAM_NAMES, spend, spend.covLog, J);
  const delta = monthLength(opts.unit);
  const v = 1 / (1 + monthlyDiscountRate(opts.annualDiscount));
  const n = prep.n;
  const np = prep.pairX.length;
  // Per draw: discounted purchases per (x, T) pair, and P(alive) per account (as Float32 to halve memory).
  const disc: Float64Array[] = [];
  const alive: Float32Array[] = [];
  const aliveTmp = new Float64Array(n);
  for (let j = 0; j < J; j++) {
    const d = new Float64Array(np);
    evaluate(model, paramsOf(model, mDraws[j]), prep, delta, opts.months, v, 0, aliveTmp, d, null);
    disc.push(d);
    alive.push(Float32Array.from(aliveTmp));
  }
  const clvP10 = new Float64Array(n), clvP50 = new Float64Array(n), clvP90 = new Float64Array(n);
  const totals = new Float64Array(J);
  const vals = new Float64Array(J);
  const sp = sDraws.map((s) => [s.p, s.q, s.gamma]);
  for (let i = 0; i < n; i++) {
    const x = prep.x[i], z = prep.z[i], pr = prep.pair[i];
    for (let j = 0; j < J; j++) {
      const s = sp[j];
      const c = opts.margin * ((s[0] * (s[2] + x * z)) / (s[0] * x + s[1] - 1)) * alive[j][i] * disc[j][pr];
      vals[j] = c;
      totals[j] += c;
    }
    vals.sort();
    clvP10[i] = quantileSorted(vals, 0.1);
    clvP50[i] = quantileSorted(vals, 0.5);
    clvP90[i] = quantileSorted(vals, 0.9);
  }
  totals.sort();
  return {
    ...point,
    clvP10,
    clvP50,
    clvP90,
    totalP10: quantileSorted(totals, 0.1),
    totalP50: quantileSorted(totals, 0.5),
    totalP90: quantileSorted(totals, 0.9),
    draws: J,
  };
}

/** Undiscounted-limit helper for tests and docs: DEL of a new sBG customer, ₂F₁(1, δ; γ + δ; 1/(1 + d)) (F&H 2010 eq. 5). */
export function sbgDiscountedExpectedLifetime(p: SbgParams, discount: number): number {
  return hyp2f1(1, p.delta, p.gamma + p.delta, 1 / (1 + discount));
}
