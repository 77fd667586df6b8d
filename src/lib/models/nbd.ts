/**
 * NBD model of repeat purchasing without dropout (Ehrenberg 1959; Morrison & Schmittlein 1988):
 * while observed, a customer buys as a Poisson process with rate λ, λ ~ Gamma(r, α), and never
 * leaves. It is the limit of BG/NBD as the dropout probability p ~ Beta(a, b) goes to 0 (a → 0
 * or b → ∞), and of Pareto/NBD as the death rate goes to 0: the simpler model to fall back to
 * when those fits run to that boundary (customers who do not visibly leave).
 *
 * Likelihood of a history (x, t_x, T), in the same form as BG/NBD's FHL 2005 eq. 6 without its
 * dropout terms (the purchase times' joint density; t_x carries no information here):
 *   L = Γ(r + x) α^r / (Γ(r) (α + T)^(r+x)).
 * Time in the unit of the input; α carries it.
 */
import { groupRfm, checkFitData, type GroupedRfm, type PairTable, type RfmColumns } from "./data.js";
import { fitOnLogScale, freezeParams, type FitOptions, type FitUncertainty } from "./fitting.js";

export interface NbdParams {
  readonly r: number;
  readonly alpha: number;
}

export type NbdFit = NbdParams & { readonly logLik: number } & FitUncertainty<"r" | "alpha">;

export const NBD_PARAM_NAMES = ["r", "alpha"] as const;

/** Log-likelihood of grouped data, and its gradient in (ln r, ln α) when `grad` is given. */
export function nbdGroupedLogLik(p: NbdParams, g: GroupedRfm, grad?: Float64Array): number {
  const { r, alpha } = p;
  const lgr = new Float64Array(g.maxX + 1); // ln Γ(r + x) − ln Γ(r)
  const dgr = new Float64Array(g.maxX + 1); // ψ(r + x) − ψ(r)
  for (let x = 1; x <= g.maxX; x++) {
    lgr[x] = lgr[x - 1] + Math.log(r + x - 1);
    dgr[x] = dgr[x - 1] + 1 / (r + x - 1);
  }
  const la = Math.log(alpha);
  let ll = 0,
    gr = 0,
    ga = 0;
  for (let i = 0; i < g.size; i++) {
    const x = g.x[i],
      w = g.weight[i],
      A = alpha + g.T[i];
    const lA = Math.log(A);
    ll += w * (lgr[x] + r * la - (r + x) * lA);
    if (grad) {
      gr += w * (dgr[x] + la - lA);
      ga += w * (r / alpha - (r + x) / A);
    }
  }
  if (grad) {
    grad[0] = gr * r;
    grad[1] = ga * alpha;
  }
  return ll;
}

export function nbdLogLik(p: NbdParams, data: RfmColumns | GroupedRfm): number {
  return nbdGroupedLogLik(p, "size" in data ? data : groupRfm(data));
}

/** Maximum-likelihood r, α (several starts, BFGS with the analytic gradient). */
export function fitNbd(data: RfmColumns | GroupedRfm, opts: FitOptions = {}): NbdFit {
  const g = "size" in data ? data : groupRfm(data);
  checkFitData(g, "NBD");
  let meanT = 0,
    meanX = 0;
  for (let i = 0; i < g.size; i++) {
    meanT += (g.weight[i] * g.T[i]) / g.total;
    meanX += (g.weight[i] * g.x[i]) / g.total;
  }
  const scale = Math.max(meanT, 1e-3) / Math.max(meanX, 0.05);
  const toP = (th: Float64Array): NbdParams => ({ r: Math.exp(th[0]), alpha: Math.exp(th[1]) });
  const fit = fitOnLogScale(
    (th) => nbdGroupedLogLik(toP(th), g),
    [
      [1, scale],
      [0.3, 0.3 * scale],
      [3, 3 * scale],
    ],
    opts,
    (th, out) => nbdGroupedLogLik(toP(th), g, out),
    "bfgs",
  );
  return freezeParams(NBD_PARAM_NAMES, fit) as NbdFit;
}

/**
 * Expected purchases in the next t for a customer with x purchases in T: the posterior mean
 * rate (r + x)/(α + T) times t (no dropout, so P(alive) = 1).
 */
export function nbdConditionalExpectedPurchases(p: NbdParams, t: number, x: number, T: number): number {
  return t <= 0 ? 0 : ((p.r + x) * t) / (p.alpha + T);
}

/**
 * Discounted purchases of every (x, T) pair: E(t) = (r + x) t/(α + T) grows linearly, so
 * Σ_k [E(kΔ) − E((k−1)Δ)] vᵏ = (r + x) Δ/(α + T) · Σ_k vᵏ.
 */
export function nbdDiscountedPurchases(
  p: NbdParams,
  pairs: PairTable,
  delta: number,
  H: number,
  v: number,
  out: Float64Array,
): void {
  let geo = 0,
    vk = 1;
  for (let m = 1; m <= H; m++) geo += vk *= v;
  for (let k = 0; k < pairs.pairX.length; k++) {
    const rate = (p.r + pairs.pairX[k]) / (p.alpha + pairs.pairT[k]);
    out[k] = rate * delta * geo;
  }
}
