/**
 * Reads one CSV extract into DuckDB as text, exactly as written, with the physical line
 * number of every row. Structural problems (missing file, empty file, missing column,
 * unreadable encoding) stop here with one message naming file, line and column; ragged rows
 * come back as `RaggedRow`s for the quarantine, never dropped.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ExtractConfig } from "../config.js";
import { ident, literal, type Db } from "../db.js";
import { AtlasError, structuralError } from "../errors.js";
import { readHeader, utf16Label } from "./header.js";
import { blankLines, copyWithout, lineText, MAX_LINE_BYTES, scanBytes, type ByteScan } from "./scan.js";
import { EXTRACTS } from "./schema.js";

export { parseCsvRecord } from "./header.js";

export interface RaggedRow {
  readonly line: number;
  readonly message: string;
  readonly text: string;
}

export interface RawExtract {
  /** A FROM-clause source with a `line` column and one VARCHAR column per canonical column present. */
  readonly source: string;
  /** Tables to drop once the extract is validated. */
  readonly tables: readonly string[];
  /** Canonical columns the source provides (optional ones may be absent). */
  readonly columns: readonly string[];
  /** `amount` computed as the exact product of two typed columns (extracts.X.columns.amount.multiply). */
  readonly multiply: { readonly column: string; readonly factors: readonly [string, string] } | null;
  /** Rows left out by the config's filters, per rule (counted in rowsRead, never quarantined). */
  readonly filtered: ReadonlyArray<{ readonly rule: string; readonly count: number }>;
  /** Headers in the file that no canonical column maps to (kept out, reported). */
  readonly extraHeaders: readonly string[];
  readonly ragged: readonly RaggedRow[];
  /** Data rows in the file: read + ragged. */
  readonly rowsRead: number;
  readonly bytes: number;
  /** False when a byte scan found no control character (other than tab, CR, LF): the SQL check is skipped. */
  readonly mayHaveControlChars: boolean;
}

/** The file name as shown in messages: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}

/**
 * The file name as the report (and every page built from it) shows it: relative to the
 * config, so that no path of the build machine is published.
 */
export function configRelativePath(configPath: string, file: string): string {
  return path
    .relative(path.dirname(path.resolve(configPath)), file)
    .split(path.sep)
    .join("/");
}

export async function readExtract(db: Db, config: ExtractConfig): Promise<RawExtract> {
  const shown = displayPath(config.file);
  let bytes: number;
  try {
    bytes = statSync(config.file).size;
  } catch {
    throw structuralError(
      shown,
      {},
      `the ${config.name} extract is missing (configured in extracts.${config.name}.file)`,
    );
  }
  const headers = readHeader(config, shown);

  const columns = planColumns(config, headers, shown);
  const extraHeaders = headers.filter((_, i) => !columns.used.has(i));

  // DuckDB needs unique column names: they are named by position (c0, c1, …) and renamed below.
  const table = `raw_${config.name}`;
  const rejects = `rejects_${config.name}`;
  const { format } = config;
  // DuckDB reads UTF-8 only: its latin-1 reader rejects the bytes 0x80–0x9F that Windows-1252
  // uses for €, “ ” and friends, and its UTF-16 reader knows no big-endian. Other encodings
  // are transcoded to UTF-8 first (streamed, in DuckDB's temp directory).
  const plan = { shown, bytes, headers, columns, extraHeaders, table, rejects };
  const decode =
    format.encoding === "latin-1" ? "windows-1252" : format.encoding === "utf-16" ? utf16Label(config.file) : null;
  const transcoded = decode ? await rewriteCopy(db, config.file, { decode, lf: false }) : null;
  try {
    return await readText(db, config, transcoded?.file ?? config.file, plan);
  } catch (error) {
    // DuckDB's reader stops on a file that mixes CRLF and LF line endings (a CSV edited by hand
    // on two systems): read a copy with LF endings instead.
    if (!(error instanceof AtlasError) || !error.message.includes("invalid state")) throw error;
    const normalized = await rewriteCopy(db, transcoded?.file ?? config.file, { decode: null, lf: true });
    try {
      return await readText(db, config, normalized.file, plan);
    } finally {
      rmSync(normalized.dir, { recursive: true, force: true });
    }
  } finally {
    if (transcoded) rmSync(transcoded.dir, { recursive: true, force: true });
  }
}

