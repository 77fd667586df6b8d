/**
 * Parameter uncertainty: draws from the asymptotic normal distribution of the MLE.
 *
 * A fit's `covLog` is Cov(φ̂) = [−∇²ℓ(φ̂)]⁻¹ for the log-parameters φ = ln θ (hessian.ts). We
 * draw φ⁽ʲ⁾ = φ̂ + L z⁽ʲ⁾ with L Lᵀ = Cov(φ̂) (Cholesky) and z⁽ʲ⁾ i.i.d. standard normal, and
 * use θ⁽ʲ⁾ = exp φ⁽ʲ⁾ (always positive). Bands made from these draws reflect **parameter
 * (estimation) uncertainty only**: each draw gives the model's *expected* value under that
 * parameter vector. They do not include the Poisson/dropout randomness of the customers'
 * future behaviour (process noise), so they are much narrower than the spread of realised
 * outcomes for a single account. All randomness comes from the `Rng` argument (reproducible
 * per seed).
 */
import type { Rng } from "../random.js";
import { normal } from "../random.js";
import { cholesky } from "./hessian.js";

/**
 * `draws` parameter vectors θ⁽ʲ⁾ = exp(ln θ̂ + L z⁽ʲ⁾) (see the module comment), in the order
 * of `names`. Throws when `covLog` is missing or not positive definite.
 */
export function drawParameters<K extends string>(
  rng: Rng,
  names: readonly K[],
  params: Readonly<Record<K, number>>,
  covLog: readonly (readonly number[])[] | undefined,
  draws: number,
): Array<Record<K, number>> {
  if (!covLog) throw new RangeError("invalid parameters: no covLog (fit with standardErrors, or give cov_log)");
  if (covLog.length !== names.length) throw new RangeError(`invalid covLog: expected ${names.length}×${names.length}`);
  if (!Number.isInteger(draws) || draws < 0) throw new RangeError(`invalid draws: ${draws}`);
  const L = cholesky(covLog);
  const k = names.length;
  const center = names.map((n) => Math.log(params[n]));
  const out: Array<Record<K, number>> = [];
  const z = new Float64Array(k);
  for (let j = 0; j < draws; j++) {
    for (let i = 0; i < k; i++) z[i] = normal(rng);
    const d = {} as Record<K, number>;
    for (let i = 0; i < k; i++) {
      let v = center[i];
      for (let m = 0; m <= i; m++) v += L[i][m] * z[m];
      d[names[i]] = Math.exp(v);
    }
    out.push(d);
  }
  return out;
}
