/**
 * Reads and checks `data/atlas.config.json`: where the extracts are, how their columns map
 * to the canonical ones, and how dates and numbers are written. Every problem is reported
 * with the config path and the key at fault.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  EXTRACTS,
  EXTRACT_NAMES,
  FREE_TEXT_COLUMNS,
  SOURCE_EXTRACTS,
  type ColumnSpec,
  type ExtractName,
} from "./ingest/schema.js";
import { AtlasError } from "./errors.js";

export interface CsvFormat {
  /** strptime format of every date column, e.g. `%Y-%m-%d` or `%d/%m/%Y` (a time part is read and dropped). */
  readonly dateFormat: string;
  /** `.` or `,`; with `,`, a `.` inside a number is read as a thousands separator. */
  readonly decimalSeparator: "." | ",";
  readonly delimiter: string;
  /** `utf-8`, `latin-1` (ISO-8859-1 / Windows-1252 text) or `utf-16`. */
  readonly encoding: "utf-8" | "latin-1" | "utf-16";
  /** Decimals allowed in money cells: 2 (cents, the default), 3 or 4 (order exports). Read exactly. */
  readonly moneyDecimals: 2 | 3 | 4;
}

/**
 * Where a canonical column's text comes from (data/README.md, "Mapping"): a header of the
 * file (optionally through a value map), a constant, a generated sequence, or — for
 * `amount` only — the exact product of two other canonical columns.
 */
export type ColumnSource =
  | { readonly kind: "header"; readonly header: string; readonly map: Readonly<Record<string, string>> | null }
  | { readonly kind: "value"; readonly value: string }
  | { readonly kind: "sequence" }
  | { readonly kind: "multiply"; readonly factors: readonly [string, string] };

/** Keep only rows whose cell under `header` is one of `values` (trimmed, ignoring case). */
export interface RowFilter {
  readonly header: string;
  readonly values: readonly string[];
}

export interface ExtractConfig {
  readonly name: ExtractName;
  /** Absolute path of the CSV file. */
  readonly file: string;
  /**
   * Whether the extract is read: configured under `extracts`, or — when the config names no
   * source extract (transactions, subscriptions) — not configured but a file `<name>.csv` exists
   * in the source folder. An extract not provided is empty, never an error.
   */
  readonly provided: boolean;
  /** Named in the config (then its file must exist). */
  readonly configured: boolean;
  /** Canonical column → where its text comes from (a header named like the column unless mapped). */
  readonly columns: Readonly<Record<string, ColumnSource>>;
  readonly filters: readonly RowFilter[];
  readonly format: CsvFormat;
}

/** Default strict-build limit: share of an extract's rows, or of its money, that may be quarantined. */
export interface QuarantineLimit {
  readonly rows: number;
  readonly money: number;
}

export interface AtlasConfig {
  /** The config file itself, for messages. */
  readonly configPath: string;
  readonly sourceDir: string;
  /** ISO date; when absent the pipeline derives it from the latest invoice date. */
  readonly asOf: string | null;
  readonly currency: string;
  readonly extracts: Readonly<Record<ExtractName, ExtractConfig>>;
  /** Folder of this data's saved scenarios (absolute), or null: none. */
  readonly scenariosDir: string | null;
  /** The build stops when more than this is quarantined in any extract (`--allow-quarantine` overrides). */
  readonly quarantineLimit: QuarantineLimit;
  /** Cumulative revenue shares closing classes A and B, e.g. [0.8, 0.95]. */
  readonly abcThresholds: readonly [number, number];
  readonly valuation: ValuationConfig;
  /** What a published build may ship (see PublishMode). */
  readonly publish: PublishMode;
}

