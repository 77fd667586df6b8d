/**
 * Reads and checks `data/atlas.config.json`: where the extracts are, how their columns map
 * to the canonical ones, and how dates and numbers are written. Every problem is reported
 * with the config path and the key at fault.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { EXTRACTS, EXTRACT_NAMES, type ExtractName } from "./ingest/schema.js";
import { AtlasError } from "./errors.js";

export interface CsvFormat {
  /** strptime format of every date column, e.g. `%Y-%m-%d` or `%d/%m/%Y`. */
  readonly dateFormat: string;
  /** `.` or `,`; with `,`, a `.` inside a number is read as a thousands separator. */
  readonly decimalSeparator: "." | ",";
  readonly delimiter: string;
  /** `utf-8`, `latin-1` (ISO-8859-1 / Windows-1252 text) or `utf-16`. */
  readonly encoding: "utf-8" | "latin-1" | "utf-16";
}

export interface ExtractConfig {
  readonly name: ExtractName;
  /** Absolute path of the CSV file. */
  readonly file: string;
  /** Canonical column → header in the file (identity for unmapped columns). */
  readonly columns: Readonly<Record<string, string>>;
  readonly format: CsvFormat;
}

export interface AtlasConfig {
  /** The config file itself, for messages. */
  readonly configPath: string;
  readonly sourceDir: string;
  /** ISO date; when absent the pipeline derives it from the latest invoice date. */
  readonly asOf: string | null;
  readonly currency: string;
  readonly extracts: Readonly<Record<ExtractName, ExtractConfig>>;
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
 * `pseudonymize`) is for executive links: pages must ship no per-account rows.
 */
export interface PublishMode {
  readonly pseudonymize: boolean;
  readonly aggregateOnly: boolean;
}

export const PRIVATE_MODE: PublishMode = { pseudonymize: false, aggregateOnly: false };

/** Merges an override (a build flag) over the config's mode; aggregate-only always pseudonymises. */
export function publishMode(base: PublishMode, override: Partial<PublishMode> = {}): PublishMode {
  const aggregateOnly = override.aggregateOnly ?? base.aggregateOnly;
  return { aggregateOnly, pseudonymize: aggregateOnly || (override.pseudonymize ?? base.pseudonymize) };
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

/** How the models turn forecasts into value (see src/lib/valuation/). */
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
}

export const DEFAULT_VALUATION: ValuationConfig = { horizonMonths: 60, annualDiscountRate: 0.1, draws: 200, seed: 1, minSegmentAccounts: 40 };

const DEFAULT_FORMAT: CsvFormat = { dateFormat: "%Y-%m-%d", decimalSeparator: ".", delimiter: ",", encoding: "utf-8" };
const ENCODINGS = ["utf-8", "latin-1", "utf-16"] as const;

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

export function parseConfig(raw: unknown, configPath: string, sourceDirOverride?: string): AtlasConfig {
  const fail = (key: string, why: string): never => {
    throw new AtlasError(`${configPath}: "${key}" ${why}`);
  };
  if (!isObject(raw)) return fail("(root)", "must be a JSON object");
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
  for (const name of Object.keys(extractsRaw)) {
    if (!(EXTRACT_NAMES as readonly string[]).includes(name)) fail(`extracts.${name}`, `is not an extract LTV Atlas knows (known: ${EXTRACT_NAMES.join(", ")})`);
  }
  const extracts = {} as Record<ExtractName, ExtractConfig>;
  for (const name of EXTRACT_NAMES) {
    const entry = extractsRaw[name] ?? {};
    if (!isObject(entry)) return fail(`extracts.${name}`, "must be an object");
    const file = path.resolve(sourceDir, stringAt(entry, "file", (k, why) => fail(`extracts.${name}.${k}`, why), `${name}.csv`));
    const mapping = entry.columns ?? {};
    if (!isObject(mapping)) return fail(`extracts.${name}.columns`, "must map canonical column names to file headers");
    const known = EXTRACTS[name].columns.map((c) => c.name);
    const columns: Record<string, string> = {};
    for (const column of known) columns[column] = column;
    for (const [canonical, header] of Object.entries(mapping)) {
      if (!known.includes(canonical)) fail(`extracts.${name}.columns.${canonical}`, `is not a column of ${name} (columns: ${known.join(", ")})`);
      if (typeof header !== "string" || header.trim() === "") fail(`extracts.${name}.columns.${canonical}`, "must be the header text in the file");
      columns[canonical] = header as string;
    }
    extracts[name] = { name, file, columns, format: parseFormat(entry.format, `extracts.${name}.format`, format, fail) };
  }

  const abc = (raw.abcThresholds ?? [0.8, 0.95]) as unknown[];
  if (!Array.isArray(abc) || abc.length !== 2 || !abc.every((x) => typeof x === "number") || !(0 < (abc[0] as number) && (abc[0] as number) < (abc[1] as number) && (abc[1] as number) < 1)) {
    fail("abcThresholds", "must be two cumulative shares 0 < A < B < 1, e.g. [0.8, 0.95]");
  }
  const valuation = parseValuation(raw.valuation, fail);
  const publish = parsePublish(raw.publish, fail);
  return { configPath, sourceDir, asOf: (asOfRaw as string | undefined) ?? null, currency, extracts, abcThresholds: [abc[0] as number, abc[1] as number], valuation, publish };
}

