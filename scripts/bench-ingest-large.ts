/**
 * Large-input benchmark: prepares the store from the sample CRM with its invoice_lines.csv
 * grown to about --gb gigabytes (the sample's lines repeated with shifted line numbers, so
 * every row stays valid and unique), under `/usr/bin/time -v`, and reports peak RSS, time and
 * rows per second. Nothing is written inside the repository.
 *
 *   npx tsx scripts/bench-ingest-large.ts [--gb 2] [--dir /tmp/atlas-large] [--memory 3GB] [--keep]
 *
 * The bound: DuckDB is capped by `SET memory_limit` (ATLAS_MEMORY_LIMIT, default 3GB) and
 * spills to the store's temporary folder; Node itself holds no rows. Peak RSS should stay
 * near the limit plus Node's own few hundred MB, whatever the file size.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../loaders/store.js";

const { values } = parseArgs({
  options: {
    gb: { type: "string", default: "2" },
    dir: { type: "string", default: "/tmp/atlas-large" },
    memory: { type: "string", default: "3GB" },
    keep: { type: "boolean", default: false },
  },
});
const dir = path.resolve(values.dir);
if (dir.startsWith(REPO_ROOT)) throw new Error("--dir must be outside the repository");
const data = path.join(dir, "data");
const store = path.join(dir, "store");
const sample = path.join(REPO_ROOT, "data", "sample");
mkdirSync(data, { recursive: true });

// 1. The extracts: the sample's, with invoice_lines grown to the target size.
const target = Number(values.gb) * 1024 ** 3;
const big = path.join(data, "invoice_lines.csv");
for (const file of [
  "accounts",
  "products",
  "contracts",
  "invoices",
  "marketing_spend",
  "nps_responses",
  "time_entries",
  "role_rates",
]) {
  copyFileSync(path.join(sample, `${file}.csv`), path.join(data, `${file}.csv`));
}
let rows = 0;
if (!existsSync(big) || Math.abs(statSync(big).size - target) > target * 0.05) {
  const [header, ...lines] = readFileSync(path.join(sample, "invoice_lines.csv"), "utf8").trimEnd().split("\n");
  const parsed = lines.map((l) => {
    const i = l.indexOf(",");
    const j = l.indexOf(",", i + 1);
    return { head: l.slice(0, i), lineNo: Number(l.slice(i + 1, j)), tail: l.slice(j) };
  });
  const out = openSync(big, "w");
  let written = writeSync(out, `${header}\n`);
  for (let copy = 0; written < target; copy++) {
    // Line numbers shifted by 1000 per copy: (invoice_id, line_no) stays unique.
    const chunk = parsed.map((p) => `${p.head},${p.lineNo + 1000 * copy}${p.tail}\n`).join("");
    written += writeSync(out, chunk);
    rows += parsed.length;
  }
  closeSync(out);
} else {
  rows = Number(spawnSync("wc", ["-l", big], { encoding: "utf8" }).stdout.trim().split(" ")[0]) - 1;
}
const bytes = statSync(big).size;
process.stderr.write(`bench: ${big}: ${(bytes / 1024 ** 3).toFixed(2)} GiB, ${rows.toLocaleString("en-US")} rows\n`);

// 2. Prepare under /usr/bin/time -v.
rmSync(store, { recursive: true, force: true });
const started = performance.now();
const run = spawnSync(
  "/usr/bin/time",
  [
    "-v",
    process.execPath,
    path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
    path.join(REPO_ROOT, "scripts", "build.ts"),
    "--prepare-only",
    "--data",
    data,
    "--store",
    store,
    "--force",
  ],
  {
    cwd: REPO_ROOT,
    env: { ...process.env, ATLAS_MEMORY_LIMIT: values.memory, TZ: "UTC" },
    encoding: "utf8",
    stdio: ["ignore", "inherit", "pipe"],
    maxBuffer: 256 << 20,
  },
);
const seconds = (performance.now() - started) / 1000;
const stderr = run.stderr ?? "";
process.stderr.write(
  stderr
    .split("\n")
    .filter(
      (l) =>
        !/^\s+(Command|User|System|Percent|Average|Major|Minor|Voluntary|Involuntary|Swaps|File|Socket|Signals|Page|Exit)/.test(
          l,
        ),
    )
    .join("\n"),
);
const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN);
const ingestSeconds = Number(/ingest ([\d.]+) s/.exec(stderr)?.[1] ?? NaN);
const spill = existsSync(path.join(store, "spill"));
const result = {
  file: big,
  gib: Number((bytes / 1024 ** 3).toFixed(2)),
  rows,
  memoryLimit: values.memory,
  exit: run.status,
  peakRssMiB: Math.round(peakKb / 1024),
  totalSeconds: Number(seconds.toFixed(1)),
  ingestSeconds,
  rowsPerSecondIngest: Math.round(rows / ingestSeconds),
  spillLeftBehind: spill,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (!values.keep) rmSync(store, { recursive: true, force: true });
if (run.status !== 0) process.exit(1);
