/**
 * Calendar dates as integer day numbers (days since 1970-01-01, UTC) for the sample
 * generator: cheap to compare and add, formatted to ISO `YYYY-MM-DD` through a cache.
 */

const MS_PER_DAY = 86_400_000;

/** Day number of a calendar date; month is 1-based and may overflow (Date.UTC rolls it). */
export function dayOf(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

/** [year, month (1-12), day] of a day number. */
export function ymdOf(dayNumber: number): [number, number, number] {
  const d = new Date(dayNumber * MS_PER_DAY);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

export function formatDay(dayNumber: number): string {
  const [y, m, d] = ymdOf(dayNumber);
  return `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`;
}

/** Parses a strict `YYYY-MM-DD` calendar date; throws on anything else. */
export function parseDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${text}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const n = dayOf(y, mo, d);
  const [y2, mo2, d2] = ymdOf(n);
  if (y2 !== y || mo2 !== mo || d2 !== d) throw new Error(`not a calendar date: ${text}`);
  return n;
}

/** Day number of the first day of the month `months` months after the month of `dayNumber`. */
export function monthStartAfter(dayNumber: number, months: number): number {
  const [y, m] = ymdOf(dayNumber);
  return dayOf(y, m + months, 1);
}

/** Formats day numbers in a fixed range from a precomputed table (falls back outside it). */
export class DayFormatter {
  private readonly table: string[] = [];
  constructor(
    private readonly first: number,
    last: number,
  ) {
    for (let d = first; d <= last; d++) this.table.push(formatDay(d));
  }
  format(dayNumber: number): string {
    const s = this.table[dayNumber - this.first];
    return s === undefined ? formatDay(dayNumber) : s;
  }
}
