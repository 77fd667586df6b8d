/**
 * Customer lifetime value of purchase-model accounts (BG/NBD, MBG/NBD, Pareto/NBD or NBD with
 * Gamma-Gamma spend), and prediction bands from parameter draws. Contractual CLV: sbg.ts;
 * the simple formulas: src/lib/metrics/simple-value.ts.
 *
 * Conventions (discounting.ts): one month = 365.25 / 12 days; an annual discount rate d is
 * converted to the monthly rate d_m = (1 + d)^(1/12) − 1; cash flows of month k (k = 1 … H)
 * are discounted by (1 + d_m)^k; margin is the gross margin share in [0, 1].
 */
import type { Rng } from "../random.js";
import type { BgnbdParams } from "./bgnbd.js";
import { type Column, type HistoryTable, type PairTable, type RfmColumns, checkRfmRow } from "./data.js";
import { monthLength, monthlyDiscountRate } from "./discounting.js";
import { quantileSelect, quantileSorted } from "./quantiles.js";
import { GAMMAGAMMA_PARAM_NAMES, type GammaGammaParams } from "./gammagamma.js";
import type { MbgnbdParams } from "./mbgnbd.js";
import type { NbdParams } from "./nbd.js";
import type { ParetoNbdParams } from "./paretonbd.js";
import { purchaseValuation, type PurchaseModel, type PurchaseValuation } from "./purchase-models.js";
import { unitDays, type TimeUnit } from "./rfm.js";
import { drawParameters } from "./uncertainty.js";
import type { FitUncertainty } from "./fitting.js";

function checkMargin(m: number): void {
  if (!(m >= 0 && m <= 1)) throw new RangeError(`invalid margin: ${m} (must be in [0, 1])`);
}

/** A purchase model's parameters, as fitted. */
export type PurchaseParams = BgnbdParams | MbgnbdParams | ParetoNbdParams | NbdParams;

/** Model parameters for one evaluation (a point estimate or one draw), by name. */
type ModelParams = Readonly<Record<string, number>>;

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
  /**
   * Length Δ of one month in `unit`, instead of 365.25/12 days (e.g. 4.345 weeks or 30 days,
   * the reference implementation lifetimes' convention).
   */
  monthLength?: number;
  /**
   * Monthly discount rate d_m used as given (month k discounted by (1 + d_m)^k), instead of the
   * one equivalent to `annualDiscount`; lifetimes' `discount_rate` is this rate.
   */
  monthlyDiscount?: number;
  /** Horizon for the `expectedPurchases` output, in `unit` (default: H months). */
  t?: number;
  /**
   * Mean spend per purchase of each account, used instead of the Gamma-Gamma conditional mean
   * (the simpler spend model when Gamma-Gamma cannot be fitted); the spend then has no band.
   */
  fixedSpend?: ArrayLike<number>;
}

/** The accounts' (x, T) pairs and (x, t_x, T) histories (data.ts), and each account's own values. */
interface Prepared extends PairTable, HistoryTable {
  n: number;
  x: Int32Array;
  z: Float64Array;
  pair: Int32Array;
  hist: Int32Array;
}

