/**
 * Which extract a file is and its column mapping: a vendor preset, the canonical columns of one
 * of the extracts, or transactions / subscriptions recognised from header spellings. Columns are
 * written in the value forms of spec-13 (a header, a value map, a constant, a sequence, a product).
 */
import { AtlasError } from "../errors.js";
import type { ExtractName } from "../ingest/schema.js";
import { REQUIRED, SPELLINGS, findHeader, matchCanonical, matchHeaders, type SourceExtract } from "./headers.js";
import { matchPreset, type Preset } from "./presets.js";
import type { FileSample } from "./sample.js";

export type ConfigExtract = ExtractName | SourceExtract;

/** Column value forms of spec-13. */
export type ColumnValue =
  | string
  | { readonly header: string; readonly map: Readonly<Record<string, string>> }
  | { readonly value: string }
  | { readonly generate: "sequence" }
  | { readonly multiply: readonly [string, string] };

export interface FilterRule {
  readonly header: string;
  readonly in: readonly string[];
}

export function headerOf(value: ColumnValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  return "header" in value ? value.header : undefined;
}

export function isSource(extract: ConfigExtract): extract is SourceExtract {
  return extract === "transactions" || extract === "subscriptions";
}

export interface Mapping {
  extract: ConfigExtract;
  reason: string;
  preset: Preset | null;
  columns: Record<string, ColumnValue>;
  present: Record<string, string>;
}

/** Canonical column → header, for the columns that read a header. */
function presentOf(columns: Readonly<Record<string, ColumnValue>>): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [column, value] of Object.entries(columns)) {
    const header = headerOf(value);
    if (header !== undefined) present[column] = header;
  }
  return present;
}

/** Which extract the file is and its column mapping (before value maps and filters). */
export function mapFile(sample: FileSample): Mapping {
  const headers = sample.header;
  const presetMatch = matchPreset(headers);
  if (presetMatch !== null) {
    const { preset, found } = presetMatch;
    const columns: Record<string, ColumnValue> = {};
    for (const [column, spellings] of Object.entries(preset.columns)) {
      const header = findHeader(headers, spellings);
      if (header !== undefined && !Object.values(columns).includes(header)) columns[column] = header;
    }
    if (preset.multiplyAmount) columns.amount = { multiply: [...preset.multiplyAmount] };
    const rest = matchHeaders(
      headers,
      preset.extract,
      new Set(
        Object.values(columns)
          .map(headerOf)
          .filter((h) => h !== undefined),
      ),
      new Set(Object.keys(columns)),
    );
    for (const [column, match] of rest) columns[column] = match.header;
    const reason = `preset ${preset.name} (${preset.title}): ${found.length} of its ${preset.documented.length} documented headers found (${found.join(", ")})`;
    return { extract: preset.extract, reason, preset, columns, present: presentOf(columns) };
  }

  const canonical = matchCanonical(headers);
  if (canonical !== null) {
    const columns: Record<string, ColumnValue> = {};
    // The reader matches ignoring case and surrounding spaces: only other spellings need mapping.
    for (const [column, header] of canonical.columns)
      if (header.trim().toLowerCase() !== column) columns[column] = header;
    const reason = `the headers are the canonical columns of ${canonical.extract} (data/README.md): all ${canonical.required} required columns found, and ${canonical.columns.size - canonical.required} optional`;
    return {
      extract: canonical.extract,
      reason,
      preset: null,
      columns,
      present: Object.fromEntries(canonical.columns),
    };
  }

  const subscriptions = matchHeaders(headers, "subscriptions");
  const extract: SourceExtract = REQUIRED.subscriptions.every((c) => subscriptions.has(c))
    ? "subscriptions"
    : "transactions";
  const matched = extract === "subscriptions" ? subscriptions : matchHeaders(headers, "transactions");
  const columns: Record<string, ColumnValue> = {};
  for (const [column, match] of matched) columns[column] = match.header;
  if (
    extract === "transactions" &&
    columns.amount === undefined &&
    columns.quantity !== undefined &&
    columns.unit_price !== undefined
  ) {
    columns.amount = { multiply: ["quantity", "unit_price"] };
  }
  const missing = REQUIRED[extract].filter((c) => columns[c] === undefined);
  if (missing.length > 0) throw missingColumns(sample, extract, missing);
  const found = REQUIRED[extract].map((c) => `${c} ← ${describe(columns[c])}`).join(", ");
  const reason = `recognised as ${extract} from its headers (${found})${extract === "subscriptions" ? ": it has a billing interval and a start date" : ""}`;
  return { extract, reason, preset: null, columns, present: presentOf(columns) };
}

export function describe(value: ColumnValue): string {
  if (typeof value === "string") return value;
  if ("header" in value) return value.header;
  if ("multiply" in value) return `${value.multiply[0]} × ${value.multiply[1]}`;
  if ("value" in value) return `"${value.value}"`;
  return "a generated sequence";
}

function missingColumns(sample: FileSample, extract: SourceExtract, missing: readonly string[]): AtlasError {
  const what = missing.map((c) => {
    const extra = c === "amount" && extract === "transactions" ? " (or quantity and unit price)" : "";
    const label = c === "account_id" ? "customer" : c;
    return `a ${label} column${extra} (looked for: ${SPELLINGS[extract][c].join(", ")})`;
  });
  const headers = sample.header.length > 0 ? sample.header.join(", ") : "(none)";
  const noCustomer = missing.includes("account_id")
    ? "no customer column found"
    : `no ${missing.join(" / ")} column found`;
  return new AtlasError(
    `${sample.file}: ${noCustomer}; init needs ${what.join("; and ")}. Headers seen: ${headers}. Rename a header or write the config by hand (data/README.md).`,
  );
}
