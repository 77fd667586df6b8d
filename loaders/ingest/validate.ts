/**
 * Row-level validation of one extract in one SQL pass: parse every cell to its type, check
 * required fields, ranges, dates, currency, references, business rules and duplicate keys.
 * Each row ends either in `accepted_<extract>` (typed) or in `quarantine` with every reason
 * that applies; none is dropped. Money stays DECIMAL (exact) throughout.
 */
import type { CsvFormat } from "../config.js";
import { ident, literal, type Db } from "../db.js";
import type { RawExtract } from "./read.js";
import type { ColumnSpec, ExtractSpec } from "./schema.js";

export interface ValidationContext {
  readonly asOf: string;
  /** Dates before this are implausible for a CRM and quarantined. */
  readonly earliest: string;
  readonly currency: string;
}

/** Cell spellings that mean "no value" in non-text columns (compared case-insensitively). */
export const NULL_SPELLINGS = ["", "null", "nan", "n/a", "na", "#n/a", "none", "nil"];

const SQL_TYPES: Record<ColumnSpec["type"], string> = {
  id: "VARCHAR",
  text: "VARCHAR",
  enum: "VARCHAR",
  int: "BIGINT",
  number: "DECIMAL(18,4)",
  money: "DECIMAL(18,2)",
  price: "DECIMAL(18,4)",
  date: "DATE",
};

export const QUARANTINE_DDL = `
  CREATE TABLE IF NOT EXISTS quarantine (
    extract VARCHAR, line BIGINT, code VARCHAR, column_name VARCHAR, message VARCHAR,
    codes VARCHAR[], raw VARCHAR, amount DECIMAL(18,2)
  )`;

export interface ValidationResult {
  readonly accepted: number;
  readonly quarantined: number;
}

