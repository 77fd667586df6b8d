/**
 * `npm run build`: prepare the data store from the extracts (only when they changed), clear
 * Framework's cached loader outputs when the data changed (Framework only compares a cached
 * file with its loader's modification time, so it would otherwise show old numbers), then
 * render the site with Observable Framework into dist/.
 *
 *   npm run build [-- --config data/atlas.config.json] [--data DIR] [--out dist] [--store DIR]
 *                    [--force] [--prepare-only] [--allow-quarantine] [--backtest-at DATE]... [--summary-json FILE]
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { publishToEnv } from "../loaders/config.js";
import { AtlasError } from "../loaders/errors.js";
import { withLock } from "../loaders/lock.js";
import { prepare } from "../loaders/pipeline.js";
import { REPO_ROOT, STORE_FILES } from "../loaders/store.js";
import { accessibleShell } from "./page-shell.js";
import { savedScenarioShell } from "./scenario-pages.js";

const FRAMEWORK_CACHE = path.join(REPO_ROOT, "src", ".observablehq", "cache");
const CACHE_MARK = path.join(FRAMEWORK_CACHE, ".atlas-fingerprint");

const { values } = parseArgs({
  options: {
    config: { type: "string" },
    data: { type: "string" },
    out: { type: "string" },
    store: { type: "string" },
    force: { type: "boolean", default: false },
    publish: { type: "boolean", default: false },
    "aggregate-only": { type: "boolean", default: false },
    "prepare-only": { type: "boolean", default: false },
    // Build even when more than the config's quarantineLimit is quarantined.
    "allow-quarantine": { type: "boolean", default: false },
    // Extra backtest as-of date (repeatable), besides 12 and 24 months before the data's as-of date.
    "backtest-at": { type: "string", multiple: true },
    // Machine-readable stage timings and peak memory, for the benchmark.
    "summary-json": { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  process.stdout.write(
    readFileSync(new URL(import.meta.url))
      .toString()
      .split("*/")[0]
      .replace(/^\/\*\*|^ \* ?/gm, ""),
  );
  process.exit(0);
}

