/**
 * CSV export. Text cells that a spreadsheet would read as a formula (starting with =, +, −,
 * @, or a tab / carriage return) get a leading apostrophe (OWASP "CSV injection"); numbers
 * are written as numbers. Every text cell is quoted per RFC 4180 when needed.
 */
export type CsvValue = string | number | boolean | null | undefined;

export function escapeCsvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(
  rows: readonly Record<string, CsvValue>[],
  columns: readonly string[],
  header: readonly string[] = columns,
): string {
  const lines = [header.map(escapeCsvCell).join(",")];
  for (const row of rows) lines.push(columns.map((c) => escapeCsvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
