/**
 * How a CSV export writes its fields and numbers, decided from a sample and always with the
 * evidence that decided it (init prints it and writes it into the config's `$comments`):
 * delimiter, decimal separator and how many decimals money carries. Dates are in dates.ts.
 */

/** A choice init made, and what in the data made it. */
export interface Decision<T> {
  readonly value: T;
  readonly evidence: string;
}

export const DELIMITERS = [",", ";", "\t", "|"] as const;

export function delimiterName(d: string): string {
  return d === "\t" ? "tab" : `"${d}"`;
}

/** Thousands-separated counts in messages: "5,000". */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * The candidate that splits the header into more than one field and the most following lines
 * into the same number of fields (quotes respected); ties go to the one with more fields.
 */
export function sniffDelimiter(text: string): Decision<string> {
  let best: { d: string; consistent: number; fields: number; lines: number } | null = null;
  for (const d of DELIMITERS) {
    const counts = fieldCounts(text, d);
    if (counts.length === 0 || counts[0] < 2) continue;
    const consistent = counts.filter((c) => c === counts[0]).length;
    if (best === null || consistent > best.consistent || (consistent === best.consistent && counts[0] > best.fields)) {
      best = { d, consistent, fields: counts[0], lines: counts.length };
    }
  }
  if (best === null) return { value: ",", evidence: "no , ; tab or | in the header: the file has a single column" };
  const rest = best.lines - 1;
  const lines =
    rest === 0
      ? "the header (no data line to compare)"
      : `the header and ${count(best.consistent - 1)} of ${count(rest)} sampled lines`;
  return { value: best.d, evidence: `${delimiterName(best.d)} splits ${lines} into ${best.fields} fields` };
}

/** Fields per record for one delimiter, quotes respected (a quoted newline does not end a record). */
function fieldCounts(text: string, d: string): number[] {
  const counts: number[] = [];
  let fields = 1;
  let quoted = false;
  let empty = true;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === d) fields++;
    else if (!quoted && c === "\n") {
      if (!empty) counts.push(fields);
      fields = 1;
      empty = true;
      continue;
    }
    if (c !== "\r") empty = false;
  }
  if (!empty) counts.push(fields);
  return counts;
}

/** Cells the ingest reads as empty in number columns (data/README.md, "How awkward input is read"). */
const NULLISH = new Set(["", "null", "nan", "n/a", "na", "#n/a", "none", "nil"]);

export function isBlank(cell: string): boolean {
  return NULLISH.has(cell.trim().toLowerCase());
}

/** Digit-group spaces the ingest accepts: space, no-break space, narrow no-break space. */
const GROUP_SPACES = /[ \u00a0\u202f]/g;

const DOT_DECIMAL = /^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$/;
const COMMA_DECIMAL = /^[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$/;
/** `1.234` or `1,234`: a thousands separator or three decimals, the cell alone cannot say. */
const AMBIGUOUS = /^[-+]?\d{1,3}[.,]\d{3}$/;

/**
 * `.` unless more number cells are written with a decimal comma (`1.234,56`, `12,5`) than with
 * a decimal point (`1,234.56`, `12.5`). Cells such as `1.234` prove nothing and are only counted.
 */
export function sniffDecimalSeparator(cells: readonly string[]): Decision<"." | ","> {
  let dot = 0;
  let comma = 0;
  let ambiguous = 0;
  let dotExample = "";
  let commaExample = "";
  for (const raw of cells) {
    const cell = raw.trim().replace(GROUP_SPACES, "");
    if (AMBIGUOUS.test(cell)) ambiguous++;
    else if (DOT_DECIMAL.test(cell)) {
      dot++;
      dotExample ||= raw.trim();
    } else if (COMMA_DECIMAL.test(cell)) {
      comma++;
      commaExample ||= raw.trim();
    }
  }
  const unclear = ambiguous > 0 ? `; ${count(ambiguous)} like 1.234 could be either` : "";
  if (comma > dot) {
    const minority =
      dot > 0 ? `, ${count(dot)} with a decimal point (those will not read as meant)` : ", none with a decimal point";
    return {
      value: ",",
      evidence: `decimal comma: ${count(comma)} numbers are written with one (e.g. ${commaExample})${minority}${unclear}`,
    };
  }
  if (dot > 0) {
    const minority =
      comma > 0
        ? `, ${count(comma)} with a decimal comma (those will not read as meant)`
        : ", none with a decimal comma";
    return {
      value: ".",
      evidence: `decimal point: ${count(dot)} numbers are written with one (e.g. ${dotExample})${minority}${unclear}`,
    };
  }
  return {
    value: ".",
    evidence: `no sampled number has a decimal part that shows its separator${unclear}: decimal point assumed`,
  };
}

/**
 * Decimals of a number cell written with `separator` as decimal mark (grouping with the other
 * mark or spaces allowed), or null when the cell is not such a number.
 */
export function decimalsOf(raw: string, separator: "." | ","): number | null {
  const cell = raw.trim().replace(GROUP_SPACES, "");
  const group = separator === "." ? "," : "\\.";
  const sep = separator === "." ? "\\." : ",";
  const match = new RegExp(`^[-+]?(?:\\d{1,3}(?:${group}\\d{3})+|\\d+)(?:${sep}(\\d*))?$`).exec(cell);
  if (match === null) return null;
  return match[1]?.length ?? 0;
}

/** One money value as init saw it: where from, as written, and its decimals. */
export interface MoneySample {
  readonly label: string;
  readonly text: string;
  readonly decimals: number;
}

export type MoneyDecimals = 2 | 3 | 4;

/**
 * The scale money is read at: the most decimals seen, at least 2 (cents) and at most 4, the
 * most the ingest reads exactly; values with more are named (ingest quarantines them).
 */
export function sniffMoneyDecimals(
  values: readonly MoneySample[],
): Decision<MoneyDecimals> & { readonly tooPrecise: number } {
  const max = values.reduce((m, v) => Math.max(m, v.decimals), 0);
  const above2 = values.filter((v) => v.decimals > 2);
  const tooPrecise = values.filter((v) => v.decimals > 4);
  const value = Math.min(4, Math.max(2, max)) as MoneyDecimals;
  const examples = (list: readonly MoneySample[]) => [...new Set(list.map((v) => v.text))].slice(0, 3).join(", ");
  const labels = [...new Set(above2.map((v) => v.label))].join(", ");
  if (values.length === 0)
    return { value: 2, evidence: "no money value in the sample: 2 decimals (cents) assumed", tooPrecise: 0 };
  if (max <= 2)
    return {
      value: 2,
      evidence: `2 decimals: none of ${count(values.length)} sampled money values has more than 2`,
      tooPrecise: 0,
    };
  const evidence = `${value} decimals: ${count(above2.length)} of ${count(values.length)} sampled money values (${labels}) have more than 2 (e.g. ${examples(above2)})`;
  if (tooPrecise.length === 0) return { value, evidence, tooPrecise: 0 };
  return {
    value,
    evidence: `${evidence}; ${count(tooPrecise.length)} have more than 4 (e.g. ${examples(tooPrecise)}): 4 is the most LTV Atlas reads exactly, so those rows will be quarantined as invalid_money`,
    tooPrecise: tooPrecise.length,
  };
}
