/**
 * Our DuckDB-WASM client. The engine's wasm and worker files are bundled from node_modules
 * and served by the site itself (never a CDN). DuckDB-WASM 1.32 has no Parquet reader
 * offline, so tables arrive as Arrow IPC. Queries take bound parameters only: values from
 * inputs or the URL never become SQL text.
 */
import * as duckdb from "@duckdb/duckdb-wasm";

const BUNDLES: duckdb.DuckDBBundles = {
  mvp: {
    mainModule: import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm"),
    mainWorker: import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js"),
  },
  eh: {
    mainModule: import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"),
    mainWorker: import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js"),
  },
};

export type SqlParam = string | number | boolean | null;

export interface AtlasDb {
  /** Registers Arrow IPC bytes as a table. */
  loadArrow(name: string, bytes: Uint8Array): Promise<void>;
  /** Runs `sql` with `?` placeholders bound to `params`; rows as plain objects. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  close(): Promise<void>;
}

let shared: Promise<AtlasDb> | null = null;

/** Starts (once per page) the engine: about 1.5 s and 34 MB, so call it only when needed. */
export function startDuckDB(): Promise<AtlasDb> {
  shared ??= start();
  return shared;
}

async function start(): Promise<AtlasDb> {
  const bundle = await duckdb.selectBundle(BUNDLES);
  // Framework rebundles the worker script as an ES module (it ends in `export`), so it must
  // run as a module worker.
  const worker = new Worker(bundle.mainWorker!, { type: "module" });
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  // Never try to download extensions (there is no network for them, and no need).
  await db.open({ query: { castBigIntToDouble: true } });
  const conn = await db.connect();
  await conn.query("SET autoinstall_known_extensions = false; SET autoload_known_extensions = false;");
  return {
    async loadArrow(name, bytes) {
      await conn.insertArrowFromIPCStream(bytes, { name, create: true });
    },
    async query<T>(sql: string, params: readonly SqlParam[] = []) {
      const table = params.length === 0 ? await conn.query(sql) : await (async () => {
        const statement = await conn.prepare(sql);
        try {
          return await statement.query(...params);
        } finally {
          await statement.close();
        }
      })();
      return table.toArray().map((row) => row.toJSON() as T);
    },
    async close() {
      await conn.close();
      await db.terminate();
    },
  };
}
