/**
 * Ingest: every configured extract → validated, typed tables in DuckDB (`accepted_<name>`)
 * plus one `quarantine` table, and an `IngestReport` for the data-quality page. Extracts run
 * in dependency order so that references are checked against accepted rows only.
 */
import type { AtlasConfig, CsvFormat } from "../config.js";
import { ident, literal, type Db } from "../db.js";
import { AtlasError, structuralError } from "../errors.js";
import type {
  ExtractReport,
  IngestReport,
  MoneyReconciliation,
  ReasonSummary,
} from "../../src/lib/shapes/ingest-report.js";
import { configRelativePath, displayPath, readExtract } from "./read.js";
import { computeCoverage } from "./coverage.js";
import { EXTRACTS, EXTRACT_NAMES, type ExtractName } from "./schema.js";

export type { ExtractReport, IngestReport, MoneyReconciliation, ReasonSummary };
import {
  createEmpty,
  deriveAccounts,
  deriveContractsFromSubscriptions,
  deriveInvoicesFromTransactions,
  deriveProducts,
} from "./derived.js";
import { NULL_SPELLINGS, QUARANTINE_DDL, validateExtract, type ValidationContext } from "./validate.js";

export const EARLIEST_DATE = "1990-01-01";

export type IngestProgress = (event: {
  extract: ExtractName;
  step: "read" | "validate" | "done";
  rows?: number;
}) => void;

/** The extract whose latest date is the as-of date when the config sets none, in order of preference. */
const AS_OF_SOURCES: ReadonlyArray<readonly [ExtractName, string]> = [
  ["transactions", "date"],
  ["invoices", "invoice_date"],
  ["subscriptions", "start_date"],
  ["contracts", "start_date"],
];

export async function ingest(
  db: Db,
  config: AtlasConfig,
  onProgress: IngestProgress = () => {},
): Promise<IngestReport> {
  await db.run(QUARANTINE_DDL);
  const reports = new Map<ExtractName, ExtractReport>();
  // Extracts whose accepted rows exist (read, derived or empty-by-absence do not count as "available" for references unless read or derived).
  const available = new Set<ExtractName>();
  const derivedFrom = new Map<ExtractName, ExtractName>();
  let asOf = config.asOf;
  const asOfSource = AS_OF_SOURCES.find(([name]) => config.extracts[name].provided);
  const format = (name: ExtractName) => config.extracts[name].format;
  const derivedReport = async (name: ExtractName, from: ExtractName) => {
    derivedFrom.set(name, from);
    available.add(name);
    reports.set(name, {
      ...(await summarize(db, name, "", 0, 0, await counts(db, name), [], format(name))),
      provided: false,
      derivedFrom: from,
    });
  };
  for (const name of EXTRACT_NAMES) {
    const spec = EXTRACTS[name];
    const extractConfig = config.extracts[name];
    // With no accounts file, the accounts are whoever the activity extracts name (all read by now).
    if (name === "invoice_lines" && !config.extracts.accounts.provided) {
      const sources = (["transactions", "subscriptions", "contracts", "invoices"] as const).filter(
        (n) => available.has(n) && !derivedFrom.has(n),
      );
      await deriveAccounts(db, sources, format("accounts"));
      await derivedReport("accounts", sources[0]);
    }
    if (!extractConfig.provided) {
      // Derived from a source extract already, or filled below (accounts, products), or empty.
      if (!derivedFrom.has(name) && name !== "accounts" && name !== "products") {
        await createEmpty(db, name, format(name));
        reports.set(name, notProvided(name));
      }
      onProgress({ extract: name, step: "done", rows: 0 });
      continue;
    }
    onProgress({ extract: name, step: "read" });
    const raw = await readExtract(db, extractConfig);
    await assertDatesParse(
      db,
      raw.source,
      spec.dateColumns.filter((c) => raw.columns.includes(c)),
      extractConfig.format.dateFormat,
      displayPath(extractConfig.file),
    );
    if (asOfSource?.[0] === name) {
      const range = await dateRange(db, raw.source, asOfSource[1], extractConfig.format.dateFormat);
      if (asOf === null) asOf = range.last;
      else assertAsOfInRange(config, asOf, range, `${asOfSource[1]} in ${displayPath(extractConfig.file)}`);
    }
    const context: ValidationContext = {
      asOf: asOf ?? "9999-12-31",
      earliest: EARLIEST_DATE,
      currency: config.currency,
      available,
    };
    onProgress({ extract: name, step: "validate", rows: raw.rowsRead });
    const result = await validateExtract(db, raw, spec, extractConfig.format, context);
    if (spec.moneyColumn) await assertSumsExact(db, name, spec.moneyColumn, displayPath(extractConfig.file));
    reports.set(name, {
      ...(await summarize(
        db,
        name,
        configRelativePath(config.configPath, extractConfig.file),
        raw.bytes,
        raw.rowsRead,
        result,
        raw.extraHeaders,
        extractConfig.format,
      )),
      filtered: raw.filtered,
    });
    available.add(name);
    // final_<name> stays: accepted_<name> is a view over it.
    await db.run(raw.tables.map((t) => `DROP TABLE IF EXISTS ${t};`).join(" "));
    if (name === "transactions" && !config.extracts.invoices.provided) {
      await deriveInvoicesFromTransactions(db, config.currency, extractConfig.format);
      await derivedReport("invoices", "transactions");
      await derivedReport("invoice_lines", "transactions");
    }
    if (name === "subscriptions" && !config.extracts.contracts.provided) {
      await deriveContractsFromSubscriptions(db, config.currency, extractConfig.format);
      await derivedReport("contracts", "subscriptions");
    }
    onProgress({ extract: name, step: "done", rows: raw.rowsRead });
  }
  if (!config.extracts.products.provided) {
    const sources = (["transactions", "subscriptions", "invoice_lines", "contracts"] as const).filter(
      (n) => available.has(n) && !(n === "invoice_lines" && derivedFrom.has(n)),
    );
    await deriveProducts(db, sources, config.currency, format("products"));
    if (sources.length > 0) await derivedReport("products", sources[0]);
    else reports.set("products", notProvided("products"));
  }
  if (asOf === null)
    throw new AtlasError("no as-of date: the data has no dated activity; set asOf in the configuration");
  const coverage = await computeCoverage(
    db,
    new Set([...reports.values()].filter((r) => r.provided).map((r) => r.extract)),
  );
  const ordered = EXTRACT_NAMES.map((name) => reports.get(name)!);
  return { asOf, asOfSource: config.asOf ? "config" : "data", currency: config.currency, extracts: ordered, coverage };
}

