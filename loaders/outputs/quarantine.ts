/**
 * Quarantined rows as Arrow IPC for DuckDB-WASM (which has no Parquet reader offline).
 * Capped at MAX_ROWS so a badly broken extract cannot make the page heavy; the page says so.
 */
import path from "node:path";
import { Int32, Table, Utf8, tableToIPC, vectorFromArray } from "apache-arrow";
import { literal, openDb } from "../db.js";
import { STORE_FILES } from "../store.js";
import { withholdsAccountRows } from "./publish.js";

export const MAX_ROWS = 50_000;

/** Rows shipped: none in an aggregate-only build (executive links carry no row-level data). */
export function quarantineRowLimit(storeDir: string): number {
  return withholdsAccountRows(storeDir) ? 0 : MAX_ROWS;
}

export async function buildQuarantineArrow(storeDir: string): Promise<Uint8Array> {
  const db = await openDb();
  try {
    const columns = (
      await db.connection.runAndReadAll(
        `SELECT extract, CAST(line AS INTEGER) AS line, code, coalesce(column_name, '') AS column_name, message, left(raw, 2000) AS raw,
          coalesce(CAST(amount AS VARCHAR), '') AS amount
       FROM read_parquet(${literal(path.join(storeDir, STORE_FILES.quarantine))}) ORDER BY extract, line LIMIT ${quarantineRowLimit(storeDir)}`,
      )
    ).getColumnsObjectJS() as Record<string, unknown[]>;
    // Explicit types: an empty quarantine must still have text columns for the page's SQL.
    const text = (name: string) => vectorFromArray(columns[name] as string[], new Utf8());
    const table = new Table({
      extract: text("extract"),
      line: vectorFromArray(columns.line as number[], new Int32()),
      code: text("code"),
      column_name: text("column_name"),
      message: text("message"),
      raw: text("raw"),
      amount: text("amount"),
    });
    return tableToIPC(table, "stream");
  } finally {
    db.close();
  }
}
