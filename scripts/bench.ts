/**
 * `npm run bench`: what users and a growing company feel, measured on this machine and set
 * against the engine's own limit. For the bundled sample and for a generated CRM (default
 * 100,000 accounts over 12 years, about 9.7 million invoice lines, made by the sample
 * generator outside the repo and kept for later runs):
 *
 * - ingest: rows/s and peak memory of our validated ingest, and of a plain DuckDB COPY of the
 *   same CSVs to Parquet (the limit), with the ratio ours / limit from the same run;
 * - whole build: wall time per stage (ingest, derive, models with outcome bands, backtest and value
 *   bridge, Framework render) and peak memory;
 * - models: fit and prediction times (scripts/bench-models.ts);
 * - browser (headless Chromium, cold cache, localhost): first KPIs / first chart, bytes before
 *   them and in total, interaction latency (scripts/bench-pages.ts, scripts/bench-scenarios.ts).
 *
 * Every figure is the median of --runs runs with min and max. Prints a table and writes JSON
 * (default: <tmp>/ltv-atlas-bench/bench.json, outside the repo).
 *
 *   npm run bench [-- --accounts 100000] [--years 12] [--runs 3] [--quick] [--skip-large] [--skip-browser] [--out FILE]
 *   npm run bench -- --browser-only DIST [--runs 3]      (browser figures of a built site only)
 *
 * --quick: the sample only, one run, no model benchmark (the CI smoke run).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../loaders/store.js";
import { launch } from "../test/support/browser.js";
import { serveStatic } from "../test/support/serve.js";

interface Row {
  section: string;
  data: string;
  metric: string;
  median: number;
  min: number;
  max: number;
  unit: string;
  note?: string;
}

const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "100000" },
    // Twelve years of history give the 100,000 accounts about 9.7 million invoice lines.
    years: { type: "string", default: "12" },
    runs: { type: "string", default: "3" },
    quick: { type: "boolean", default: false },
    "skip-large": { type: "boolean", default: false },
    "skip-browser": { type: "boolean", default: false },
    out: { type: "string" },
    // Measure only the browser figures of an already built site.
    "browser-only": { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  process.stdout.write(
    readFileSync(new URL(import.meta.url), "utf8")
      .split("*/")[0]
      .replace(/^\/\*\*|^ \* ?/gm, ""),
  );
  process.exit(0);
}

const runs = values.quick ? 1 : Math.max(1, Number(values.runs));
const work = path.join(os.tmpdir(), "ltv-atlas-bench");
mkdirSync(work, { recursive: true });
const outFile = values.out ?? path.join(work, "bench.json");
const tsx = path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const rows: Row[] = [];
const hasGnuTime = existsSync("/usr/bin/time");

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2,
    min: s[0],
    max: s[s.length - 1],
  };
}
function add(section: string, data: string, metric: string, xs: number[], unit: string, note?: string) {
  if (xs.length === 0 || xs.some((x) => !Number.isFinite(x))) return;
  rows.push({ section, data, metric, ...stats(xs), unit, ...(note ? { note } : {}) });
}
function log(line: string) {
  process.stderr.write(`bench: ${line}\n`);
}

