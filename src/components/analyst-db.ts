/**
 * The analyst pages' query engine: our DuckDB-WASM client with the pages' tables loaded from
 * Arrow IPC files served by the site, and the ABC classes computed for the page's thresholds.
 *
 * The shipped `accounts` table already carries the classes (c0 … c3) for the configured
 * thresholds, computed by the loaders with the same statement: at 100,000 accounts computing
 * them here took 0.6 s of the page's start. It is loaded as `accounts_classed`; `accounts` is
 * a view without the classes, from which other thresholds are computed into `accounts_abc`.
 */
import type { SelectionColumn, SqlValue, Statement } from "../lib/analysis/sql.js";
import {
  CLASS_COLUMNS,
  classesStatement,
  SELECTION_DEFAULTS,
  SELECTION_SETUP,
  selectionChange,
  selectionUpdate,
} from "../lib/analysis/sql.js";
import type { AtlasDb } from "./duckdb.js";
import { timings } from "./timings.js";

export interface ArrowFile {
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface AnalystDb {
  /**
   * Sends a statement to the engine (a worker) at once. A re-render sends every query first
   * and draws each part as its rows arrive: the main thread draws while the worker computes
   * the next result, on another core.
   */
  query<T>(s: Statement): Promise<T[]>;
  setThresholds(a: number, b: number): Promise<void>;
  /** Loads a table on first use (e.g. names, needed only for a drill-down). */
  ensure(name: string, file: ArrowFile): Promise<void>;
}

/** Starts the engine and loads `files` (table name → attachment) in parallel with its start. */
export async function openAnalystDb(
  files: Record<string, ArrowFile>,
  thresholds: readonly [number, number],
): Promise<AnalystDb> {
  const bytes = Object.entries(files).map(
    async ([name, file]) => [name, new Uint8Array(await file.arrayBuffer())] as const,
  );
  // Each phase is a performance measure ("atlas: …"), for the benchmark and the devtools.
  const phase = async <T>(name: string, work: Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work;
    performance.measure(`atlas: ${name}`, { start, end: performance.now() });
    return result;
  };
  performance.mark("atlas: engine requested");
  // Imported here, not at the top: the engine's JavaScript is not needed for the first chart.
  const { startDuckDB } = await import("./duckdb.js");
  const db: AtlasDb = await phase("start engine", startDuckDB());
  for (const [name, data] of await phase("fetch tables", Promise.all(bytes))) {
    await phase(
      `load ${name} (${Math.round(data.byteLength / 1024)} KB)`,
      db.loadArrow(name === "accounts" ? "accounts_classed" : name, data),
    );
  }
  await db.exec(`CREATE VIEW accounts AS SELECT * EXCLUDE (${CLASS_COLUMNS.join(", ")}) FROM accounts_classed`);
  for (const sql of SELECTION_SETUP) await db.exec(sql);
  // The values in `selection` as last sent: a statement that reads others is preceded by an
  // update. The defaults are set once more here so that the update's statement is prepared
  // before the first render needs it.
  const selected = new Map(Object.entries(SELECTION_DEFAULTS) as [SelectionColumn, SqlValue][]);
  const defaults = selectionUpdate(SELECTION_DEFAULTS);
  await db.query(defaults.sql, defaults.params);
  let current = "";
  let abc: "VIEW" | "TABLE" | null = null;
  const loaded = new Map<string, Promise<void>>(Object.keys(files).map((name) => [name, Promise.resolve()]));
  const analyst: AnalystDb = {
    query<T>(s: Statement) {
      // The worker runs statements in the order they are sent: the update comes first.
      const change = selectionChange(selected, s);
      const update = change ? db.query(change.sql, change.params) : null;
      const rows = db.query<T>(s.sql, s.params);
      const result = (update ? Promise.all([update, rows]).then(([, r]) => r) : rows).finally(() => {
        // For the benchmark: how much of a re-render waited for the engine.
        timings().lastAnswer = performance.now();
      });
      // If the update failed, the table's values are unknown: the next statement sets them all.
      update?.catch(() => selected.clear());
      // A page sends all its queries at once and awaits them in turn: when one fails, the
      // error surfaces where it is awaited, not as an unhandled rejection of the others.
      result.catch(() => undefined);
      return result;
    },
    ensure(name, file) {
      let p = loaded.get(name);
      if (!p) {
        p = file.arrayBuffer().then((buffer) => db.loadArrow(name, new Uint8Array(buffer)));
        loaded.set(name, p);
      }
      return p;
    },
    async setThresholds(a, b) {
      const key = `${a}/${b}`;
      if (key === current) return;
      // `accounts_abc` is a view of the shipped classes, or a table of classes for other thresholds.
      if (abc !== null) await db.exec(`DROP ${abc} accounts_abc`);
      if (a === thresholds[0] && b === thresholds[1]) {
        await db.exec("CREATE VIEW accounts_abc AS SELECT * FROM accounts_classed");
        abc = "VIEW";
      } else {
        const s = classesStatement(a, b);
        await db.exec(s.sql, s.params);
        abc = "TABLE";
      }
      current = key;
    },
  };
  await phase("ABC classes", analyst.setThresholds(thresholds[0], thresholds[1]));
  return analyst;
}
