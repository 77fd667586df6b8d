/**
 * Writing CSV, for every part that writes it (the page downloads, the CLV command line, the
 * sample generator). Fields are quoted per RFC 4180 only where needed: a field holding a
 * comma, a double quote or a line break is wrapped in double quotes, its quotes doubled.
 *
 * Downloads (`escapeCsvCell`, `toCsv`): text cells that a spreadsheet would read as a formula (starting with =, +, −,
 * @, or a tab / carriage return) get a leading apostrophe (OWASP "CSV injection"); numbers
 * are written as numbers: whole numbers as they are, others to 4 decimals (money reaches here
 * as cents ÷ 100, so it keeps its cents; a share keeps 0.01 percentage point, finer than any
 * page shows it) — no 0.30000000000000004. Every text cell is quoted per RFC 4180 when needed.
 * A preamble (as-of date, filters) goes first, each line starting with "#".
 */
export type CsvValue = string | number | boolean | null | undefined;

/** A number as the CSV writes it: whole numbers unchanged, others to 4 decimals. */
export function roundForCsv(value: number): number {
  if (Number.isInteger(value)) return value;
  const rounded = Math.round(value * 1e4) / 1e4;
  return Object.is(rounded, -0) ? 0 : rounded;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** A text field, quoted (with doubled quotes) only when it holds a comma, quote or line break. */
export function quoteCsvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One download cell: formula-escaped text (also quoted when it has surrounding white space), rounded numbers. */
export function escapeCsvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(roundForCsv(value)) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : quoteCsvField(text);
}

export function toCsv(
  rows: readonly Record<string, CsvValue>[],
  columns: readonly string[],
  header: readonly string[] = columns,
  preamble: readonly string[] = [],
): string {
  // A preamble line is text of our own (page, date, filter labels): quotes and newlines removed, not escaped.
  const lines = [...preamble.map((l) => `# ${l.replace(/[\r\n"]+/g, " ")}`), header.map(escapeCsvCell).join(",")];
  for (const row of rows) lines.push(columns.map((c) => escapeCsvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
