/**
 * Accounts at risk on the as-of date (definition: ./definitions.ts DEFINITIONS.atRisk). The
 * signs are read from what the data shows now, one account at a time:
 *
 * - contraction: month-end MRR lower than 3 months before, still above zero;
 * - low P(alive): the purchase model's probability that the account still buys, below
 *   P_ALIVE_THRESHOLD;
 * - long gap: days since the last purchase day above GAP_MULTIPLE × the median gap between
 *   its purchase days (at least two gaps needed for a usual gap) and above MIN_GAP_DAYS, so a
 *   daily buyer is not at risk after a quiet week;
 * - NPS detractor: latest answer 0–6, given in the 12 months to the as-of date (the loader
 *   passes only those).
 *
 * "No key-account manager" is a reason added to an account with a sign, not a sign: most
 * accounts have none.
 */

export const P_ALIVE_THRESHOLD = 0.5;
export const GAP_MULTIPLE = 2;
export const MIN_GAP_DAYS = 30;
/** Accounts listed on the overview (the count says how many there are in all). */
export const AT_RISK_LISTED = 10;

export type RiskReason =
  | { readonly kind: "contraction"; readonly fromCents: number; readonly toCents: number }
  | { readonly kind: "low-p-alive"; readonly probabilityAlive: number }
  | { readonly kind: "long-gap"; readonly daysSince: number; readonly usualGapDays: number }
  | { readonly kind: "nps-detractor"; readonly score: number }
  | { readonly kind: "no-key-account" };

/** One account's facts on the as-of date; null where the data does not say. */
export interface RiskInputs {
  readonly accountId: string;
  readonly accountName: string;
  readonly active: boolean;
  readonly mrrNowCents: number | null;
  readonly mrrQuarterAgoCents: number | null;
  /** From a purchase model only (subscription P(alive) is 1 by construction). */
  readonly probabilityAlive: number | null;
  readonly daysSinceLastPurchase: number | null;
  readonly medianGapDays: number | null;
  /** Number of gaps between purchase days behind the median. */
  readonly gaps: number;
  /** Latest NPS answer in the 12 months to the as-of date. */
  readonly latestNps: number | null;
  readonly keyAccount: boolean | null;
  readonly valueCents: number;
}

export interface AtRiskAccount {
  readonly accountId: string;
  readonly accountName: string;
  readonly valueCents: number;
  readonly reasons: readonly RiskReason[];
}

export interface AtRiskList {
  /** Active accounts with at least one sign. */
  readonly count: number;
  /** Of how many active accounts. */
  readonly active: number;
  /** Model value of all accounts at risk. */
  readonly valueCents: number;
  /** The AT_RISK_LISTED largest by model value, ties by account id. */
  readonly accounts: readonly AtRiskAccount[];
}

export function riskReasons(x: RiskInputs): RiskReason[] {
  const reasons: RiskReason[] = [];
  if (
    x.mrrNowCents !== null &&
    x.mrrQuarterAgoCents !== null &&
    x.mrrNowCents > 0 &&
    x.mrrNowCents < x.mrrQuarterAgoCents
  )
    reasons.push({ kind: "contraction", fromCents: x.mrrQuarterAgoCents, toCents: x.mrrNowCents });
  if (x.probabilityAlive !== null && x.probabilityAlive < P_ALIVE_THRESHOLD)
    reasons.push({ kind: "low-p-alive", probabilityAlive: x.probabilityAlive });
  if (
    x.daysSinceLastPurchase !== null &&
    x.medianGapDays !== null &&
    x.gaps >= 2 &&
    x.medianGapDays > 0 &&
    x.daysSinceLastPurchase > GAP_MULTIPLE * x.medianGapDays &&
    x.daysSinceLastPurchase > MIN_GAP_DAYS
  )
    reasons.push({ kind: "long-gap", daysSince: x.daysSinceLastPurchase, usualGapDays: x.medianGapDays });
  if (x.latestNps !== null && x.latestNps <= 6) reasons.push({ kind: "nps-detractor", score: x.latestNps });
  if (reasons.length > 0 && x.keyAccount === false) reasons.push({ kind: "no-key-account" });
  return reasons;
}

export function atRiskAccounts(inputs: readonly RiskInputs[], listed = AT_RISK_LISTED): AtRiskList {
  const risky: AtRiskAccount[] = [];
  let active = 0;
  for (const x of inputs) {
    if (!x.active) continue;
    active++;
    const reasons = riskReasons(x);
    if (reasons.length > 0)
      risky.push({ accountId: x.accountId, accountName: x.accountName, valueCents: x.valueCents, reasons });
  }
  risky.sort((a, b) => b.valueCents - a.valueCents || (a.accountId < b.accountId ? -1 : 1));
  return {
    count: risky.length,
    active,
    valueCents: risky.reduce((s, a) => s + a.valueCents, 0),
    accounts: risky.slice(0, listed),
  };
}
