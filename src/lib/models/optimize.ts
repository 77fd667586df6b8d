/**
 * Our own small maximiser for the model likelihoods (no dependency, runs in the browser).
 *
 * Parameters are optimised on the log scale (every model parameter is positive), so the
 * search space is unconstrained. From each starting point: optionally Nelder–Mead (Nelder &
 * Mead 1965, standard coefficients 1, 2, ½, ½), then a BFGS polish (Nocedal & Wright 2006,
 * algorithm 6.1) with a backtracking Armijo line search, using the analytic gradient when the
 * model has one and central differences otherwise. The best end point over all starts wins.
 */

/** Objective to maximise: θ ↦ value (θ on the optimiser's scale, e.g. log-parameters). */
export type Objective = (theta: Float64Array) => number;
/** Writes ∂f/∂θ into `grad` and returns f(θ). */
export type ObjectiveWithGradient = (theta: Float64Array, grad: Float64Array) => number;

/** How each start is optimised: Nelder–Mead then BFGS, or BFGS alone (needs a good gradient). */
export type OptimizerMethod = "nelder-mead+bfgs" | "bfgs" | "nelder-mead";

export interface MaximizeOptions {
  /** Strategy per start (default "nelder-mead+bfgs"). */
  method?: OptimizerMethod;
  /** Analytic gradient; when absent, central differences of `f` are used. */
  gradient?: ObjectiveWithGradient;
  /** Nelder–Mead evaluation budget per start (default 400·dim). */
  nelderMeadMaxEvals?: number;
  /** BFGS iteration budget (default 500). */
  bfgsMaxIter?: number;
}

export interface MaximizeResult {
  /** Arg max, on the optimiser scale. */
  theta: Float64Array;
  /** Maximum value found. */
  value: number;
  /** The end point and value reached from every start, in start order. */
  starts: Array<{ theta: Float64Array; value: number }>;
  /** Total objective evaluations (gradient calls count once). */
  evaluations: number;
}

/** Safe objective: NaN and errors become −∞ so the search steps back. */
function guard(f: Objective): Objective {
  return (t) => {
    let v: number;
    try {
      v = f(t);
    } catch {
      return -Infinity;
    }
    return Number.isNaN(v) ? -Infinity : v;
  };
}

/**
 * Nelder–Mead maximisation from `x0` with an initial simplex of ±`step` along each axis.
 * Stops when the spread of the simplex values is below `ftol` (absolute) or after `maxEvals`.
 */
export function nelderMead(
  f: Objective,
  x0: ArrayLike<number>,
  opts: { maxEvals?: number; ftol?: number; step?: number } = {},
): { theta: Float64Array; value: number; evaluations: number } {
  const n = x0.length;
  const maxEvals = opts.maxEvals ?? 400 * n;
  const ftol = opts.ftol ?? 1e-10;
  const step = opts.step ?? 0.5;
  const g = guard(f);
  const pts: Float64Array[] = [];
  const vals: number[] = [];
  let evals = 0;
  const evalAt = (p: Float64Array) => {
    evals++;
    return -g(p); // minimise −f
  };
  pts.push(Float64Array.from(x0));
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0);
    p[i] += step;
    pts.push(p);
  }
  for (const p of pts) vals.push(evalAt(p));
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const trial = (coef: number, worst: Float64Array) => {
    const p = new Float64Array(n);
    for (let j = 0; j < n; j++) p[j] = centroid[j] + coef * (worst[j] - centroid[j]);
    return p;
  };
  while (evals < maxEvals) {
    order.sort((i, j) => vals[i] - vals[j]);
    const best = order[0];
    const worst = order[n];
    const second = order[n - 1];
    if (Number.isFinite(vals[best]) && Math.abs(vals[worst] - vals[best]) <= ftol) break;
    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const p = pts[order[k]];
      for (let j = 0; j < n; j++) centroid[j] += p[j] / n;
    }
    const xr = trial(-1, pts[worst]);
    const fr = evalAt(xr);
    if (fr < vals[best]) {
      const xe = trial(-2, pts[worst]);
      const fe = evalAt(xe);
      if (fe < fr) {
        pts[worst] = xe;
        vals[worst] = fe;
      } else {
        pts[worst] = xr;
        vals[worst] = fr;
      }
      continue;
    }
    if (fr < vals[second]) {
      pts[worst] = xr;
      vals[worst] = fr;
      continue;
    }
    const outside = fr < vals[worst];
    const xc = trial(outside ? -0.5 : 0.5, pts[worst]);
    const fc = evalAt(xc);
    if (fc < (outside ? fr : vals[worst])) {
      pts[worst] = xc;
      vals[worst] = fc;
      continue;
    }
    // Shrink towards the best point.
    for (let k = 1; k <= n; k++) {
      const i = order[k];
      for (let j = 0; j < n; j++) pts[i][j] = pts[best][j] + 0.5 * (pts[i][j] - pts[best][j]);
      vals[i] = evalAt(pts[i]);
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if (vals[i] < vals[bi]) bi = i;
  return { theta: pts[bi], value: -vals[bi], evaluations: evals };
}

