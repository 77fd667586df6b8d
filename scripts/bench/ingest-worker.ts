/**
 * One ingest measurement in a fresh process (so peak memory is this run's alone), for
 * scripts/bench.ts. Prints one JSON line: {seconds, rows, maxRssMb}.
 *
 *   ours: every extract read, validated, quarantined and reconciled (loaders/ingest), and the
 *         accepted rows written as Parquet — what `npm run build` does before deriving.
 *   copy: the engine's limit — plain DuckDB `COPY (SELECT * FROM read_csv(...)) TO '….parquet'`
 *         of the same files, no validation.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../../loaders/config.js";
import { literal, openDb } from "../../loaders/db.js";
import { ingest } from "../../loaders/ingest/index.js";
import { EXTRACT_NAMES } from "../../loaders/ingest/schema.js";

const { values } = parseArgs({ options: { mode: { type: "string" }, data: { type: "string" } } });
const config = loadConfig(undefined, values.data);
const out = mkdtempSync(path.join(os.tmpdir(), "atlas-bench-ingest-"));
const db = await openDb({ tempDirectory: out, memoryLimit: process.env.ATLAS_MEMORY_LIMIT ?? "3GB" });
const started = performance.now();
let rows = 0;
try {
  switch (values.mode) {
    case "ours": {
      const report = await ingest(db, config);
      for (const name of EXTRACT_NAMES) {
        await db.run(
          `COPY (SELECT * FROM accepted_${name}) TO ${literal(path.join(out, `${name}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`,
        );
      }
      rows = report.extracts.reduce((sum, e) => sum + e.rowsRead, 0);
      break;
    }
    case "copy": {
      // The plain COPY reads the same files ours reads: only the extracts the config provides.
      for (const name of EXTRACT_NAMES.filter((n) => config.extracts[n].provided)) {
        const file = config.extracts[name].file;
        await db.run(
          `COPY (SELECT * FROM read_csv(${literal(file)})) TO ${literal(path.join(out, `${name}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`,
        );
        const [{ n }] = await db.all<{ n: string }>(
          `SELECT count(*) AS n FROM read_parquet(${literal(path.join(out, `${name}.parquet`))})`,
        );
        rows += Number(n);
      }
      break;
    }
    default:
      throw new Error(`invalid mode: ${values.mode} (ours or copy)`);
  }
} finally {
  db.close();
}
// Counting the COPY's rows back is not part of the engine's work: it reads tiny Parquet footers.
const seconds = (performance.now() - started) / 1000;
rmSync(out, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ seconds, rows, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
