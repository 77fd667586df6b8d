/**
 * BG/NBD model of repeat purchasing in a non-contractual setting.
 *
 * Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting Your Customers" the Easy Way:
 * An Alternative to the Pareto/NBD Model. Marketing Science 24(2), 275–284 (FHL 2005); and
 * Fader, Hardie & Lee (2008), note "Computing P(alive) Using the BG/NBD Model".
 *
 * Assumptions: while active, a customer buys as a Poisson process with rate λ; after every
 * repeat purchase they become inactive with probability p; λ ~ Gamma(r, α) (shape r, rate α)
 * and p ~ Beta(a, b), independently across customers. Time is in the unit of the input
 * (weeks for CDNOW); α has that time unit, r, a, b are unit-free.
 */
import type { Rng } from "../random.js";
import { beta as drawBeta, exponential, gamma as drawGamma } from "../random.js";
import {
  checkFitData,
  checkRfmRow,
  groupRfm,
  type Column,
  type GroupedRfm,
  type HistoryTable,
  type PairTable,
  type RfmColumns,
} from "./data.js";
import { discountedIncrements } from "./discounting.js";
import { fitOnLogScale, freezeParams, type FitOptions, type FitUncertainty } from "./fitting.js";
import { hyp2f1 } from "./hyp2f1.js";
import { lbeta, lgamma, logAddExp } from "./special.js";

export interface BgnbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

export type BgnbdFit = BgnbdParams & { readonly logLik: number } & FitUncertainty<"r" | "alpha" | "a" | "b">;

export const BGNBD_PARAM_NAMES = ["r", "alpha", "a", "b"] as const;

/**
 * Log-likelihood of grouped data, and its gradient in (ln r, ln α, ln a, ln b) when `grad` is
 * given. FHL 2005 eq. 6 written as ℓᵢ = A + ln(1 + e^D) (log-sum-exp of its two terms):
 *   A = ln Γ(r + x) − ln Γ(r) + r ln α − (r + x) ln(α + T) + ln B(a, b + x) − ln B(a, b)
 *   D = ln a − ln(b + x − 1) + (r + x) [ln(α + T) − ln(α + t_x)]   (only when x > 0)
 * using B(a + 1, b + x − 1) / B(a, b + x) = a / (b + x − 1). The x-dependent gamma and beta
 * terms are built by recurrence, ln Γ(r + x) − ln Γ(r) = Σ_{k<x} ln(r + k), and
 * ln B(a, b + x) − ln B(a, b) = Σ_{k<x} [ln(b + k) − ln(a + b + k)].
 */
