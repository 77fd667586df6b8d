/**
 * MBG/NBD model of repeat purchasing in a non-contractual setting.
 *
 * Batislam, E. P., Denizel, M. & Filiztekin, A. (2007). Empirical validation and comparison of
 * models for customer base analysis. International Journal of Research in Marketing 24(3),
 * 201–209 (BDF 2007), with the erratum of Wagner, U. & Hoppe, D. (2008), IJRM 25(3), 225–226;
 * the variant implemented as `ModifiedBetaGeoFitter` in the Python package lifetimes.
 *
 * Assumptions: as BG/NBD (bgnbd.ts) — Poisson purchasing with rate λ ~ Gamma(r, α), dropout
 * probability p ~ Beta(a, b) — except that a customer can also drop out at time 0, right after
 * the first purchase, not only after each repeat purchase. So customers with no repeat purchase
 * can be inactive (P(alive) < 1 at x = 0), which BG/NBD rules out. Time is in the unit of the
 * input; α has that time unit, r, a, b are unit-free.
 *
 * Two identities used throughout (they follow from conditioning on the flip at time 0):
 * - a customer who survived the flip at time 0 is a BG/NBD customer, and surviving it turns
 *   Beta(a, b) into Beta(a, b + 1); so E_MBG[X(t)] = b/(a + b) · E_BG[X(t); r, α, a, b + 1];
 * - a customer alive at T after x repeat purchases has survived x + 1 flips: the future is
 *   BG/NBD's with r + x, α + T, a, b + x + 1, i.e. BG/NBD's "if alive" expression with b + 1.
 */
import type { Rng } from "../random.js";
import { beta as drawBeta, exponential, gamma as drawGamma } from "../random.js";
import {
  bgnbdDiscountedPurchasesIfAlive,
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesIfAlive,
  nbdCountProbabilities,
} from "./bgnbd.js";
import {
  checkFitData,
  checkRfmRow,
  groupRfm,
  type Column,
  type GroupedRfm,
  type PairTable,
  type RfmColumns,
} from "./data.js";
import { fitOnLogScale, freezeParams, type FitOptions, type FitUncertainty } from "./fitting.js";
import { lbeta, lgamma, logAddExp } from "./special.js";

export interface MbgnbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

export type MbgnbdFit = MbgnbdParams & { readonly logLik: number } & FitUncertainty<"r" | "alpha" | "a" | "b">;

export const MBGNBD_PARAM_NAMES = ["r", "alpha", "a", "b"] as const;

/** BG/NBD parameters whose "if alive" expressions equal MBG/NBD's (see the module comment). */
function shifted(p: MbgnbdParams): MbgnbdParams {
  return { r: p.r, alpha: p.alpha, a: p.a, b: p.b + 1 };
}

/**
 * Log-likelihood of grouped data, and its gradient in (ln r, ln α, ln a, ln b) when `grad` is
 * given. BDF 2007 (Wagner & Hoppe 2008 erratum) written as ℓᵢ = A + ln(1 + e^D):
 *   A = ln Γ(r + x) − ln Γ(r) + r ln α − (r + x) ln(α + T) + ln B(a, b + x + 1) − ln B(a, b)
 *   D = ln a − ln(b + x) + (r + x) [ln(α + T) − ln(α + t_x)]   (for every x; t_x = 0 when x = 0)
 * using B(a + 1, b + x) / B(a, b + x + 1) = a / (b + x): the first term is "alive at T" (x + 1
 * flips survived), the second "left right after the purchase at t_x". The x-dependent terms
 * are built by recurrence: ln B(a, b + x + 1) − ln B(a, b) = Σ_{k≤x} [ln(b + k) − ln(a + b + k)].
 */
