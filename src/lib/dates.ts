/**
 * Calendar dates as integers, so that date arithmetic is plain addition and never touches
 * time zones: months as month indexes (year × 12 + month − 1), days as day numbers (days
 * since 1970-01-01, UTC), formatted to ISO `YYYY-MM-DD` (through a cache where many are).
 */
export type MonthIndex = number;

/** "2024-03-15" or "2024-03" → month index. */
export function monthIndexOf(isoDate: string): MonthIndex {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  if (!Number.isInteger(year) || !(month >= 1 && month <= 12)) throw new RangeError(`invalid date: ${isoDate}`);
  return year * 12 + month - 1;
}

/** Month index → "YYYY-MM-01". */
export function monthStart(index: MonthIndex): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-01`;
}

/** Month index → "YYYY-MM". */
export function monthLabel(index: MonthIndex): string {
  return monthStart(index).slice(0, 7);
}

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

/** "YYYY-MM-DD" of a day number. */
export function formatDay(dayNumber: number): string {
  const [y, m, d] = ymdOf(dayNumber);
  return `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`;
}

/** Day number of year-month-day when that is a calendar day (not 2023-02-30), else null. */
function calendarDay(y: number, mo: number, d: number): number | null {
  const n = dayOf(y, mo, d);
  const [y2, mo2, d2] = ymdOf(n);
  return y2 === y && mo2 === mo && d2 === d ? n : null;
}

/** Parses a strict `YYYY-MM-DD` calendar date (command-line input); throws on anything else. */
export function parseDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${text}`);
  const n = calendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
  if (n === null) throw new Error(`not a calendar date: ${text}`);
  return n;
}

/** A date in the data: `YYYY-MM-DD` (a time part after it is ignored), `YYYYMMDD`, or a day number. */
export type DateInput = string | number;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Day number of a date in the data (UTC arithmetic, so no time-zone shift). Throws a
 * RangeError for malformed or impossible dates (e.g. 2023-02-30).
 */
export function toEpochDay(d: DateInput): number {
  if (typeof d === "number") {
    if (!Number.isInteger(d)) throw new RangeError(`invalid date: ${d} (epoch days must be an integer)`);
    return d;
  }
  const m = ISO.exec(d.trim()) ?? COMPACT.exec(d.trim());
  if (!m) throw new RangeError(`invalid date: "${d}" (expected YYYY-MM-DD)`);
  const n = calendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
  if (n === null) throw new RangeError(`invalid date: "${d}" (no such calendar day)`);
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

/** `months` months before `date` ("YYYY-MM-DD"; negative: after), end of month when `date` is one (2026-09-30 → 2025-09-30). */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const lastDay = (yy: number, mm: number) => new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  const total = y * 12 + (m - 1) - months;
  const yy = Math.floor(total / 12),
    mm = (total % 12) + 1;
  const day = d === lastDay(y, m) ? lastDay(yy, mm) : Math.min(d, lastDay(yy, mm));
  return `${yy}-${String(mm).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
