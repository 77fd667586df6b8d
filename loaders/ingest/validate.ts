/**
 * Row-level validation of one extract in one SQL pass: parse every cell to its type, check
 * required fields, ranges, dates, currency, references and business rules; then mark
 * repeated keys. Each row ends either accepted (typed) or in `quarantine` with every reason
 * that applies; none is dropped. Money stays DECIMAL (exact) throughout.
 *
 * Speed: the pass computes one boolean per row and builds the list of reasons (and the row
 * as read, for the data-quality page) only for rows that fail — CASE evaluates its ELSE
 * branch for those rows alone. Duplicate keys are found with a GROUP BY (parallel) and
 * only the few repeated keys are looked at row by row.
 *
 * DuckDB's optimizer computes an expression that appears twice in a statement once, for
 * every row, ahead of the CASE that would have skipped it (common subexpression
 * elimination). A slow path written inline therefore runs on clean rows too: 3 s instead of
 * 0.6 s per numeric column of 7.7 M invoice lines. `bind()` gives such a path its value as a
 * lambda parameter, so that no two subexpressions are alike and it runs only where needed.
 */
import type { CsvFormat } from "../config.js";
import { ident, literal, type Db } from "../db.js";
import type { RawExtract } from "./read.js";
import type { ColumnSpec, ExtractSpec } from "./schema.js";

export interface ValidationContext {
  readonly asOf: string;
  /** Extracts whose accepted rows exist when this one is validated: references to others are not checked. */
  readonly available: ReadonlySet<string>;
  /** Dates before this are implausible for a CRM and quarantined. */
  readonly earliest: string;
  readonly currency: string;
}

/** Cell spellings that mean "no value" in non-text columns (compared case-insensitively). */
export const NULL_SPELLINGS = ["", "null", "nan", "n/a", "na", "#n/a", "none", "nil"];