/** The report of an extract that was neither given nor derived. */
function notProvided(name: ExtractName): ExtractReport {
  return {
    extract: name,
    file: "",
    bytes: 0,
    rowsRead: 0,
    accepted: 0,
    quarantined: 0,
    reasons: [],
    money: null,
    dateCoverage: [],
    ignoredHeaders: [],
    trimmedCells: 0,
    provided: false,
    derivedFrom: null,
    filtered: [],
    rounding: null,
  };
}

async function counts(db: Db, name: ExtractName): Promise<{ accepted: number; quarantined: number }> {
  const [row] = await db.all<{ a: string; q: string }>(
    `SELECT count(*) FILTER (WHERE reasons IS NULL) AS a, count(*) FILTER (WHERE reasons IS NOT NULL) AS q FROM final_${name}`,
  );
  return { accepted: Number(row.a), quarantined: Number(row.q) };
}

/** A date column where not one non-empty value parses means the configured format is wrong: stop. */
async function assertDatesParse(
  db: Db,
  table: string,
  columns: readonly string[],
  format: string,
  shown: string,
): Promise<void> {
  // A cell spelled NULL, N/A, … is empty, not a date in another format.
  const filled = (column: string) =>
    `nullif(trim(${ident(column)}), '') IS NOT NULL AND lower(trim(${ident(column)})) NOT IN (${NULL_SPELLINGS.map(literal).join(", ")})`;
  for (const column of columns) {
    // Cheap first look: if any of the first 10,000 filled values parses, the format is right.
    const [head] = await db.all<{ parsed: string }>(
      `SELECT count(TRY_STRPTIME(trim(${ident(column)}), $format)) AS parsed FROM (SELECT ${ident(column)} FROM ${table} LIMIT 10000)`,
      { format },
    );
    if (Number(head.parsed) > 0) continue;
    const [row] = await db.all<{
      filled: string;
      parsed: string;
      first_line: string | null;
      first_value: string | null;
    }>(
      `SELECT count(*) FILTER (WHERE ${filled(column)}) AS filled,
              count(TRY_STRPTIME(trim(${ident(column)}), $format)) AS parsed,
              min(line) FILTER (WHERE ${filled(column)}) AS first_line,
              arg_min(${ident(column)}, line) FILTER (WHERE ${filled(column)}) AS first_value
       FROM ${table}`,
      { format },
    );
    if (Number(row.filled) > 0 && Number(row.parsed) === 0) {
      throw structuralError(
        shown,
        { line: Number(row.first_line), column },
        `no date in this column matches the configured format ${format} (first value "${String(row.first_value).slice(0, 40)}"); set format.dateFormat in the configuration`,
      );
    }
  }
}

