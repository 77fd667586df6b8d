/**
 * The analyst pages' data, built from the store: account-grain and event-grain tables as
 * Arrow IPC streams (never invoice lines, never the raw account × month table), and a small
 * summary JSON with dictionaries, spend and each page's first chart precomputed with the same
 * SQL the browser runs (src/lib/analysis/sql.ts).
 *
 * Sizes per account (100,000 accounts ≈ ×100,000): `accounts` ≈ 110 bytes, `names` ≈ 45
 * bytes, `mrr` ≈ 2 events × 21 bytes, `nps` ≈ 0.6 answers × 7 bytes. An aggregate-only store
 * ships each of them with its columns and no rows (loaders/outputs/publish.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  Float32,
  Float64,
  Int16,
  Int32,
  Int8,
  Table,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
} from "apache-arrow";
import { mrrMovements, MOVEMENT_CODE } from "../../../src/lib/analysis/mrr.js";
import * as Q from "../../../src/lib/analysis/sql.js";
import { monthIndexOf } from "../../../src/lib/dates.js";
import { SIZE_BANDS } from "../../derive/tables.js";
import { loadConfig } from "../../config.js";
import { literal, openDb, type Db } from "../../db.js";
import type { IngestReport } from "../../ingest/index.js";
import { STORE_FILES } from "../../store.js";
import { withholdsAccountRows } from "../publish.js";

/** Written by the model pipeline when present (see the report in the issue). */
export const ACCOUNT_VALUE_FILE = "account_value.parquet";

export const DICT_DIMS = ["industry", "size", "region", "tier", "channel"] as const;
export type Dictionaries = Record<(typeof DICT_DIMS)[number], string[]>;

interface Columns {
  [name: string]: unknown[];
}

