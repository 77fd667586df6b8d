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
  /**
   * Runs `sql` with `?` placeholders bound to `params`; rows as plain objects. Each statement
   * text is prepared once and kept: a statement without parameters is then never planned
   * again. Statements reach the engine in the order of the calls.
   */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Runs a one-off statement (DDL, a table built once), not kept prepared; in call order too. */
  exec(sql: string, params?: readonly SqlParam[]): Promise<void>;
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
  // Prepared statements are kept by SQL text: pages re-run the same few statements on every
  // filter change. (DuckDB plans a statement with parameters again at each run; one without
  // them keeps its plan.)
  type Prepared = Awaited<ReturnType<typeof conn.prepare>>;
  const prepared = new Map<string, Promise<Prepared>>();
  // Preparing a new text takes a round trip before the statement can be sent: each call waits
  // until the one before it has been sent, so the engine runs them in call order (a statement
  // may read what the one before it wrote).
  let sent: Promise<unknown> = Promise.resolve();
  const inOrder = <R>(send: () => Promise<{ result: Promise<R> }>): Promise<R> => {
    const sending = sent.then(send);
    sent = sending.catch(() => undefined);
    return sending.then(({ result }) => result);
  };
  return {
    async loadArrow(name, bytes) {
      await inOrder(async () => ({ result: conn.insertArrowFromIPCStream(bytes, { name, create: true }) }));
    },
    async query<T>(sql: string, params: readonly SqlParam[] = []) {
      const prepare = () => {
        const statement = conn.prepare(sql);
        prepared.set(sql, statement);
        // A statement that fails to prepare is not kept.
        statement.catch(() => prepared.delete(sql));
        return statement;
      };
      let table;
      if (prepared.has(sql) || params.length > 0) {
        table = await inOrder(async () => ({ result: (await (prepared.get(sql) ?? prepare())).query(...params) }));
      } else {
        // First run of a text without parameters: sent at once as it is (waiting for a prepare
        // would hold back the statements after it), and prepared for its next runs once the
        // statements sent in this task have gone.
        table = await inOrder(async () => ({ result: conn.query(sql) }));
        setTimeout(() => void (prepared.has(sql) || prepare()), 0);
      }
      return table.toArray().map((row) => row.toJSON() as T);
    },
    async exec(sql: string, params: readonly SqlParam[] = []) {
      await inOrder(async () => {
        if (params.length === 0) return { result: conn.query(sql) };
        const statement = await conn.prepare(sql);
        return { result: statement.query(...params).finally(() => void statement.close()) };
      });
    },
    async close() {
      for (const statement of prepared.values()) await (await statement).close();
      prepared.clear();
      await conn.close();
      await db.terminate();
    },
  };
}
