/** Direct tests of the observed-information helpers (src/lib/models/hessian.ts) against analytic Hessians. */
import { describe, expect, it } from "vitest";
import {
  cholesky,
  hessianFromGradient,
  invertSpd,
  logScaleCovariance,
  numericalHessian,
} from "../../src/lib/models/hessian.js";

// f(x, y, z) = x² y + sin(x) cos(z) + e^(y z) + ln(1 + x² + z²): every pair of variables interacts.
const f = (t: ArrayLike<number>) =>
  t[0] * t[0] * t[1] + Math.sin(t[0]) * Math.cos(t[2]) + Math.exp(t[1] * t[2]) + Math.log(1 + t[0] ** 2 + t[2] ** 2);
const fg = (t: Float64Array, g: Float64Array) => {
  const [x, y, z] = t;
  const q = 1 + x * x + z * z;
  g[0] = 2 * x * y + Math.cos(x) * Math.cos(z) + (2 * x) / q;
  g[1] = x * x + z * Math.exp(y * z);
  g[2] = -Math.sin(x) * Math.sin(z) + y * Math.exp(y * z) + (2 * z) / q;
  return f(t);
};
/** The analytic Hessian of f, differentiated by hand. */
function analytic([x, y, z]: number[]): number[][] {
  const q = 1 + x * x + z * z;
  const e = Math.exp(y * z);
  const hxx = 2 * y - Math.sin(x) * Math.cos(z) + (2 * q - 4 * x * x) / (q * q);
  const hxy = 2 * x;
  const hxz = -Math.cos(x) * Math.sin(z) - (4 * x * z) / (q * q);
  const hyy = z * z * e;
  const hyz = e * (1 + y * z);
  const hzz = -Math.sin(x) * Math.cos(z) + y * y * e + (2 * q - 4 * z * z) / (q * q);
  return [
    [hxx, hxy, hxz],
    [hxy, hyy, hyz],
    [hxz, hyz, hzz],
  ];
}

const points = [
  [0.3, -0.5, 0.8],
  [1.7, 0.2, -1.1],
  [-2.5, 1.3, 0.4],
];

describe("numerical Hessians", () => {
  for (const pt of points) {
    it(`match the analytic Hessian at (${pt.join(", ")}) to 1e-6 (central differences of f and of its gradient)`, () => {
      const A = analytic(pt);
      const Hf = numericalHessian(f, pt);
      const Hg = hessianFromGradient(fg, pt);
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          const tol = 1e-6 * (1 + Math.abs(A[i][j]));
          expect(Math.abs(Hf[i][j] - A[i][j])).toBeLessThan(tol);
          expect(Math.abs(Hg[i][j] - A[i][j])).toBeLessThan(tol);
          expect(Hf[i][j]).toBe(Hf[j][i]);
          expect(Hg[i][j]).toBe(Hg[j][i]);
        }
    });
  }
});

describe("Cholesky and the SPD inverse", () => {
  const A = [
    [4, 2, 0.6],
    [2, 5, 1.5],
    [0.6, 1.5, 3],
  ];

  it("factors A = L Lᵀ with L lower triangular", () => {
    const L = cholesky(A);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        if (j > i) expect(L[i][j]).toBe(0);
        let s = 0;
        for (let k = 0; k < 3; k++) s += L[i][k] * L[j][k];
        expect(s).toBeCloseTo(A[i][j], 13);
      }
  });

  it("inverts A: A · A⁻¹ = I", () => {
    const X = invertSpd(A);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += A[i][k] * X[k][j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 13);
      }
  });

  it("rejects a matrix that is not positive definite (singular or indefinite)", () => {
    expect(() =>
      cholesky([
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(/not positive definite/);
    expect(() =>
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(/not positive definite/);
  });
});

describe("log-scale covariance", () => {
  it("recovers the covariance of a normal log-likelihood in φ = ln θ and SE(θ) = θ √Cov(φ)ᵢᵢ", () => {
    // ℓ(φ) = −½ (φ − μ)ᵀ Σ⁻¹ (φ − μ): its Hessian is −Σ⁻¹ (numerically, from ℓ), so covLog = Σ.
    const S = [
      [0.04, 0.01],
      [0.01, 0.09],
    ];
    const P = invertSpd(S);
    const mu = [Math.log(2), Math.log(30)];
    const ll = (p: ArrayLike<number>) => {
      const d = [p[0] - mu[0], p[1] - mu[1]];
      return -0.5 * (d[0] * (P[0][0] * d[0] + P[0][1] * d[1]) + d[1] * (P[1][0] * d[0] + P[1][1] * d[1]));
    };
    const { covLog, se } = logScaleCovariance(numericalHessian(ll, mu), [2, 30]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(covLog[i][j]).toBeCloseTo(S[i][j], 7);
    expect(se[0]).toBeCloseTo(2 * 0.2, 6);
    expect(se[1]).toBeCloseTo(30 * 0.3, 5);
  });
});