/** Central-difference gradient of `f` (step 1e-5 · max(1, |θᵢ|) on the optimiser scale). */
export function numericalGradient(f: Objective): ObjectiveWithGradient {
  return (theta, grad) => {
    const n = theta.length;
    const t = Float64Array.from(theta);
    for (let i = 0; i < n; i++) {
      const h = 1e-5 * Math.max(1, Math.abs(theta[i]));
      t[i] = theta[i] + h;
      const fp = f(t);
      t[i] = theta[i] - h;
      const fm = f(t);
      t[i] = theta[i];
      grad[i] = (fp - fm) / (2 * h);
    }
    return f(theta);
  };
}

/**
 * BFGS maximisation from `x0` with gradient `fg`. Stops when the largest gradient component
 * is below 1e-9 · (1 + |f|), when a full iteration improves f by less than 1e-15 · (1 + |f|)
 * twice in a row, or after `maxIter` iterations.
 */
export function bfgs(
  fg: ObjectiveWithGradient,
  x0: ArrayLike<number>,
  opts: { maxIter?: number } = {},
): { theta: Float64Array; value: number; evaluations: number } {
  const n = x0.length;
  const maxIter = opts.maxIter ?? 500;
  let evals = 0;
  const call = (t: Float64Array, g: Float64Array) => {
    evals++;
    let v: number;
    try {
      v = fg(t, g);
    } catch {
      return -Infinity;
    }
    if (!Number.isFinite(v) || g.some((x) => !Number.isFinite(x))) return -Infinity;
    return v;
  };
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = call(x, g);
  if (!Number.isFinite(f)) return { theta: x, value: f, evaluations: evals };
  // H approximates the inverse of the Hessian of −f.
  let H = identity(n);
  const d = new Float64Array(n);
  let stalls = 0;
  for (let it = 0; it < maxIter; it++) {
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    if (gmax <= 1e-9 * (1 + Math.abs(f))) break;
    // Ascent direction d = H g (H is positive definite for −f).
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += H[i][j] * g[j];
      d[i] = s;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += g[i] * d[i];
    if (!(slope > 0)) {
      H = identity(n);
      d.set(g);
      slope = 0;
      for (let i = 0; i < n; i++) slope += g[i] * g[i];
    }
    // Keep steps on the log scale moderate (a factor e³ at most per iteration).
    let dmax = 0;
    for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(d[i]));
    let step = dmax > 3 ? 3 / dmax : 1;
    const xn = new Float64Array(n);
    const gn = new Float64Array(n);
    let fn = -Infinity;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < n; i++) xn[i] = x[i] + step * d[i];
      fn = call(xn, gn);
      if (Number.isFinite(fn) && fn >= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      if (isIdentity(H)) break; // no progress even along the gradient
      H = identity(n);
      continue;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xn[i] - x[i];
      y[i] = g[i] - gn[i]; // gradient of −f: −gn − (−g)
      sy += s[i] * y[i];
    }
    const improvement = fn - f;
    x = xn;
    f = fn;
    g = gn;
    if (sy > 1e-300) {
      if (it === 0) {
        // Scale the initial inverse Hessian (Nocedal & Wright eq. 6.20).
        let yy = 0;
        for (let i = 0; i < n; i++) yy += y[i] * y[i];
        const scale = sy / yy;
        for (let i = 0; i < n; i++) H[i][i] = scale;
      }
      H = bfgsUpdate(H, s, y, sy);
    }
    if (improvement <= 1e-15 * (1 + Math.abs(f))) {
      if (++stalls >= 2) break;
    } else stalls = 0;
  }
  return { theta: x, value: f, evaluations: evals };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function isIdentity(H: number[][]): boolean {
  return H.every((row, i) => row.every((v, j) => v === (i === j ? 1 : 0)));
}

