/**
 * Is a fit identified by its data? A maximum-likelihood fit can "converge" to numbers the data
 * cannot support: a parameter running off to 0 or ∞ (the maximum is on the edge of the
 * parameter space), a standard error many times the estimate, or a direction in which the
 * likelihood is flat (the information matrix is singular or nearly so). Each check gives a
 * sentence in plain words so that a page can print it next to the figure.
 *
 * The checks work on the log-parameters the fits use (fitting.ts): `covLog` is the covariance
 * of (ln θ₁, …, ln θₖ), so √covLog[i][i] is about the relative standard error of θᵢ and the
 * largest eigenvalue of covLog is the variance along the flattest direction of the likelihood.
 */
import type { FitUncertainty } from "./fitting.js";

/** Standard error above this share of the estimate: weakly identified. */
export const RELATIVE_SE_LIMIT = 1;
/** Standard deviation (log scale) along the flattest direction above this: flat likelihood. */
export const FLAT_DIRECTION_LIMIT = 1.5;
/** Default range of a unit-free parameter; outside it the fit is taken to sit on a boundary. */
export const DEFAULT_BOUNDS: readonly [number, number] = [1e-4, 1e4];

export interface Identification {
  /** True when any check failed: the figure should not be used as it stands. */
  readonly weak: boolean;
  /** True when the fit has no usable standard errors or a parameter is on a boundary (draws would be meaningless). */
  readonly unusable: boolean;
  /** One sentence per failed check. */
  readonly warnings: string[];
}

export interface IdentificationOptions {
  /** Plausible range per parameter (natural scale); parameters not listed use DEFAULT_BOUNDS. */
  readonly bounds?: Readonly<Record<string, readonly [number, number]>>;
  /** Display symbol per parameter (e.g. { delta: "δ" }). */
  readonly symbols?: Readonly<Record<string, string>>;
  readonly relativeSeLimit?: number;
  readonly flatDirectionLimit?: number;
}

const fmt = (v: number) =>
  Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(4)));

export function checkIdentification<K extends string>(
  names: readonly K[],
  fit: Readonly<Record<K, number>> & { readonly logLik: number } & FitUncertainty<K>,
  opts: IdentificationOptions = {},
): Identification {
  const warnings: string[] = [];
  const sym = (k: K) => opts.symbols?.[k] ?? k;
  let unusable = false;
  if (!Number.isFinite(fit.logLik) || names.some((k) => !(Number.isFinite(fit[k]) && fit[k] > 0))) {
    return {
      weak: true,
      unusable: true,
      warnings: [
        `The fit did not reach finite parameter values (${names.map((k) => `${sym(k)} = ${fit[k]}`).join(", ")}; log-likelihood ${fit.logLik}).`,
      ],
    };
  }
  for (const k of names) {
    const [lo, hi] = opts.bounds?.[k] ?? DEFAULT_BOUNDS;
    if (fit[k] < lo || fit[k] > hi) {
      unusable = true;
      warnings.push(
        `${sym(k)} = ${fmt(fit[k])} is at the edge of its range (outside ${fmt(lo)} – ${fmt(hi)}): the likelihood keeps rising as ${sym(k)} runs to ${fit[k] < lo ? "0" : "infinity"}, so the data cannot pin it down.`,
      );
    }
  }
  if (!fit.se || !fit.covLog) {
    unusable = true;
    warnings.push(
      "The likelihood is flat in some direction at its maximum (its curvature is not positive definite): there are no standard errors.",
    );
    return { weak: true, unusable, warnings };
  }
  const limit = opts.relativeSeLimit ?? RELATIVE_SE_LIMIT;
  let flagged = false;
  for (const k of names) {
    const se = fit.se[k];
    if (!Number.isFinite(se) || se > limit * fit[k]) {
      flagged = true;
      warnings.push(
        `${sym(k)} = ${fmt(fit[k])} ± ${fmt(se)}: the standard error is ${Number.isFinite(se) ? `${Math.round((100 * se) / fit[k])}%` : "infinite"} of the estimate (limit ${Math.round(100 * limit)}%), so ${sym(k)} is weakly identified.`,
      );
    }
  }
  const lambda = largestEigenvalue(fit.covLog);
  const flat = opts.flatDirectionLimit ?? FLAT_DIRECTION_LIMIT;
  if (!flagged && !(Math.sqrt(lambda) <= flat)) {
    warnings.push(
      `A combination of the parameters is poorly determined: along the likelihood's flattest direction they can move together by a factor of ${fmt(Math.exp(Math.sqrt(lambda)))} (one standard error) with little loss of fit.`,
    );
  }
  return { weak: warnings.length > 0, unusable, warnings };
}

/** Largest eigenvalue of a small symmetric matrix (cyclic Jacobi rotations). */
export function largestEigenvalue(m: readonly (readonly number[])[]): number {
  const n = m.length;
  const a = m.map((row) => row.slice());
  if (a.some((row) => row.some((v) => !Number.isFinite(v)))) return Infinity;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p],
            akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k],
            aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, a[i][i]);
  return max;
}