export function mbgnbdGroupedLogLik(p: MbgnbdParams, g: GroupedRfm, grad?: Float64Array): number {
  const { r, alpha, a, b } = p;
  const mx = g.maxX;
  const lgr = new Float64Array(mx + 1); // ln Γ(r+x) − ln Γ(r)
  const lbx = new Float64Array(mx + 1); // ln B(a, b+x+1) − ln B(a, b)
  const dgr = new Float64Array(mx + 1); // ψ(r+x) − ψ(r)
  const dga = new Float64Array(mx + 1); // ∂/∂a of lbx
  const dgb = new Float64Array(mx + 1); // ∂/∂b of lbx
  lbx[0] = Math.log(b) - Math.log(a + b);
  dga[0] = -1 / (a + b);
  dgb[0] = 1 / b - 1 / (a + b);
  for (let x = 1; x <= mx; x++) {
    const k = x - 1;
    lgr[x] = lgr[k] + Math.log(r + k);
    dgr[x] = dgr[k] + 1 / (r + k);
    lbx[x] = lbx[k] + Math.log(b + x) - Math.log(a + b + x);
    dga[x] = dga[k] - 1 / (a + b + x);
    dgb[x] = dgb[k] + 1 / (b + x) - 1 / (a + b + x);
  }
  const lBx = new Float64Array(mx + 1); // ln(b + x)
  for (let x = 0; x <= mx; x++) lBx[x] = Math.log(b + x);
  const nT = g.tValues.length,
    nTx = g.txValues.length;
  const lT = new Float64Array(nT),
    iT = new Float64Array(nT);
  for (let j = 0; j < nT; j++) {
    lT[j] = Math.log(alpha + g.tValues[j]);
    iT[j] = 1 / (alpha + g.tValues[j]);
  }
  const lTx = new Float64Array(nTx),
    iTx = new Float64Array(nTx);
  for (let j = 0; j < nTx; j++) {
    lTx[j] = Math.log(alpha + g.txValues[j]);
    iTx[j] = 1 / (alpha + g.txValues[j]);
  }
  const la = Math.log(a);
  const lalpha = Math.log(alpha);
  let ll = 0;
  let gr = 0,
    gal = 0,
    ga = 0,
    gb = 0;
  const wantGrad = grad !== undefined;
  for (let i = 0; i < g.size; i++) {
    const x = g.x[i];
    const w = g.weight[i];
    const ti = g.tId[i];
    const txi = g.txId[i];
    const rx = r + x;
    const dl = lT[ti] - lTx[txi];
    const D = la - lBx[x] + rx * dl;
    let li = lgr[x] + r * lalpha - rx * lT[ti] + lbx[x];
    let s: number; // e^D / (1 + e^D): the weight of the "left at t_x" term
    if (D > 0) {
      const e = Math.exp(-D);
      li += D + Math.log1p(e);
      s = 1 / (1 + e);
    } else {
      const e = Math.exp(D);
      li += Math.log1p(e);
      s = e / (1 + e);
    }
    ll += w * li;
    if (wantGrad) {
      gr += w * (dgr[x] + lalpha - lT[ti] + s * dl);
      gal += w * (r / alpha - rx * iT[ti] + s * rx * (iT[ti] - iTx[txi]));
      ga += w * (dga[x] + s / a);
      gb += w * (dgb[x] - s / (b + x));
    }
  }
  if (grad) {
    grad[0] = gr * r;
    grad[1] = gal * alpha;
    grad[2] = ga * a;
    grad[3] = gb * b;
  }
  return ll;
}

/**
 * Per-customer log-likelihood evaluated directly with ln Γ and ln B (the form of lifetimes'
 * `ModifiedBetaGeoFitter._negative_log_likelihood`):
 *   Lᵢ = Γ(r + x) α^r / Γ(r) · [B(a, b + x + 1)/B(a, b) (α + T)^−(r+x) + B(a + 1, b + x)/B(a, b) (α + t_x)^−(r+x)].
 * Summing it equals {@link mbgnbdLogLik} (a test checks the two forms agree).
 */
