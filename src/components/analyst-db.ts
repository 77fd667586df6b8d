/**
 * The analyst pages' query engine: our DuckDB-WASM client with the pages' tables loaded from
 * Arrow IPC files served by the site, and the ABC classes computed for the page's thresholds.
 */
import type { Statement } from "../lib/analysis/sql.js";
import { classesStatement } from "../lib/analysis/sql.js";
import type { AtlasDb } from "./duckdb.js";

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
export async function openAnalystDb(files: Record<string, ArrowFile>, thresholds: readonly [number, number]): Promise<AnalystDb> {
  const bytes = Object.entries(files).map(async ([name, file]) => [name, new Uint8Array(await file.arrayBuffer())] as const);
  // Imported here, not at the top: the engine's JavaScript is not needed for the first chart.
  const { startDuckDB } = await import("./duckdb.js");
  const db: AtlasDb = await startDuckDB();
  for (const [name, data] of await Promise.all(bytes)) await db.loadArrow(name, data);
  let current = "";
  const loaded = new Map<string, Promise<void>>(Object.keys(files).map((name) => [name, Promise.resolve()]));
  const analyst: AnalystDb = {
    query<T>(s: Statement) {
      const t0 = performance.now();
      const result = db.query<T>(s.sql, s.params).finally(() => {
        // Time from sending to rows back, for the benchmark's breakdown (overlapping queries count once each).
        const w = window as unknown as { __atlasQueryMs?: number };
        w.__atlasQueryMs = (w.__atlasQueryMs ?? 0) + performance.now() - t0;
      });
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
      const s = classesStatement(a, b);
      await db.query(s.sql, s.params);
      current = key;
    },
  };
  await analyst.setThresholds(thresholds[0], thresholds[1]);
  return analyst;
}
