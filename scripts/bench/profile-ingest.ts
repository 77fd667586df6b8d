/**
 * Where ingest time goes: runs the validated ingest of one CRM (and the Parquet write of the
 * accepted rows, as the benchmark's ingest does) and prints each SQL statement
 * that took more than 0.2 s, slowest first, with the time spent outside SQL (byte scans, JS).
 *
 *   npx tsx scripts/bench/profile-ingest.ts --data DIR
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../../loaders/config.js";
import { literal, openDb, type Db } from "../../loaders/db.js";
import { ingest } from "../../loaders/ingest/index.js";
import { EXTRACT_NAMES } from "../../loaders/ingest/schema.js";

const { values } = parseArgs({ options: { data: { type: "string" } } });
const config = loadConfig(undefined, values.data);
const temp = mkdtempSync(path.join(os.tmpdir(), "atlas-profile-"));
const db = await openDb({ tempDirectory: temp, memoryLimit: process.env.ATLAS_MEMORY_LIMIT ?? "3GB" });
const timings: Array<{ seconds: number; sql: string }> = [];
function timed<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const t = performance.now();
    try {
      return await fn(...args);
    } finally {
      timings.push({ seconds: (performance.now() - t) / 1000, sql: String(args[0]).replace(/\s+/g, " ").trim() });
    }
  };
}
const profiled: Db = { ...db, run: timed(db.run.bind(db)), all: timed(db.all.bind(db)) as Db["all"] };
const started = performance.now();
let extractStarted = started;
await ingest(profiled, config, (e) => {
  if (e.step === "done") {
    process.stdout.write(
      `${e.extract.padEnd(16)} ${((performance.now() - extractStarted) / 1000).toFixed(2)} s  (${e.rows} rows)\n`,
    );
    extractStarted = performance.now();
  }
});
// Then the accepted rows to Parquet, as scripts/bench/ingest-worker.ts does.
const written = performance.now();
for (const name of EXTRACT_NAMES) {
  await profiled.run(
    `COPY (SELECT * FROM accepted_${name}) TO ${literal(path.join(temp, `${name}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`,
  );
}
process.stdout.write(`${"write Parquet".padEnd(16)} ${((performance.now() - written) / 1000).toFixed(2)} s\n`);
const total = (performance.now() - started) / 1000;
const inSql = timings.reduce((s, t) => s + t.seconds, 0);
process.stdout.write(
  `\ntotal ${total.toFixed(2)} s; in SQL ${inSql.toFixed(2)} s; outside SQL ${(total - inSql).toFixed(2)} s\n\n`,
);
for (const t of timings.filter((x) => x.seconds > 0.2).sort((a, b) => b.seconds - a.seconds)) {
  process.stdout.write(`${t.seconds.toFixed(2).padStart(7)} s  ${t.sql.slice(0, 160)}\n`);
}
db.close();
rmSync(temp, { recursive: true, force: true });
