/** Direct tests of the maximiser (src/lib/models/optimize.ts) on functions with known maxima. */
import { describe, expect, it } from "vitest";
import { bfgs, maximize, nelderMead, numericalGradient } from "../../src/lib/models/optimize.js";
import { fitOnLogScale, freezeParams } from "../../src/lib/models/fitting.js";
import { checkIdentification } from "../../src/lib/models/identification.js";

// Rosenbrock's banana, negated for maximisation: max 0 at (1, 1), a curved narrow valley.
const rosen = (t: ArrayLike<number>) => -(100 * (t[1] - t[0] * t[0]) ** 2 + (1 - t[0]) ** 2);
const rosenGrad = (t: Float64Array, g: Float64Array) => {
  g[0] = 400 * t[0] * (t[1] - t[0] * t[0]) + 2 * (1 - t[0]);
  g[1] = -200 * (t[1] - t[0] * t[0]);
  return rosen(t);
};

describe("Nelder–Mead", () => {
  it("finds Rosenbrock's maximum (1, 1) from the classic start (−1.2, 1)", () => {
    const r = nelderMead(rosen, [-1.2, 1], { maxEvals: 5000, ftol: 1e-14 });
    expect(r.theta[0]).toBeCloseTo(1, 3);
    expect(r.theta[1]).toBeCloseTo(1, 3);
    expect(r.value).toBeGreaterThan(-1e-8);
    expect(r.evaluations).toBeLessThanOrEqual(5000 + 3);
  });

  it("stops at its evaluation budget", () => {
    const r = nelderMead(rosen, [-1.2, 1], { maxEvals: 20 });
    expect(r.evaluations).toBeLessThan(20 + 4); // one iteration may overrun by its shrink step
    expect(r.value).toBeLessThan(0);
  });
});