/**
 * How each canonical column is made from the file's columns (named c0, c1, … by position):
 * the configured header (through its value map), a constant, a sequence, or the product of
 * two other columns (computed from their typed values in ./validate.ts).
 */
interface ColumnPlan {
  /** Canonical column → SQL over the positional columns (and `line`). */
  readonly expressions: Readonly<Record<string, string>>;
  /** Positions of the file's columns that the expressions and filters read. */
  readonly used: ReadonlySet<number>;
  /** Row filters as SQL, with the rule as the report shows it. */
  readonly filters: ReadonlyArray<{ readonly rule: string; readonly sql: string }>;
  readonly multiply: RawExtract["multiply"];
  /** A window function (a generated line number) or a filter needs the mapped rows materialised. */
  readonly materialize: boolean;
}

function planColumns(config: ExtractConfig, headers: readonly string[], shown: string): ColumnPlan {
  const spec = EXTRACTS[config.name];
  // Match configured headers to the file's, ignoring case and surrounding spaces; the first of a repeated header wins.
  const normalized = headers.map((h) => h.trim().toLowerCase());
  const used = new Set<number>();
  const position = (header: string) => normalized.indexOf(header.trim().toLowerCase());
  const expressions: Record<string, string> = {};
  let multiply: RawExtract["multiply"] = null;
  let materialize = false;
  const sequences: string[] = [];
  for (const column of spec.columns) {
    const source = config.columns[column.name];
    const explicit = !(source.kind === "header" && source.header === column.name && source.map === null);
    switch (source.kind) {
      case "header": {
        const index = position(source.header);
        if (index < 0) {
          if (!column.required && !explicit) break;
          const mapped = explicit ? ` (mapped from "${source.header}")` : "";
          const what = column.required ? "required column" : "mapped column";
          throw structuralError(
            shown,
            { line: 1, column: column.name },
            `${what} "${column.name}"${mapped} is not in the header; found: ${headers.join(", ")}`,
          );
        }
        used.add(index);
        const cell = ident(`c${index}`);
        const map = source.map;
        expressions[column.name] = map
          ? `CASE lower(trim(${cell})) ${Object.entries(map)
              .map(([from, to]) => `WHEN ${literal(from)} THEN ${literal(to)}`)
              .join(" ")} ELSE ${cell} END`
          : cell;
        break;
      }
      case "value":
        expressions[column.name] = literal(source.value);
        break;
      case "sequence":
        sequences.push(column.name);
        break;
      case "multiply":
        multiply = { column: column.name, factors: source.factors };
        break;
    }
  }
  for (const name of sequences) {
    // line_no counts the lines of each invoice in file order; a generated id is the row's line in the file.
    const parent = spec.key.find((k) => k !== name);
    expressions[name] =
      name === "line_no" && parent && expressions[parent]
        ? `CAST(row_number() OVER (PARTITION BY ${expressions[parent]} ORDER BY line) AS VARCHAR)`
        : `CAST(line AS VARCHAR)`;
    materialize = true;
  }
  const filters = config.filters.map((filter, i) => {
    const index = position(filter.header);
    if (index < 0)
      throw structuralError(
        shown,
        { line: 1, column: filter.header },
        `the header "${filter.header}" of extracts.${config.name}.filter[${i}] is not in the file; found: ${headers.join(", ")}`,
      );
    used.add(index);
    materialize = true;
    const values = filter.values.map((v) => literal(v.trim().toLowerCase())).join(", ");
    return {
      rule: `${filter.header} in ${filter.values.map((v) => `"${v}"`).join(", ")}`,
      sql: `coalesce(lower(trim(${ident(`c${index}`)})) IN (${values}), false)`,
    };
  });
  return { expressions, used, filters, multiply, materialize };
}