function prepare(d: AccountColumns): Prepared {
  const n = d.frequency.length;
  if (d.recency.length !== n || d.T.length !== n || d.monetaryValue.length !== n)
    throw new RangeError("invalid columns: lengths differ");
  const x = new Int32Array(n),
    z = new Float64Array(n),
    pair = new Int32Array(n),
    hist = new Int32Array(n);
  const pairs = new Map<string, number>();
  const hists = new Map<string, number>();
  const px: number[] = [],
    pt: number[] = [],
    hx: number[] = [],
    htx: number[] = [],
    ht: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = d.frequency[i],
      T = d.T[i];
    checkRfmRow(i, xi, d.recency[i], T);
    const tx = xi === 0 ? 0 : d.recency[i];
    const m = d.monetaryValue[i];
    if (!(m >= 0) || !Number.isFinite(m)) throw new RangeError(`invalid monetary value at row ${i}: ${m}`);
    x[i] = xi;
    z[i] = m;
    const k = `${xi}|${T}`;
    let id = pairs.get(k);
    if (id === undefined) {
      pairs.set(k, (id = px.length));
      px.push(xi);
      pt.push(T);
    }
    pair[i] = id;
    const hk = `${k}|${tx}`;
    let h = hists.get(hk);
    if (h === undefined) {
      hists.set(hk, (h = hx.length));
      hx.push(xi);
      htx.push(tx);
      ht.push(T);
    }
    hist[i] = h;
  }
  const byT = new Map<number, number[]>();
  pt.forEach((T, k) => {
    const l = byT.get(T);
    if (l) l.push(k);
    else byT.set(T, [k]);
  });
  const tIndex = new Map<number, number>(),
    txIndex = new Map<number, number>();
  const idOf = (m: Map<number, number>, v: number) => {
    let id = m.get(v);
    if (id === undefined) m.set(v, (id = m.size));
    return id;
  };
  const histTId = Int32Array.from(ht, (v) => idOf(tIndex, v));
  const histTxId = Int32Array.from(htx, (v) => idOf(txIndex, v));
  return {
    tValues: Float64Array.from(tIndex.keys()),
    txValues: Float64Array.from(txIndex.keys()),
    histTId,
    histTxId,
    n,
    x,
    z,
    pair,
    hist,
    tGroups: Array.from(byT.values(), (l) => Int32Array.from(l)),
    pairX: Int32Array.from(px),
    pairT: Float64Array.from(pt),
    histX: Int32Array.from(hx),
    histTx: Float64Array.from(htx),
    histT: Float64Array.from(ht),
  };
}

/**
 * For each (x, T) pair: `disc` = Σ_{k=1}^{H} [E(kΔ) − E((k−1)Δ)] / (1 + d_m)^k and `eT` = E(t),
 * where E(·) is the expected purchases if alive; for each (x, t_x, T) history: P(alive).
 */
function evaluate(
  spec: PurchaseValuation,
  mp: ModelParams,
  prep: Prepared,
  delta: number,
  H: number,
  v: number,
  t: number,
  alive: Float64Array,
  disc: Float64Array,
  eT: Float64Array,
): void {
  spec.discountedPurchasesIfAlive(mp, prep, delta, H, v, disc);
  for (let k = 0; k < eT.length; k++) eT[k] = spec.expectedPurchasesIfAlive(mp, t, prep.pairX[k], prep.pairT[k]);
  spec.probabilityAliveByHistory(mp, prep, alive);
}

/** Binned (x, T) pairs for the parameter draws (see {@link binPairs}). */
interface PairBins {
  /** Representative pairs, one per occupied bin. */
  prep: Prepared;
  /** Bin of each original pair. */
  binOf: Int32Array;
}

/**
 * Groups (x, T) pairs into bins whose discounted purchases move together across parameter
 * draws: x exact up to 10, then bins 15% wide; T bins of `tWidth` (model units). Each bin is
 * represented by its members' mean x (rounded) and mean T.
 */
function binPairs(prep: Prepared, tWidth: number): PairBins | null {
  const np = prep.pairX.length;
  const keyOf = (x: number, T: number) =>
    `${x <= 10 ? x : 10 + Math.floor(Math.log(x / 10) / Math.log(1.15))}|${Math.floor(T / tWidth)}`;
  const bins = new Map<string, number>();
  const sumX: number[] = [],
    sumT: number[] = [],
    count: number[] = [];
  const binOf = new Int32Array(np);
  for (let k = 0; k < np; k++) {
    const key = keyOf(prep.pairX[k], prep.pairT[k]);
    let b = bins.get(key);
    if (b === undefined) {
      bins.set(key, (b = count.length));
      sumX.push(0);
      sumT.push(0);
      count.push(0);
    }
    binOf[k] = b;
    sumX[b] += prep.pairX[k];
    sumT[b] += prep.pairT[k];
    count[b]++;
  }
  const repX = count.map((c, b) => Math.round(sumX[b] / c));
  const repT = count.map((c, b) => sumT[b] / c);
  const zeros = new Float64Array(count.length);
  const reps = prepare({ frequency: repX, recency: zeros, T: repT, monetaryValue: zeros });
  // Two bins with the same representative would break pair index = bin index: then stay exact.
  return reps.pairX.length === count.length ? { prep: reps, binOf } : null;
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
  /** The portfolio total under each parameter draw, in draw order (to combine with other models' draws). */
  totalDraws: Float64Array;
  draws: number;
  /** Parameter draws replaced because they fell outside the valid region or gave non-finite values. */
  rejectedDraws: number;
  /** The accepted parameter draws, in draw order (the outcome simulation reuses them). */
  modelDraws: Record<string, number>[];
  /** The accepted Gamma-Gamma draws; null with a fixed spend per account. */
  spendDraws: GammaGammaParams[] | null;
}