/**
 * Publishing safely (data/README.md, "Publishing"): `pseudonymize` replaces account names with
 * stable pseudonyms ("Account 0042", numbered in account-id order) and drops personal fields
 * (contacts, notes, NPS comments, key-account manager names, personal values in quarantined
 * rows) from the store, so nothing any page ships can carry them; `aggregateOnly` (implies
 * `pseudonymize`) is for executive links: pages must ship no per-account rows. Free text is
 * personal unless `keepText` names it ("time_entries.activity" when activities are a fixed list).
 */
export interface PublishMode {
  readonly pseudonymize: boolean;
  readonly aggregateOnly: boolean;
  /** Free-text columns ("<extract>.<column>") the config marks as not personal: kept when publishing. */
  readonly keepText: readonly string[];
}

export const PRIVATE_MODE: PublishMode = { pseudonymize: false, aggregateOnly: false, keepText: [] };

/** Merges an override (a build flag) over the config's mode; aggregate-only always pseudonymises. */
export function publishMode(base: PublishMode, override: Partial<PublishMode> = {}): PublishMode {
  const aggregateOnly = override.aggregateOnly ?? base.aggregateOnly;
  return {
    aggregateOnly,
    pseudonymize: aggregateOnly || (override.pseudonymize ?? base.pseudonymize),
    keepText: override.keepText ?? base.keepText,
  };
}

/** `ATLAS_PUBLISH` as set by the build for Framework's data loaders: "", "pseudonymize" or "aggregate-only". */
export function publishFromEnv(value: string | undefined): Partial<PublishMode> {
  switch (value ?? "") {
    case "":
      return {};
    case "pseudonymize":
      return { pseudonymize: true };
    case "aggregate-only":
      return { aggregateOnly: true, pseudonymize: true };
    default:
      throw new AtlasError(`ATLAS_PUBLISH must be "pseudonymize" or "aggregate-only", not "${value}"`);
  }
}

export function publishToEnv(mode: PublishMode): string {
  return mode.aggregateOnly ? "aggregate-only" : mode.pseudonymize ? "pseudonymize" : "";
}

/** How the models turn forecasts into value (see src/lib/models/clv.ts and sbg.ts). */
export interface ValuationConfig {
  /** How far ahead customer value is counted, in months. */
  readonly horizonMonths: number;
  /** Annual discount rate applied to future margin, e.g. 0.1. */
  readonly annualDiscountRate: number;
  /** Parameter draws behind the P10 / P50 / P90 bands. */
  readonly draws: number;
  /** Seed of those draws: the same data and seed give the same bands. */
  readonly seed: number;
  /** Segments with fewer accounts than this borrow the fit of the broader segment. */
  readonly minSegmentAccounts: number;
  /** Extra backtest as-of dates ("YYYY-MM-DD"), besides 12 and 24 months before the data's as-of date. */
  readonly backtestAt: readonly string[];
}

export const DEFAULT_VALUATION: ValuationConfig = {
  horizonMonths: 60,
  annualDiscountRate: 0.1,
  draws: 200,
  seed: 1,
  minSegmentAccounts: 40,
  backtestAt: [],
};

const DEFAULT_FORMAT: CsvFormat = {
  dateFormat: "%Y-%m-%d",
  decimalSeparator: ".",
  delimiter: ",",
  encoding: "utf-8",
  moneyDecimals: 2,
};
const ENCODINGS = ["utf-8", "latin-1", "utf-16"] as const;
export const DEFAULT_QUARANTINE_LIMIT: QuarantineLimit = { rows: 0.01, money: 0.01 };

const ROOT_KEYS = [
  "sourceDir",
  "asOf",
  "currency",
  "format",
  "extracts",
  "scenarios",
  "quarantineLimit",
  "abcThresholds",
  "valuation",
  "publish",
];
const FORMAT_KEYS = ["dateFormat", "decimalSeparator", "delimiter", "encoding", "moneyDecimals"];
const EXTRACT_KEYS = ["file", "columns", "filter", "format"];

export const DEFAULT_CONFIG_PATH = path.resolve(import.meta.dirname, "../data/atlas.config.json");