interface ReadPlan {
  readonly shown: string;
  readonly bytes: number;
  readonly headers: readonly string[];
  readonly columns: ColumnPlan;
  readonly extraHeaders: readonly string[];
  readonly table: string;
  readonly rejects: string;
}

async function readText(db: Db, config: ExtractConfig, file: string, plan: ReadPlan): Promise<RawExtract> {
  const scan = scanBytes(file);
  // A line too long for DuckDB's reader is blanked in a copy (DuckDB skips a blank line, and
  // the bookkeeping below counts it) and quarantined here with its own text: left to DuckDB,
  // a line of 200 MB vanishes without a reject, or is reported with the previous row's text.
  const blanked = scan.overlong.length ? await tempCopy(db, file) : null;
  if (blanked) copyWithout(file, blanked.file, scan.overlong);
  const readFrom = blanked?.file ?? file;
  try {
    return await readRecords(db, config, readFrom, { ...plan, scan, original: file });
  } finally {
    if (blanked) rmSync(blanked.dir, { recursive: true, force: true });
  }
}

async function readRecords(
  db: Db,
  config: ExtractConfig,
  file: string,
  plan: ReadPlan & { readonly scan: ByteScan; readonly original: string },
): Promise<RawExtract> {
  const { shown, bytes, headers, columns, extraHeaders, table, rejects, scan, original } = plan;
  const { format } = config;
  const columnTypes = headers.map((_, i) => `${literal(`c${i}`)}: 'VARCHAR'`).join(", ");
  try {
    await db.run(`
      CREATE OR REPLACE TABLE ${table}_text AS
      SELECT * FROM read_csv(${literal(file)},
        columns = {${columnTypes}}, header = true, auto_detect = false,
        delim = ${literal(format.delimiter)}, quote = '"', escape = '"',
        encoding = 'utf-8', strict_mode = true, null_padding = false,
        ignore_errors = true, store_rejects = true,
        rejects_table = ${literal(rejects)}, rejects_scan = ${literal(`${rejects}_scan`)},
        max_line_size = ${MAX_LINE_BYTES}, parallel = true)`);
  } catch (error) {
    throw structuralError(shown, {}, `cannot be read as CSV: ${(error as Error).message.split("\n")[0]}`);
  }
  const rejected = await db.all<{
    line: string;
    start: string;
    error_type: string;
    error_message: string;
  }>(
    // DuckDB may report one ragged line several times (once per missing column): one entry per line.
    `SELECT line, min(line_byte_position) AS start, min(error_type) AS error_type, min(error_message) AS error_message
     FROM ${rejects} GROUP BY line ORDER BY line`,
  );
  const encodingProblem = rejected.find((r) => r.error_type === "INVALID ENCODING");
  if (encodingProblem) {
    throw structuralError(
      shown,
      { line: Number(encodingProblem.line) },
      `text is not valid ${format.encoding}; set extracts.${config.name}.format.encoding (e.g. "latin-1" for Windows-1252 exports)`,
    );
  }
  // The text shown is read from the file at the line's own first byte (DuckDB's csv_line may
  // be another row's when a buffer boundary falls inside a long line).
  const split: RaggedRow[] = rejected.map((r) => ({
    line: Number(r.line),
    message:
      r.error_type === "LINE SIZE OVER MAXIMUM"
        ? `the record is longer than ${MAX_LINE_BYTES.toLocaleString("en-US")} bytes, the most LTV Atlas reads`
        : `cannot split into the header's columns: ${r.error_message}`,
    text: lineText(file, Number(r.start)),
  }));
  const overlong: RaggedRow[] = scan.overlong.map((o) => ({
    line: o.line,
    message: `the line is ${o.bytes.toLocaleString("en-US")} bytes long, more than the ${MAX_LINE_BYTES.toLocaleString("en-US")} LTV Atlas reads`,
    text: lineText(original, o.start),
  }));
  const ragged = [...split, ...overlong].sort((a, b) => a.line - b.line);
  await db.run(`DROP TABLE IF EXISTS ${rejects}; DROP TABLE IF EXISTS ${rejects}_scan`);
  const [{ n }] = await db.all<{ n: string }>(`SELECT count(*) AS n FROM ${table}_text`);
  const rows = Number(n);
  // At least one column is read, even when every canonical column is a constant.
  const positional = (columns.used.size ? [...columns.used].sort((a, b) => a - b) : [0]).map((i) => ident(`c${i}`));
  const mayHaveControlChars = scan.controlChars;
  // Fast path: one physical line per record and no ragged rows, so line = position + 2 (after the header).
  let base: string;
  let tables: string[];
  if (ragged.length === 0 && scan.lines === rows + 1) {
    base = `(SELECT CAST(rowid + 2 AS BIGINT) AS line${positional.map((c) => `, ${c}`).join("")} FROM ${table}_text)`;
    tables = [`${table}_text`];
  } else {
    await numberLines(db, table, headers.length, split, positional, blankLines(file, format.delimiter));
    await db.run(`DROP TABLE ${table}_text`);
    base = table;
    tables = [table];
  }
  const filtered = await countFiltered(db, base, columns.filters);
  const where = columns.filters.length ? ` WHERE ${columns.filters.map((f) => f.sql).join(" AND ")}` : "";
  const mapped = `SELECT line${Object.entries(columns.expressions)
    .map(([name, sql]) => `, ${sql} AS ${ident(name)}`)
    .join("")} FROM ${base}${where}`;
  let source = `(${mapped})`;
  if (columns.materialize) {
    await db.run(`CREATE OR REPLACE TABLE ${table}_mapped AS ${mapped} ORDER BY line`);
    source = `${table}_mapped`;
    tables = [...tables, source];
  }
  return {
    source,
    tables,
    columns: Object.keys(columns.expressions),
    multiply: columns.multiply,
    filtered,
    extraHeaders,
    ragged,
    rowsRead: rows + ragged.length,
    bytes,
    mayHaveControlChars,
  };
}