export async function validateExtract(db: Db, raw: RawExtract, spec: ExtractSpec, format: CsvFormat, context: ValidationContext): Promise<ValidationResult> {
  await db.run(QUARANTINE_DDL);
  const present = spec.columns.filter((c) => raw.columns.includes(c.name));
  const absent = spec.columns.filter((c) => !raw.columns.includes(c.name));

  // 1. Normalise the text: trim, map null spellings to NULL, strip thousands separators.
  const normalized = present.map((c) => `${normalizeSql(c, format)} AS ${ident(`n_${c.name}`)}`);
  // 2. Parse to typed values.
  const typed = present.map((c) => `${parseSql(c, `n_${c.name}`, format)} AS ${ident(c.name)}`);
  const typedAbsent = absent.map((c) => `CAST(NULL AS ${SQL_TYPES[c.type]}) AS ${ident(c.name)}`);
  // 3. Reasons from the cells alone.
  const cellReasons = present.flatMap((c) => cellReasonSql(c, format, context));
  const rawJson = `to_json({${present.map((c) => `${literal(c.name)}: r.${ident(c.name)}`).join(", ")}})::VARCHAR`;

  await db.run(`
    CREATE OR REPLACE TEMP TABLE typed_${spec.name} AS
    WITH n AS (SELECT r.line, ${rawJson} AS raw_json, ${normalized.join(", ")} FROM ${raw.table} r)
    SELECT *, list_filter([${cellReasons.join(", ") || "NULL"}], x -> x IS NOT NULL) AS cell_reasons
    FROM (SELECT line, raw_json, ${[...present.map((c) => ident(`n_${c.name}`)), ...typed, ...typedAbsent].join(", ")} FROM n)`);

  // 4. References to already-accepted extracts and business rules over typed values.
  const joins = spec.references.map((ref, i) => `LEFT JOIN accepted_${ref.extract} p${i} ON p${i}.${ident(ref.targetColumn)} = t.${ident(ref.column)}`);
  const brought = spec.references.flatMap((ref, i) => (ref.bring ?? []).map((col) => `p${i}.${ident(col)} AS ${ident(`ref_${col}`)}`));
  const refReasons = spec.references.map(
    (ref, i) =>
      `CASE WHEN t.${ident(ref.column)} IS NOT NULL AND p${i}.${ident(ref.targetColumn)} IS NULL THEN ${reason("orphan_reference", ref.column, `'${ref.column} ' || ${quoteValue(`t.${ident(ref.column)}`)} || ' not found among accepted ${ref.extract}'`)} END`,
  );
  const ruleReasons = spec.rules.map((rule) => `CASE WHEN coalesce((${rule.sql}), false) THEN ${reason(rule.code, rule.column, literal(rule.message))} END`);
  const currencyReason =
    spec.columns.some((c) => c.name === "currency") && raw.columns.includes("currency")
      ? [`CASE WHEN upper(currency) <> ${literal(context.currency)} THEN ${reason("currency_mismatch", "currency", `'currency ' || ${quoteValue("currency")} || ' differs from the configured ${context.currency}'`)} END`]
      : [];
  const rowReasons = [...ruleReasons, ...currencyReason];
  await db.run(`
    CREATE OR REPLACE TEMP TABLE checked_${spec.name} AS
    SELECT *, list_concat(ref_reasons, list_filter([${rowReasons.join(", ") || "NULL"}], x -> x IS NOT NULL)) AS reasons
    FROM (
      SELECT t.*${brought.length ? ", " + brought.join(", ") : ""},
        list_concat(t.cell_reasons, list_filter([${refReasons.join(", ") || "NULL"}], x -> x IS NOT NULL)) AS ref_reasons
      FROM typed_${spec.name} t ${joins.join(" ")})`);

  // 5. Duplicate keys: among rows without other problems the first line wins.
  const key = spec.key.map(ident).join(", ");
  const keyText = spec.key.map((k) => `coalesce(CAST(${ident(k)} AS VARCHAR), '')`).join(" || '|' || ");
  await db.run(`
    CREATE OR REPLACE TEMP TABLE final_${spec.name} AS
    SELECT *,
      CASE WHEN len(reasons) = 0 AND first_line < line
        THEN list_concat(reasons, [${reason("duplicate_key", spec.key.join(" + "), `'duplicate ${spec.key.join(" + ")} ' || ${quoteValue(keyText)} || ', first seen on line ' || first_line`)}])
        ELSE reasons END AS all_reasons
    FROM (SELECT *, min(line) OVER (PARTITION BY ${key}, len(reasons) = 0) AS first_line FROM checked_${spec.name})`);

  const columns = spec.columns.map((c) => ident(c.name)).join(", ");
  await db.run(`CREATE OR REPLACE TABLE accepted_${spec.name} AS SELECT line, ${columns} FROM final_${spec.name} WHERE len(all_reasons) = 0 ORDER BY line`);
  const moneyAmount = spec.moneyColumn ? ident(spec.moneyColumn) : "NULL";
  await db.run(`
    INSERT INTO quarantine
    SELECT ${literal(spec.name)}, line, all_reasons[1].code, all_reasons[1].column, all_reasons[1].message,
      list_transform(all_reasons, x -> x.code), raw_json, ${moneyAmount}
    FROM final_${spec.name} WHERE len(all_reasons) > 0`);
  // Ragged rows: the reader could not split them into columns.
  for (const row of raw.ragged) {
    await db.run(
      `INSERT INTO quarantine VALUES ($extract, $line, 'ragged_row', NULL, $message, ['ragged_row'], to_json({'text': $text})::VARCHAR, NULL)`,
      { extract: spec.name, line: row.line, message: `cannot split into the header's columns: ${row.message}`, text: row.text.slice(0, 2000) },
    );
  }
  const [counts] = await db.all<{ accepted: string; quarantined: string }>(
    `SELECT count(*) FILTER (WHERE len(all_reasons) = 0) AS accepted, count(*) FILTER (WHERE len(all_reasons) > 0) AS quarantined FROM final_${spec.name}`,
  );
  await db.run(`DROP TABLE typed_${spec.name}; DROP TABLE checked_${spec.name}`);
  return { accepted: Number(counts.accepted), quarantined: Number(counts.quarantined) + raw.ragged.length };
}

function reason(code: string, column: string, messageSql: string): string {
  return `{'code': ${literal(code)}, 'column': ${literal(column)}, 'message': ${messageSql}}`;
}

/** A value shown inside a message: quoted and cut to 60 characters. */
function quoteValue(sql: string): string {
  return `'"' || left(CAST(${sql} AS VARCHAR), 60) || '"'`;
}