/**
 * Loads a config file. `sourceDirOverride` replaces its `sourceDir` (the benchmark and the
 * tests point the same mapping at generated extracts elsewhere).
 */
export function loadConfig(configPath = DEFAULT_CONFIG_PATH, sourceDirOverride?: string): AtlasConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(configPath, "utf8"));
  } catch (error) {
    throw new AtlasError(`${configPath}: cannot read the configuration: ${(error as Error).message}`);
  }
  return parseConfig(raw, configPath, sourceDirOverride);
}

type Fail = (key: string, why: string) => never;

export function parseConfig(raw: unknown, configPath: string, sourceDirOverride?: string): AtlasConfig {
  const fail: Fail = (key, why) => {
    throw new AtlasError(`${configPath}: "${key}" ${why}`);
  };
  if (!isObject(raw)) return fail("(root)", "must be a JSON object");
  checkKeys(raw, "", ROOT_KEYS, fail);
  const baseDir = path.dirname(configPath);
  const sourceDir = path.resolve(baseDir, sourceDirOverride ?? stringAt(raw, "sourceDir", fail, "."));
  const asOfRaw = raw.asOf;
  if (asOfRaw !== undefined && asOfRaw !== null && (typeof asOfRaw !== "string" || !isIsoDate(asOfRaw))) {
    fail("asOf", "must be a date written YYYY-MM-DD");
  }
  const currency = stringAt(raw, "currency", fail, "USD").toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) fail("currency", "must be a three-letter ISO 4217 code");
  const format = parseFormat(raw.format, "format", DEFAULT_FORMAT, fail);

  const extractsRaw = raw.extracts ?? {};
  if (!isObject(extractsRaw)) return fail("extracts", "must be an object");
  checkKeys(extractsRaw, "extracts.", EXTRACT_NAMES, fail, "is not an extract LTV Atlas knows");
  const extracts = {} as Record<ExtractName, ExtractConfig>;
  // `<name>.csv` files are picked up by name only for a set of canonical extracts (the sample's
  // shape); a config built on an export reads exactly the files it names, so a stray file beside
  // the export never joins the build.
  const byName = !SOURCE_EXTRACTS.some((n) => extractsRaw[n] !== undefined);
  for (const name of EXTRACT_NAMES) {
    const configured = extractsRaw[name] !== undefined;
    const entry = extractsRaw[name] ?? {};
    if (!isObject(entry)) return fail(`extracts.${name}`, "must be an object");
    const key = (k: string) => `extracts.${name}.${k}`;
    checkKeys(entry, `extracts.${name}.`, EXTRACT_KEYS, fail);
    const file = path.resolve(
      sourceDir,
      stringAt(entry, "file", (k, why) => fail(key(k), why), `${name}.csv`),
    );
    const mapping = entry.columns ?? {};
    if (!isObject(mapping)) return fail(key("columns"), "must map canonical column names to file headers");
    const known = EXTRACTS[name].columns.map((c) => c.name);
    checkKeys(mapping, `extracts.${name}.columns.`, known, fail, `is not a column of ${name}`);
    const columns: Record<string, ColumnSource> = {};
    for (const column of known) columns[column] = { kind: "header", header: column, map: null };
    for (const [canonical, value] of Object.entries(mapping)) {
      if (canonical.startsWith("$")) continue;
      columns[canonical] = parseColumnSource(
        value,
        EXTRACTS[name].columns.find((c) => c.name === canonical)!,
        known,
        key(`columns.${canonical}`),
        fail,
      );
    }
    // Two canonical columns read from one header is almost always a slip of the pen.
    const byHeader = new Map<string, string>();
    for (const [canonical, source] of Object.entries(columns)) {
      if (source.kind !== "header" || !(canonical in mapping)) continue;
      const h = source.header.trim().toLowerCase();
      const other = byHeader.get(h);
      if (other)
        fail(
          key(`columns.${canonical}`),
          `maps the header "${source.header}" that extracts.${name}.columns.${other} already maps; give each column its own header, or a constant`,
        );
      byHeader.set(h, canonical);
    }
    const filters = parseFilters(entry.filter, key("filter"), fail);
    const provided = configured || (byName && existsSync(file));
    extracts[name] = {
      name,
      file,
      provided,
      configured,
      columns,
      filters,
      format: parseFormat(entry.format, key("format"), format, fail),
    };
  }
  const conflict = (a: ExtractName, b: ExtractName, why: string) => {
    if (!extracts[a].provided || !extracts[b].provided) return;
    const byNameNote = (n: ExtractName) =>
      extracts[n].configured ? "" : ` (${n}.csv in the source folder is read by its name)`;
    fail(`extracts.${a}`, `and extracts.${b} cannot both be given: ${why}${byNameNote(a)}${byNameNote(b)}`);
  };
  conflict(
    "transactions",
    "invoices",
    "invoices and their lines are derived from the transactions; give one or the other",
  );
  conflict(
    "transactions",
    "invoice_lines",
    "invoices and their lines are derived from the transactions; give one or the other",
  );
  conflict("subscriptions", "contracts", "contracts are derived from the subscriptions; give one or the other");
  if (
    !EXTRACT_NAMES.some(
      (n) => extracts[n].provided && ["transactions", "subscriptions", "invoices", "contracts"].includes(n),
    )
  ) {
    fail(
      "extracts",
      "names no extract with customer activity: give at least one of transactions, subscriptions, invoices (with invoice_lines) or contracts",
    );
  }

  const abc = (raw.abcThresholds ?? [0.8, 0.95]) as unknown[];
  if (
    !Array.isArray(abc) ||
    abc.length !== 2 ||
    !abc.every((x) => typeof x === "number") ||
    !(0 < (abc[0] as number) && (abc[0] as number) < (abc[1] as number) && (abc[1] as number) < 1)
  ) {
    fail("abcThresholds", "must be two cumulative shares 0 < A < B < 1, e.g. [0.8, 0.95]");
  }
  const valuation = parseValuation(raw.valuation, fail);
  const publish = parsePublish(raw.publish, fail);
  const scenarios = raw.scenarios;
  if (scenarios !== undefined && scenarios !== null && (typeof scenarios !== "string" || scenarios.trim() === ""))
    fail("scenarios", "must be the folder of saved scenarios, relative to the config file");
  const scenariosDir = typeof scenarios === "string" ? path.resolve(baseDir, scenarios) : null;
  const quarantineLimit = parseQuarantineLimit(raw.quarantineLimit, fail);
  return {
    configPath,
    sourceDir,
    asOf: (asOfRaw as string | undefined) ?? null,
    currency,
    extracts,
    scenariosDir,
    quarantineLimit,
    abcThresholds: [abc[0] as number, abc[1] as number],
    valuation,
    publish,
  };
}