/** The SQL type of a column; money keeps 4 decimals when the format allows more than cents. */
export function sqlType(type: ColumnSpec["type"], format: Pick<CsvFormat, "moneyDecimals">): string {
  return type === "money" && format.moneyDecimals > 2 ? "DECIMAL(18,4)" : SQL_TYPES[type];
}

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
    codes VARCHAR[], raw VARCHAR, amount DECIMAL(18,4)
  )`;

export interface ValidationResult {
  readonly accepted: number;
  readonly quarantined: number;
  readonly trimmedCells: number;
}

/** A check: `failSql` is TRUE when the row breaks it; `reasonSql` builds its {code, column, message}. */
interface Check {
  readonly failSql: string;
  readonly reasonSql: string;
}

/**
 * Validates `raw` into `final_<extract>` (line, typed columns, `reasons` — NULL when the row
 * is accepted —, and the row as read for rejected rows), the view `accepted_<extract>` and
 * rows appended to `quarantine`.
 */
export async function validateExtract(
  db: Db,
  raw: RawExtract,
  spec: ExtractSpec,
  format: CsvFormat,
  context: ValidationContext,
): Promise<ValidationResult> {
  await db.run(QUARANTINE_DDL);
  const present = spec.columns.filter((c) => raw.columns.includes(c.name));
  const product = raw.multiply;
  const absent = spec.columns.filter((c) => !raw.columns.includes(c.name) && c.name !== product?.column);
  const references = spec.references.filter((r) => context.available.has(r.extract));
  const n = (c: ColumnSpec) => ident(`n_${c.name}`);

  // 1. Normalised text: trimmed, null spellings to NULL, thousands separators removed.
  const normalized = present.flatMap((c) => [
    ...(isNumeric(c) ? [`${cleanNumberSql(c, format)} AS ${ident(`ok_${c.name}`)}`] : []),
    `${normalizeSql(c, format)} AS ${n(c)}`,
  ]);
  // 2. Typed values.
  const typed = [
    ...present.map((c) => `${parseSql(c, `n_${c.name}`, format)} AS ${ident(c.name)}`),
    ...absent.map((c) => `CAST(NULL AS ${sqlType(c.type, format)}) AS ${ident(c.name)}`),
  ];
  // 3. Checks on cells, references, business rules and currency.
  const checks: Check[] = present.flatMap((c) => cellChecks(c, format, context, raw.mayHaveControlChars));
  // amount = quantity × unit price, computed exactly: more decimals than money may have is invalid, never rounded.
  const productSql = product
    ? `CAST(${ident(product.factors[0])} AS DECIMAL(38,8)) * CAST(${ident(product.factors[1])} AS DECIMAL(38,8))`
    : "";
  if (product) {
    const column = product.column;
    const both = `${ident(product.factors[0])} IS NOT NULL AND ${ident(product.factors[1])} IS NOT NULL`;
    checks.push(
      {
        failSql: `NOT (${both})`,
        reasonSql: reason("missing_value", column, `'${column} is empty: ${product.factors.join(" × ")} needs both'`),
      },
      {
        failSql: `(${both} AND ${ident(column)} IS NULL)`,
        reasonSql: reason(
          "invalid_money",
          column,
          `'${column} = ${product.factors.join(" × ")} = ' || CAST(${productSql} AS VARCHAR) || ' has more than ${format.moneyDecimals} decimals or ${MAX_INTEGER_DIGITS.money} digits'`,
        ),
      },
    );
  }
  const joins = references.flatMap((ref, i) => [
    `LEFT JOIN accepted_${ref.extract} p${i} ON p${i}.${ident(ref.targetColumn)} = t.${ident(ref.column)}`,
    // Rows of the parent that were quarantined: a child never attaches to another record of the same key.
    `LEFT JOIN (SELECT ${ident(ref.targetColumn)} AS k, min(line) AS qline, min(reasons[1].code) AS qcode FROM final_${ref.extract} WHERE reasons IS NOT NULL AND ${ident(ref.targetColumn)} IS NOT NULL GROUP BY 1) q${i} ON q${i}.k = t.${ident(ref.column)}`,
  ]);
  const brought = references.flatMap((ref, i) => [
    `p${i}.${ident(ref.targetColumn)} IS NULL AS ${ident(`missing_ref_${i}`)}`,
    `q${i}.qline AS ${ident(`parent_line_${i}`)}`,
    `q${i}.qcode AS ${ident(`parent_code_${i}`)}`,
    ...(ref.bring ?? []).map((col) => `p${i}.${ident(col)} AS ${ident(`ref_${col}`)}`),
  ]);
  references.forEach((ref, i) => {
    const parent = ident(`parent_line_${i}`);
    checks.push(
      {
        failSql: `(${ident(ref.column)} IS NOT NULL AND ${parent} IS NOT NULL)`,
        reasonSql: reason(
          "parent_quarantined",
          ref.column,
          `'${ref.column} ' || ${quoteValue(ident(ref.column))} || ': its ${ref.extract} row on line ' || ${parent} || ' was quarantined (' || ${ident(`parent_code_${i}`)} || ')'`,
        ),
      },
      {
        failSql: `(${ident(ref.column)} IS NOT NULL AND ${ident(`missing_ref_${i}`)} AND ${parent} IS NULL)`,
        reasonSql: reason(
          "orphan_reference",
          ref.column,
          `'${ref.column} ' || ${quoteValue(ident(ref.column))} || ' not found among accepted ${ref.extract}'`,
        ),
      },
    );
  });
  // A rule that names a column this extract does not have (here) is not checked.
  const rules = spec.rules.filter(
    (rule) => ![...rule.sql.matchAll(/ref_([a-z_]+)/g)].some((m) => !references.some((r) => r.bring?.includes(m[1]))),
  );
  for (const rule of rules)
    checks.push({
      failSql: `coalesce((${rule.sql}), false)`,
      reasonSql: reason(rule.code, rule.column, literal(rule.message)),
    });
  if (spec.columns.some((c) => c.name === "currency") && raw.columns.includes("currency")) {
    checks.push({
      failSql: `coalesce(upper(currency) <> ${literal(context.currency)}, false)`,
      reasonSql: reason(
        "currency_mismatch",
        "currency",
        `'currency ' || ${quoteValue("currency")} || ' differs from the configured ${context.currency}'`,
      ),
    });
  }
  const anyFails = checks.map((c) => c.failSql).join(" OR ") || "false";
  const reasons = `list_filter([${checks.map((c) => `CASE WHEN ${c.failSql} THEN ${c.reasonSql} END`).join(", ")}], x -> x IS NOT NULL)`;
  const rawJson = `to_json({${present.map((c) => `${literal(c.name)}: ${ident(`raw_${c.name}`)}`).join(", ")}})::VARCHAR`;
  const columns = spec.columns.map((c) => ident(c.name));

  await db.run(`
    CREATE OR REPLACE TABLE final_${spec.name} AS
    WITH r AS (SELECT * FROM ${raw.source}),
    n AS (SELECT line, ${present.map((c) => `r.${ident(c.name)} AS ${ident(`raw_${c.name}`)}`).join(", ")}, ${normalized.join(", ")} FROM r),
    t0 AS (SELECT *, ${typed.join(", ")} FROM n),
    t AS (SELECT *${product ? `, CASE WHEN ${productSql} = round(${productSql}, ${format.moneyDecimals}) AND abs(${productSql}) < 1e${MAX_INTEGER_DIGITS.money} THEN CAST(${productSql} AS ${sqlType("money", format)}) END AS ${ident(product.column)}` : ""} FROM t0),
    j AS (SELECT t.*${brought.length ? ", " + brought.join(", ") : ""} FROM t ${joins.join(" ")})
    SELECT line, ${columns.join(", ")},
      CASE WHEN ${anyFails} THEN ${reasons} END AS reasons,
      CASE WHEN ${anyFails} THEN ${rawJson} END AS raw_json,
      ${trimmedSql(present)} AS trimmed_cells
    FROM j`);

  // 4. Repeated keys: the first line wins among rows without other problems.
  if (spec.key.length > 0) await markDuplicates(db, spec);
  if (spec.noOverlap) await markOverlaps(db, spec, spec.noOverlap);

  await db.run(
    `CREATE OR REPLACE VIEW accepted_${spec.name} AS SELECT line, ${columns.join(", ")} FROM final_${spec.name} WHERE reasons IS NULL`,
  );

  const moneyAmount = spec.moneyColumn ? ident(spec.moneyColumn) : "NULL";
  await db.run(`
    INSERT INTO quarantine
    SELECT ${literal(spec.name)}, line, reasons[1].code, reasons[1].column, reasons[1].message,
      list_transform(reasons, x -> x.code), raw_json, ${moneyAmount}
    FROM final_${spec.name} WHERE reasons IS NOT NULL`);
  // Ragged rows: the reader could not split them into columns.
  for (const row of raw.ragged) {
    await db.run(
      `INSERT INTO quarantine VALUES ($extract, $line, 'ragged_row', NULL, $message, ['ragged_row'], to_json({'text': $text})::VARCHAR, NULL)`,
      {
        extract: spec.name,
        line: row.line,
        message: row.message,
        text: row.text.slice(0, 2000),
      },
    );
  }
  const [counts] = await db.all<{ accepted: string; quarantined: string; trimmed: string }>(
    `SELECT count(*) FILTER (WHERE reasons IS NULL) AS accepted, count(*) FILTER (WHERE reasons IS NOT NULL) AS quarantined,
       coalesce(sum(trimmed_cells), 0) AS trimmed FROM final_${spec.name}`,
  );
  return {
    accepted: Number(counts.accepted),
    quarantined: Number(counts.quarantined) + raw.ragged.length,
    trimmedCells: Number(counts.trimmed),
  };
}

/** Marks every repeat of a key (after its first line among rows without other problems) as `duplicate_key`. */
async function markDuplicates(db: Db, spec: ExtractSpec): Promise<void> {
  const key = spec.key.map(ident);
  const keyText = spec.key.map((k) => `coalesce(CAST(f.${ident(k)} AS VARCHAR), '')`).join(" || '|' || ");
  await db.run(`
    CREATE OR REPLACE TEMP TABLE dup_${spec.name} AS
    SELECT ${key.join(", ")}, min(line) AS first_line FROM final_${spec.name} WHERE reasons IS NULL AND ${spec.key.map((k) => `${ident(k)} IS NOT NULL`).join(" AND ")} GROUP BY ALL HAVING count(*) > 1`);
  const [{ d }] = await db.all<{ d: string }>(`SELECT count(*) AS d FROM dup_${spec.name}`);
  if (Number(d) > 0) {
    await db.run(`
      UPDATE final_${spec.name} f SET
        reasons = [${reason("duplicate_key", spec.key.join(" + "), `'duplicate ${spec.key.join(" + ")} ' || ${quoteValue(keyText)} || ', first seen on line ' || dup.first_line`)}],
        raw_json = to_json({${spec.columns.map((c) => `${literal(c.name)}: CAST(f.${ident(c.name)} AS VARCHAR)`).join(", ")}})::VARCHAR
      FROM dup_${spec.name} dup
      WHERE f.reasons IS NULL AND ${spec.key.map((k) => `f.${ident(k)} = dup.${ident(k)}`).join(" AND ")} AND f.line > dup.first_line`);
  }
  await db.run(`DROP TABLE dup_${spec.name}`);
}

/**
 * Marks every row (among rows without other problems) whose period starts on or before the
 * end of an earlier-starting row of the same group as `overlapping_period`: two contracts of
 * one account and product at once would count its MRR twice, and which one is right is the
 * CRM's to say. An open end (NULL) runs forever.
 */
async function markOverlaps(db: Db, spec: ExtractSpec, rule: NonNullable<ExtractSpec["noOverlap"]>): Promise<void> {
  const [start, end] = [ident(rule.start), ident(rule.end)];
  const same = rule.group.map((c) => `a.${ident(c)} = b.${ident(c)}`).join(" AND ");
  const keyOf = (t: string) => spec.key.map((k) => `${t}.${ident(k)}`).join(" || '|' || ");
  await db.run(`
    CREATE OR REPLACE TEMP TABLE overlap_${spec.name} AS
    SELECT b.line, min(a.line) AS other_line, arg_min(${keyOf("a")}, a.line) AS other_key, arg_min(a.${start}, a.line) AS other_start
    FROM final_${spec.name} a JOIN final_${spec.name} b ON ${same}
      AND (a.${start} < b.${start} OR (a.${start} = b.${start} AND a.line < b.line))
      AND (a.${end} IS NULL OR b.${start} <= a.${end})
    WHERE a.reasons IS NULL AND b.reasons IS NULL
    GROUP BY b.line`);
  const groupText = rule.group.join(" and ");
  await db.run(`
    UPDATE final_${spec.name} f SET
      reasons = [${reason("overlapping_period", rule.start, `'${rule.start} ' || CAST(f.${start} AS VARCHAR) || ' lies within ${spec.key.join(" + ")} "' || o.other_key || '" (line ' || o.other_line || ', from ' || CAST(o.other_start AS VARCHAR) || ') of the same ${groupText}: its value would count twice'`)}],
      raw_json = to_json({${spec.columns.map((c) => `${literal(c.name)}: CAST(f.${ident(c.name)} AS VARCHAR)`).join(", ")}})::VARCHAR
    FROM overlap_${spec.name} o WHERE f.line = o.line`);
  await db.run(`DROP TABLE overlap_${spec.name}`);
}

function reason(code: string, column: string, messageSql: string): string {
  return `{'code': ${literal(code)}, 'column': ${literal(column)}, 'message': ${messageSql}}`;
}

/** A value shown inside a message: quoted and cut to 60 characters. */
function quoteValue(sql: string): string {
  return bind(sql, (x) => `'"' || left(CAST(${x} AS VARCHAR), 60) || '"'`);
}

let lambdas = 0;
/**
 * `body` applied to the value of `sql`, evaluated once, through a lambda with a name of its
 * own: the expression is unlike any other in the statement, so the optimizer leaves it inside
 * the CASE branch that needs it (see the note at the top of this file).
 */
function bind(sql: string, body: (x: string) => string): string {
  const x = `v${(lambdas = (lambdas + 1) % 1e6)}`;
  return `list_transform([${sql}], lambda ${x}: ${body(x)})[1]`;
}

/**
 * The cell as the parsers see it. Clean cells — the vast majority — pass through untouched;
 * only cells with surrounding spaces, null spellings or thousands separators are rewritten
 * (trimming and lower-casing every cell of a 10-million-line file costs seconds).
 */
function normalizeSql(column: ColumnSpec, format: CsvFormat): string {
  const raw = `r.${ident(column.name)}`;
  if (column.type === "text" || column.type === "id")
    return `CASE WHEN ${raw} = '' THEN NULL WHEN ${paddedSql(raw)} THEN nullif(${trimSql(raw)}, '') ELSE ${raw} END`;
  const padded = paddedSql;
  const trim = trimSql;
  // Null spellings are at most 4 characters, so longer cells skip the lower-casing.
  const spelling = (x: string) => `(length(${x}) <= 4 AND lower(${x}) IN (${NULL_SPELLINGS.map(literal).join(", ")}))`;
  const base = (x: string) =>
    `CASE WHEN ${x} = '' OR ${spelling(x)} THEN NULL WHEN ${padded(x)} THEN ${bind(trim(x), (t) => `CASE WHEN ${spelling(t)} THEN NULL ELSE ${t} END`)} ELSE ${x} END`;
  if (isNumeric(column)) {
    // Spaces of any kind go (French or Swiss exports group digits with U+00A0 or U+202F).
    const compact = (x: string) => `regexp_replace(${x}, '[\\s\u00A0\u2007\u2009\u202F]', '', 'g')`;
    // Only a well-formed thousands pattern loses its separators; anything else stays as written (and fails to parse).
    const ungroup = (c: string) =>
      format.decimalSeparator === "."
        ? `CASE WHEN contains(${c}, ',') AND regexp_full_match(${c}, '-?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?') THEN replace(${c}, ',', '') ELSE ${c} END`
        : // With "," decimals a "." is a thousands separator in well-formed 3-digit groups only
          // ("1.234,5"); any other "." ("12.50", "0.5") stays and fails the decimal-comma pattern.
          `CASE WHEN contains(${c}, '.') AND regexp_full_match(${c}, '-?[0-9]{1,3}(\\.[0-9]{3})+(,[0-9]+)?') THEN replace(${c}, '.', '') ELSE ${c} END`;
    const slow = bind(raw, (x) => bind(base(x), (v) => bind(compact(v), ungroup)));
    // A clean cell (the vast majority; `ok_<column>`, see cleanNumberSql) is taken as written; the slow path runs for the others only.
    return `CASE WHEN ${ident(`ok_${column.name}`)} THEN ${raw} ELSE ${slow} END`;
  }
  return bind(raw, base);
}

/**
 * Unicode white space (the White_Space property: tab, line breaks, U+0085, no-break and
 * every other space separator): an id padded with a tab or U+00A0 must not become a second
 * account. The cheap test looks at the first and last character only.
 */
const WHITE_SPACE = [
  "\t",
  "\n",
  "\u000B",
  "\f",
  "\r",
  " ",
  "\u0085",
  "\u00A0",
  "\u1680",
  ..."\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A",
  "\u2028",
  "\u2029",
  "\u202F",
  "\u205F",
  "\u3000",
];
const WHITE_SPACE_CLASS = "[\\t\\n\\x0B\\f\\r\\x{85}\\pZ]";

/** How many id and text cells of a row lose surrounding white space (reported, see paddedSql). */
function trimmedSql(present: readonly ColumnSpec[]): string {
  const cells = present.filter((c) => c.type === "id" || c.type === "text");
  return cells.length
    ? cells.map((c) => `CAST(coalesce(${paddedSql(ident(`raw_${c.name}`))}, false) AS INTEGER)`).join(" + ")
    : "0";
}

/** TRUE when the cell starts or ends with white space. */
export function paddedSql(x: string): string {
  const set = WHITE_SPACE.map(literal).join(", ");
  return `(left(${x}, 1) IN (${set}) OR right(${x}, 1) IN (${set}))`;
}

/** The cell without surrounding white space. */
function trimSql(x: string): string {
  return `regexp_replace(${x}, '^${WHITE_SPACE_CLASS}+|${WHITE_SPACE_CLASS}+$', '', 'g')`;
}

function isNumeric(column: ColumnSpec): boolean {
  return column.type === "int" || column.type === "number" || column.type === "money" || column.type === "price";
}

/**
 * TRUE when a numeric cell is written exactly as the parser wants it (digits, an optional
 * minus and decimal point, the allowed scale): such a cell needs neither rewriting nor a
 * second look, and is cast directly. Computed once per cell as `ok_<column>`.
 */
function cleanNumberSql(column: ColumnSpec, format: CsvFormat): string {
  return format.decimalSeparator === "."
    ? `regexp_full_match(r.${ident(column.name)}, '${decimalPattern(column.type, format)}')`
    : "false";
}

/**
 * Digits allowed before the decimal point. Money, prices and quantities stay below 10^12 (a
 * trillion) per cell, so that integer cents stay exact as JavaScript numbers even summed over
 * millions of rows, and products such as quantity × unit cost fit DuckDB's DECIMAL(38).
 */
export const MAX_INTEGER_DIGITS: Partial<Record<ColumnSpec["type"], number>> = {
  int: 15,
  money: 12,
  price: 12,
  number: 12,
};

/** The clean spelling of a numeric cell; money allows the format's decimals (2 unless configured). */
function decimalPattern(
  type: ColumnSpec["type"],
  format: Pick<CsvFormat, "moneyDecimals" | "decimalSeparator">,
): string {
  const pattern =
    type === "money"
      ? `-?[0-9]{1,${MAX_INTEGER_DIGITS.money}}(\\.[0-9]{1,${format.moneyDecimals}})?`
      : DECIMAL_PATTERN[type]!;
  return format.decimalSeparator === "," ? pattern.replace("\\.", ",") : pattern;
}

const DECIMAL_PATTERN: Partial<Record<ColumnSpec["type"], string>> = {
  int: `-?[0-9]{1,${MAX_INTEGER_DIGITS.int}}`,
  price: `-?[0-9]{1,${MAX_INTEGER_DIGITS.price}}(\\.[0-9]{1,4})?`,
  number: `-?[0-9]{1,${MAX_INTEGER_DIGITS.number}}(\\.[0-9]{1,4})?`,
};

function parseSql(column: ColumnSpec, n: string, format: CsvFormat): string {
  const cell = ident(n);
  switch (column.type) {
    case "id":
    case "text":
      return cell;
    case "enum": {
      const values = (column.values ?? []).map(literal).join(", ");
      return `CASE WHEN ${cell} IN (${values}) THEN ${cell} ELSE ${bind(`lower(${cell})`, (x) => `CASE WHEN ${x} IN (${values}) THEN ${x} END`)} END`;
    }
    case "int":
    case "number":
    case "money":
    case "price":
      // The pattern guards the scale: a cast alone would round 1.005 to 1.01 without a word.
      return `CASE WHEN ${ident(`ok_${column.name}`)} THEN CAST(${cell} AS ${sqlType(column.type, format)}) WHEN regexp_full_match(${cell}, '${decimalPattern(column.type, format)}') THEN TRY_CAST(${format.decimalSeparator === "," ? `replace(${cell}, ',', '.')` : cell} AS ${sqlType(column.type, format)}) END`;
    case "date":
      return `CAST(TRY_STRPTIME(${cell}, ${literal(format.dateFormat)}) AS DATE)`;
    default:
      throw new Error(`invalid column type: ${column.type satisfies never}`);
  }
}

function cellChecks(column: ColumnSpec, format: CsvFormat, context: ValidationContext, controlChars: boolean): Check[] {
  const n = ident(`n_${column.name}`);
  const v = ident(column.name);
  const out: Check[] = [];
  if (column.required)
    out.push({ failSql: `${n} IS NULL`, reasonSql: reason("missing_value", column.name, `'${column.name} is empty'`) });
  const expected: Record<ColumnSpec["type"], string> = {
    id: "",
    text: "",
    enum: `one of ${(column.values ?? []).join(", ")}`,
    int: "a whole number",
    number: "a number with at most 4 decimals",
    money: `an amount with at most ${format.moneyDecimals} decimals (decimal separator "${format.decimalSeparator}", no currency symbol${format.moneyDecimals < 4 ? "; set format.moneyDecimals for exports with more" : ""})`,
    price: "a price with at most 4 decimals",
    date: `a date written ${format.dateFormat}`,
  };
  const digits = MAX_INTEGER_DIGITS[column.type];
  // A well-formed number with too many digits is out of range, not unreadable (huge values must never overflow a DECIMAL).
  // Both checks look at a cell only when it did not parse (CASE), each through its own lambda (see bind()).
  const unparsed = `${n} IS NOT NULL AND ${v} IS NULL`;
  const tooLarge = (x: string) =>
    digits === undefined
      ? "false"
      : `regexp_full_match(${x}, '-?[0-9]{${digits + 1},}(${format.decimalSeparator === "," ? "," : "\\."}[0-9]+)?')`;
  if (digits !== undefined) {
    out.push({
      failSql: `CASE WHEN ${unparsed} THEN ${bind(n, tooLarge)} ELSE false END`,
      reasonSql: reason(
        "out_of_range",
        column.name,
        `'${column.name} ' || ${quoteValue(n)} || ' is too large (at most ${digits} digits before the decimal point)'`,
      ),
    });
  }
  if (expected[column.type]) {
    const failSql =
      digits === undefined
        ? `(${unparsed})`
        : `CASE WHEN ${unparsed} THEN ${bind(n, (x) => `NOT ${tooLarge(x)}`)} ELSE false END`;
    out.push({
      failSql,
      reasonSql: reason(
        `invalid_${column.type}`,
        column.name,
        `'${column.name} ' || ${quoteValue(n)} || ' is not ${expected[column.type]}'`,
      ),
    });
  }
  if (column.min !== undefined)
    out.push({
      failSql: `coalesce(${v} < ${column.min}, false)`,
      reasonSql: reason("out_of_range", column.name, `'${column.name} ' || ${v} || ' is below ${column.min}'`),
    });
  if (column.max !== undefined)
    out.push({
      failSql: `coalesce(${v} > ${column.max}, false)`,
      reasonSql: reason("out_of_range", column.name, `'${column.name} ' || ${v} || ' is above ${column.max}'`),
    });
  if (column.type === "date") {
    out.push(
      ...(column.future
        ? []
        : [
            {
              failSql: `coalesce(${v} > DATE ${literal(context.asOf)}, false)`,
              reasonSql: reason(
                "future_date",
                column.name,
                `'${column.name} ' || ${v} || ' is after the as-of date ${context.asOf}'`,
              ),
            },
          ]),
      {
        failSql: `coalesce(${v} < DATE ${literal(context.earliest)}, false)`,
        reasonSql: reason(
          "date_out_of_range",
          column.name,
          `'${column.name} ' || ${v} || ' is before ${context.earliest}'`,
        ),
      },
    );
  }
  if (controlChars && (column.type === "id" || column.type === "text")) {
    out.push({
      failSql: `coalesce(regexp_matches(${n}, '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]'), false)`,
      reasonSql: reason("control_character", column.name, `'${column.name} contains control characters'`),
    });
  }
  return out;
}