export function mbgnbdLogLikPerCustomer(p: MbgnbdParams, data: RfmColumns): Float64Array {
  const { r, alpha, a, b } = p;
  const n = data.frequency.length;
  const out = new Float64Array(n);
  const lb0 = lbeta(a, b);
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i],
      T = data.T[i];
    checkRfmRow(i, x, data.recency[i], T);
    const tx = x === 0 ? 0 : data.recency[i];
    const c = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) - lb0;
    const t1 = lbeta(a, b + x + 1) + c - (r + x) * Math.log(alpha + T);
    const t2 = lbeta(a + 1, b + x) + c - (r + x) * Math.log(alpha + tx);
    out[i] = logAddExp(t1, t2);
  }
  return out;
}

/** Total log-likelihood of RFM data, grouping identical rows first. */
export function mbgnbdLogLik(p: MbgnbdParams, data: RfmColumns | GroupedRfm): number {
  return mbgnbdGroupedLogLik(p, "size" in data ? data : groupRfm(data));
}

/**
 * Maximum-likelihood r, α, a, b from RFM columns (time unit of the input). Identical
 * (x, t_x, T) rows are grouped; several starts; BFGS with the analytic gradient.
 */
export function fitMbgnbd(data: RfmColumns | GroupedRfm, opts: FitOptions = {}): MbgnbdFit {
  const g = "size" in data ? data : groupRfm(data);
  checkFitData(g, "MBG/NBD");
  let meanT = 0;
  let meanX = 0;
  for (let i = 0; i < g.size; i++) {
    meanT += (g.weight[i] * g.T[i]) / g.total;
    meanX += (g.weight[i] * g.x[i]) / g.total;
  }
  const scale = Math.max(meanT, 1e-3) / Math.max(meanX + 0.5, 0.5); // α ≈ r / (purchase rate)
  const toP = (th: Float64Array): MbgnbdParams => ({
    r: Math.exp(th[0]),
    alpha: Math.exp(th[1]),
    a: Math.exp(th[2]),
    b: Math.exp(th[3]),
  });
  const ll = (th: Float64Array) => mbgnbdGroupedLogLik(toP(th), g);
  const grad = (th: Float64Array, out: Float64Array) => mbgnbdGroupedLogLik(toP(th), g, out);
  const fit = fitOnLogScale(
    ll,
    [
      [1, scale, 1, 1],
      [0.3, 0.3 * scale, 0.5, 3],
      [3, 3 * scale, 2, 0.5],
    ],
    opts,
    grad,
    "bfgs",
  );
  return freezeParams(MBGNBD_PARAM_NAMES, fit) as MbgnbdFit;
}

/**
 * Expected number of repeat purchases in (0, t] for a new customer (lifetimes'
 * `expected_number_of_purchases_up_to_time`):
 *   E[X(t)] = b/(a − 1) · [1 − (α/(α + t))^r ₂F₁(r, b + 1; a + b; t/(α + t))]
 *           = b/(a + b) · E_BG/NBD[X(t); r, α, a, b + 1],
 * computed through the BG/NBD form, which has no 0/0 at a = 1.
 */
export function mbgnbdExpectedPurchases(p: MbgnbdParams, t: number): number {
  return (p.b / (p.a + p.b)) * bgnbdExpectedPurchases(shifted(p), t);
}

/**
 * Expected purchases in the next t for a customer known to be active at T with x repeat
 * purchases (BDF 2007; Wagner & Hoppe 2008):
 *   (a + b + x)/(a − 1) · [1 − ((α + T)/(α + T + t))^(r+x) ₂F₁(r + x, b + x + 1; a + b + x; t/(α + T + t))],
 * BG/NBD's expression with b + 1. Depends on (x, T) only.
 */
export function mbgnbdExpectedPurchasesIfAlive(p: MbgnbdParams, t: number, x: number, T: number): number {
  return bgnbdExpectedPurchasesIfAlive(shifted(p), t, x, T);
}

/**
 * P(alive at T | x, t_x, T) = 1 / (1 + a/(b + x) · ((α + T)/(α + t_x))^(r+x)) (BDF 2007
 * appendix A eq. 5; lifetimes' `conditional_probability_alive`). Below 1 also for x = 0
 * (t_x = 0 then), since a customer can leave at time 0.
 */