function parsePublish(raw: unknown, fail: (key: string, why: string) => never): PublishMode {
  if (raw === undefined) return PRIVATE_MODE;
  if (!isObject(raw)) return fail("publish", 'must be an object such as { "pseudonymize": true, "aggregateOnly": false }');
  for (const key of Object.keys(raw)) if (key !== "pseudonymize" && key !== "aggregateOnly") fail(`publish.${key}`, "is not a publish option (pseudonymize, aggregateOnly)");
  const flag = (key: "pseudonymize" | "aggregateOnly") => {
    const x = raw[key] ?? false;
    if (typeof x !== "boolean") fail(`publish.${key}`, "must be true or false");
    return x as boolean;
  };
  return publishMode({ pseudonymize: flag("pseudonymize"), aggregateOnly: flag("aggregateOnly") });
}

function parseValuation(raw: unknown, fail: (key: string, why: string) => never): ValuationConfig {
  if (raw === undefined) return DEFAULT_VALUATION;
  if (!isObject(raw)) return fail("valuation", "must be an object");
  const v = { ...DEFAULT_VALUATION, ...raw } as Record<string, unknown>;
  const integer = (key: string, min: number, max: number) => {
    const x = v[key];
    if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) fail(`valuation.${key}`, `must be a whole number from ${min} to ${max}`);
    return x as number;
  };
  const rate = v.annualDiscountRate;
  if (typeof rate !== "number" || !(rate >= 0 && rate < 1)) fail("valuation.annualDiscountRate", "must be a number from 0 to 1, e.g. 0.1 for 10% a year");
  return {
    horizonMonths: integer("horizonMonths", 1, 240),
    annualDiscountRate: rate as number,
    draws: integer("draws", 10, 5000),
    seed: integer("seed", 0, 2 ** 31 - 1),
    minSegmentAccounts: integer("minSegmentAccounts", 1, 1_000_000),
  };
}

function parseFormat(raw: unknown, key: string, base: CsvFormat, fail: (key: string, why: string) => never): CsvFormat {
  if (raw === undefined) return base;
  if (!isObject(raw)) return fail(key, "must be an object");
  const f = { ...base, ...raw } as Record<string, unknown>;
  if (typeof f.dateFormat !== "string" || !f.dateFormat.includes("%")) fail(`${key}.dateFormat`, 'must be a strptime pattern such as "%Y-%m-%d"');
  if (f.decimalSeparator !== "." && f.decimalSeparator !== ",") fail(`${key}.decimalSeparator`, 'must be "." or ","');
  if (typeof f.delimiter !== "string" || f.delimiter.length !== 1) fail(`${key}.delimiter`, "must be one character");
  const encoding = String(f.encoding).toLowerCase().replace("utf8", "utf-8").replace(/^(iso-8859-1|windows-1252|cp1252|latin1)$/, "latin-1");
  if (!(ENCODINGS as readonly string[]).includes(encoding)) fail(`${key}.encoding`, `must be one of ${ENCODINGS.join(", ")}`);
  return { dateFormat: f.dateFormat as string, decimalSeparator: f.decimalSeparator as "." | ",", delimiter: f.delimiter as string, encoding: encoding as CsvFormat["encoding"] };
}

function stringAt(obj: Record<string, unknown>, key: string, fail: (key: string, why: string) => never, fallback: string): string {
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
