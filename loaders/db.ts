/**
 * A thin wrapper over native DuckDB (`@duckdb/node-api`) for the loaders: run SQL, read
 * rows as plain JSON-safe objects, and quote identifiers and literals. Values from data or
 * config reach SQL only through `literal()` / `ident()` or bound parameters.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";

export interface Db {
  readonly connection: DuckDBConnection;
  run(sql: string, params?: Record<string, DuckDBValue>): Promise<void>;
  /** Rows as objects; BIGINT and DECIMAL come back as strings (exact), others as JSON values. */
  all<T = Record<string, unknown>>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]>;
  close(): void;
}

export interface DbOptions {
  /** Where DuckDB may spill when a table does not fit in memory. */
  readonly tempDirectory?: string;
  /** e.g. "3GB": keeps a 10-million-line ingest inside the memory budget. */
  readonly memoryLimit?: string;
  readonly threads?: number;
}

export async function openDb(options: DbOptions = {}): Promise<Db> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const db: Db = {
    connection,
    async run(sql, params) {
      if (params) await connection.run(sql, params);
      else await connection.run(sql);
    },
    async all<T>(sql: string, params?: Record<string, DuckDBValue>) {
      const reader = params ? await connection.runAndReadAll(sql, params) : await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as T[];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
  if (options.tempDirectory) await db.run(`SET temp_directory = ${literal(options.tempDirectory)}`);
  if (options.memoryLimit) await db.run(`SET memory_limit = ${literal(options.memoryLimit)}`);
  if (options.threads) await db.run(`SET threads = ${Math.max(1, Math.floor(options.threads))}`);
  // Row order is line order: the validator numbers lines by insertion order.
  await db.run("SET preserve_insertion_order = true");
  return db;
}

/** A double-quoted SQL identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A single-quoted SQL string literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
