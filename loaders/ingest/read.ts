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
import { EXTRACTS } from "./schema.js";

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
  // DuckDB's latin-1 reader rejects the bytes 0x80–0x9F that Windows-1252 uses for €, “ ” and
  // friends: such files are transcoded to UTF-8 first (streamed, in DuckDB's temp directory).
  const plan = { shown, bytes, headers, columns, extraHeaders, table, rejects };
  const transcoded =
    format.encoding === "latin-1" ? await rewriteCopy(db, config.file, { windows1252: true, lf: false }) : null;
  try {
    return await readText(db, config, transcoded?.file ?? config.file, transcoded ? "utf-8" : format.encoding, plan);
  } catch (error) {
    // DuckDB's reader stops on a file that mixes CRLF and LF line endings (a CSV edited by hand
    // on two systems): read a copy with LF endings instead.
    if (!(error instanceof AtlasError) || !error.message.includes("invalid state") || format.encoding === "utf-16")
      throw error;
    const normalized = await rewriteCopy(db, transcoded?.file ?? config.file, { windows1252: false, lf: true });
    try {
      return await readText(db, config, normalized.file, transcoded ? "utf-8" : format.encoding, plan);
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

async function readText(
  db: Db,
  config: ExtractConfig,
  file: string,
  encoding: string,
  plan: ReadPlan,
): Promise<RawExtract> {
  const { shown, bytes, headers, columns, extraHeaders, table, rejects } = plan;
  const { format } = config;
  const columnTypes = headers.map((_, i) => `${literal(`c${i}`)}: 'VARCHAR'`).join(", ");
  try {
    await db.run(`
      CREATE OR REPLACE TABLE ${table}_text AS
      SELECT * FROM read_csv(${literal(file)},
        columns = {${columnTypes}}, header = true, auto_detect = false,
        delim = ${literal(format.delimiter)}, quote = '"', escape = '"',
        encoding = ${literal(encoding)}, strict_mode = true, null_padding = false,
        ignore_errors = true, store_rejects = true,
        rejects_table = ${literal(rejects)}, rejects_scan = ${literal(`${rejects}_scan`)},
        max_line_size = 4194304, parallel = true)`);
  } catch (error) {
    throw structuralError(shown, {}, `cannot be read as CSV: ${(error as Error).message.split("\n")[0]}`);
  }
  const rejected = await db.all<{
    line: string;
    error_type: string;
    csv_line: string;
    error_message: string;
    column_name: string | null;
  }>(
    // DuckDB may report one ragged line several times (once per missing column): one entry per line.
    `SELECT line, min(error_type) AS error_type, min(csv_line) AS csv_line, min(error_message) AS error_message, min(column_name) AS column_name
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
  const ragged: RaggedRow[] = rejected.map((r) => ({
    line: Number(r.line),
    message: r.error_message,
    text: r.csv_line,
  }));
  await db.run(`DROP TABLE IF EXISTS ${rejects}; DROP TABLE IF EXISTS ${rejects}_scan`);
  const [{ n }] = await db.all<{ n: string }>(`SELECT count(*) AS n FROM ${table}_text`);
  const rows = Number(n);
  // At least one column is read, even when every canonical column is a constant.
  const positional = (columns.used.size ? [...columns.used].sort((a, b) => a - b) : [0]).map((i) => ident(`c${i}`));
  const scan = scanBytes(file);
  const mayHaveControlChars = scan.controlChars || config.format.encoding === "utf-16";
  // Fast path: one physical line per record and no ragged rows, so line = position + 2 (after the header).
  let base: string;
  let tables: string[];
  if (ragged.length === 0 && scan.lines === rows + 1) {
    base = `(SELECT CAST(rowid + 2 AS BIGINT) AS line${positional.map((c) => `, ${c}`).join("")} FROM ${table}_text)`;
    tables = [`${table}_text`];
  } else {
    await numberLines(db, table, headers.length, ragged, positional, blankLines(file));
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
 * One pass over the file's bytes: physical lines (newlines, plus one for a last line without a
 * newline) and whether any control character other than tab, CR and LF occurs.
 */
function scanBytes(file: string): { lines: number; controlChars: boolean } {
  const fd = openSync(file, "r");
  const buffer = Buffer.alloc(4 << 20);
  let lines = 0;
  let controlChars = false;
  let last = 10;
  try {
    for (;;) {
      const length = readSync(fd, buffer, 0, buffer.length, null);
      if (length === 0) break;
      for (let i = 0; i < length; i++) {
        const b = buffer[i];
        if (b < 32 || b === 127) {
          if (b === 10) lines++;
          else if (b !== 9 && b !== 13) controlChars = true;
        }
      }
      last = buffer[length - 1];
    }
  } finally {
    closeSync(fd);
  }
  return { lines: last === 10 ? lines : lines + 1, controlChars };
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

/**
 * Physical line numbers of blank lines (empty, or a lone carriage return) outside quoted
 * fields: DuckDB skips them, so the line numbers of later records move down. One pass over
 * the bytes, tracking quotes (a doubled quote toggles twice, so it needs no special case).
 */
export function blankLines(file: string): number[] {
  const fd = openSync(file, "r");
  const buffer = Buffer.alloc(4 << 20);
  const out: number[] = [];
  let line = 1;
  let quoted = false;
  let empty = true;
  try {
    for (;;) {
      const length = readSync(fd, buffer, 0, buffer.length, null);
      if (length === 0) break;
      for (let i = 0; i < length; i++) {
        const byte = buffer[i];
        if (byte === 34) {
          quoted = !quoted;
          empty = false;
        } else if (byte === 10) {
          if (empty && !quoted && line > 1) out.push(line);
          line++;
          empty = true;
        } else if (byte !== 13) empty = false;
      }
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/**
 * Copies a file into DuckDB's temp directory in 4 MB chunks: from Windows-1252 (or ISO-8859-1)
 * to UTF-8, and/or with every CRLF turned into LF.
 */
async function rewriteCopy(
  db: Db,
  file: string,
  how: { windows1252: boolean; lf: boolean },
): Promise<{ dir: string; file: string }> {
  const [{ d }] = await db.all<{ d: string | null }>("SELECT current_setting('temp_directory') AS d");
  const parent = d && path.isAbsolute(d) ? d : os.tmpdir();
  if (!existsSync(parent)) mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, "atlas-transcode-"));
  const target = path.join(dir, path.basename(file));
  // WHATWG's windows-1252 decoder: every byte maps to one character (ISO-8859-1 is its subset for text).
  const decoder = new TextDecoder("windows-1252");
  const input = openSync(file, "r");
  const output = openSync(target, "w");
  const buffer = Buffer.alloc(4 << 20);
  let pendingCr = false;
  try {
    for (;;) {
      const length = readSync(input, buffer, 0, buffer.length, null);
      if (length === 0) break;
      let chunk: Buffer = how.windows1252
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
    if (pendingCr) writeSync(output, Buffer.from([13]));
  } finally {
    closeSync(input);
    closeSync(output);
  }
  return { dir, file: target };
}

/** Reads and parses the header line in Node, so that a missing column is reported before DuckDB runs. */
function readHeader(config: ExtractConfig, shown: string): string[] {
  const fd = openSync(config.file, "r");
  const buffer = Buffer.alloc(65536);
  let length: number;
  try {
    length = readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  if (length === 0) throw structuralError(shown, { line: 1 }, "the file is empty: a header line is required");
  let text: string;
  switch (config.format.encoding) {
    case "utf-8":
      text = buffer
        .subarray(0, length)
        .toString("utf8")
        .replace(/^\uFEFF/, "");
      break;
    case "latin-1":
      text = new TextDecoder("windows-1252").decode(buffer.subarray(0, length));
      break;
    case "utf-16":
      text = buffer
        .subarray(0, length)
        .toString("utf16le")
        .replace(/^\uFEFF/, "");
      break;
    default:
      throw new Error(`invalid encoding: ${config.format.encoding satisfies never}`);
  }
  if (text.includes("\uFFFD") && config.format.encoding === "utf-8") {
    const line = text.slice(0, text.indexOf("\uFFFD")).split("\n").length;
    throw structuralError(
      shown,
      { line },
      `text is not valid utf-8; set extracts.${config.name}.format.encoding (e.g. "latin-1" for Windows-1252 exports)`,
    );
  }
  const headers = parseCsvRecord(text, config.format.delimiter);
  if (headers.length === 0 || headers.every((h) => h.trim() === "")) {
    throw structuralError(shown, { line: 1 }, "the header line is empty");
  }
  return headers;
}

/** Parses the first RFC 4180 record of `text`. */
export function parseCsvRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") break;
    else field += ch;
  }
  fields.push(field);
  return fields;
}