describe("BFGS", () => {
  it("finds Rosenbrock's maximum to 1e-6 with the analytic gradient", () => {
    const r = bfgs(rosenGrad, [-1.2, 1]);
    expect(Math.abs(r.theta[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(r.theta[1] - 1)).toBeLessThan(1e-6);
    expect(r.value).toBeGreaterThan(-1e-12);
  });

  it("finds the maximum of a correlated 4-D quadratic exactly (its value and arg max are known)", () => {
    // f(x) = −½ (x − m)ᵀ A (x − m) + 3 with A positive definite: max 3 at m.
    const A = [
      [4, 1, 0.5, 0],
      [1, 3, 0.2, 0.1],
      [0.5, 0.2, 2, 0.3],
      [0, 0.1, 0.3, 1],
    ];
    const m = [1, -2, 0.5, 3];
    const fg = (x: Float64Array, g: Float64Array) => {
      let v = 0;
      for (let i = 0; i < 4; i++) {
        let s = 0;
        for (let j = 0; j < 4; j++) s += A[i][j] * (x[j] - m[j]);
        g[i] = -s;
        v += (x[i] - m[i]) * s;
      }
      return 3 - v / 2;
    };
    const r = bfgs(fg, [0, 0, 0, 0]);
    for (let i = 0; i < 4; i++) expect(r.theta[i]).toBeCloseTo(m[i], 8);
    expect(r.value).toBeCloseTo(3, 12);
  });

  it("steps back from a region where the objective is undefined (NaN or a throw) and finds the interior maximum", () => {
    // ln x − x has its maximum −1 at x = 1 and is undefined for x ≤ 0; the first steps from 8 overshoot.
    const f = (t: ArrayLike<number>) => {
      if (t[0] <= 0) throw new RangeError("outside the domain");
      return Math.log(t[0]) - t[0];
    };
    const r = maximize(f, [[8]], { method: "bfgs" });
    expect(r.theta[0]).toBeCloseTo(1, 6);
    expect(r.value).toBeCloseTo(-1, 12);
  });

  it("leaves a flat direction where it started and still converges in the others", () => {
    // f(x, y) = −(x − 2)²: nothing depends on y.
    const r = bfgs(
      (t, g) => {
        g[0] = -2 * (t[0] - 2);
        g[1] = 0;
        return -((t[0] - 2) ** 2);
      },
      [0, 5],
    );
    expect(r.theta[0]).toBeCloseTo(2, 8);
    expect(r.theta[1]).toBe(5);
  });
});

describe("central-difference gradient", () => {
  it("matches the analytic gradient of Rosenbrock's function to 1e-6 (relative)", () => {
    const x = Float64Array.from([0.3, -0.7]);
    const ga = new Float64Array(2),
      gn = new Float64Array(2);
    rosenGrad(x, ga);
    numericalGradient(rosen)(x, gn);
    for (let i = 0; i < 2; i++) expect(Math.abs(gn[i] - ga[i]) / Math.abs(ga[i])).toBeLessThan(1e-6);
  });
});

describe("multi-start maximize", () => {
  // Two local maxima: f(x) = −(x² − 1)² + 0.3x has its global maximum near x = +1.04 and a
  // lower one near x = −0.96.
  const f = (t: ArrayLike<number>) => -((t[0] * t[0] - 1) ** 2) + 0.3 * t[0];

  for (const method of ["nelder-mead+bfgs", "bfgs", "nelder-mead"] as const) {
    it(`keeps the best of the starts and reports each start's end point (${method})`, () => {
      const r = maximize(f, [[-1.5], [1.5]], { method });
      expect(r.starts).toHaveLength(2);
      // (BFGS's first step from −1.5 may cross into the other basin; Nelder–Mead's does not.)
      if (method !== "bfgs") expect(r.starts[0].theta[0]).toBeLessThan(0);
      expect(r.starts[1].theta[0]).toBeGreaterThan(0);
      expect(r.theta[0]).toBeGreaterThan(1);
      // f′(x) = −4x(x² − 1) + 0.3 = 0 at the maximum
      expect(Math.abs(-4 * r.theta[0] * (r.theta[0] ** 2 - 1) + 0.3)).toBeLessThan(1e-4);
      expect(r.value).toBe(Math.max(r.starts[0].value, r.starts[1].value));
    });
  }

  it("throws when the objective is not finite at any start, and without starts", () => {
    expect(() => maximize(() => NaN, [[0], [1]])).toThrow(/not finite at any start/);
    expect(() => maximize(f, [])).toThrow(/at least one starting point/);
  });
});

describe("positive parameters on the log scale (fitOnLogScale)", () => {
  it("keeps parameters positive: a maximum at θ = 3 is found from θ = 0.01 without leaving θ > 0", () => {
    // ℓ(θ) = 3 ln θ − θ on θ > 0 (a Gamma(4, 1) log-kernel): max at θ = 3, curvature −3/θ² = −1/3,
    // so on φ = ln θ the information is θ² · 1/3 = 3 and SE(θ) = θ/√3 = √3.
    const fit = fitOnLogScale((phi) => 3 * phi[0] - Math.exp(phi[0]), [[0.01]], {});
    expect(fit.values[0]).toBeCloseTo(3, 6);
    expect(fit.se![0]).toBeCloseTo(Math.sqrt(3), 4);
    expect(() => fitOnLogScale((phi) => -phi[0] * phi[0], [[0]], {})).toThrow(/parameters must be positive/);
  });

  it("runs to the bound θ → 0 when the likelihood keeps rising there, and the identification check says so", () => {
    // ℓ(θ) = −θ is largest as θ → 0: the optimiser must not stop at an interior point, and the
    // tiny curvature left there is no information about θ.
    const fit = fitOnLogScale((phi) => -Math.exp(phi[0]), [[1]], {});
    expect(fit.values[0]).toBeLessThan(1e-4);
    const id = checkIdentification(["theta"], freezeParams(["theta"], fit));
    expect(id.unusable).toBe(true);
    expect(id.warnings.join(" ")).toMatch(/at the edge of its range/);
  });

  it("reports no standard errors along a flat direction (a parameter the likelihood ignores)", () => {
    const fit = fitOnLogScale((phi) => -((phi[0] - 1) ** 2), [[1, 5]], {});
    expect(Math.log(fit.values[0])).toBeCloseTo(1, 6);
    expect(fit.se).toBeUndefined();
    expect(fit.covLog).toBeUndefined();
  });
});
