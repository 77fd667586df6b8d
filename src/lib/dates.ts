/**
 * Calendar months as integers (year × 12 + month − 1), so that month arithmetic is plain
 * addition and never touches time zones.
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