try {
  const started = performance.now();
  const publish = {
    ...(values.publish ? { pseudonymize: true } : {}),
    ...(values["aggregate-only"] ? { aggregateOnly: true } : {}),
  };
  const result = await prepare({
    configPath: values.config,
    sourceDir: values.data,
    storeDir: values.store,
    force: values.force,
    publish,
    allowQuarantine: values["allow-quarantine"],
    backtestAt: values["backtest-at"],
  });
  const prepareMaxRssMb = process.resourceUsage().maxRSS / 1024;
  const env = {
    ...process.env,
    OBSERVABLE_TELEMETRY_DISABLE: "true",
    ATLAS_CONFIG: result.config.configPath,
    ATLAS_DATA_DIR: result.config.sourceDir,
    ATLAS_STORE: result.storeDir,
    // Framework's data loaders call prepare() again: they must ask for the same mode, or the fingerprint would differ.
    ATLAS_PUBLISH: publishToEnv(result.config.publish),
    ATLAS_BACKTEST_AT: (values["backtest-at"] ?? []).join(","),
    // This data's saved scenarios (observablehq.config.ts makes their pages): none unless the config names a folder.
    ATLAS_SCENARIOS: result.config.scenariosDir ?? "",
    ...(values.out ? { ATLAS_OUT: path.resolve(values.out) } : {}),
  };
  let renderSeconds = 0;
  // Framework's loader cache is shared by every build of this checkout: two builds at once
  // (a test and a preview, two test files) would read each other's outputs. One at a time.
  await withLock(path.join(FRAMEWORK_CACHE, ".atlas-render.lock"), async () => {
    invalidateFrameworkCache(result.hash, result.rebuilt);
    if (values["prepare-only"]) return;
    const t = performance.now();
    clearOutput(env.ATLAS_OUT ?? path.join(REPO_ROOT, "dist"));
    const framework = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, "node_modules", "@observablehq", "framework", "dist", "bin", "observable.js"), "build"],
      {
        cwd: REPO_ROOT,
        env,
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    if (framework.status !== 0)
      throw new AtlasError(`Observable Framework build failed (exit ${framework.status}); see the messages above`);
    const report = JSON.parse(readFileSync(path.join(result.storeDir, STORE_FILES.report), "utf8")) as { asOf: string };
    finalizePages(env.ATLAS_OUT ?? path.join(REPO_ROOT, "dist"), Date.parse(`${report.asOf}T00:00:00Z`));
    renderSeconds = (performance.now() - t) / 1000;
  });
  const s = result.seconds;
  if (values["summary-json"]) {
    writeFileSync(
      values["summary-json"],
      JSON.stringify(
        {
          rebuilt: result.rebuilt,
          seconds: { ...s, render: renderSeconds, total: (performance.now() - started) / 1000 },
          prepareMaxRssMb,
        },
        null,
        2,
      ),
    );
  }
  process.stderr.write(
    `\nbuild: ${result.rebuilt ? "data prepared" : "data unchanged"}; fingerprint ${s.fingerprint.toFixed(1)} s, ingest ${s.ingest.toFixed(1)} s, derive ${s.derive.toFixed(1)} s, models ${s.models.toFixed(1)} s, backtest ${s.backtest.toFixed(1)} s, write ${s.write.toFixed(1)} s` +
      (values["prepare-only"]
        ? ""
        : `, render ${renderSeconds.toFixed(1)} s → ${path.relative(process.cwd(), env.ATLAS_OUT ?? path.join(REPO_ROOT, "dist")) || "."}`) +
      `; total ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
} catch (error) {
  if (error instanceof AtlasError) {
    process.stderr.write(`\nerror: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

/**
 * Framework clears its output folder only inside the working directory; we clear it always,
 * but only when it is empty or holds a previous build, never an unrelated folder.
 */
function clearOutput(dir: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes("_observablehq")) {
    throw new AtlasError(`${dir} is not empty and does not look like a previous LTV Atlas build; choose another --out`);
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Framework keeps loader outputs while they are newer than the loader file: drop them when the
 * data changed, or when the store was rebuilt (--force), so that the loaders run again on it.
 */
function invalidateFrameworkCache(hash: string, rebuilt: boolean): void {
  const previous = existsSync(CACHE_MARK) ? readFileSync(CACHE_MARK, "utf8") : null;
  if (previous === hash && !rebuilt) return;
  rmSync(path.join(FRAMEWORK_CACHE, "data"), { recursive: true, force: true });
  mkdirSync(FRAMEWORK_CACHE, { recursive: true });
  writeFileSync(CACHE_MARK, hash);
}

/**
 * Three fixes to every built page:
 * - Reproducible: Framework writes each file attachment's `lastModified` — the time its loader
 *   ran — into the page; it becomes the as-of date, so the same data gives the same bytes.
 * - Accessible shell: lang, zoom, a skip link and a labelled sidebar (scripts/page-shell.ts).
 * - Saved scenario pages: their own title, description and pager (scripts/scenario-pages.ts).
 * - Tighter Content-Security-Policy (set in observablehq.config.ts): the SHA-256 of each inline
 *   script of the page goes into script-src, and once a hash is listed, browsers ignore
 *   'unsafe-inline' — only the scripts Framework wrote can run.
 */
function finalizePages(dir: string, asOfMs: number): void {
  const walk = (sub: string): string[] =>
    readdirSync(sub, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(sub, e.name)) : e.name.endsWith(".html") ? [path.join(sub, e.name)] : [],
    );
  const scenarioShell = savedScenarioShell(dir);
  for (const file of walk(dir)) {
    const html = accessibleShell(
      scenarioShell(readFileSync(file, "utf8").replace(/"lastModified":\d+/g, `"lastModified":${asOfMs}`), file),
      file,
    );
    const hashes = [...html.matchAll(/<script(?:\s+type="module")?>([\s\S]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`,
    );
    const csp = /(<meta http-equiv="Content-Security-Policy" content="[^"]*script-src 'self')/;
    if (!csp.test(html))
      throw new AtlasError(`${file}: no Content-Security-Policy meta tag (observablehq.config.ts head)`);
    writeFileSync(file, html.replace(csp, `$1 ${[...new Set(hashes)].join(" ")}`));
  }
}
