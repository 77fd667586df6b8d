/**
 * RFM summaries (frequency, recency, T, monetary value) from transaction rows: the inputs of
 * BG/NBD, Pareto/NBD and Gamma-Gamma. Same definitions as the CDNOW summaries of Fader,
 * Hardie & Lee (2005) and lifetimes' `summary_data_from_transaction_data`:
 *
 * - purchases are counted per calendar day: several transactions of one customer on one day
 *   are one purchase, with their amounts summed;
 * - frequency x = purchase days after the first purchase day, within the calibration period;
 * - recency t_x = last purchase day − first purchase day (0 when x = 0);
 * - T = calibration end − first purchase day;
 * - monetary_value = mean of the repeat purchase days' totals (the first day excluded; 0 when x = 0);
 * - optional holdout: purchase days after the calibration end up to the holdout end.
 *
 * Dates are calendar dates without time zone, as "YYYY-MM-DD" (a time part after it is
 * ignored), "YYYYMMDD", or a number of days since 1970-01-01 ("epoch days"). Times are
 * reported in days or in weeks (days / 7).
 */
import { toEpochDay, type DateInput } from "../dates.js";
import type { Column } from "./data.js";

/** Reporting unit of recency and T. */
export type TimeUnit = "days" | "weeks";

/** Length of one unit in days. */
export function unitDays(unit: TimeUnit): number {
  switch (unit) {
    case "days":
      return 1;
    case "weeks":
      return 7;
    default:
      throw new RangeError(`invalid time unit: ${String(unit)} (expected "days" or "weeks")`);
  }
}

export interface TransactionColumns {
  id: ArrayLike<string | number>;
  date: ArrayLike<DateInput>;
  /** Transaction value (≥ 0); omit when only counts matter (monetary value is then 0). */
  amount?: Column;
}

export interface RfmSummaryOptions {
  unit: TimeUnit;
  /** Last day of the calibration period (inclusive); default the last transaction date. */
  calibrationEnd?: DateInput;
  /** Last day of the holdout period (inclusive); default the last transaction date. Only used with calibrationEnd. */
  holdoutEnd?: DateInput;
}

export interface RfmSummary {
  /** Customer ids in order of first appearance; customers first seen after calibration are left out. */
  id: Array<string | number>;
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetaryValue: Float64Array;
  /** Purchase days in (calibrationEnd, holdoutEnd] (only with `calibrationEnd`). */
  frequencyHoldout?: Float64Array;
  /** Holdout length in `unit` (only with `calibrationEnd`). */
  durationHoldout?: number;
  unit: TimeUnit;
}

/**
 * Summarises transactions into one RFM row per customer (definitions in the module comment).
 * Rows are validated: a bad date or a negative/non-finite amount throws a RangeError naming
 * the row (0-based).
 */
export function summarizeTransactions(tx: TransactionColumns, opts: RfmSummaryOptions): RfmSummary {
  const u = unitDays(opts.unit);
  const n = tx.id.length;
  if (tx.date.length !== n || (tx.amount && tx.amount.length !== n))
    throw new RangeError("invalid columns: id, date and amount lengths differ");
  const days = new Float64Array(n);
  let maxDay = -Infinity;
  for (let i = 0; i < n; i++) {
    try {
      days[i] = toEpochDay(tx.date[i]);
    } catch (e) {
      throw new RangeError(`invalid date at row ${i}: ${(e as Error).message}`);
    }
    if (tx.amount) {
      const a = tx.amount[i];
      if (!(a >= 0) || !Number.isFinite(a))
        throw new RangeError(`invalid amount at row ${i}: ${a} (must be a number ≥ 0)`);
    }
    if (days[i] > maxDay) maxDay = days[i];
  }
  const calEnd = opts.calibrationEnd === undefined ? maxDay : toEpochDay(opts.calibrationEnd);
  const holdEnd = opts.holdoutEnd === undefined ? maxDay : toEpochDay(opts.holdoutEnd);
  if (opts.calibrationEnd !== undefined && holdEnd < calEnd)
    throw new RangeError("invalid holdout end: before the calibration end");
  // Per customer: purchase-day totals (Map day → amount).
  const customers = new Map<string | number, Map<number, number>>();
  for (let i = 0; i < n; i++) {
    const id = tx.id[i];
    let m = customers.get(id);
    if (!m) customers.set(id, (m = new Map()));
    m.set(days[i], (m.get(days[i]) ?? 0) + (tx.amount ? tx.amount[i] : 0));
  }
  const ids: Array<string | number> = [];
  const f: number[] = [],
    r: number[] = [],
    T: number[] = [],
    mv: number[] = [],
    fh: number[] = [];
  for (const [id, m] of customers) {
    const cal = [...m.keys()].filter((d) => d <= calEnd).sort((a, b) => a - b);
    if (cal.length === 0) continue; // first purchase after the calibration period
    const first = cal[0];
    const x = cal.length - 1;
    let spend = 0;
    for (let k = 1; k < cal.length; k++) spend += m.get(cal[k])!;
    ids.push(id);
    f.push(x);
    r.push((cal[cal.length - 1] - first) / u);
    T.push((calEnd - first) / u);
    mv.push(x > 0 ? spend / x : 0);
    let h = 0;
    for (const d of m.keys()) if (d > calEnd && d <= holdEnd) h++;
    fh.push(h);
  }
  const out: RfmSummary = {
    id: ids,
    frequency: Float64Array.from(f),
    recency: Float64Array.from(r),
    T: Float64Array.from(T),
    monetaryValue: Float64Array.from(mv),
    unit: opts.unit,
  };
  if (opts.calibrationEnd !== undefined) {
    out.frequencyHoldout = Float64Array.from(fh);
    out.durationHoldout = (holdEnd - calEnd) / u;
  }
  return out;
}
