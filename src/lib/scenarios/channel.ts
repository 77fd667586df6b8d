/**
 * New sales channels: N new accounts a month for M months, each worth W at its acquisition
 * (its expected lifetime margin, discounted to that month) and costing CAC to acquire then.
 * Both are discounted to today with the monthly factor v_m = (1 + d)^(−1/12):
 *   gross = N · W · Σ_{j=1}^{M} v_m^j,   CAC = N · CAC · Σ_{j=1}^{M} v_m^j,   net = gross − CAC.
 * The scenario's value counts the channel net of what acquiring its accounts costs; the gross
 * is shown beside it.
 */
import type { ScenarioBase } from "./inputs.js";
import type { LedgerEntry } from "./ledger.js";
import { PROJECTION_YEARS } from "./series.js";

export interface ChannelValue {
  readonly accounts: number;
  /** Value of the new accounts, discounted to today. */
  readonly grossCents: number;
  /** What acquiring them costs, discounted to today like the value. */
  readonly cacCents: number;
  /** gross − CAC. */
  readonly netCents: number;
}

export interface ChannelTotals extends ChannelValue {
  /** The first twelve months of the channels, undiscounted (LTV : CAC counts a year of acquisitions). */
  readonly firstYear: { readonly accounts: number; readonly valueCents: number; readonly cacCents: number };
  /** Billings per projected year, cents. */
  readonly revenueCents: Float64Array;
}

/** The new-channel entries of `ledger` whose index is below `upTo`, valued together. */
export function channelTotals(ledger: readonly LedgerEntry[], base: ScenarioBase, upTo = ledger.length): ChannelTotals {
  const Y = PROJECTION_YEARS;
  const revenueCents = new Float64Array(Y);
  const vMonth = Math.pow(1 + base.annualDiscountRate, -1 / 12);
  const subscriptionMargin = base.margins[Math.max(0, base.dictionary.businessModel.indexOf("subscription"))] || 1;
  let accounts = 0,
    grossCents = 0,
    cacCents = 0;
  const firstYear = { accounts: 0, valueCents: 0, cacCents: 0 };
  for (let e = 0; e < Math.min(upTo, ledger.length); e++) {
    const entry = ledger[e];
    if (entry.lever !== "newChannel") continue;
    const { acquisitionsPerMonth: N, months: M, cacCents: cac, valueCents: W } = entry.params;
    let annuity = 0;
    for (let j = 1; j <= M; j++) annuity += Math.pow(vMonth, j);
    accounts += N * M;
    grossCents += N * W * annuity;
    cacCents += N * cac * annuity;
    const year = N * Math.min(M, 12);
    firstYear.accounts += year;
    firstYear.valueCents += year * W;
    firstYear.cacCents += year * cac;
    // Revenue: each new account's value spread evenly over five years at the subscription margin.
    const perMonth = W / (subscriptionMargin * 60);
    for (let j = 1; j <= M; j++)
      for (let t = j + 1; t <= Math.min(j + 60, Y * 12); t++) revenueCents[Math.ceil(t / 12) - 1] += N * perMonth;
  }
  return { accounts, grossCents, cacCents, netCents: grossCents - cacCents, firstYear, revenueCents };
}