/** Month length Δ (model unit) and the monthly discount factor v = 1/(1 + d_m) of the options. */
function monthlyStep(o: ClvOptions): { delta: number; v: number } {
  const delta = o.monthLength ?? monthLength(o.unit);
  return { delta, v: 1 / (1 + (o.monthlyDiscount ?? monthlyDiscountRate(o.annualDiscount))) };
}

function checkOpts(o: ClvOptions): void {
  checkMargin(o.margin);
  unitDays(o.unit);
  if (o.monthLength !== undefined && !(o.monthLength > 0 && Number.isFinite(o.monthLength)))
    throw new RangeError(`invalid month length: ${o.monthLength}`);
  if (o.monthlyDiscount !== undefined && !(o.monthlyDiscount > -1 && Number.isFinite(o.monthlyDiscount)))
    throw new RangeError(`invalid monthly discount rate: ${o.monthlyDiscount}`);
  if (!Number.isInteger(o.months) || o.months < 0) throw new RangeError(`invalid months: ${o.months}`);
  if (!(o.annualDiscount > -1)) throw new RangeError(`invalid annual discount: ${o.annualDiscount}`);
}

/** A model's parameters by its own names (in the order of its `covLog`), from a fit or a draw. */
function paramsOf(spec: PurchaseValuation, p: Readonly<Record<string, number>>): ModelParams {
  return Object.fromEntries(spec.paramNames.map((name) => [name, p[name]]));
}

/**
 * Discounted CLV per account for a purchase model and Gamma-Gamma spend (point estimate):
 *   CLVᵢ = margin × E[Mᵢ] × Σ_{k=1}^{H} [E[Yᵢ(kΔ)] − E[Yᵢ((k−1)Δ)]] / (1 + d_m)^k,
 * with Δ one month in the model's unit, E[Yᵢ(t)] the conditional expected purchases in
 * (T, T + t] (BG/NBD: FHL 2005 eq. 10; MBG/NBD: mbgnbd.ts; Pareto/NBD: SMC 1987 eq. 22) and E[Mᵢ] the Gamma-Gamma
 * conditional mean spend (note 025 eq. 5). Purchases and spend are assumed independent.
 */
export function predictClv(
  model: PurchaseModel,
  params: PurchaseParams,
  spend: GammaGammaParams,
  data: AccountColumns,
  opts: ClvOptions,
): ClvPrediction {
  checkOpts(opts);
  const spec = purchaseValuation(model);
  return predictPrepared(spec, paramsOf(spec, params as unknown as Record<string, number>), spend, prepare(data), opts);
}

function predictPrepared(
  spec: PurchaseValuation,
  mp: ModelParams,
  spend: GammaGammaParams | null,
  prep: Prepared,
  opts: ClvOptions,
): ClvPrediction {
  if (opts.fixedSpend) {
    if (opts.fixedSpend.length !== prep.n) throw new RangeError("invalid fixedSpend: one value per account is needed");
  } else if (!spend || !(spend.q > 1 && spend.p > 0 && spend.gamma > 0))
    throw new RangeError(
      `invalid spend parameters: p ${spend?.p}, q ${spend?.q}, γ ${spend?.gamma} (the mean spend needs p, γ > 0 and q > 1)`,
    );
  const { delta, v } = monthlyStep(opts);
  const t = opts.t ?? opts.months * delta;
  const np = prep.pairX.length;
  const aliveH = new Float64Array(prep.histX.length),
    disc = new Float64Array(np),
    eT = new Float64Array(np);
  evaluate(spec, mp, prep, delta, opts.months, v, t, aliveH, disc, eT);
  const expectedPurchases = new Float64Array(prep.n),
    expectedSpend = new Float64Array(prep.n),
    clv = new Float64Array(prep.n);
  const alive = new Float64Array(prep.n);
  let total = 0;
  for (let i = 0; i < prep.n; i++) {
    alive[i] = aliveH[prep.hist[i]];
    expectedPurchases[i] = alive[i] * eT[prep.pair[i]];
    expectedSpend[i] = opts.fixedSpend ? opts.fixedSpend[i] : spendOf(spend!, prep.x[i], prep.z[i]);
    clv[i] = opts.margin * expectedSpend[i] * alive[i] * disc[prep.pair[i]];
    if (!(Number.isFinite(clv[i]) && Number.isFinite(expectedPurchases[i]) && alive[i] >= 0 && alive[i] <= 1)) {
      throw new RangeError(
        `invalid prediction at row ${i}: the ${spec.name} and spend parameters give a non-finite value (x ${prep.x[i]}, P(alive) ${alive[i]}, expected purchases ${expectedPurchases[i]}, spend ${expectedSpend[i]})`,
      );
    }
    total += clv[i];
  }
  return { expectedPurchases, probabilityAlive: alive, expectedSpend, clv, totalClv: total };
}