/** Opens a DuckDB with the analyst tables (`accounts`, `names`, `mrr`, `nps`, and `accounts_abc` with the ABC classes for the configured thresholds) built from the store. */
export async function openAnalystDb(storeDir: string): Promise<{
  db: Db;
  dictionaries: Dictionaries;
  asOf: string;
  asOfMonth: number;
  hasModel: boolean;
  thresholds: [number, number];
  currency: string;
}> {
  const report = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.report), "utf8")) as IngestReport;
  const asOfMonth = monthIndexOf(report.asOf);
  const f = (name: string) => literal(path.join(storeDir, name));
  const db = await openDb();
  const dim = async (col: string) =>
    (
      await db.all<{ v: string }>(
        `SELECT DISTINCT ${col} AS v FROM read_parquet(${f(STORE_FILES.accounts)}) WHERE ${col} IS NOT NULL ORDER BY v`,
      )
    ).map((r) => r.v);
  const sizes = new Set(await dim("size_band"));
  const dictionaries: Dictionaries = {
    industry: await dim("industry"),
    size: SIZE_BANDS.map((b) => b.band as string).filter((b) => sizes.has(b)),
    region: await dim("region"),
    tier: await dim("tier"),
    channel: await dim("channel"),
  };
  const hasModel = existsSync(path.join(storeDir, ACCOUNT_VALUE_FILE));
  const code = (col: string, values: string[]) =>
    `CAST(coalesce(list_position(${literal(JSON.stringify(values))}::VARCHAR[], ${col}) - 1, -1) AS TINYINT)`;
  const mi = (col: string) => `(year(${col}) * 12 + month(${col}) - 1)`;
  const A = asOfMonth;
  const win = (k: number) => `m BETWEEN ${A - 12 * k - 11} AND ${A - 12 * k}`;
  await db.run(`CREATE TABLE am AS SELECT account_id, CAST(${mi("month")} AS INTEGER) AS m, revenue_cents, cogs_cents, cost_to_serve_cents, mrr_cents, hours, invoices
    FROM read_parquet(${f(STORE_FILES.accountMonth)})`);
  await db.run(`CREATE TABLE dim AS SELECT *, CAST(row_number() OVER (ORDER BY account_id) - 1 AS INTEGER) AS idx, CAST(${mi("cohort_month")} AS INTEGER) AS cohort
    FROM read_parquet(${f(STORE_FILES.accounts)})`);
  await db.run(`CREATE TABLE names AS SELECT idx, account_id, account_name FROM dim ORDER BY idx`);
  await db.run(`CREATE TABLE nps AS SELECT d.idx, CAST(${mi("r.responded_on")} AS SMALLINT) AS month, CAST(r.score AS TINYINT) AS score, r.responded_on
    FROM read_parquet(${f("extract_nps_responses.parquet")}) r JOIN dim d USING (account_id) ORDER BY d.idx, r.responded_on, r.response_id`);

  // MRR events, classified by the tested pure function.
  const series = (
    await db.connection.runAndReadAll(
      `SELECT d.idx, am.m, CAST(am.mrr_cents AS DOUBLE) AS mrr FROM am JOIN dim d USING (account_id) WHERE d.business_model = 'subscription' ORDER BY d.idx, am.m`,
    )
  ).getColumnsObjectJS() as { idx: number[]; m: number[]; mrr: number[] };
  await db.run(`CREATE TABLE mrr (idx INTEGER, month SMALLINT, mrr DOUBLE, delta DOUBLE, movement TINYINT)`);
  const appender = await db.connection.createAppender("mrr");
  const firstChurn = new Map<number, number>();
  for (let i = 0; i < series.idx.length;) {
    let j = i;
    while (j < series.idx.length && series.idx[j] === series.idx[i]) j++;
    const idx = series.idx[i];
    for (const e of mrrMovements(series.m.slice(i, j), series.mrr.slice(i, j), A)) {
      appender.appendInteger(idx);
      appender.appendSmallInt(e.month);
      appender.appendDouble(e.mrrCents);
      appender.appendDouble(e.deltaCents);
      appender.appendTinyInt(MOVEMENT_CODE[e.movement]);
      appender.endRow();
      if (e.movement === "churn" && !firstChurn.has(idx)) firstChurn.set(idx, e.month);
    }
    i = j;
  }
  appender.closeSync();
  // Each event's MRR holds until the next event (or past the as-of month): saves the browser a window function.
  await db.run(`CREATE TABLE mrr2 AS SELECT idx, month, mrr, delta, movement,
      CAST(coalesce(lead(month) OVER (PARTITION BY idx ORDER BY month), ${A + 1}) AS SMALLINT) AS until FROM mrr ORDER BY idx, month`);
  await db.run(`DROP TABLE mrr; ALTER TABLE mrr2 RENAME TO mrr`);
  await db.run(
    `CREATE TABLE first_churn AS SELECT idx, CAST(min(month) AS SMALLINT) AS first_churn FROM mrr WHERE movement = ${MOVEMENT_CODE.churn} GROUP BY idx`,
  );

  const model = hasModel
    ? `LEFT JOIN (SELECT account_id, CAST(clv_cents AS DOUBLE) AS clv, CAST(clv_p10_cents AS DOUBLE) AS clv_p10, CAST(clv_p90_cents AS DOUBLE) AS clv_p90,
          CAST(probability_alive AS FLOAT) AS p_alive, CAST(model AS VARCHAR) AS model FROM read_parquet(${f(ACCOUNT_VALUE_FILE)})) v USING (account_id)`
    : "";
  const modelCols = hasModel
    ? "v.clv, v.clv_p10, v.clv_p90, v.p_alive, v.model"
    : "CAST(NULL AS DOUBLE) AS clv, CAST(NULL AS DOUBLE) AS clv_p10, CAST(NULL AS DOUBLE) AS clv_p90, CAST(NULL AS FLOAT) AS p_alive, CAST(NULL AS VARCHAR) AS model";
  await db.run(`CREATE TABLE accounts AS
    WITH agg AS (SELECT account_id,
        ${[0, 1, 2, 3].map((k) => `coalesce(sum(revenue_cents) FILTER (WHERE ${win(k)}), 0) AS rev${k}`).join(", ")},
        coalesce(sum(revenue_cents - cogs_cents - cost_to_serve_cents) FILTER (WHERE ${win(0)}), 0) AS margin0,
        coalesce(sum(cost_to_serve_cents) FILTER (WHERE ${win(0)}), 0) AS cts0,
        coalesce(sum(hours) FILTER (WHERE ${win(0)}), 0) AS hours0,
        coalesce(sum(invoices) FILTER (WHERE ${win(0)}), 0) AS orders0,
        coalesce(sum(mrr_cents) FILTER (WHERE m = ${A}), 0) AS mrr_now,
        coalesce(sum(mrr_cents) FILTER (WHERE m = ${A - 12}), 0) AS mrr_ya,
        bool_or(revenue_cents > 0) FILTER (WHERE ${win(0)}) AS bought0,
        bool_or(revenue_cents > 0) FILTER (WHERE ${win(1)}) AS bought1,
        coalesce(sum(revenue_cents - cogs_cents - cost_to_serve_cents) FILTER (WHERE m BETWEEN d.cohort AND d.cohort + 11 AND m <= ${A}), 0) AS margin_first12,
        coalesce(sum(revenue_cents - cogs_cents - cost_to_serve_cents) FILTER (WHERE m <= ${A}), 0) AS margin_total
      FROM am JOIN dim d USING (account_id) GROUP BY account_id),
    np AS (SELECT idx, count(*) AS nps_n, arg_max(score, responded_on) AS nps_last FROM nps GROUP BY idx)
    SELECT d.idx, ${code("d.industry", dictionaries.industry)} AS industry, ${code("d.size_band", dictionaries.size)} AS size,
      ${code("d.region", dictionaries.region)} AS region, ${code("d.tier", dictionaries.tier)} AS tier, ${code("d.channel", dictionaries.channel)} AS channel,
      CAST(d.key_account AS TINYINT) AS key_account, CAST(d.business_model = 'subscription' AS TINYINT) AS subscription,
      CAST(d.cohort AS SMALLINT) AS cohort, fc.first_churn,
      CAST(CASE WHEN d.business_model = 'subscription' THEN coalesce(g.mrr_now, 0) > 0 ELSE coalesce(g.bought0, false) END AS TINYINT) AS active_now,
      CAST(CASE WHEN d.business_model = 'subscription' THEN coalesce(g.mrr_ya, 0) > 0 ELSE coalesce(g.bought1, false) END AS TINYINT) AS active_ya,
      ${[0, 1, 2, 3].map((k) => `CAST(coalesce(g.rev${k}, 0) AS DOUBLE) AS rev${k}`).join(", ")},
      CAST(coalesce(g.margin0, 0) AS DOUBLE) AS margin0, CAST(coalesce(g.cts0, 0) AS DOUBLE) AS cts0, CAST(coalesce(g.hours0, 0) AS FLOAT) AS hours0,
      CAST(coalesce(g.orders0, 0) AS INTEGER) AS orders0,
      CAST(coalesce(g.mrr_now, 0) AS DOUBLE) AS mrr_now, CAST(coalesce(g.margin_first12, 0) AS DOUBLE) AS margin_first12,
      CAST(coalesce(g.margin_total, 0) AS DOUBLE) AS margin_total,
      CAST(coalesce(np.nps_n, 0) AS SMALLINT) AS nps_n, CAST(np.nps_last AS TINYINT) AS nps_last,
      ${modelCols}
    FROM dim d LEFT JOIN agg g USING (account_id) LEFT JOIN np USING (idx) LEFT JOIN first_churn fc USING (idx) ${model}
    ORDER BY d.idx`);
  const config = loadConfig(process.env.ATLAS_CONFIG || undefined, process.env.ATLAS_DATA_DIR || undefined);
  const thresholds: [number, number] = [config.abcThresholds[0], config.abcThresholds[1]];
  await run(db, Q.classesStatement(thresholds[0], thresholds[1]));
  for (const sql of Q.SELECTION_SETUP) await db.run(sql);
  return { db, dictionaries, asOf: report.asOf, asOfMonth, hasModel, thresholds, currency: report.currency };
}