/** Rows each filter leaves out, counted at the first rule they fail (rules apply in order). */
async function countFiltered(db: Db, base: string, filters: ColumnPlan["filters"]): Promise<RawExtract["filtered"]> {
  if (filters.length === 0) return [];
  const counts = filters.map(
    (f, i) =>
      `count(*) FILTER (WHERE ${[...filters.slice(0, i).map((p) => p.sql), `NOT ${f.sql}`].join(" AND ")}) AS r${i}`,
  );
  const [row] = await db.all<Record<string, string>>(`SELECT ${counts.join(", ")} FROM ${base}`);
  return filters.map((f, i) => ({ rule: f.rule, count: Number(row[`r${i}`]) }));
}

/**
 * Creates `table` with the physical line of each row. A row's line is 2 (after the header)
 * plus its position, plus the ragged rows DuckDB set aside before it, plus the newlines
 * inside quoted fields of earlier rows.
 */
async function numberLines(
  db: Db,
  table: string,
  width: number,
  ragged: readonly RaggedRow[],
  positional: readonly string[],
  blanks: readonly number[],
): Promise<void> {
  const all = Array.from({ length: width }, (_, i) => ident(`c${i}`));
  const [{ multiline }] = await db.all<{ multiline: boolean }>(
    `SELECT coalesce(bool_or(${all.map((c) => `coalesce(contains(${c}, chr(10)), false)`).join(" OR ")}), false) AS multiline FROM ${table}_text`,
  );
  // Ragged row j (sorted) sits after (line_j - 2 - j) good rows: every good row from there on shifts by one.
  // DuckDB reports a ragged row's physical line; blank lines before it are not rows: take them out first.
  const shifts = ragged.map((r, j) => r.line - blanks.filter((b) => b < r.line).length - 2 - j);
  const shiftSql =
    shifts.length === 0
      ? "0"
      : `(SELECT count(*) FROM (SELECT unnest(${`[${shifts.join(",")}]`}) AS s) WHERE s <= rowid)`;
  const newlineSql = multiline
    ? `coalesce(sum(${all.map((c) => `coalesce(length(${c}) - length(replace(${c}, chr(10), '')), 0)`).join(" + ")}) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)`
    : "0";
  const select = positional;
  if (blanks.length === 0) {
    await db.run(`
      CREATE OR REPLACE TABLE ${table} AS
      SELECT CAST(rowid + 2 + ${shiftSql} + ${newlineSql} AS BIGINT) AS line, ${select.join(", ")}
      FROM ${table}_text ORDER BY rowid`);
    return;
  }
  // DuckDB skips blank lines: the k-th blank line (0-based, physical line B) pushes every record
  // whose line, counted without blank lines, is at least B − k down by one. An ASOF join finds,
  // for each record, how many such thresholds lie at or before it.
  await db.run(`CREATE OR REPLACE TABLE ${table}_blanks (threshold BIGINT, shift BIGINT)`);
  const appender = await db.connection.createAppender(`${table}_blanks`);
  // Thresholds never decrease; consecutive blank lines share one, which shifts by all of them.
  blanks.forEach((line, k) => {
    if (k + 1 < blanks.length && blanks[k + 1] - (k + 1) === line - k) return;
    appender.appendBigInt(BigInt(line - k));
    appender.appendBigInt(BigInt(k + 1));
    appender.endRow();
  });
  appender.closeSync();
  await db.run(`
    CREATE OR REPLACE TABLE ${table} AS
    WITH numbered AS (SELECT rowid AS position, CAST(rowid + 2 + ${shiftSql} + ${newlineSql} AS BIGINT) AS counted, * FROM ${table}_text)
    SELECT CAST(n.counted + coalesce(b.shift, 0) AS BIGINT) AS line, ${select.map((c) => `n.${c}`).join(", ")}
    FROM numbered n ASOF LEFT JOIN ${table}_blanks b ON n.counted >= b.threshold
    ORDER BY n.position`);
  await db.run(`DROP TABLE ${table}_blanks`);
}

