/**
 * Special functions and log-domain helpers shared by the models.
 *
 * `lgamma`, `lbeta` and `digamma` are the @stdlib implementations (pure JavaScript, run in
 * Node and the browser). The helpers below keep likelihoods in log space so that products of
 * many small probabilities neither underflow nor lose precision.
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import betaln from "@stdlib/math-base-special-betaln";
import stdDigamma from "@stdlib/math-base-special-digamma";

/** ln|Γ(x)| (for x < 0 the logarithm of the absolute value). */
export function lgamma(x: number): number {
  return gammaln(x);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. */
export function lbeta(a: number, b: number): number {
  return betaln(a, b);
}

/** ψ(x) = d/dx ln Γ(x). */
export function digamma(x: number): number {
  return stdDigamma(x);
}

/** Sign of Γ(x): +1 for x > 0; for negative non-integers (−1)^⌈−x⌉; NaN at the poles 0, −1, −2, … */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x)) return NaN;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** ln(e^x + e^y) without overflow; −∞ inputs allowed. */
export function logAddExp(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  return x > y ? x + Math.log1p(Math.exp(y - x)) : y + Math.log1p(Math.exp(x - y));
}

/** ln(e^x − e^y) for x ≥ y; −∞ when x = y. */
export function logDiffExp(x: number, y: number): number {
  if (y === -Infinity) return x;
  if (y > x) return NaN;
  if (y === x) return -Infinity;
  const d = y - x; // ≤ 0
  // ln(1 − e^d): use log(−expm1(d)) near 0 and log1p(−exp(d)) far from it (Mächler 2012).
  return x + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}

/** ln(1 + e^x) (softplus), stable for large |x|. */
export function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Logistic function 1 / (1 + e^−x). */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
