/**
 * Why the rule of thumb (simple CLV × active accounts) and the model value differ, in numbers
 * from the data: the years of margin each counts, what discounting takes off, how many
 * accounts each values, and the margin each applies. The overview says it in one sentence
 * beside the two figures (src/components/overview.ts `valueGapSentence`).
 */

export interface ValueGapInputs {
  readonly simpleCents: number;
  readonly modelCents: number;
  /** The simple formula's retention time: 1 ÷ logo churn, at most 10 years. */
  readonly retentionYears: number;
  readonly horizonMonths: number;
  readonly annualDiscountRate: number;
  readonly activeAccounts: number;
  /** Accounts carrying a value (model or historical fallback). */
  readonly valuedAccounts: number;
  /** Of those, accounts not active now (transactional accounts the purchase model thinks may still buy). */
  readonly valuedNotActive: number;
  /** The simple formula's margin: T12M gross margin over all revenue. */
  readonly simpleMargin: number;
  /** The models' margins by business model (models.json `margins`). */
  readonly modelMargins: { readonly subscription: number; readonly transactional: number };
}

export interface ValueGap extends ValueGapInputs {
  /** simple ÷ model − 1. */
  readonly difference: number;
  /**
   * Share of an even stream of margin over the horizon that discounting takes off:
   * 1 − (Σ_{t=1}^{H} v^t) ÷ H with v the monthly discount factor (1 + rate)^(−1/12).
   */
  readonly discountTakesOff: number;
}

export function valueGap(x: ValueGapInputs): ValueGap {
  const v = Math.pow(1 + x.annualDiscountRate, -1 / 12);
  let annuity = 0;
  for (let t = 1; t <= x.horizonMonths; t++) annuity += Math.pow(v, t);
  return {
    ...x,
    difference: x.modelCents > 0 ? x.simpleCents / x.modelCents - 1 : 0,
    discountTakesOff: x.horizonMonths > 0 ? 1 - annuity / x.horizonMonths : 0,
  };
}