export function mbgnbdProbabilityAliveOne(p: MbgnbdParams, x: number, tx: number, T: number): number {
  if (x === 0) tx = 0;
  const logOdds = Math.log(p.a / (p.b + x)) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/** P(alive) for every customer (see {@link mbgnbdProbabilityAliveOne}). */
export function mbgnbdProbabilityAlive(p: MbgnbdParams, data: RfmColumns): Float64Array {
  const n = data.frequency.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    checkRfmRow(i, data.frequency[i], data.recency[i], data.T[i]);
    out[i] = mbgnbdProbabilityAliveOne(p, data.frequency[i], data.recency[i], data.T[i]);
  }
  return out;
}

/**
 * Conditional expected purchases in (T, T + t] given the history (lifetimes'
 * `conditional_expected_number_of_purchases_up_to_time`):
 *   E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · E[purchases in t | active at T, x, T].
 */
export function mbgnbdConditionalExpectedPurchases(p: MbgnbdParams, t: number, data: RfmColumns): Float64Array {
  const n = data.frequency.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i],
      tx = data.recency[i],
      T = data.T[i];
    checkRfmRow(i, x, tx, T);
    out[i] = mbgnbdProbabilityAliveOne(p, x, tx, T) * mbgnbdExpectedPurchasesIfAlive(p, t, x, T);
  }
  return out;
}

/**
 * P(X(t) = n) for a new customer (lifetimes' `probability_of_n_purchases_up_to_time`):
 *   B(a, b + n + 1)/B(a, b) · NB(n)  +  B(a + 1, b + n)/B(a, b) · [1 − Σ_{j<n} NB(j)],
 * NB(j) = Γ(r + j)/(Γ(r) j!) (α/(α + t))^r (t/(α + t))^j the NBD count probabilities: alive
 * after n + 1 flips with exactly n purchases, or left at the flip after the n-th purchase
 * (at time 0 when n = 0) which came before t.
 */
export function mbgnbdProbabilityOfPurchases(p: MbgnbdParams, t: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid purchase count: ${n}`);
  const { a, b } = p;
  const nb = nbdCountProbabilities(p.r, p.alpha, t, n);
  let below = 0;
  for (let j = 0; j < n; j++) below += nb[j];
  const lb0 = lbeta(a, b);
  return Math.exp(lbeta(a, b + n + 1) - lb0) * nb[n] + Math.exp(lbeta(a + 1, b + n) - lb0) * Math.max(0, 1 - below);
}

/**
 * Simulates customers from the MBG/NBD story, exactly in continuous time: λ ~ Gamma(r, α),
 * p ~ Beta(a, b); the customer leaves at time 0 with probability p; otherwise exponential
 * inter-purchase times with rate λ, and after each repeat purchase they leave with
 * probability p. `T[i]` is customer i's observation length. Returns frequency, recency and T.
 */
export function simulateMbgnbd(
  rng: Rng,
  p: MbgnbdParams,
  T: Column,
): { frequency: Float64Array; recency: Float64Array; T: Float64Array } {
  const n = T.length;
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = drawGamma(rng, p.r, p.alpha);
    const drop = drawBeta(rng, p.a, p.b);
    let t = 0,
      x = 0,
      tx = 0;
    if (rng.next() >= drop) {
      for (;;) {
        t += exponential(rng, lambda);
        if (t > T[i]) break;
        x++;
        tx = t;
        if (rng.next() < drop) break;
      }
    }
    frequency[i] = x;
    recency[i] = tx;
  }
  return { frequency, recency, T: Float64Array.from(T) };
}

/**
 * Discounted purchases if alive of every (x, T) pair: MBG/NBD's purchases if alive are
 * BG/NBD's with b + 1 ({@link mbgnbdExpectedPurchasesIfAlive}), so the BG/NBD series serves.
 */
export function mbgnbdDiscountedPurchasesIfAlive(
  p: MbgnbdParams,
  pairs: PairTable,
  delta: number,
  H: number,
  v: number,
  out: Float64Array,
): void {
  bgnbdDiscountedPurchasesIfAlive({ r: p.r, alpha: p.alpha, a: p.a, b: p.b + 1 }, pairs, delta, H, v, out);
}