/** A fresh folder in DuckDB's temp directory (the OS's when none is set) and a file name in it. */
async function tempCopy(db: Db, file: string): Promise<{ dir: string; file: string }> {
  const [{ d }] = await db.all<{ d: string | null }>("SELECT current_setting('temp_directory') AS d");
  const parent = d && path.isAbsolute(d) ? d : os.tmpdir();
  if (!existsSync(parent)) mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, "atlas-transcode-"));
  return { dir, file: path.join(dir, path.basename(file)) };
}

/**
 * Copies a file into DuckDB's temp directory in 4 MB chunks: decoded from Windows-1252 (of
 * which ISO-8859-1 is the subset for text) or UTF-16 (either byte order, BOM dropped) to
 * UTF-8, and/or with every CRLF turned into LF.
 */
async function rewriteCopy(
  db: Db,
  file: string,
  how: { decode: "windows-1252" | "utf-16le" | "utf-16be" | null; lf: boolean },
): Promise<{ dir: string; file: string }> {
  const { dir, file: target } = await tempCopy(db, file);
  // Streamed: a character cut by a chunk boundary waits for the next chunk.
  const decoder = how.decode ? new TextDecoder(how.decode) : null;
  const input = openSync(file, "r");
  const output = openSync(target, "w");
  const buffer = Buffer.alloc(4 << 20);
  let pendingCr = false;
  try {
    for (;;) {
      const length = readSync(input, buffer, 0, buffer.length, null);
      if (length === 0) break;
      let chunk: Buffer = decoder
        ? Buffer.from(decoder.decode(buffer.subarray(0, length), { stream: true }), "utf8")
        : buffer.subarray(0, length);
      if (how.lf) {
        // A CR at the end of a chunk waits for the next chunk's first byte.
        if (pendingCr) chunk = Buffer.concat([Buffer.from([13]), chunk]);
        pendingCr = chunk[chunk.length - 1] === 13;
        if (pendingCr) chunk = chunk.subarray(0, chunk.length - 1);
        chunk = Buffer.from(chunk.toString("latin1").replaceAll("\r\n", "\n"), "latin1");
      }
      writeSync(output, chunk);
    }
    if (decoder) writeSync(output, Buffer.from(decoder.decode(), "utf8"));
    if (pendingCr) writeSync(output, Buffer.from([13]));
  } finally {
    closeSync(input);
    closeSync(output);
  }
  return { dir, file: target };
}