/** H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / (yᵀ s) (Nocedal & Wright eq. 6.17). */
function bfgsUpdate(H: number[][], s: Float64Array, y: Float64Array, sy: number): number[][] {
  const n = s.length;
  const rho = 1 / sy;
  const Hy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += H[i][j] * y[j];
    Hy[i] = v;
  }
  let yHy = 0;
  for (let i = 0; i < n; i++) yHy += y[i] * Hy[i];
  const out = identity(n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      out[i][j] = H[i][j] - rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
  return out;
}

/**
 * Maximise `f` from several starting points (see the module comment) and return the best.
 * Every start's end point is reported so callers and tests can check that the starts agree.
 */
export function maximize(f: Objective, starts: ArrayLike<number>[], opts: MaximizeOptions = {}): MaximizeResult {
  if (starts.length === 0) throw new RangeError("invalid starts: at least one starting point is needed");
  const method = opts.method ?? "nelder-mead+bfgs";
  const fg = opts.gradient ?? numericalGradient(guard(f));
  const results: Array<{ theta: Float64Array; value: number }> = [];
  let evaluations = 0;
  for (const x0 of starts) {
    let theta: Float64Array = Float64Array.from(x0);
    let value = -Infinity;
    switch (method) {
      case "nelder-mead":
      case "nelder-mead+bfgs": {
        const nm = nelderMead(f, theta, {
          maxEvals: opts.nelderMeadMaxEvals ?? 400 * theta.length,
          ftol: method === "nelder-mead" ? 1e-12 : 1e-6,
        });
        evaluations += nm.evaluations;
        theta = nm.theta;
        value = nm.value;
        if (method === "nelder-mead") break;
        const b = bfgs(fg, theta, { maxIter: opts.bfgsMaxIter });
        evaluations += b.evaluations;
        if (b.value >= value) ({ theta, value } = b);
        break;
      }
      case "bfgs": {
        const b = bfgs(fg, theta, { maxIter: opts.bfgsMaxIter });
        evaluations += b.evaluations;
        ({ theta, value } = b);
        if (!Number.isFinite(value)) {
          // The start was unusable for BFGS: fall back on Nelder–Mead from it.
          const nm = nelderMead(f, x0, { ftol: 1e-6 });
          const b2 = bfgs(fg, nm.theta, { maxIter: opts.bfgsMaxIter });
          evaluations += nm.evaluations + b2.evaluations;
          ({ theta, value } = b2.value >= nm.value ? b2 : nm);
        }
        break;
      }
      default:
        throw new RangeError(`invalid optimizer method: ${String(method)}`);
    }
    results.push({ theta, value });
  }
  let best = results[0];
  for (const r of results) if (r.value > best.value || !Number.isFinite(best.value)) best = r;
  if (!Number.isFinite(best.value))
    throw new RangeError("optimisation failed: the log-likelihood is not finite at any start");
  return { theta: best.theta, value: best.value, starts: results, evaluations };
}
