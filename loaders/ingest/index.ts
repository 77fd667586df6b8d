/**
 * Ingest: every configured extract → validated, typed tables in DuckDB (`accepted_<name>`)
 * plus one `quarantine` table, and an `IngestReport` for the data-quality page. Extracts run
 * in dependency order so that references are checked against accepted rows only.
 */
import type { AtlasConfig } from "../config.js";
import { ident, literal, type Db } from "../db.js";
import { structuralError } from "../errors.js";
import type { ExtractReport, IngestReport, MoneyReconciliation, ReasonSummary } from "../../src/lib/ingest-report.js";
import { displayPath, readExtract } from "./read.js";
import { computeCoverage } from "./coverage.js";
import { EXTRACTS, EXTRACT_NAMES, type ExtractName } from "./schema.js";

export type { ExtractReport, IngestReport, MoneyReconciliation, ReasonSummary };
import { NULL_SPELLINGS, validateExtract, type ValidationContext } from "./validate.js";

export const EARLIEST_DATE = "1990-01-01";

export type IngestProgress = (event: { extract: ExtractName; step: "read" | "validate" | "done"; rows?: number }) => void;

export async function ingest(db: Db, config: AtlasConfig, onProgress: IngestProgress = () => {}): Promise<IngestReport> {
  const reports: ExtractReport[] = [];
  let asOf = config.asOf;
  for (const name of EXTRACT_NAMES) {
    const spec = EXTRACTS[name];
    const extractConfig = config.extracts[name];
    onProgress({ extract: name, step: "read" });
    const raw = await readExtract(db, extractConfig);
    await assertDatesParse(db, raw.source, spec.dateColumns.filter((c) => raw.columns.includes(c)), extractConfig.format.dateFormat, displayPath(extractConfig.file));
    if (asOf === null && name === "invoices") asOf = await latestDate(db, raw.source, "invoice_date", extractConfig.format.dateFormat);
    const context: ValidationContext = { asOf: asOf ?? "9999-12-31", earliest: EARLIEST_DATE, currency: config.currency };
    onProgress({ extract: name, step: "validate", rows: raw.rowsRead });
    const result = await validateExtract(db, raw, spec, extractConfig.format, context);
    reports.push(await summarize(db, name, displayPath(extractConfig.file), raw.bytes, raw.rowsRead, result, raw.extraHeaders));
    // final_<name> stays: accepted_<name> is a view over it.
    await db.run(raw.tables.map((t) => `DROP TABLE IF EXISTS ${t};`).join(" "));
    onProgress({ extract: name, step: "done", rows: raw.rowsRead });
  }
  if (asOf === null) throw new Error("no as-of date: set asOf in the configuration");
  const coverage = await computeCoverage(db, new Set(reports.filter((r) => r.provided).map((r) => r.extract)));
  return { asOf, asOfSource: config.asOf ? "config" : "data", currency: config.currency, extracts: reports, coverage };
}

/** A date column where not one non-empty value parses means the configured format is wrong: stop. */
async function assertDatesParse(db: Db, table: string, columns: readonly string[], format: string, shown: string): Promise<void> {
  // A cell spelled NULL, N/A, … is empty, not a date in another format.
  const filled = (column: string) => `nullif(trim(${ident(column)}), '') IS NOT NULL AND lower(trim(${ident(column)})) NOT IN (${NULL_SPELLINGS.map(literal).join(", ")})`;
  for (const column of columns) {
    // Cheap first look: if any of the first 10,000 filled values parses, the format is right.
    const [head] = await db.all<{ parsed: string }>(`SELECT count(TRY_STRPTIME(trim(${ident(column)}), $format)) AS parsed FROM (SELECT ${ident(column)} FROM ${table} LIMIT 10000)`, { format });
    if (Number(head.parsed) > 0) continue;
    const [row] = await db.all<{ filled: string; parsed: string; first_line: string | null; first_value: string | null }>(
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

async function latestDate(db: Db, table: string, column: string, format: string): Promise<string | null> {
  const [row] = await db.all<{ d: string | null }>(`SELECT CAST(max(CAST(TRY_STRPTIME(trim(${ident(column)}), $format) AS DATE)) AS VARCHAR) AS d FROM ${table}`, { format });
  return row.d;
}

async function summarize(
  db: Db,
  name: ExtractName,
  file: string,
  bytes: number,
  rowsRead: number,
  result: { accepted: number; quarantined: number },
  ignoredHeaders: readonly string[],
): Promise<ExtractReport> {
  const spec = EXTRACTS[name];
  const reasonRows = await db.all<{ code: string; column_name: string | null; n: string; examples: Array<{ line: string; message: string; raw: string }> }>(
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
      balanced: centsOf(row.accepted) + centsOf(row.quarantined) === centsOf(row.source),
    };
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
    provided: true,
    derivedFrom: null,
    filtered: [],
    rounding: null,
  };
}

/** Exact cents of a decimal string such as "-1234.5" (BigInt: no float rounding). */
export function centsOf(decimal: string): bigint {
  const negative = decimal.startsWith("-");
  const [whole, fraction = ""] = decimal.replace("-", "").split(".");
  const cents = BigInt(whole || "0") * 100n + BigInt((fraction + "00").slice(0, 2));
  return negative ? -cents : cents;
}