/** 2^53 cents: every sum of money up to this is exact as a JavaScript number of cents. */
export const MAX_EXACT_CENTS = 2n ** 53n;

/**
 * Any total the pages show (a month, a segment, the whole base) is at most the sum of the
 * absolute amounts: when that stays below 2^53 cents, every figure is exact to the cent and
 * no 64-bit sum overflows. Above it, the build stops rather than lose a cent.
 */
async function assertSumsExact(db: Db, name: string, column: string, shown: string): Promise<void> {
  const [row] = await db.all<{ total: string }>(
    `SELECT CAST(coalesce(sum(abs(CAST(${ident(column)} AS DECIMAL(38,4)))), 0) AS VARCHAR) AS total FROM accepted_${name}`,
  );
  if (unitsOf(row.total, 2) < MAX_EXACT_CENTS) return;
  const limit = `${(MAX_EXACT_CENTS / 100n).toLocaleString("en-US")}.${String(MAX_EXACT_CENTS % 100n).padStart(2, "0")}`;
  throw structuralError(
    shown,
    { column },
    `the accepted amounts add up to ${row.total} in absolute value: too large, more than ${limit} (2^53 cents), the most LTV Atlas sums exactly to the cent`,
  );
}

/** First (from EARLIEST_DATE on) and last parseable date of a column, as read. */
async function dateRange(
  db: Db,
  table: string,
  column: string,
  format: string,
): Promise<{ first: string | null; last: string | null }> {
  const date = `CAST(TRY_STRPTIME(trim(${ident(column)}), $format) AS DATE)`;
  const [row] = await db.all<{ first: string | null; last: string | null }>(
    `SELECT CAST(min(${date}) FILTER (WHERE ${date} >= DATE ${literal(EARLIEST_DATE)}) AS VARCHAR) AS first,
            CAST(max(${date}) AS VARCHAR) AS last FROM ${table}`,
    { format },
  );
  return row;
}

/** How far past the last dated record a configured as-of date may lie. */
export const MAX_AS_OF_GAP_YEARS = 5;

/**
 * A configured as-of date before the first record would put every row in the future; one far
 * after the last would value a business that has long stopped (and build an account × month
 * table for every month in between: 9999-12-31 took 4.5 minutes and 3.4 GB). Both stop.
 */
function assertAsOfInRange(
  config: AtlasConfig,
  asOf: string,
  range: { first: string | null; last: string | null },
  what: string,
): void {
  const where = displayPath(config.configPath);
  if (range.first !== null && asOf < range.first)
    throw new AtlasError(
      `${where}: "asOf" ${asOf} is before the first ${what} (${range.first}): every row would lie after the as-of date; set asOf on or after ${range.first}, or remove it to use the last date`,
    );
  if (range.last === null) return;
  const latest = `${String(Number(range.last.slice(0, 4)) + MAX_AS_OF_GAP_YEARS).padStart(4, "0")}${range.last.slice(4)}`;
  if (asOf > latest)
    throw new AtlasError(
      `${where}: "asOf" ${asOf} is more than ${MAX_AS_OF_GAP_YEARS} years after the last ${what} (${range.last}); set asOf on or before ${latest}, or remove it to use the last date`,
    );
}

