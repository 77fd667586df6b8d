/**
 * Period labels that say when a period is not complete: the as-of year is partial unless the
 * as-of date is 31 December, e.g. "2026 (Jan–Sep, partial)".
 */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `asOf` is "YYYY-MM-DD". */
export function yearLabel(year: number, asOf: string): string {
  const asOfYear = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7));
  const complete = asOf.slice(5) === "12-31";
  if (year !== asOfYear || complete) return String(year);
  return `${year} (Jan${month > 1 ? `–${MONTHS[month - 1]}` : ""}, partial)`;
}
