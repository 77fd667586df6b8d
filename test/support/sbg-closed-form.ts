/**
 * Test oracle for the sBG contract value: the closed-form survival S(t) = B(γ, δ + t) ÷ B(γ, δ)
 * (Fader & Hardie 2007 eq. 8) summed term by term, and the discounted expected lifetime of a
 * new customer as a hypergeometric function (Fader & Hardie 2010 eq. 5). The library computes
 * the same quantities by the retention recursion (src/lib/models/sbg.ts); these are the other way.
 */
import { hyp2f1 } from "../../src/lib/models/hyp2f1.js";
import { sbgSurvival, type SbgParams } from "../../src/lib/models/sbg.js";

/** Σ_{k=1}^{H} [S(n + k) ÷ S(n)] ÷ (1 + d)^k with S from ln B, n = renewals. */
export function closedFormDiscountedSurvival(
  p: SbgParams,
  renewals: number,
  periods: number,
  discount: number,
): number {
  const s0 = sbgSurvival(p, renewals);
  let sum = 0;
  for (let k = 1; k <= periods; k++) sum += sbgSurvival(p, renewals + k) / s0 / Math.pow(1 + discount, k);
  return sum;
}

/** DEL of a new customer, ₂F₁(1, δ; γ + δ; 1/(1 + d)) (F&H 2010 eq. 5). */
export function closedFormDiscountedExpectedLifetime(p: SbgParams, discount: number): number {
  return hyp2f1(1, p.delta, p.gamma + p.delta, 1 / (1 + discount));
}