/** A column's value in `extracts.X.columns`: a header, or an object naming one other source. */
function parseColumnSource(
  value: unknown,
  column: ColumnSpec,
  known: readonly string[],
  key: string,
  fail: Fail,
): ColumnSource {
  if (typeof value === "string") {
    if (value.trim() === "") fail(key, "must be the header text in the file");
    return { kind: "header", header: value, map: null };
  }
  if (!isObject(value))
    return fail(
      key,
      'must be a header, or an object: { "header": H, "map": {…} }, { "value": V }, { "generate": "sequence" } or { "multiply": [A, B] }',
    );
  const forms = ["header", "value", "generate", "multiply"].filter((k) => k in value);
  if (forms.length !== 1)
    fail(
      key,
      `must have exactly one of "header", "value", "generate", "multiply" (found ${forms.length ? forms.join(", ") : "none"})`,
    );
  checkKeys(value, `${key}.`, forms[0] === "header" ? ["header", "map"] : [forms[0]], fail);
  switch (forms[0]) {
    case "header": {
      if (typeof value.header !== "string" || value.header.trim() === "")
        fail(`${key}.header`, "must be the header text in the file");
      if (value.map === undefined) return { kind: "header", header: value.header as string, map: null };
      if (!isObject(value.map) || Object.keys(value.map).length === 0)
        fail(
          `${key}.map`,
          'must map values as written in the file to values LTV Atlas knows, e.g. { "New Business": "new" }',
        );
      const map: Record<string, string> = {};
      for (const [from, to] of Object.entries(value.map as Record<string, unknown>)) {
        if (typeof to !== "string") fail(`${key}.map.${from}`, "must be a text value");
        if (column.type === "enum" && !column.values!.includes((to as string).toLowerCase()))
          fail(`${key}.map.${from}`, `maps to "${to}", which is not one of ${column.values!.join(", ")}`);
        const k = from.trim().toLowerCase();
        if (k in map && map[k] !== to)
          fail(
            `${key}.map.${from}`,
            `maps the same value (ignoring case and spaces) as another entry to something else`,
          );
        map[k] = to as string;
      }
      return { kind: "header", header: value.header as string, map };
    }
    case "value":
      if (typeof value.value !== "string" && typeof value.value !== "number")
        fail(`${key}.value`, "must be a text or a number");
      if (column.type === "enum" && !column.values!.includes(String(value.value).toLowerCase()))
        fail(`${key}.value`, `must be one of ${column.values!.join(", ")}`);
      return { kind: "value", value: String(value.value) };
    case "generate":
      if (value.generate !== "sequence") fail(`${key}.generate`, 'must be "sequence"');
      if (column.name !== "line_no" && column.type !== "id")
        fail(`${key}.generate`, "is only for line_no and id columns");
      return { kind: "sequence" };
    default: {
      const factors = value.multiply;
      if (column.name !== "amount") fail(`${key}.multiply`, "is only for amount");
      if (
        !Array.isArray(factors) ||
        factors.length !== 2 ||
        !factors.every((f) => typeof f === "string" && known.includes(f)) ||
        factors.includes("amount")
      ) {
        fail(`${key}.multiply`, `must name two other columns of this extract, e.g. ["quantity", "unit_price"]`);
      }
      return { kind: "multiply", factors: [factors[0], factors[1]] as [string, string] };
    }
  }
}

