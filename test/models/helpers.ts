/** Shared test helpers: dataset paths, CDNOW readers and independent numerical integration. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The shared public data sets live beside the checkout: ../shared/datasets/. */
export const datasets = path.resolve(repoRoot, "../shared/datasets");

export function readCsvNumbers(file: string): { header: string[]; rows: number[][] } {
  const lines = readFileSync(path.join(datasets, file), "utf8").trim().split(/\r?\n/);
  return { header: lines[0].split(","), rows: lines.slice(1).map((l) => l.split(",").map(Number)) };
}

/** CDNOW 2,357-customer calibration summary (weeks): FHL 2005 data. */
export function cdnowRfm() {
  const { rows } = readCsvNumbers("cdnow_customers_summary.csv");
  return {
    id: rows.map((r) => r[0]),
    frequency: rows.map((r) => r[1]),
    recency: rows.map((r) => r[2]),
    T: rows.map((r) => r[3]),
  };
}

/** CDNOW summary with zbar (mean repeat-transaction value, US dollars). */
export function cdnowWithSpend() {
  const { rows } = readCsvNumbers("cdnow_customers_summary_with_transactions.csv");
  return {
    frequency: rows.map((r) => r[1]),
    recency: rows.map((r) => r[2]),
    T: rows.map((r) => r[3]),
    monetaryValue: rows.map((r) => r[4]),
  };
}

/**
 * ∫ f(y) dy over [lo, hi] by the trapezoid rule with n intervals. For smooth integrands
 * that vanish (with all derivatives) at both ends it converges exponentially fast, which is
 * why the integrals below are written on log / logit scales.
 */
export function trapezoid(f: (y: number) => number, lo: number, hi: number, n: number): number {
  const h = (hi - lo) / n;
  let s = 0.5 * (f(lo) + f(hi));
  for (let i = 1; i < n; i++) s += f(lo + i * h);
  return s * h;
}

/**
 * Grid for a positive variable with density ∝ v^(k−1) e^(−c v), on y = ln v: returns nodes v
 * and weights w so that Σ w g(v) ≈ ∫ g(v) v^(k−1) e^(−c v) dv / ∫ v^(k−1) e^(−c v) dv.
 * The normalisation is numerical too (no Γ function is used).
 */
export function gammaGrid(k: number, c: number, n = 2000): { v: Float64Array; w: Float64Array } {
  const lo = Math.log(k / c) - 45 / k;
  const hi = Math.log((k + 80 + 15 * Math.sqrt(k)) / c);
  const h = (hi - lo) / n;
  const v = new Float64Array(n + 1),
    w = new Float64Array(n + 1);
  let tot = 0;
  const mode = Math.log(k / c);
  for (let i = 0; i <= n; i++) {
    const y = lo + i * h;
    v[i] = Math.exp(y);
    // v^(k−1) e^(−cv) dv = e^(k y − c e^y) dy, scaled by its value at the mode.
    w[i] = Math.exp(k * (y - mode) - c * v[i] + k) * (i === 0 || i === n ? 0.5 : 1);
    tot += w[i];
  }
  for (let i = 0; i <= n; i++) w[i] /= tot;
  return { v, w };
}

/** Same for p ∈ (0, 1) with density ∝ p^(a−1) (1 − p)^(b−1), on y = logit p. */
export function betaGrid(a: number, b: number, n = 2000): { v: Float64Array; w: Float64Array } {
  const lo = -50 / a - 5,
    hi = 50 / b + 5;
  const h = (hi - lo) / n;
  const v = new Float64Array(n + 1),
    w = new Float64Array(n + 1);
  let tot = 0;
  for (let i = 0; i <= n; i++) {
    const y = lo + i * h;
    // p^(a−1)(1−p)^(b−1) dp = p^a (1−p)^b dy; log p = −log1p(e^−y), log(1−p) = −log1p(e^y)
    const lp = y < 0 ? y - Math.log1p(Math.exp(y)) : -Math.log1p(Math.exp(-y));
    const lq = y > 0 ? -y - Math.log1p(Math.exp(-y)) : -Math.log1p(Math.exp(y));
    v[i] = Math.exp(lp);
    w[i] = Math.exp(a * lp + b * lq) * (i === 0 || i === n ? 0.5 : 1);
    tot += w[i];
  }
  for (let i = 0; i <= n; i++) w[i] /= tot;
  return { v, w };
}

/** Σᵢ Σⱼ wᵢ uⱼ f(vᵢ, zⱼ): a 2-D expectation over two independent grids. */
export function expect2(
  g1: { v: Float64Array; w: Float64Array },
  g2: { v: Float64Array; w: Float64Array },
  f: (x: number, y: number) => number,
): number {
  let s = 0;
  for (let i = 0; i < g1.v.length; i++) {
    if (g1.w[i] === 0) continue;
    let inner = 0;
    for (let j = 0; j < g2.v.length; j++) if (g2.w[j] !== 0) inner += g2.w[j] * f(g1.v[i], g2.v[j]);
    s += g1.w[i] * inner;
  }
  return s;
}
