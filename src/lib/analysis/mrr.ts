/**
 * MRR movements of one account from its month-end MRR series. Months missing from the
 * series count as MRR 0 (the account × month table only has months with activity).
 *
 * Classification of a month whose MRR differs from the month before:
 * - new: MRR rises from 0 and the account never had MRR before;
 * - reactivation: MRR rises from 0 after an earlier churn;
 * - expansion / contraction: MRR rises / falls and stays above 0;
 * - churn: MRR falls to 0.
 */
import type { MonthIndex } from "../dates.js";

export const MOVEMENTS = ["new", "expansion", "contraction", "churn", "reactivation"] as const;
export type Movement = (typeof MOVEMENTS)[number];
/** Codes stored in the Arrow table (1-based, 0 is never used). */
export const MOVEMENT_CODE: Readonly<Record<Movement, number>> = {
  new: 1,
  expansion: 2,
  contraction: 3,
  churn: 4,
  reactivation: 5,
};

export interface MrrEvent {
  readonly month: MonthIndex;
  /** MRR from this month on, cents. */
  readonly mrrCents: number;
  /** Change against the month before, cents. */
  readonly deltaCents: number;
  readonly movement: Movement;
}

/**
 * `months` ascending, `mrrCents` the MRR at each month's end; `asOfMonth` closes the series
 * (a churn is recorded in the month after the last month with MRR, if that month ≤ as-of).
 */
export function mrrMovements(
  months: ArrayLike<MonthIndex>,
  mrrCents: ArrayLike<number>,
  asOfMonth: MonthIndex,
): MrrEvent[] {
  const events: MrrEvent[] = [];
  let prevMonth = -Infinity;
  let prev = 0;
  let everActive = false;
  const push = (month: MonthIndex, mrr: number) => {
    if (mrr === prev) return;
    const movement: Movement =
      prev === 0
        ? everActive
          ? "reactivation"
          : "new"
        : mrr === 0
          ? "churn"
          : mrr > prev
            ? "expansion"
            : "contraction";
    events.push({ month, mrrCents: mrr, deltaCents: mrr - prev, movement });
    if (mrr > 0) everActive = true;
    prev = mrr;
  };
  for (let i = 0; i < months.length; i++) {
    const m = months[i];
    if (m <= prevMonth) throw new RangeError(`invalid MRR series: months must increase (${m} after ${prevMonth})`);
    if (m > asOfMonth) break;
    if (m > prevMonth + 1 && prev !== 0) push(prevMonth + 1, 0); // a gap: no contract in the month after
    push(m, mrrCents[i]);
    prevMonth = m;
  }
  if (prev !== 0 && prevMonth < asOfMonth && prevMonth !== -Infinity) push(prevMonth + 1, 0);
  return events;
}