function parseFilters(raw: unknown, key: string, fail: Fail): RowFilter[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return fail(key, 'must be a list of { "header": H, "in": [values] }');
  return raw.map((f, i) => {
    if (!isObject(f)) return fail(`${key}[${i}]`, 'must be { "header": H, "in": [values] }');
    checkKeys(f, `${key}[${i}].`, ["header", "in"], fail);
    if (typeof f.header !== "string" || f.header.trim() === "")
      fail(`${key}[${i}].header`, "must be a header of the file");
    if (!Array.isArray(f.in) || f.in.length === 0 || !f.in.every((v) => typeof v === "string" || typeof v === "number"))
      fail(`${key}[${i}].in`, "must be a non-empty list of values to keep");
    return { header: f.header as string, values: (f.in as unknown[]).map((v) => String(v)) };
  });
}

function parseQuarantineLimit(raw: unknown, fail: Fail): QuarantineLimit {
  if (raw === undefined) return DEFAULT_QUARANTINE_LIMIT;
  if (!isObject(raw)) return fail("quarantineLimit", 'must be { "rows": 0.01, "money": 0.01 }');
  checkKeys(raw, "quarantineLimit.", ["rows", "money"], fail);
  const share = (k: "rows" | "money") => {
    const x = raw[k] ?? DEFAULT_QUARANTINE_LIMIT[k];
    if (typeof x !== "number" || !(x >= 0 && x <= 1))
      fail(`quarantineLimit.${k}`, "must be a share from 0 to 1, e.g. 0.01 for 1%");
    return x as number;
  };
  return { rows: share("rows"), money: share("money") };
}