export function bgnbdGroupedLogLik(p: BgnbdParams, g: GroupedRfm, grad?: Float64Array): number {
  const { r, alpha, a, b } = p;
  const mx = g.maxX;
  const lgr = new Float64Array(mx + 1); // ln Γ(r+x) − ln Γ(r)
  const lbx = new Float64Array(mx + 1); // ln B(a, b+x) − ln B(a, b)
  const dgr = new Float64Array(mx + 1); // ψ(r+x) − ψ(r)
  const dga = new Float64Array(mx + 1); // ∂/∂a of lbx = ψ(a+b) − ψ(a+b+x)
  const dgb = new Float64Array(mx + 1); // ∂/∂b of lbx
  for (let x = 1; x <= mx; x++) {
    const k = x - 1;
    lgr[x] = lgr[k] + Math.log(r + k);
    lbx[x] = lbx[k] + Math.log(b + k) - Math.log(a + b + k);
    dgr[x] = dgr[k] + 1 / (r + k);
    dga[x] = dga[k] - 1 / (a + b + k);
    dgb[x] = dgb[k] + 1 / (b + k) - 1 / (a + b + k);
  }
  const nT = g.tValues.length;
  const nTx = g.txValues.length;
  const lT = new Float64Array(nT);
  const iT = new Float64Array(nT);
  for (let j = 0; j < nT; j++) {
    lT[j] = Math.log(alpha + g.tValues[j]);
    iT[j] = 1 / (alpha + g.tValues[j]);
  }
  const lTx = new Float64Array(nTx);
  const iTx = new Float64Array(nTx);
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
    const rx = r + x;
    let li = lgr[x] + r * lalpha - rx * lT[ti] + lbx[x];
    let s = 0;
    let dl = 0;
    if (x > 0) {
      dl = lT[ti] - lTx[g.txId[i]];
      const D = la - Math.log(b + x - 1) + rx * dl;
      if (D > 0) {
        const e = Math.exp(-D);
        li += D + Math.log1p(e);
        s = 1 / (1 + e);
      } else {
        const e = Math.exp(D);
        li += Math.log1p(e);
        s = e / (1 + e);
      }
    }
    ll += w * li;
    if (wantGrad) {
      gr += w * (dgr[x] + lalpha - lT[ti] + s * dl);
      gal += w * (r / alpha - rx * iT[ti] + (x > 0 ? s * rx * (iT[ti] - iTx[g.txId[i]]) : 0));
      ga += w * (dga[x] + s / a);
      gb += w * (dgb[x] - (x > 0 ? s / (b + x - 1) : 0));
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
 * Per-customer log-likelihood, FHL 2005 eq. 6 evaluated directly with ln Γ and ln B:
 *   L = B(a, b + x)/B(a, b) · Γ(r + x) α^r / (Γ(r) (α + T)^(r+x))
 *     + δ(x > 0) · B(a + 1, b + x − 1)/B(a, b) · Γ(r + x) α^r / (Γ(r) (α + t_x)^(r+x)).
 * Summing it equals `bgnbdLogLik` (a test checks the two forms agree).
 */
export function bgnbdLogLikPerCustomer(p: BgnbdParams, data: RfmColumns): Float64Array {
  const { r, alpha, a, b } = p;
  const n = data.frequency.length;
  const out = new Float64Array(n);
  const lb0 = lbeta(a, b);
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i],
      tx = data.recency[i],
      T = data.T[i];
    checkRfmRow(i, x, tx, T);
    const c = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
    const t1 = lbeta(a, b + x) - lb0 + c - (r + x) * Math.log(alpha + T);
    const t2 = x > 0 ? lbeta(a + 1, b + x - 1) - lb0 + c - (r + x) * Math.log(alpha + tx) : -Infinity;
    out[i] = logAddExp(t1, t2);
  }
  return out;
}

/** Total log-likelihood of RFM data (FHL 2005 eq. 6), grouping identical rows first. */
export function bgnbdLogLik(p: BgnbdParams, data: RfmColumns | GroupedRfm): number {
  return bgnbdGroupedLogLik(p, "size" in data ? data : groupRfm(data));
}

/**
 * Maximum-likelihood r, α, a, b (FHL 2005 §3) from RFM columns (time unit of the input).
 * Identical (x, t_x, T) rows are grouped; several starts; BFGS with the analytic gradient.
 */
export function fitBgnbd(data: RfmColumns | GroupedRfm, opts: FitOptions = {}): BgnbdFit {
  const g = "size" in data ? data : groupRfm(data);
  checkFitData(g, "BG/NBD");
  let meanT = 0;
  let meanX = 0;
  for (let i = 0; i < g.size; i++) {
    meanT += (g.weight[i] * g.T[i]) / g.total;
    meanX += (g.weight[i] * g.x[i]) / g.total;
  }
  const scale = Math.max(meanT, 1e-3) / Math.max(meanX + 0.5, 0.5); // α ≈ r / (purchase rate)
  const toP = (th: Float64Array): BgnbdParams => ({
    r: Math.exp(th[0]),
    alpha: Math.exp(th[1]),
    a: Math.exp(th[2]),
    b: Math.exp(th[3]),
  });
  const ll = (th: Float64Array) => bgnbdGroupedLogLik(toP(th), g);
  const grad = (th: Float64Array, out: Float64Array) => bgnbdGroupedLogLik(toP(th), g, out);
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
  return freezeParams(BGNBD_PARAM_NAMES, fit) as BgnbdFit;
}

/**
 * Expected number of purchases in (0, t] for a new customer (FHL 2005 eq. 7):
 *   E[X(t)] = (a + b − 1)/(a − 1) · [1 − (α/(α + t))^r ₂F₁(r, b; a + b − 1; t/(α + t))].
 * t in the model's time unit. Requires a ≠ 1 and a + b > 1.
 */
export function bgnbdExpectedPurchases(p: BgnbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  const z = t / (alpha + t);
  if (Math.abs(a - 1) < 1e-4) return expectedPurchasesNearAOne(p, z);
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, z));
}

