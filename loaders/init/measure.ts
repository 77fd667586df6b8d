/**
 * What init measures in a file's cells beyond format: the money values the scale is decided
 * on, and the rows without a customer id the strict build will meet.
 */
import { EXTRACTS } from "../ingest/schema.js";
import type { SourceExtract } from "./headers.js";
import { isSource, type ColumnValue, type ConfigExtract, type FilterRule } from "./mapping.js";
import type { SampleView } from "./presets.js";
import { forEachRow, type FileSample } from "./sample.js";
import { decimalsOf, isBlank, type MoneySample } from "./sniff.js";

const MONEY_COLUMNS: Readonly<Record<SourceExtract, readonly string[]>> = {
  transactions: ["amount", "profit", "cost"],
  subscriptions: ["amount"],
};
const NUMBER_COLUMNS: Readonly<Record<SourceExtract, readonly string[]>> = {
  transactions: ["quantity", "unit_price", "employees"],
  subscriptions: ["quantity", "employees"],
};
const DATE_COLUMNS: Readonly<Record<SourceExtract, readonly string[]>> = {
  transactions: ["date"],
  subscriptions: ["start_date", "end_date"],
};
export interface MissingCustomer {
  readonly rows: number;
  /** Rows kept by the filter. */
  readonly of: number;
  /** Shares as the strict build measures them: of rows kept by the filter, and of money. */
  readonly rowShare: number;
  readonly moneyShare: number;
}

/** A number cell as a float: only for estimating shares, never for money itself. */
function approximate(cell: string, separator: "." | ","): number {
  const plain = cell
    .trim()
    .replace(/[ \u00a0\u202f]/g, "")
    .split(separator === "." ? "," : ".")
    .join("")
    .replace(",", ".");
  const x = Number(plain);
  return Number.isFinite(x) ? x : 0;
}

/**
 * Rows without a customer id as shares of rows and money the way the strict build measures
 * quarantine (loaders/ingest/strict.ts): rows among those the filter keeps; |quarantined
 * money| over the larger of |source money| and |accepted money|. Measured over the whole file
 * (streamed, nothing kept), since the strict limit init proposes from it applies to the whole
 * file and the share in the first rows can differ from the rest.
 */
export function measureMissingCustomer(
  sample: FileSample,
  columns: Readonly<Record<string, ColumnValue>>,
  present: Readonly<Record<string, string>>,
  filter: readonly FilterRule[],
  separator: "." | ",",
): MissingCustomer {
  const index = (h: string | undefined) => (h === undefined ? -1 : sample.header.indexOf(h));
  const rules = filter.map((f) => ({ i: index(f.header), keep: new Set(f.in.map((v) => v.trim().toLowerCase())) }));
  const account = index(present.account_id);
  const amount = columns.amount;
  const factors =
    typeof amount === "object" && "multiply" in amount
      ? amount.multiply.map((c) => index(present[c]))
      : [index(present.amount)];
  let kept = 0;
  let missing = 0;
  let all = 0;
  let quarantined = 0;
  const visit = (row: readonly string[]) => {
    if (!rules.every((r) => r.keep.has((row[r.i] ?? "").trim().toLowerCase()))) return;
    kept++;
    const value = factors.reduce((product, i) => product * approximate(row[i] ?? "", separator), 1);
    all += value;
    if (isBlank(row[account] ?? "")) {
      missing++;
      quarantined += value;
    }
  };
  if (sample.complete) sample.rows.forEach(visit);
  else forEachRow(sample, visit);
  const denominator = Math.max(Math.abs(all), Math.abs(all - quarantined));
  return {
    rows: missing,
    of: kept,
    rowShare: kept === 0 ? 0 : missing / kept,
    moneyShare: denominator === 0 ? 0 : Math.abs(quarantined) / denominator,
  };
}

export function numericColumns(extract: ConfigExtract): string[] {
  if (isSource(extract)) return [...MONEY_COLUMNS[extract], ...NUMBER_COLUMNS[extract]];
  return EXTRACTS[extract].columns
    .filter((c) => c.type === "money" || c.type === "price" || c.type === "number")
    .map((c) => c.name);
}

export function dateColumns(extract: ConfigExtract): readonly string[] {
  return isSource(extract) ? DATE_COLUMNS[extract] : EXTRACTS[extract].dateColumns;
}

export function moneySamples(
  extract: ConfigExtract,
  columns: Readonly<Record<string, ColumnValue>>,
  present: Readonly<Record<string, string>>,
  view: SampleView,
  separator: "." | ",",
): MoneySample[] {
  const names = isSource(extract)
    ? MONEY_COLUMNS[extract]
    : EXTRACTS[extract].columns.filter((c) => c.type === "money").map((c) => c.name);
  const samples: MoneySample[] = [];
  for (const name of names) {
    const value = columns[name];
    if (value !== undefined && typeof value === "object" && "multiply" in value) {
      // The product's decimals are the sum of its factors' decimals.
      const [a, b] = value.multiply.map((c) => view.cells(present[c] ?? ""));
      for (let i = 0; i < a.length; i++) {
        const da = decimalsOf(a[i], separator);
        const db = decimalsOf(b[i] ?? "", separator);
        if (da !== null && db !== null)
          samples.push({
            label: `${present[value.multiply[0]]} × ${present[value.multiply[1]]}`,
            text: `${a[i]} × ${b[i]}`,
            decimals: da + db,
          });
      }
      continue;
    }
    const header = present[name];
    if (header === undefined) continue;
    for (const cell of view.cells(header)) {
      const decimals = decimalsOf(cell, separator);
      if (decimals !== null) samples.push({ label: header, text: cell, decimals });
    }
  }
  return samples;
}