/**
 * Runs a shared statement with its `?` parameters on native DuckDB, after putting the values
 * it reads from the table `selection` there (made by Q.SELECTION_SETUP).
 */
export async function run(db: Db, s: Q.Statement): Promise<void> {
  await select(db, s);
  await db.connection.run(s.sql, s.params as never);
}
export async function rows<T>(db: Db, s: Q.Statement): Promise<T[]> {
  await select(db, s);
  const out = (await db.connection.runAndReadAll(s.sql, s.params as never)).getRowObjectsJS();
  // BIGINT → number, as DuckDB-WASM gives it (castBigIntToDouble).
  return out.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
  ) as T[];
}

async function select(db: Db, s: Q.Statement): Promise<void> {
  if (!s.selection) return;
  // Every column, every time: a native run costs nothing to speak of.
  const change = Q.selectionChange(new Map(), s);
  if (change) await db.connection.run(change.sql, change.params as never);
}

async function columns(db: Db, sql: string): Promise<Columns> {
  return (await db.connection.runAndReadAll(sql)).getColumnsObjectJS() as Columns;
}

function ipc(cols: Columns, types: Record<string, DataType>): Uint8Array {
  const vectors = Object.fromEntries(
    Object.entries(types).map(([name, type]) => [
      name,
      vectorFromArray(cols[name].map((v) => (typeof v === "bigint" ? Number(v) : v)) as never[], type),
    ]),
  );
  return tableToIPC(new Table(vectors), "stream");
}