/**
 * E[X(t)] without the removable singularity at a = 1 (where eq. 7 is 0/0). Euler's
 * transformation (A&S 15.3.3) gives (α/(α + t))^r ₂F₁(r, b; C; z) = (1 − z)^(a−1) Σₙ cₙ zⁿ with
 * C = a + b − 1, cₙ = (C − r)ₙ (a − 1)ₙ / ((C)ₙ n!); since (a − 1)ₙ = (a − 1)(a)ₙ₋₁,
 *   E[X(t)] = C [ (1 − (1 − z)^(a−1))/(a − 1) − (1 − z)^(a−1) Σ_{n≥1} dₙ zⁿ ],  dₙ = (C − r)ₙ (a)ₙ₋₁ / ((C)ₙ n!),
 * whose first bracket term is −ln(1 − z) at a = 1.
 */
function expectedPurchasesNearAOne(p: BgnbdParams, z: number): number {
  const { r, a, b } = p;
  const C = a + b - 1,
    e1 = C - r;
  const L = Math.log1p(-z);
  const first = Math.abs(a - 1) < 1e-12 ? -L : -Math.expm1((a - 1) * L) / (a - 1);
  let d = e1 / C,
    zn = z,
    sum = 0;
  for (let n = 1; n < 10_000_000; n++) {
    const t = d * zn;
    sum += t;
    // terms decay like n^(a − r − 2) zⁿ: stop once past the sign changes and negligible
    if (n > -e1 && Math.abs(t) * (z / (1 - z)) <= 1e-16 * Math.abs(sum)) break;
    d *= ((e1 + n) * (a + n - 1)) / ((C + n) * (n + 1));
    zn *= z;
    if (t === 0) break;
  }
  return C * (first - Math.exp((a - 1) * L) * sum);
}

/**
 * NBD count probabilities NB(j) = Γ(r + j)/(Γ(r) j!) (α/(α + t))^r (t/(α + t))^j for
 * j = 0 … n: the number of Poisson(λ) events in (0, t] with λ ~ Gamma(r, α), summed in log
 * space by the recurrence NB(j + 1) = NB(j) (r + j)/(j + 1) · t/(α + t).
 */
export function nbdCountProbabilities(r: number, alpha: number, t: number, n: number): Float64Array {
  const out = new Float64Array(n + 1);
  if (t <= 0) {
    out[0] = 1;
    return out;
  }
  const lz = Math.log(t / (alpha + t));
  let l = r * Math.log(alpha / (alpha + t));
  for (let j = 0; j <= n; j++) {
    out[j] = Math.exp(l);
    l += Math.log((r + j) / (j + 1)) + lz;
  }
  return out;
}

/**
 * P(X(t) = n) for a new customer (FHL 2005 eq. 8):
 *   B(a, b + n)/B(a, b) · NB(n) + δ(n > 0) B(a + 1, b + n − 1)/B(a, b) · [1 − Σ_{j<n} NB(j)],
 * NB the NBD count probabilities ({@link nbdCountProbabilities}): still active with exactly n
 * purchases, or left right after the n-th purchase, which came before t.
 */