/**
 * Point CLV (as {@link predictClv}) plus P10/P50/P90 bands from `draws` parameter vectors of
 * the purchase model and, independently, of the Gamma-Gamma model (uncertainty.ts). The bands
 * cover parameter uncertainty only, not the randomness of future purchases (process noise).
 * Both fits need `covLog`. Reproducible for a given `rng` seed.
 *
 * Speed: with more than `binAbove` (default 2,000) distinct (x, T) pairs, each draw's
 * discounted purchases are computed on binned pairs (x exact to 10, then 15% bins; T in
 * 4-week bins) and carried to every pair as point(pair) × draw(bin) ÷ point(bin). The point
 * CLV and P(alive) stay exact; a test bounds the effect on the bands.
 */
export function predictClvWithBands(
  model: PurchaseModel,
  params: PurchaseParams & FitUncertainty<string>,
  spend: (GammaGammaParams & FitUncertainty<string>) | null,
  data: AccountColumns,
  opts: ClvOptions & { draws: number; rng: Rng; binAbove?: number },
): ClvPrediction & ClvBands {
  checkOpts(opts);
  const spec = purchaseValuation(model);
  const prep = prepare(data);
  const mp = paramsOf(spec, params as unknown as Record<string, number>);
  const point = predictPrepared(spec, mp, spend, prep, opts);
  const names = spec.paramNames;
  const J = opts.draws;
  const mDraws = drawParameters(opts.rng, names, mp, params.covLog, J);
  // With a fixed spend per account there are no spend draws (the spend columns below are unused).
  const sDraws =
    spend && !opts.fixedSpend
      ? drawParameters(opts.rng, GAMMAGAMMA_PARAM_NAMES, spend, spend.covLog, J)
      : Array.from({ length: J }, () => ({ p: 1, q: 2, gamma: 1 }));
  const { delta, v } = monthlyStep(opts);
  const n = prep.n;
  const np = prep.pairX.length;
  // Per draw: discounted purchases per (x, T) pair and P(alive) per history, stored
  // draw-major per pair/history so the per-account loop reads contiguous memory.
  const nh = prep.histX.length;
  const discAll = new Float64Array(np * J);
  const aliveAll = new Float64Array(nh * J);
  const al = new Float64Array(nh);
  const bins = spec.binnedDraws && np > (opts.binAbove ?? 2000) ? binPairs(prep, 4 * (7 / unitDays(opts.unit))) : null;
  const drawPrep = bins ? bins.prep : prep;
  const d = new Float64Array(drawPrep.pairX.length);
  let scale: Float64Array | null = null;
  if (bins) {
    const exact = new Float64Array(np);
    spec.discountedPurchasesIfAlive(mp, prep, delta, opts.months, v, exact);
    const atBins = new Float64Array(drawPrep.pairX.length);
    spec.discountedPurchasesIfAlive(mp, drawPrep, delta, opts.months, v, atBins);
    // drawPrep's pairs are the bins in order of first appearance, so pair index = bin index.
    scale = Float64Array.from(exact, (e, k) => (atBins[bins.binOf[k]] > 0 ? e / atBins[bins.binOf[k]] : 0));
  }
  // Every draw is checked: a parameter vector outside the model's valid region (a non-finite
  // value; Gamma-Gamma q ≤ 1, whose mean spend is infinite) or one whose predictions fail or
  // are not finite is replaced by a fresh draw from the same normal, so the bands describe the
  // parameter distribution restricted to the valid region. Replacements come after the first
  // J draws of each model, so a fit whose draws are all valid keeps the bands of its first J draws.
  const maxRejected = Math.max(100, 10 * J);
  let rejectedDraws = 0;
  const reject = (what: string) => {
    if (++rejectedDraws > maxRejected)
      throw new RangeError(
        `invalid parameter draws: more than ${maxRejected} of the ${model} and spend parameter draws fell outside the valid region or gave non-finite values (last: ${what}); the fit is too uncertain for bands`,
      );
  };
  const validSpend = (s: Record<string, number>) =>
    s.p > 0 && s.gamma > 0 && s.q > 1 && Number.isFinite(s.p) && Number.isFinite(s.q) && Number.isFinite(s.gamma);
  for (let j = 0; j < J; j++) {
    while (!validSpend(sDraws[j])) {
      reject(`spend p ${sDraws[j].p}, q ${sDraws[j].q}, γ ${sDraws[j].gamma}`);
      sDraws[j] = drawParameters(opts.rng, GAMMAGAMMA_PARAM_NAMES, spend!, spend!.covLog, 1)[0];
    }
  }
  for (let j = 0; j < J; j++) {
    for (;;) {
      const pj = paramsOf(spec, mDraws[j]);
      let problem: string | null = null;
      if (!Object.values(pj).every((u) => u > 0 && Number.isFinite(u))) problem = `parameters ${JSON.stringify(pj)}`;
      else {
        try {
          spec.discountedPurchasesIfAlive(pj, drawPrep, delta, opts.months, v, d);
          spec.probabilityAliveByHistory(pj, prep, al);
          if (!d.every(Number.isFinite) || !al.every((a) => a >= 0 && a <= 1))
            problem = `non-finite predictions at ${JSON.stringify(pj)}`;
        } catch (error) {
          problem = `${(error as Error).message} at ${JSON.stringify(pj)}`;
        }
      }
      if (problem === null) break;
      reject(problem);
      mDraws[j] = drawParameters(opts.rng, names, mp, params.covLog, 1)[0];
    }
    if (bins && scale) for (let k = 0; k < np; k++) discAll[k * J + j] = scale[k] * d[bins.binOf[k]];
    else for (let k = 0; k < np; k++) discAll[k * J + j] = d[k];
    for (let h = 0; h < nh; h++) aliveAll[h * J + j] = al[h];
  }
  const clvP10 = new Float64Array(n),
    clvP50 = new Float64Array(n),
    clvP90 = new Float64Array(n);
  const totals = new Float64Array(J);
  const vals = new Float64Array(J);
  const sP = Float64Array.from(sDraws, (s) => s.p);
  const sQ = Float64Array.from(sDraws, (s) => s.q);
  const sG = Float64Array.from(sDraws, (s) => s.gamma);
  const margin = opts.margin;
  const fixed = opts.fixedSpend ?? null;
  for (let i = 0; i < n; i++) {
    const x = prep.x[i],
      z = prep.z[i],
      po = prep.pair[i] * J,
      ho = prep.hist[i] * J;
    for (let j = 0; j < J; j++) {
      const m = fixed ? fixed[i] : (sP[j] * (sG[j] + x * z)) / (sP[j] * x + sQ[j] - 1);
      const c = margin * m * aliveAll[ho + j] * discAll[po + j];
      vals[j] = c;
      totals[j] += c;
    }
    clvP10[i] = quantileSelect(vals, 0.1);
    clvP50[i] = quantileSelect(vals, 0.5);
    clvP90[i] = quantileSelect(vals, 0.9);
  }
  const totalDraws = Float64Array.from(totals);
  totals.sort();
  return {
    ...point,
    clvP10,
    clvP50,
    clvP90,
    totalP10: quantileSorted(totals, 0.1),
    totalP50: quantileSorted(totals, 0.5),
    totalP90: quantileSorted(totals, 0.9),
    totalDraws,
    draws: J,
    rejectedDraws,
    modelDraws: mDraws.map((d) => ({ ...paramsOf(spec, d) })),
    spendDraws: spend && !opts.fixedSpend ? sDraws.map((d) => ({ p: d.p, q: d.q, gamma: d.gamma })) : null,
  };
}