export const ACCOUNT_TYPES = (): Record<string, DataType> => ({
  idx: new Int32(),
  industry: new Int8(),
  size: new Int8(),
  region: new Int8(),
  tier: new Int8(),
  channel: new Int8(),
  key_account: new Int8(),
  subscription: new Int8(),
  cohort: new Int16(),
  first_churn: new Int16(),
  active_now: new Int8(),
  active_ya: new Int8(),
  rev0: new Float64(),
  rev1: new Float64(),
  rev2: new Float64(),
  rev3: new Float64(),
  margin0: new Float64(),
  cts0: new Float64(),
  hours0: new Float32(),
  orders0: new Int32(),
  mrr_now: new Float64(),
  margin_first12: new Float64(),
  margin_total: new Float64(),
  nps_n: new Int16(),
  nps_last: new Int8(),
  clv: new Float64(),
  clv_p10: new Float64(),
  clv_p90: new Float64(),
  p_alive: new Float32(),
});

const CLASS_TYPES = (): Record<string, DataType> => Object.fromEntries(Q.CLASS_COLUMNS.map((c) => [c, new Int8()]));

/** The columns the cohort page needs (segments, cohort, churn, revenue windows for the classes): ~48 bytes per account. */
export const CORE_COLUMNS = [
  "idx",
  "industry",
  "size",
  "region",
  "tier",
  "channel",
  "key_account",
  "subscription",
  "cohort",
  "first_churn",
  "rev0",
  "rev1",
  "rev2",
  "rev3",
] as const;

export type AnalystTable = "accounts" | "accounts-core" | "names" | "mrr" | "nps";

/** Each shipped table's query over the analyst DuckDB and its Arrow column types (explicit, so an empty table still types). */
function analystTable(table: AnalystTable): { sql: string; types: Record<string, DataType> } {
  switch (table) {
    // Both carry the ABC classes for the configured thresholds (c0 … c3): the page need not compute them.
    case "accounts":
      return {
        sql: `SELECT * EXCLUDE (model) FROM accounts_abc ORDER BY idx`,
        types: { ...ACCOUNT_TYPES(), ...CLASS_TYPES() },
      };
    case "accounts-core": {
      const types = ACCOUNT_TYPES();
      return {
        sql: `SELECT ${CORE_COLUMNS.join(", ")}, ${Q.CLASS_COLUMNS.join(", ")} FROM accounts_abc ORDER BY idx`,
        types: { ...Object.fromEntries(CORE_COLUMNS.map((c) => [c, types[c]])), ...CLASS_TYPES() },
      };
    }
    case "names":
      return {
        sql: `SELECT * FROM names ORDER BY idx`,
        types: { idx: new Int32(), account_id: new Utf8(), account_name: new Utf8() },
      };
    case "mrr":
      return {
        sql: `SELECT * FROM mrr ORDER BY idx, month`,
        types: {
          idx: new Int32(),
          month: new Int16(),
          mrr: new Float64(),
          delta: new Float64(),
          movement: new Int8(),
          until: new Int16(),
        },
      };
    case "nps":
      return {
        sql: `SELECT idx, month, score FROM nps ORDER BY idx, month`,
        types: { idx: new Int32(), month: new Int16(), score: new Int8() },
      };
    default:
      throw new Error(`invalid analyst table: ${table as string}`);
  }
}

/** One analyst table as an Arrow IPC stream; every one is per-account, so an aggregate-only store ships it with zero rows. */
export async function buildAnalystArrow(storeDir: string, table: AnalystTable): Promise<Uint8Array> {
  const { sql, types } = analystTable(table);
  if (withholdsAccountRows(storeDir)) return ipc(Object.fromEntries(Object.keys(types).map((c) => [c, []])), types);
  const { db } = await openAnalystDb(storeDir);
  try {
    return ipc(await columns(db, sql), types);
  } finally {
    db.close();
  }
}
