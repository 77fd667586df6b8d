/**
 * Gamma-Gamma model of the monetary value of transactions.
 *
 * Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma Model of Monetary Value, note 025
 * (brucehardie.com/notes/025/); Colombo & Jiang (1999).
 *
 * Assumptions: a customer's transaction values are i.i.d. Gamma(p, ν) around their mean p/ν;
 * ν ~ Gamma(q, γ) across customers; spend is independent of the purchase process. Fitted on
 * repeat customers only (x > 0) with zbar = mean value of their x repeat transactions (money
 * unit of the input, e.g. US dollars).
 */
import type { Column } from "./data.js";
import { fitOnLogScale, freezeParams, type FitOptions, type FitUncertainty } from "./fitting.js";
import { lgamma } from "./special.js";

export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly gamma: number;
}

export type GammaGammaFit = GammaGammaParams & { readonly logLik: number } & FitUncertainty<"p" | "q" | "gamma"> & {
    /** Repeat customers left out of the fit because their mean spend is $0 (absent when none). */
    readonly excludedZeroSpend?: number;
  };

export const GAMMAGAMMA_PARAM_NAMES = ["p", "q", "gamma"] as const;

/** Repeat-spend summary: x repeat transactions with mean value zbar (per customer). */
export interface SpendColumns {
  frequency: Column;
  monetaryValue: Column;
}

/**
 * Distinct (x, zbar) with counts, repeat customers only; rows with x = 0 are skipped, and so
 * are repeat customers with zbar = 0 (a $0 mean spend has zero Gamma density: the model cannot
 * describe it), counted in `zeroSpend`.
 */
function groupSpend(data: SpendColumns): { x: Float64Array; z: Float64Array; w: Float64Array; zeroSpend: number } {
  const n = data.frequency.length;
  if (data.monetaryValue.length !== n)
    throw new RangeError("invalid columns: frequency and monetary value lengths differ");
  const map = new Map<string, number>();
  const xs: number[] = [],
    zs: number[] = [],
    ws: number[] = [];
  let zeroSpend = 0;
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i],
      z = data.monetaryValue[i];
    if (!Number.isInteger(x) || x < 0) throw new RangeError(`invalid frequency at row ${i}: ${x}`);
    if (x === 0) continue;
    if (z === 0) {
      zeroSpend++;
      continue;
    }
    if (!(z > 0) || !Number.isFinite(z)) throw new RangeError(`invalid monetary value at row ${i}: ${z} (must be ≥ 0)`);
    const k = `${x}|${z}`;
    const g = map.get(k);
    if (g === undefined) {
      map.set(k, xs.length);
      xs.push(x);
      zs.push(z);
      ws.push(1);
    } else ws[g]++;
  }
  return { x: Float64Array.from(xs), z: Float64Array.from(zs), w: Float64Array.from(ws), zeroSpend };
}

function logLikGrouped(pr: GammaGammaParams, g: { x: Float64Array; z: Float64Array; w: Float64Array }): number {
  const { p, q, gamma } = pr;
  const c = -lgamma(q) + q * Math.log(gamma);
  let ll = 0;
  for (let i = 0; i < g.x.length; i++) {
    const x = g.x[i],
      z = g.z[i],
      px = p * x;
    ll +=
      g.w[i] *
      (lgamma(px + q) -
        lgamma(px) +
        c +
        (px - 1) * Math.log(z) +
        px * Math.log(x) -
        (px + q) * Math.log(gamma + x * z));
  }
  return ll;
}

/**
 * Log-likelihood of the repeat customers' mean spends (F&H 2013 note 025, eq. 3):
 *   f(z̄ | p, q, γ, x) = Γ(px + q) / (Γ(px) Γ(q)) · γ^q z̄^(px−1) x^(px) / (γ + x z̄)^(px+q).
 * Customers with x = 0 contribute nothing.
 */
export function gammaGammaLogLik(params: GammaGammaParams, data: SpendColumns): number {
  return logLikGrouped(params, groupSpend(data));
}

/** Maximum-likelihood p, q, γ on customers with x > 0 (zbar must be > 0 for them). */
export function fitGammaGamma(data: SpendColumns, opts: FitOptions = {}): GammaGammaFit {
  const g = groupSpend(data);
  if (g.x.length === 0)
    throw new RangeError(
      `invalid data: no repeat customers (frequency > 0) with a positive spend${g.zeroSpend ? ` (${g.zeroSpend} with $0 excluded)` : ""}`,
    );
  let customers = 0;
  for (let i = 0; i < g.w.length; i++) customers += g.w[i];
  // One customer, or one mean spend shared by all: the likelihood rises without bound as the
  // spread within and between customers shrinks (p, q → ∞), so any "fit" is an artefact.
  if (customers < 2)
    throw new RangeError(
      "invalid data: a single repeat customer; Gamma-Gamma needs at least 2 to separate within- and between-customer spread",
    );
  if (g.z.every((z) => z === g.z[0]))
    throw new RangeError(
      `invalid data: every repeat customer has the same mean spend (${g.z[0]}); Gamma-Gamma cannot be fitted to spend without variation`,
    );
  let mean = 0,
    tot = 0;
  for (let i = 0; i < g.x.length; i++) {
    mean += g.w[i] * g.z[i];
    tot += g.w[i];
  }
  mean /= tot;
  const ll = (th: Float64Array) => logLikGrouped({ p: Math.exp(th[0]), q: Math.exp(th[1]), gamma: Math.exp(th[2]) }, g);
  // With q = 3, the population mean p γ/(q − 1) equals the sample mean at γ = 2 · mean / p.
  const fit = fitOnLogScale(
    ll,
    [
      [1, 3, (2 * mean) / 1],
      [5, 3, (2 * mean) / 5],
      [2, 10, (9 * mean) / 2],
    ],
    opts,
  );
  const out = freezeParams(GAMMAGAMMA_PARAM_NAMES, fit) as GammaGammaFit;
  return g.zeroSpend > 0 ? Object.freeze({ ...out, excludedZeroSpend: g.zeroSpend }) : out;
}

/**
 * Conditional expected mean transaction value (F&H 2013 note 025, eq. 5):
 *   E[M | p, q, γ, x, z̄] = p (γ + x z̄) / (p x + q − 1)
 *                        = (q − 1)/(p x + q − 1) · p γ/(q − 1) + p x/(p x + q − 1) · z̄,
 * a weighted mean of the population mean p γ/(q − 1) and the customer's z̄; for x = 0 it is
 * the population mean. Needs q > 1. Money unit of the input.
 */
export function gammaGammaExpectedSpendOne(params: GammaGammaParams, x: number, zbar: number): number {
  const { p, q, gamma } = params;
  if (!(q > 1)) throw new RangeError(`invalid q = ${q}: the mean spend needs q > 1`);
  return (p * (gamma + x * (x > 0 ? zbar : 0))) / (p * x + q - 1);
}

/** {@link gammaGammaExpectedSpendOne} for every customer. */
export function gammaGammaExpectedSpend(params: GammaGammaParams, data: SpendColumns): Float64Array {
  const n = data.frequency.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = gammaGammaExpectedSpendOne(params, data.frequency[i], data.monetaryValue[i]);
  return out;
}