export function bgnbdProbabilityOfPurchases(p: BgnbdParams, t: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid purchase count: ${n}`);
  const { a, b } = p;
  const nb = nbdCountProbabilities(p.r, p.alpha, t, n);
  const lb0 = lbeta(a, b);
  const alive = Math.exp(lbeta(a, b + n) - lb0) * nb[n];
  if (n === 0) return alive;
  let below = 0;
  for (let j = 0; j < n; j++) below += nb[j];
  return alive + Math.exp(lbeta(a + 1, b + n - 1) - lb0) * Math.max(0, 1 - below);
}

/**
 * Expected purchases in the next t for a customer known to be active at T, with x repeat
 * purchases: the bracket of FHL 2005 eq. 10, which is E[X(t)] with the posterior parameters
 * r + x, α + T, a, b + x:
 *   (a + b + x − 1)/(a − 1) · [1 − ((α + T)/(α + T + t))^(r+x) ₂F₁(r + x, b + x; a + b + x − 1; t/(α + T + t))].
 * It depends on (x, T) only, not on t_x.
 */
export function bgnbdExpectedPurchasesIfAlive(p: BgnbdParams, t: number, x: number, T: number): number {
  return bgnbdExpectedPurchases({ r: p.r + x, alpha: p.alpha + T, a: p.a, b: p.b + x }, t);
}

/**
 * P(alive at T | x, t_x, T) = 1 / (1 + δ(x > 0) · a/(b + x − 1) · ((α + T)/(α + t_x))^(r+x))
 * (FHL 2008 note, eq. 2). Always in (0, 1]; 1 for x = 0 (BG/NBD customers cannot drop out
 * before their first repeat purchase).
 */
export function bgnbdProbabilityAlive(p: BgnbdParams, data: RfmColumns): Float64Array {
  const n = data.frequency.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = bgnbdProbabilityAliveOne(p, data.frequency[i], data.recency[i], data.T[i]);
  return out;
}

/** Scalar form of {@link bgnbdProbabilityAlive} for one history (x, t_x, T). */
export function bgnbdProbabilityAliveOne(p: BgnbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logOdds = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * Conditional expected purchases in (T, T + t] given the history (FHL 2005 eq. 10):
 *   E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · E[purchases in t | active at T, x, T]
 * (see {@link bgnbdExpectedPurchasesIfAlive} and {@link bgnbdProbabilityAliveOne}).
 * t and the history in the model's time unit.
 */
export function bgnbdConditionalExpectedPurchases(p: BgnbdParams, t: number, data: RfmColumns): Float64Array {
  const n = data.frequency.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i],
      tx = data.recency[i],
      T = data.T[i];
    checkRfmRow(i, x, tx, T);
    out[i] = bgnbdProbabilityAliveOne(p, x, tx, T) * bgnbdExpectedPurchasesIfAlive(p, t, x, T);
  }
  return out;
}

/**
 * Simulates customers from the BG/NBD story, exactly in continuous time: λ ~ Gamma(r, α),
 * p ~ Beta(a, b); exponential inter-purchase times with rate λ from the first purchase at 0;
 * after each repeat purchase the customer leaves with probability p. `T[i]` is customer i's
 * observation length. Returns frequency, recency and T.
 */
export function simulateBgnbd(
  rng: Rng,
  p: BgnbdParams,
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
    for (;;) {
      t += exponential(rng, lambda);
      if (t > T[i]) break;
      x++;
      tx = t;
      if (rng.next() < drop) break;
    }
    frequency[i] = x;
    recency[i] = tx;
  }
  return { frequency, recency, T: Float64Array.from(T) };
}

/**
 * BG/NBD discounted purchases if alive, Σ_{k=1}^{H} [E(kΔ) − E((k−1)Δ)] vᵏ, for every (x, T)
 * pair with the same T. E(t) is the bracket of FHL 2005 eq. 10,
 * (C/(a − 1)) [1 − (A/(A + t))^R ₂F₁(R, B; C; z)], z = t/(A + t), R = r + x, A = α + T,
 * B = b + x, C = a + b + x − 1. Euler's transformation (A&S 15.3.3)
 * ₂F₁(R, B; C; z) = (1 − z)^(C−R−B) ₂F₁(C − R, C − B; C; z) with 1 − z = A/(A + t) gives
 *   E(t) = (C/(a − 1)) [1 − (1 − z)^(a−1) Σₙ cₙ zⁿ],  cₙ = (a + b − 1 − r)ₙ (a − 1)ₙ / ((C)ₙ n!),
 * a series whose coefficients no longer grow like n^x. Summing by parts with weights
 * w_k = vᵏ − vᵏ⁺¹ (k < H), w_H = v^H:
 *   Σ_k [E_k − E_{k−1}] vᵏ = (C/(a − 1)) [W − Σₙ cₙ Mₙ],  W = Σ_k w_k,  Mₙ = Σ_k w_k (1 − z_k)^(a−1) z_kⁿ,
 * and Mₙ depends on T only, so each extra x costs one short series.
 */
function bgnbdDiscountedForT(
  p: BgnbdParams,
  T: number,
  xs: ArrayLike<number>,
  delta: number,
  H: number,
  v: number,
  out: Float64Array,
  outIdx: ArrayLike<number>,
): void {
  const A = p.alpha + T;
  const e1 = p.a + p.b - 1 - p.r,
    e2 = p.a - 1;
  const zH = (H * delta) / (A + H * delta);
  if (H === 0) {
    for (let j = 0; j < xs.length; j++) out[outIdx[j]] = 0;
    return;
  }
  if (zH > 0.9) {
    // slow series: month by month with the general ₂F₁
    for (let j = 0; j < xs.length; j++)
      out[outIdx[j]] = discountedIncrements((t) => bgnbdExpectedPurchasesIfAlive(p, t, xs[j], T), delta, H, v);
    return;
  }
  const nMax = Math.ceil(Math.log(1e-17) / Math.log(zH)) + 2;
  const M = new Float64Array(nMax + 1);
  // W − M₀ = Σ_k w_k [1 − (1 − z_k)^(a−1)], divided by a − 1 here so that a = 1 (where it is
  // Σ_k w_k [−ln(1 − z_k)]) is no 0/0; likewise cₙ/(a − 1) = (a+b−1−r)ₙ (a)ₙ₋₁/((C)ₙ n!) below.
  let W0 = 0,
    vk = 1;
  for (let k = 1; k <= H; k++) {
    vk *= v;
    const w = k < H ? vk * (1 - v) : vk;
    const zk = (k * delta) / (A + k * delta);
    const L = Math.log1p(-zk);
    W0 += w * (Math.abs(e2) < 1e-12 ? -L : -Math.expm1(e2 * L) / e2);
    let term = w * Math.exp(e2 * L);
    for (let n = 0; n <= nMax; n++) {
      M[n] += term;
      term *= zk;
    }
  }
  const nSign = Math.max(-e1, 0);
  for (let j = 0; j < xs.length; j++) {
    const C = p.a + p.b + xs[j] - 1;
    let d = e1 / C; // c₁/(a − 1)
    let sum = 0;
    for (let n = 1; n <= nMax; n++) {
      const t = d * M[n];
      sum += t;
      // |cₙ₊₁/cₙ| < 1 and Mₙ₊₁/Mₙ ≤ z_H, so the tail is below |t| z_H/(1 − z_H)
      if (n > nSign && (Math.abs(t) * zH) / (1 - zH) <= 1e-15 * (Math.abs(W0) + Math.abs(sum))) break;
      d *= ((e1 + n) * (p.a + n - 1)) / ((C + n) * (n + 1));
    }
    out[outIdx[j]] = C * (W0 - sum);
  }
}

/** Discounted purchases if alive of every (x, T) pair ({@link bgnbdDiscountedForT}, one T at a time). */
export function bgnbdDiscountedPurchasesIfAlive(
  p: BgnbdParams,
  pairs: PairTable,
  delta: number,
  H: number,
  v: number,
  out: Float64Array,
): void {
  for (const ids of pairs.tGroups) {
    const xs = Array.from(ids, (k) => pairs.pairX[k]);
    bgnbdDiscountedForT(p, pairs.pairT[ids[0]], xs, delta, H, v, out, ids);
  }
}

/**
 * P(alive) of every (x, t_x, T) history for the BG family, with the logs of α + T and α + t_x
 * tabulated once: 1/(1 + a/(b + x − 1) · ((α + T)/(α + t_x))^(r+x)) for x > 0 and 1 for x = 0
 * (BG/NBD, FHL 2005 eq. 11); with `dropoutAtZero` (MBG/NBD) 1/(1 + a/(b + x) · (…)^(r+x)) for every x.
 */
export function bgFamilyProbabilityAliveByHistory(
  p: BgnbdParams,
  h: HistoryTable,
  out: Float64Array,
  dropoutAtZero: boolean,
): void {
  const lT = Float64Array.from(h.tValues, (u) => Math.log(p.alpha + u));
  const lTx = Float64Array.from(h.txValues, (u) => Math.log(p.alpha + u));
  const la = Math.log(p.a);
  const shift = dropoutAtZero ? 0 : 1;
  for (let i = 0; i < h.histX.length; i++) {
    const x = h.histX[i];
    out[i] =
      x === 0 && !dropoutAtZero
        ? 1
        : 1 / (1 + Math.exp(la - Math.log(p.b + x - shift) + (p.r + x) * (lT[h.histTId[i]] - lTx[h.histTxId[i]])));
  }
}
