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
  // Prepared statements are kept by SQL text: preparing costs more than running a small
  // query, and pages re-run the same few statements on every filter change.
  const prepared = new Map<string, Promise<Awaited<ReturnType<typeof conn.prepare>>>>();
  return {
    async loadArrow(name, bytes) {
      await conn.insertArrowFromIPCStream(bytes, { name, create: true });
    },
    async query<T>(sql: string, params: readonly SqlParam[] = []) {
      let table;
      if (params.length === 0) table = await conn.query(sql);
      else {
        let statement = prepared.get(sql);
        if (!statement) prepared.set(sql, (statement = conn.prepare(sql)));
        table = await (await statement).query(...params);
      }
      return table.toArray().map((row) => row.toJSON() as T);
    },
    async close() {
      for (const statement of prepared.values()) await (await statement).close();
      prepared.clear();
      await conn.close();
      await db.terminate();
    },
  };
}