/**
 * Every key must be one the config knows (keys starting with `$` are comments, such as the
 * `$comments` that `npm run init` writes): a misspelt `pubish` must not silently ship names.
 */
function checkKeys(
  obj: Record<string, unknown>,
  prefix: string,
  allowed: readonly string[],
  fail: Fail,
  why = "is not a configuration key",
): void {
  for (const key of Object.keys(obj)) {
    if (key.startsWith("$") || allowed.includes(key)) continue;
    const near = nearest(key, allowed);
    fail(`${prefix}${key}`, `${why}${near ? `; did you mean "${prefix}${near}"?` : ""} (known: ${allowed.join(", ")})`);
  }
}

/** The allowed key closest to `key` by edit distance, when it is close enough to be a typo. */
function nearest(key: string, allowed: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

function parsePublish(raw: unknown, fail: Fail): PublishMode {
  if (raw === undefined) return PRIVATE_MODE;
  if (!isObject(raw))
    return fail("publish", 'must be an object such as { "pseudonymize": true, "aggregateOnly": false }');
  checkKeys(raw, "publish.", ["pseudonymize", "aggregateOnly", "keepText"], fail, "is not a publish option");
  const flag = (key: "pseudonymize" | "aggregateOnly") => {
    const x = raw[key] ?? false;
    if (typeof x !== "boolean") fail(`publish.${key}`, "must be true or false");
    return x as boolean;
  };
  const keepText = raw.keepText ?? [];
  const allowed = FREE_TEXT_COLUMNS.join(", ");
  if (!Array.isArray(keepText) || !keepText.every((k) => typeof k === "string"))
    return fail("publish.keepText", `must be a list of free-text columns, from: ${allowed}`);
  for (const [i, k] of keepText.entries())
    if (!FREE_TEXT_COLUMNS.includes(k))
      fail(
        `publish.keepText[${i}]`,
        `"${k}" is not a free-text column; names, e-mails, phones and managers are always personal. Free-text columns: ${allowed}`,
      );
  return publishMode({ pseudonymize: flag("pseudonymize"), aggregateOnly: flag("aggregateOnly"), keepText });
}

function parseValuation(raw: unknown, fail: Fail): ValuationConfig {
  if (raw === undefined) return DEFAULT_VALUATION;
  if (!isObject(raw)) return fail("valuation", "must be an object");
  checkKeys(raw, "valuation.", Object.keys(DEFAULT_VALUATION), fail);
  const v = { ...DEFAULT_VALUATION, ...raw } as Record<string, unknown>;
  const integer = (key: string, min: number, max: number) => {
    const x = v[key];
    if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max)
      fail(`valuation.${key}`, `must be a whole number from ${min} to ${max}`);
    return x as number;
  };
  const rate = v.annualDiscountRate;
  if (typeof rate !== "number" || !(rate >= 0 && rate < 1))
    fail("valuation.annualDiscountRate", "must be a number from 0 to 1, e.g. 0.1 for 10% a year");
  return {
    horizonMonths: integer("horizonMonths", 1, 240),
    annualDiscountRate: rate as number,
    draws: integer("draws", 10, 5000),
    seed: integer("seed", 0, 2 ** 31 - 1),
    minSegmentAccounts: integer("minSegmentAccounts", 1, 1_000_000),
    backtestAt: backtestDates(v.backtestAt, "valuation.backtestAt", fail),
  };
}

/** Backtest dates: a list of real calendar dates "YYYY-MM-DD". */
export function backtestDates(raw: unknown, key: string, fail: Fail): string[] {
  if (!Array.isArray(raw)) return fail(key, 'must be a list of dates such as ["2025-06-30"]');
  for (const d of raw) {
    const ok =
      typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
    if (!ok) fail(key, `${JSON.stringify(d)} is not a date written YYYY-MM-DD`);
  }
  return raw as string[];
}

