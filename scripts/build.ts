/**
 * `npm run build`: prepare the data store from the extracts (only when they changed), clear
 * Framework's cached loader outputs when the data changed (Framework only compares a cached
 * file with its loader's modification time, so it would otherwise show old numbers), then
 * render the site with Observable Framework into dist/.
 *
 *   npm run build [-- --config data/atlas.config.json] [--data DIR] [--out dist] [--store DIR]
 *                    [--force] [--prepare-only] [--summary-json FILE]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { publishToEnv } from "../loaders/config.js";
import { AtlasError } from "../loaders/errors.js";
import { prepare } from "../loaders/pipeline.js";
import { REPO_ROOT } from "../loaders/store.js";

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
    // Machine-readable stage timings and peak memory, for the benchmark.
    "summary-json": { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  process.stdout.write(readFileSync(new URL(import.meta.url)).toString().split("*/")[0].replace(/^\/\*\*|^ \* ?/gm, ""));
  process.exit(0);
}

try {
  const started = performance.now();
  const publish = { ...(values.publish ? { pseudonymize: true } : {}), ...(values["aggregate-only"] ? { aggregateOnly: true } : {}) };
  const result = await prepare({ configPath: values.config, sourceDir: values.data, storeDir: values.store, force: values.force, publish });
  const prepareMaxRssMb = process.resourceUsage().maxRSS / 1024;
  invalidateFrameworkCache(result.hash);
  const env = {
    ...process.env,
    OBSERVABLE_TELEMETRY_DISABLE: "true",
    ATLAS_CONFIG: result.config.configPath,
    ATLAS_DATA_DIR: result.config.sourceDir,
    ATLAS_STORE: result.storeDir,
    // Framework's data loaders call prepare() again: they must ask for the same mode, or the fingerprint would differ.
    ATLAS_PUBLISH: publishToEnv(result.config.publish),
    ...(values.out ? { ATLAS_OUT: path.resolve(values.out) } : {}),
  };
  let renderSeconds = 0;
  if (!values["prepare-only"]) {
    const t = performance.now();
    clearOutput(env.ATLAS_OUT ?? path.join(REPO_ROOT, "dist"));
    const framework = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "@observablehq", "framework", "dist", "bin", "observable.js"), "build"], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (framework.status !== 0) throw new AtlasError(`Observable Framework build failed (exit ${framework.status}); see the messages above`);
    renderSeconds = (performance.now() - t) / 1000;
  }
  const s = result.seconds;
  if (values["summary-json"]) {
    writeFileSync(values["summary-json"], JSON.stringify({ rebuilt: result.rebuilt, seconds: { ...s, render: renderSeconds, total: (performance.now() - started) / 1000 }, prepareMaxRssMb }, null, 2));
  }
  process.stderr.write(
    `\nbuild: ${result.rebuilt ? "data prepared" : "data unchanged"}; fingerprint ${s.fingerprint.toFixed(1)} s, ingest ${s.ingest.toFixed(1)} s, derive ${s.derive.toFixed(1)} s, models ${s.models.toFixed(1)} s, write ${s.write.toFixed(1)} s` +
      (values["prepare-only"] ? "" : `, render ${renderSeconds.toFixed(1)} s → ${path.relative(process.cwd(), env.ATLAS_OUT ?? path.join(REPO_ROOT, "dist")) || "."}`) +
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

/** Framework keeps loader outputs while they are newer than the loader file: drop them when the data changed. */
function invalidateFrameworkCache(hash: string): void {
  const previous = existsSync(CACHE_MARK) ? readFileSync(CACHE_MARK, "utf8") : null;
  if (previous === hash) return;
  rmSync(path.join(FRAMEWORK_CACHE, "data"), { recursive: true, force: true });
  mkdirSync(FRAMEWORK_CACHE, { recursive: true });
  writeFileSync(CACHE_MARK, hash);
}
