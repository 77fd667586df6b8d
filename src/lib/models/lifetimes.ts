/**
 * Contractual valuation on top of the sBG model (src/lib/models/sbg.ts): turn account
 * lifetimes into the survivor counts the model is fitted on, measure actual survival to
 * compare with the fit (the value of a running contract is `sbgDiscountedSurvival`).
 *
 * Periods are billing periods (a month for monthly contracts, a year for annual ones). An
 * account "renews" at the start of every period after its first; an account that paid for
 * c periods and then stopped has `churnedAfter = c`.
 */

export interface Lifetime {
  /** Whole periods between the start and the as-of date (the account could have renewed this often). */
  readonly periodsObserved: number;
  /** Periods paid before churning; null while the account is still active (censored). */
  readonly churnedAfter: number | null;
}

/**
 * Survivor counts per observation length: accounts observed for L periods form a cohort
 * whose `alive[t]` (t = 0 … L) counts those still active at the start of period t + 1.
 * This is the pooled-cohort input of `fitSbg` (Fader & Hardie 2007, several cohorts).
 */
export function survivorCohorts(lifetimes: readonly Lifetime[]): number[][] {
  const byLength = new Map<number, number[]>();
  for (const { periodsObserved: L, churnedAfter: c } of lifetimes) {
    if (!(Number.isInteger(L) && L >= 0)) throw new RangeError(`invalid periods observed: ${L}`);
    if (c !== null && !(Number.isInteger(c) && c >= 1 && c <= L))
      throw new RangeError(`invalid churn period ${c} for ${L} periods observed`);
    let alive = byLength.get(L);
    if (!alive) byLength.set(L, (alive = new Array<number>(L + 1).fill(0)));
    const last = c === null ? L : c - 1; // alive at t = 0 … last
    for (let t = 0; t <= last; t++) alive[t]++;
  }
  return [...byLength.entries()].sort((a, b) => a[0] - b[0]).map(([, alive]) => alive);
}

export interface SurvivalPoint {
  readonly t: number;
  /** Accounts observed long enough to be counted at t. */
  readonly atRisk: number;
  /** Kaplan–Meier estimate of P(still active after t periods). */
  readonly survival: number;
}

/**
 * Actual survival pooled over cohorts (Kaplan–Meier with renewal periods as the time grid):
 * S(t) = Π_{u ≤ t} (1 − churned at u ÷ at risk at u). Accounts observed for fewer than t
 * periods leave the risk set without counting as churned.
 */
export function empiricalSurvival(lifetimes: readonly Lifetime[], horizon: number): SurvivalPoint[] {
  const out: SurvivalPoint[] = [{ t: 0, atRisk: lifetimes.length, survival: 1 }];
  let survival = 1;
  for (let t = 1; t <= horizon; t++) {
    let atRisk = 0;
    let churned = 0;
    for (const { periodsObserved: L, churnedAfter: c } of lifetimes) {
      // At risk of churning at t: active through t − 1 and observed for at least t periods.
      if (L >= t && (c === null || c >= t)) {
        atRisk++;
        if (c === t) churned++;
      }
    }
    if (atRisk === 0) break;
    survival *= 1 - churned / atRisk;
    out.push({ t, atRisk, survival });
  }
  return out;
}