async function summarize(
  db: Db,
  name: ExtractName,
  file: string,
  bytes: number,
  rowsRead: number,
  result: { accepted: number; quarantined: number; trimmedCells?: number },
  ignoredHeaders: readonly string[],
  format: CsvFormat,
): Promise<ExtractReport> {
  const spec = EXTRACTS[name];
  const reasonRows = await db.all<{
    code: string;
    column_name: string | null;
    n: string;
    examples: Array<{ line: string; message: string; raw: string }>;
  }>(
    `SELECT code, column_name, count(*) AS n,
        list({'line': line, 'message': message, 'raw': left(raw, 400)} ORDER BY line)[1:3] AS examples
     FROM quarantine WHERE extract = $name GROUP BY code, column_name ORDER BY n DESC, code`,
    { name },
  );
  const reasons: ReasonSummary[] = reasonRows.map((r) => ({
    code: r.code,
    column: r.column_name,
    count: Number(r.n),
    examples: r.examples.map((e) => ({ line: Number(e.line), message: e.message, raw: e.raw })),
  }));
  let money: MoneyReconciliation | null = null;
  if (spec.moneyColumn) {
    const m = ident(spec.moneyColumn);
    const [row] = await db.all<{ source: string; accepted: string; quarantined: string; unreadable: string }>(
      `SELECT CAST(coalesce(sum(${m}), 0) AS VARCHAR) AS source,
              CAST(coalesce(sum(${m}) FILTER (WHERE reasons IS NULL), 0) AS VARCHAR) AS accepted,
              CAST(coalesce(sum(${m}) FILTER (WHERE reasons IS NOT NULL), 0) AS VARCHAR) AS quarantined,
              count(*) FILTER (WHERE ${m} IS NULL) AS unreadable
       FROM final_${name}`,
    );
    const ragged = reasons.find((r) => r.code === "ragged_row")?.count ?? 0;
    money = {
      column: spec.moneyColumn,
      sourceTotal: row.source,
      acceptedTotal: row.accepted,
      quarantinedTotal: row.quarantined,
      unreadableRows: Number(row.unreadable) + ragged,
      balanced: unitsOf(row.accepted) + unitsOf(row.quarantined) === unitsOf(row.source),
    };
  }
  // Pages count in cents: with more decimals, say what rounding each accepted amount to the cent changes in total.
  let rounding: ExtractReport["rounding"] = null;
  if (spec.moneyColumn && format.moneyDecimals > 2) {
    const m = ident(spec.moneyColumn);
    const [row] = await db.all<{ d: string }>(
      `SELECT CAST(coalesce(sum(${m}) - sum(round(${m}, 2)), 0) AS VARCHAR) AS d FROM accepted_${name}`,
    );
    rounding = { decimals: format.moneyDecimals, differenceTotal: row.d };
  }
  const dateCoverage = [];
  for (const column of spec.dateColumns) {
    const [row] = await db.all<{ min: string | null; max: string | null }>(
      `SELECT CAST(min(${ident(column)}) AS VARCHAR) AS min, CAST(max(${ident(column)}) AS VARCHAR) AS max FROM accepted_${name}`,
    );
    dateCoverage.push({ column, min: row.min, max: row.max });
  }
  return {
    extract: name,
    file,
    bytes,
    rowsRead,
    accepted: result.accepted,
    quarantined: result.quarantined,
    reasons,
    money,
    dateCoverage,
    ignoredHeaders,
    trimmedCells: result.trimmedCells ?? 0,
    provided: true,
    derivedFrom: null,
    filtered: [],
    rounding,
  };
}

/** Exact cents of a decimal string such as "-1234.5" (BigInt: no float rounding; digits past the cent are cut). */
export function centsOf(decimal: string): bigint {
  return unitsOf(decimal, 2);
}

/**
 * A decimal string as a whole number of 10^-scale units, exactly ("-12.3456" at scale 4 is
 * -123456n). Money is read with at most 4 decimals, so scale 4 compares any two totals exactly.
 */
export function unitsOf(decimal: string, scale = 4): bigint {
  const negative = decimal.startsWith("-");
  const [whole, fraction = ""] = decimal.replace("-", "").split(".");
  const units =
    BigInt(whole || "0") * 10n ** BigInt(scale) + BigInt((fraction + "0".repeat(scale)).slice(0, scale) || "0");
  return negative ? -units : units;
}
