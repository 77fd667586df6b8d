/**
 * Observed information and standard errors.
 *
 * The observed information is I(θ̂) = −∇²ℓ(θ̂), the negative Hessian of the log-likelihood at
 * the maximum; its inverse is the asymptotic covariance of the MLE (e.g. Pawitan 2001, §8.3).
 * We differentiate numerically on the log-parameter scale φ = ln θ, because that is the scale
 * on which the uncertainty draws are made (normal in φ, so draws stay positive). At the MLE the
 * gradient vanishes, so the two scales are related by Cov(θ̂) ≈ D Cov(φ̂) D with D = diag(θ̂),
 * and the natural-parameter standard error is SE(θᵢ) = θᵢ · √Cov(φ̂)ᵢᵢ (the delta method).
 */
import type { Objective, ObjectiveWithGradient } from "./optimize.js";

/** Relative step of the finite differences on the log scale. */
const H_STEP = 1e-4;

/**
 * Hessian of `f` at `x` by central differences: diagonal from the three-point formula,
 * off-diagonals from the four-point formula [f(+,+) − f(+,−) − f(−,+) + f(−,−)] / (4 hᵢ hⱼ).
 */
export function numericalHessian(f: Objective, x: ArrayLike<number>): number[][] {
  const n = x.length;
  const t = Float64Array.from(x);
  const h = Array.from(x, (v) => H_STEP * Math.max(1, Math.abs(v)));
  const f0 = f(t);
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    t[i] = x[i] + h[i];
    const fp = f(t);
    t[i] = x[i] - h[i];
    const fm = f(t);
    t[i] = x[i];
    H[i][i] = (fp - 2 * f0 + fm) / (h[i] * h[i]);
    for (let j = 0; j < i; j++) {
      const at = (si: number, sj: number) => {
        t[i] = x[i] + si * h[i];
        t[j] = x[j] + sj * h[j];
        const v = f(t);
        t[i] = x[i];
        t[j] = x[j];
        return v;
      };
      H[i][j] = H[j][i] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h[i] * h[j]);
    }
  }
  return H;
}

/** Hessian from an analytic gradient by central differences of the gradient, symmetrised. */
export function hessianFromGradient(fg: ObjectiveWithGradient, x: ArrayLike<number>): number[][] {
  const n = x.length;
  const t = Float64Array.from(x);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const h = H_STEP * Math.max(1, Math.abs(x[i]));
    t[i] = x[i] + h;
    fg(t, gp);
    t[i] = x[i] - h;
    fg(t, gm);
    t[i] = x[i];
    for (let j = 0; j < n; j++) H[j][i] = (gp[j] - gm[j]) / (2 * h);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) H[i][j] = H[j][i] = (H[i][j] + H[j][i]) / 2;
  return H;
}

/** Lower-triangular L with A = L Lᵀ; throws when A is not positive definite. */
export function cholesky(A: readonly (readonly number[])[]): number[][] {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) throw new RangeError("invalid matrix: not positive definite (the fit may not be at a maximum)");
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  return L;
}

/** Inverse of a symmetric positive-definite matrix through its Cholesky factor. */
export function invertSpd(A: readonly (readonly number[])[]): number[][] {
  const n = A.length;
  const L = cholesky(A);
  // Solve L Lᵀ X = I column by column.
  const X = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const y = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i][k] * y[k];
      y[i] = s / L[i][i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= L[k][i] * X[k][c];
      X[i][c] = s / L[i][i];
    }
  }
  return X;
}

/**
 * Asymptotic covariance of the log-parameters, Cov(φ̂) = [−∇²ℓ(φ̂)]⁻¹, and the
 * natural-parameter standard errors SE(θᵢ) = θᵢ √Cov(φ̂)ᵢᵢ (see the module comment).
 * `hessLog` is the Hessian of the log-likelihood in φ = ln θ at the MLE.
 */
export function logScaleCovariance(
  hessLog: readonly (readonly number[])[],
  theta: ArrayLike<number>,
): { covLog: number[][]; se: number[] } {
  const info = hessLog.map((row) => row.map((v) => -v));
  const covLog = invertSpd(info);
  const se = covLog.map((row, i) => theta[i] * Math.sqrt(row[i]));
  return { covLog, se };
}