function normalizeSql(column: ColumnSpec, format: CsvFormat): string {
  const cell = `trim(r.${ident(column.name)})`;
  if (column.type === "text" || column.type === "id") return `nullif(${cell}, '')`;
  const nulls = `lower(${cell}) IN (${NULL_SPELLINGS.map(literal).join(", ")})`;
  if (column.type === "int" || column.type === "number" || column.type === "money" || column.type === "price") {
    const compact = `replace(${cell}, ' ', '')`;
    const numeric =
      format.decimalSeparator === "."
        ? `CASE WHEN regexp_full_match(${compact}, '-?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?') THEN replace(${compact}, ',', '') ELSE ${compact} END`
        : `replace(CASE WHEN regexp_full_match(${compact}, '-?[0-9]{1,3}(\\.[0-9]{3})+(,[0-9]+)?') THEN replace(${compact}, '.', '') ELSE ${compact} END, ',', '.')`;
    return `CASE WHEN ${cell} IS NULL OR ${nulls} THEN NULL ELSE ${numeric} END`;
  }
  return `CASE WHEN ${cell} IS NULL OR ${nulls} THEN NULL ELSE ${cell} END`;
}

const DECIMAL_PATTERN: Partial<Record<ColumnSpec["type"], string>> = {
  int: "-?[0-9]{1,15}",
  money: "-?[0-9]{1,15}(\\.[0-9]{1,2})?",
  price: "-?[0-9]{1,13}(\\.[0-9]{1,4})?",
  number: "-?[0-9]{1,13}(\\.[0-9]{1,4})?",
};

function parseSql(column: ColumnSpec, n: string, format: CsvFormat): string {
  const cell = ident(n);
  switch (column.type) {
    case "id":
    case "text":
      return cell;
    case "enum":
      return `CASE WHEN lower(${cell}) IN (${(column.values ?? []).map(literal).join(", ")}) THEN lower(${cell}) END`;
    case "int":
    case "number":
    case "money":
    case "price":
      return `CASE WHEN regexp_full_match(${cell}, '${DECIMAL_PATTERN[column.type]}') THEN TRY_CAST(${cell} AS ${SQL_TYPES[column.type]}) END`;
    case "date":
      return `CAST(TRY_STRPTIME(${cell}, ${literal(format.dateFormat)}) AS DATE)`;
    default:
      throw new Error(`invalid column type: ${column.type satisfies never}`);
  }
}

function cellReasonSql(column: ColumnSpec, format: CsvFormat, context: ValidationContext): string[] {
  const n = ident(`n_${column.name}`);
  const v = ident(column.name);
  const out: string[] = [];
  if (column.required) out.push(`CASE WHEN ${n} IS NULL THEN ${reason("missing_value", column.name, `'${column.name} is empty'`)} END`);
  const expected: Record<ColumnSpec["type"], string> = {
    id: "",
    text: "",
    enum: `one of ${(column.values ?? []).join(", ")}`,
    int: "a whole number",
    number: "a number with at most 4 decimals",
    money: `an amount with at most 2 decimals (decimal separator "${format.decimalSeparator}", no currency symbol)`,
    price: "a price with at most 4 decimals",
    date: `a date written ${format.dateFormat}`,
  };
  if (expected[column.type]) {
    out.push(`CASE WHEN ${n} IS NOT NULL AND ${v} IS NULL THEN ${reason(`invalid_${column.type}`, column.name, `'${column.name} ' || ${quoteValue(n)} || ' is not ${expected[column.type]}'`)} END`);
  }
  if (column.min !== undefined) out.push(`CASE WHEN ${v} < ${column.min} THEN ${reason("out_of_range", column.name, `'${column.name} ' || ${v} || ' is below ${column.min}'`)} END`);
  if (column.max !== undefined) out.push(`CASE WHEN ${v} > ${column.max} THEN ${reason("out_of_range", column.name, `'${column.name} ' || ${v} || ' is above ${column.max}'`)} END`);
  if (column.type === "date") {
    out.push(
      `CASE WHEN ${v} > DATE ${literal(context.asOf)} THEN ${reason("future_date", column.name, `'${column.name} ' || ${v} || ' is after the as-of date ${context.asOf}'`)} END`,
      `CASE WHEN ${v} < DATE ${literal(context.earliest)} THEN ${reason("date_out_of_range", column.name, `'${column.name} ' || ${v} || ' is before ${context.earliest}'`)} END`,
    );
  }
  if (column.type === "id" || column.type === "text") {
    out.push(`CASE WHEN regexp_matches(${n}, '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]') THEN ${reason("control_character", column.name, `'${column.name} contains control characters'`)} END`);
  }
  return out;
}
