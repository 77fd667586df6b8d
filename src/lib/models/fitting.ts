/**
 * Shared maximum-likelihood driver: multi-start optimisation on log-parameters, then the
 * observed information at the maximum for standard errors and the draw covariance.
 */
import { hessianFromGradient, logScaleCovariance, numericalHessian } from "./hessian.js";
import { maximize, type Objective, type ObjectiveWithGradient, type OptimizerMethod } from "./optimize.js";

/** Options shared by every `fit…` function. */
export interface FitOptions {
  /** Starting points on the natural scale, one array per start in the model's parameter order. */
  starts?: readonly (readonly number[])[];
  /** Optimiser strategy per start (see optimize.ts). */
  method?: OptimizerMethod;
  /** Compute standard errors and `covLog` (default true). */
  standardErrors?: boolean;
}

/** Standard errors and the log-parameter covariance attached to a fit. */
export interface FitUncertainty<K extends string> {
  /** Standard errors on the natural scale (delta method from the log-scale information). */
  readonly se?: Readonly<Record<K, number>>;
  /** Asymptotic covariance of (ln θ₁, …, ln θₖ) in the order of `paramNames`: [−∇²ℓ]⁻¹. */
  readonly covLog?: readonly (readonly number[])[];
}

export interface RawFit {
  values: number[];
  logLik: number;
  se?: number[];
  covLog?: number[][];
}

/**
 * Maximise a log-likelihood given on log-parameters from the given natural-scale starts.
 * When the information matrix is not positive definite (a boundary or flat maximum), `se`
 * and `covLog` are left out rather than reported wrong.
 */
export function fitOnLogScale(
  logLik: Objective,
  starts: readonly (readonly number[])[],
  opts: FitOptions,
  gradient?: ObjectiveWithGradient,
  defaultMethod: OptimizerMethod = "nelder-mead+bfgs",
): RawFit {
  const logStarts = (opts.starts ?? starts).map((s) =>
    s.map((v) => {
      if (!(v > 0)) throw new RangeError(`invalid start value ${v}: parameters must be positive`);
      return Math.log(v);
    }),
  );
  const res = maximize(logLik, logStarts, { method: opts.method ?? defaultMethod, gradient });
  const values = Array.from(res.theta, Math.exp);
  const out: RawFit = { values, logLik: res.value };
  if (opts.standardErrors ?? true) {
    try {
      const H = gradient ? hessianFromGradient(gradient, res.theta) : numericalHessian(logLik, res.theta);
      const { covLog, se } = logScaleCovariance(H, values);
      out.se = se;
      out.covLog = covLog;
    } catch {
      // not positive definite: no standard errors
    }
  }
  return out;
}

/** Builds the frozen parameter object `{ name: value, …, logLik, se, covLog }`. */
export function freezeParams<K extends string>(
  names: readonly K[],
  fit: RawFit,
): Readonly<Record<K, number>> & { readonly logLik: number } & FitUncertainty<K> {
  const obj: Record<string, unknown> = {};
  names.forEach((k, i) => (obj[k] = fit.values[i]));
  obj.logLik = fit.logLik;
  if (fit.se) {
    const se: Record<string, number> = {};
    names.forEach((k, i) => (se[k] = fit.se![i]));
    obj.se = Object.freeze(se);
  }
  if (fit.covLog) obj.covLog = Object.freeze(fit.covLog.map((r) => Object.freeze(r.slice())));
  return Object.freeze(obj) as Readonly<Record<K, number>> & { readonly logLik: number } & FitUncertainty<K>;
}
