/**
 * Minimal CSV reading for the CLV command line and loaders (pure: takes text, no I/O), and
 * whitespace-delimited text (the CDNOW `.txt` files, see {@link parseWhitespace}).
 * Comma-separated, first line is the header, double quotes around fields allowed ("" escapes
 * a quote), CRLF or LF line ends, blank lines skipped. Errors name the 1-based line number of
 * the file (the header is line 1) and the column.
 */
import { quoteCsvField } from "../csv.js";

export interface CsvTable {
  header: string[];
  rows: string[][];
  /** 1-based line number in the file of each row. */
  lines: number[];
}

/** Error with the file position of a bad value (line is 1-based, the header being line 1). */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(message);
    this.name = "CsvError";
  }
}

function splitLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** Parses CSV text; every row must have as many fields as the header. */
export function parseCsv(text: string): CsvTable {
  const all = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let h = 0;
  while (h < all.length && all[h].trim() === "") h++;
  if (h === all.length) throw new CsvError("empty input: no header line");
  const header = splitLine(all[h]);
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let i = h + 1; i < all.length; i++) {
    if (all[i].trim() === "") continue;
    const f = splitLine(all[i]);
    if (f.length !== header.length)
      throw new CsvError(`line ${i + 1}: expected ${header.length} fields, found ${f.length}`, i + 1);
    rows.push(f);
    lines.push(i + 1);
  }
  return { header, rows, lines };
}

/**
 * Parses whitespace-delimited text (fields separated by runs of spaces or tabs, as in the CDNOW
 * `.txt` files). The first non-blank line is the header when any of its fields is not a number;
 * a file without one needs `header` (the column names, in order). With both, the file's header
 * line is replaced by `header`. Every row must have as many fields as the header.
 */
export function parseWhitespace(text: string, header?: readonly string[]): CsvTable {
  const all = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let h = 0;
  while (h < all.length && all[h].trim() === "") h++;
  if (h === all.length) throw new CsvError("empty input: no lines");
  const first = all[h].trim().split(/\s+/);
  const hasHeader = first.some((f) => !Number.isFinite(Number(f)));
  if (!hasHeader && !header)
    throw new CsvError(
      `line ${h + 1}: no header line (every field is a number): name the columns, e.g. --columns id,date,amount`,
      h + 1,
    );
  const names = header ? [...header] : first;
  if (hasHeader && header && header.length !== first.length)
    throw new CsvError(
      `line ${h + 1}: --columns names ${header.length} columns, the header has ${first.length}`,
      h + 1,
    );
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let i = hasHeader ? h + 1 : h; i < all.length; i++) {
    const line = all[i].trim();
    if (line === "") continue;
    const f = line.split(/\s+/);
    if (f.length !== names.length)
      throw new CsvError(`line ${i + 1}: expected ${names.length} fields, found ${f.length}`, i + 1);
    rows.push(f);
    lines.push(i + 1);
  }
  return { header: names, rows, lines };
}

/** True when the first non-blank line of `text` has no comma (a whitespace-delimited file). */
export function isWhitespaceDelimited(text: string): boolean {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== "");
  return line !== undefined && !line.includes(",") && /\S\s+\S/.test(line.trim());
}

/** Index of the first header name among `aliases` (case-sensitive first, then case-insensitive); −1 if none. */
export function findColumn(t: CsvTable, aliases: readonly string[]): number {
  for (const a of aliases) {
    const i = t.header.indexOf(a);
    if (i >= 0) return i;
  }
  const lower = t.header.map((s) => s.toLowerCase());
  for (const a of aliases) {
    const i = lower.indexOf(a.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}

/** Index of a required column; throws naming the accepted names when it is missing. */
export function requireColumn(t: CsvTable, aliases: readonly string[]): number {
  const i = findColumn(t, aliases);
  if (i < 0)
    throw new CsvError(`missing column: ${aliases.join(" or ")} (header: ${t.header.join(",")})`, 1, aliases[0]);
  return i;
}

/**
 * A numeric column as Float64Array. Every value must be a finite number; `check` may add a
 * rule (return an error text). Errors read "line 12, column recency: …".
 */
export function numericColumn(
  t: CsvTable,
  aliases: readonly string[],
  check?: (v: number, row: number) => string | undefined,
): Float64Array {
  const c = requireColumn(t, aliases);
  const name = t.header[c];
  const out = new Float64Array(t.rows.length);
  for (let r = 0; r < t.rows.length; r++) {
    const s = t.rows[r][c];
    const v = s === "" ? NaN : Number(s);
    if (!Number.isFinite(v))
      throw new CsvError(`line ${t.lines[r]}, column ${name}: not a number: "${s}"`, t.lines[r], name);
    const msg = check?.(v, r);
    if (msg) throw new CsvError(`line ${t.lines[r]}, column ${name}: ${msg}`, t.lines[r], name);
    out[r] = v;
  }
  return out;
}

/** A text column (e.g. ids, dates). */
export function textColumn(t: CsvTable, aliases: readonly string[]): string[] {
  const c = requireColumn(t, aliases);
  return t.rows.map((r) => r[c]);
}

/** Formats rows as CSV text with a header; numbers printed with up to `digits` significant digits. */
export function formatCsv(
  header: readonly string[],
  columns: ReadonlyArray<ArrayLike<string | number>>,
  digits = 10,
): string {
  const n = columns.length ? columns[0].length : 0;
  const fmt = (v: string | number) => {
    if (typeof v === "number") return Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : "";
    return quoteCsvField(v);
  };
  const lines = [header.join(",")];
  for (let i = 0; i < n; i++) lines.push(columns.map((c) => fmt(c[i])).join(","));
  return lines.join("\n") + "\n";
}