/** Runs a tsx script in a fresh process; returns stdout, and the peak RSS (MB) of its process tree when GNU time exists. */
function runScript(args: string[], env: Record<string, string> = {}): { stdout: string; peakMb: number | null } {
  const metrics = path.join(work, "time.txt");
  const command = hasGnuTime ? "/usr/bin/time" : process.execPath;
  const full = hasGnuTime ? ["-f", "%M", "-o", metrics, process.execPath, tsx, ...args] : [tsx, ...args];
  const result = spawnSync(command, full, {
    cwd: REPO_ROOT,
    env: { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", ...env },
    encoding: "utf8",
    maxBuffer: 256 << 20,
  });
  if (result.status !== 0)
    throw new Error(`${args.join(" ")} failed (${result.status}):\n${result.stderr.slice(-3000)}`);
  const peakMb = hasGnuTime ? Number(readFileSync(metrics, "utf8").trim().split("\n").at(-1)) / 1024 : null;
  return { stdout: result.stdout, peakMb };
}

/** The generated CRM: made once by the sample generator and kept between bench runs. */
function largeData(accounts: number, years: number): string {
  const dir = path.join(work, `crm-${accounts}-${years}y`);
  // Written last: an interrupted generation is made again, never benchmarked half-written.
  const complete = path.join(dir, ".complete");
  if (!existsSync(complete)) {
    log(`generating a ${accounts.toLocaleString("en-US")}-account, ${years}-year CRM in ${dir} (kept for later runs)`);
    runScript([
      path.join(REPO_ROOT, "scripts", "sample.ts"),
      "--accounts",
      String(accounts),
      "--years",
      String(years),
      "--out",
      dir,
    ]);
    writeFileSync(complete, "");
  }
  return dir;
}

function lineCount(file: string): number {
  const result = spawnSync("wc", ["-l", file], { encoding: "utf8" });
  return Number(result.stdout.trim().split(/\s+/)[0]) - 1;
}

async function benchData(label: string, dataDir: string): Promise<string> {
  // Ingest vs the engine's limit, alternating so that machine noise hits both alike.
  const ours: number[] = [],
    limit: number[] = [],
    ratio: number[] = [],
    oursMem: number[] = [],
    limitMem: number[] = [];
  let rowsRead = 0;
  for (let i = 0; i < runs; i++) {
    log(`${label}: ingest run ${i + 1}/${runs}`);
    const a = runScript([
      path.join(REPO_ROOT, "scripts", "bench", "ingest-worker.ts"),
      "--mode",
      "ours",
      "--data",
      dataDir,
    ]);
    const b = runScript([
      path.join(REPO_ROOT, "scripts", "bench", "ingest-worker.ts"),
      "--mode",
      "copy",
      "--data",
      dataDir,
    ]);
    const ra = JSON.parse(a.stdout.trim().split("\n").at(-1)!);
    const rb = JSON.parse(b.stdout.trim().split("\n").at(-1)!);
    rowsRead = ra.rows;
    ours.push(ra.rows / ra.seconds);
    limit.push(rb.rows / rb.seconds);
    ratio.push(ra.rows / ra.seconds / (rb.rows / rb.seconds));
    oursMem.push(a.peakMb ?? ra.maxRssMb);
    limitMem.push(b.peakMb ?? rb.maxRssMb);
  }
  const invoiceLines = lineCount(path.join(dataDir, "invoice_lines.csv"));
  add(
    "ingest",
    label,
    "validated ingest (all extracts → Parquet)",
    ours,
    "rows/s",
    `${rowsRead.toLocaleString("en-US")} rows, ${invoiceLines.toLocaleString("en-US")} invoice lines`,
  );
  add("ingest", label, "plain DuckDB COPY read_csv → Parquet (limit)", limit, "rows/s");
  add("ingest", label, "ratio ours / limit", ratio, "×");
  add("ingest", label, "peak memory, validated ingest", oursMem, "MB");
  add("ingest", label, "peak memory, plain COPY", limitMem, "MB");

  // Whole build, forced each run, into a throwaway store and dist.
  const store = path.join(work, `store-${label}`);
  const dist = path.join(work, `dist-${label}`);
  const stage: Record<string, number[]> = {
    ingest: [],
    derive: [],
    models: [],
    backtest: [],
    write: [],
    render: [],
    total: [],
  };
  const buildMem: number[] = [],
    prepareMem: number[] = [];
  for (let i = 0; i < runs; i++) {
    log(`${label}: whole build run ${i + 1}/${runs}`);
    const summary = path.join(work, "summary.json");
    const run = runScript([
      path.join(REPO_ROOT, "scripts", "build.ts"),
      "--data",
      dataDir,
      "--store",
      store,
      "--out",
      dist,
      "--force",
      "--summary-json",
      summary,
    ]);
    const s = JSON.parse(readFileSync(summary, "utf8"));
    for (const key of Object.keys(stage)) stage[key].push(s.seconds[key]);
    prepareMem.push(s.prepareMaxRssMb);
    if (run.peakMb !== null) buildMem.push(run.peakMb);
  }
  for (const [key, xs] of Object.entries(stage))
    add(
      "build",
      label,
      key === "total"
        ? "whole build, wall time"
        : key === "backtest"
          ? "stage: backtest + value bridge (models rebuilt as of earlier dates)"
          : key === "models"
            ? "stage: models (fits, values, outcome bands)"
            : `stage: ${key}`,
      xs,
      "s",
    );
  add("build", label, "peak memory, prepare (ingest + derive + models)", prepareMem, "MB");
  add("build", label, "peak memory, largest process of the build", buildMem, "MB");
  return dist;
}

async function benchExecutivePages(label: string, dist: string) {
  const server = await serveStatic(dist);
  const browser = await launch();
  try {
    for (const page of ["/", "/models", "/quality"]) {
      const first: number[] = [],
        bytesBefore: number[] = [],
        bytesTotal: number[] = [];
      for (let i = 0; i < Math.max(runs, 3); i++) {
        const session = await browser.session();
        const tab = await session.newPage();
        // Records when the first KPI value (or, on other pages, the first chart or table) is in the DOM.
        await tab.addInitScript(() => {
          const w = window as unknown as { __firstContent?: number };
          new MutationObserver((_, observer) => {
            if (document.querySelector("[data-kpi] [data-value], main svg[class^='plot'], main table")) {
              w.__firstContent = performance.now();
              observer.disconnect();
            }
          }).observe(document, { childList: true, subtree: true });
        });
        await tab.goto(server.url + page, { waitUntil: "networkidle" });
        const m = await tab.evaluate(() => {
          const at = (window as unknown as { __firstContent?: number }).__firstContent ?? NaN;
          const entries = [
            ...performance.getEntriesByType("navigation"),
            ...performance.getEntriesByType("resource"),
          ] as PerformanceResourceTiming[];
          const before = entries.filter((e) => e.responseEnd <= at).reduce((s, e) => s + e.transferSize, 0);
          const total = entries.reduce((s, e) => s + e.transferSize, 0);
          return { at, before, total };
        });
        first.push(m.at);
        bytesBefore.push(m.before / 1024);
        bytesTotal.push(m.total / 1024);
        await session.close();
      }
      add(
        "browser",
        label,
        `${page}: first content visible`,
        first,
        "ms",
        page === "/" ? "target < 500 ms" : undefined,
      );
      add(
        "browser",
        label,
        `${page}: transferred before it`,
        bytesBefore,
        "KB",
        page === "/" ? "target < 300 KB" : undefined,
      );
      add("browser", label, `${page}: transferred in total`, bytesTotal, "KB");
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

async function benchInteractive(label: string, dist: string) {
  for (const [file, fn] of [
    ["bench-pages.ts", "benchPages"],
    ["bench-scenarios.ts", "benchScenarios"],
  ] as const) {
    if (!existsSync(path.join(REPO_ROOT, "scripts", file))) continue;
    const mod = (await import(path.join(REPO_ROOT, "scripts", file))) as Record<
      string,
      (o: { dist: string; runs?: number }) => Promise<Array<Record<string, unknown>>>
    >;
    log(`${label}: ${fn}`);
    let measured: Array<Record<string, unknown>>;
    try {
      measured = await mod[fn]({ dist, runs });
    } catch (error) {
      log(`${fn} failed: ${(error as Error).message.split("\n")[0]}`);
      rows.push({
        section: "browser",
        data: label,
        metric: `${fn}: FAILED`,
        median: NaN,
        min: NaN,
        max: NaN,
        unit: "",
        note: (error as Error).message.split("\n")[0],
      });
      continue;
    }
    for (const r of measured) {
      rows.push({
        section: "browser",
        data: label,
        metric: `${String(r.page ?? "/scenarios")}: ${String(r.metric)}`,
        median: Number(r.median),
        min: Number(r.min),
        max: Number(r.max),
        unit: String(r.unit),
        ...(r.p95 !== undefined ? { note: `p95 ${Number(r.p95).toFixed(1)}` } : {}),
      });
    }
  }
}

async function benchModelLibrary() {
  const { benchModels } = await import("./bench-models.js");
  log("model library");
  for (const r of await benchModels({ quick: values.quick }))
    rows.push({
      section: "models",
      data: "CDNOW / simulated",
      metric: r.name,
      median: r.median_ms,
      min: r.min_ms,
      max: r.max_ms,
      unit: "ms",
      ...(r.target ? { note: `target ${r.target}` } : {}),
    });
}

function printTable() {
  const fmt = (x: number) =>
    Number.isNaN(x)
      ? "—"
      : Math.abs(x) >= 1000
        ? Math.round(x).toLocaleString("en-US")
        : Math.abs(x) >= 10
          ? x.toFixed(1)
          : x.toFixed(3);
  const header = ["section", "data", "metric", "median", "min", "max", "unit", "note"];
  const body = rows.map((r) => [
    r.section,
    r.data,
    r.metric,
    fmt(r.median),
    fmt(r.min),
    fmt(r.max),
    r.unit,
    r.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 3 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  process.stdout.write(
    `${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n${body.map(line).join("\n")}\n`,
  );
}

const started = performance.now();
if (values["browser-only"]) {
  const dist = path.resolve(values["browser-only"]);
  await benchExecutivePages(path.basename(dist), dist);
  await benchInteractive(path.basename(dist), dist);
  printTable();
  writeFileSync(outFile, JSON.stringify({ runs, rows }, null, 2));
  process.exit(0);
}
const sampleDist = await benchData("sample", path.join(REPO_ROOT, "data", "sample"));
if (!values["skip-browser"]) {
  await benchExecutivePages("sample", sampleDist);
  if (!values.quick) await benchInteractive("sample", sampleDist);
}
if (!values.quick) await benchModelLibrary();
if (!values.quick && !values["skip-large"]) {
  const accounts = Number(values.accounts);
  const label = `${Math.round(accounts / 1000)}k accounts`;
  const dist = await benchData(label, largeData(accounts, Number(values.years)));
  if (!values["skip-browser"]) {
    await benchExecutivePages(label, dist);
    await benchInteractive(label, dist);
  }
}
printTable();
writeFileSync(
  outFile,
  JSON.stringify(
    {
      machine: { cpus: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      runs,
      rows,
    },
    null,
    2,
  ),
);
log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; JSON in ${outFile}`);
rmSync(path.join(work, "time.txt"), { force: true });