function parseFormat(raw: unknown, key: string, base: CsvFormat, fail: Fail): CsvFormat {
  if (raw === undefined) return base;
  if (!isObject(raw)) return fail(key, "must be an object");
  checkKeys(raw, `${key}.`, FORMAT_KEYS, fail);
  const f = { ...base, ...raw } as Record<string, unknown>;
  if (typeof f.dateFormat !== "string" || !f.dateFormat.includes("%"))
    fail(`${key}.dateFormat`, 'must be a strptime pattern such as "%Y-%m-%d"');
  const unknown = unknownSpecifier(f.dateFormat as string);
  if (unknown)
    fail(
      `${key}.dateFormat`,
      `"${f.dateFormat}" uses ${unknown}, which is no strptime specifier DuckDB reads (known: ${STRPTIME_SPECIFIERS.join(" ")})`,
    );
  // %-m and %-d (no leading zero) are DuckDB's spellings of unpadded month and day.
  if (
    !/%-?[Yy]/.test(f.dateFormat as string) ||
    !/%-?[mbB]/.test(f.dateFormat as string) ||
    !/%-?d/.test(f.dateFormat as string)
  ) {
    fail(`${key}.dateFormat`, `"${f.dateFormat}" must name a year (%Y or %y), a month (%m, %b or %B) and a day (%d)`);
  }
  if (f.decimalSeparator !== "." && f.decimalSeparator !== ",") fail(`${key}.decimalSeparator`, 'must be "." or ","');
  if (typeof f.delimiter !== "string" || f.delimiter.length !== 1) fail(`${key}.delimiter`, "must be one character");
  if (f.delimiter === '"' || f.delimiter === "\n" || f.delimiter === "\r")
    fail(`${key}.delimiter`, "cannot be a quote or a line break");
  if (f.delimiter === f.decimalSeparator)
    fail(`${key}.delimiter`, `cannot be the decimal separator "${f.decimalSeparator}"`);
  const encoding = String(f.encoding)
    .toLowerCase()
    .replace("utf8", "utf-8")
    .replace(/^(iso-8859-1|windows-1252|cp1252|latin1)$/, "latin-1");
  if (!(ENCODINGS as readonly string[]).includes(encoding))
    fail(`${key}.encoding`, `must be one of ${ENCODINGS.join(", ")}`);
  if (f.moneyDecimals !== 2 && f.moneyDecimals !== 3 && f.moneyDecimals !== 4)
    fail(`${key}.moneyDecimals`, "must be 2, 3 or 4 (the most decimals a money cell may have)");
  return {
    dateFormat: f.dateFormat as string,
    decimalSeparator: f.decimalSeparator as "." | ",",
    delimiter: f.delimiter as string,
    encoding: encoding as CsvFormat["encoding"],
    moneyDecimals: f.moneyDecimals as CsvFormat["moneyDecimals"],
  };
}

/** The strptime specifiers DuckDB's TRY_STRPTIME accepts (any other stops it with an error). */
const STRPTIME_SPECIFIERS = [
  ..."aAbBcdgGhHIjmMnpSTuUVwWxXyYzZf%".split("").map((c) => `%${c}`),
  ..."dHIjmMSy".split("").map((c) => `%-${c}`),
];

/** The first specifier of `format` DuckDB cannot use, or null. */
function unknownSpecifier(format: string): string | null {
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") continue;
    const spec = format[i + 1] === "-" ? format.slice(i, i + 3) : format.slice(i, i + 2);
    if (!STRPTIME_SPECIFIERS.includes(spec)) return spec.length < 2 ? `a trailing "%"` : spec;
    i += spec.length - 1;
  }
  return null;
}

function stringAt(
  obj: Record<string, unknown>,
  key: string,
  fail: (key: string, why: string) => never,
  fallback: string,
): string {
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value.trim() === "") return fail(key, "must be a non-empty string");
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
