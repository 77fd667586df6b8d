/**
 * Prepare: extracts → validated, typed Parquet and derived tables in the store. Runs only
 * when the fingerprint changed; writes into a temporary folder and swaps it in whole, so an
 * interrupted run never leaves a store that a later build would trust.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { monthsBefore } from "../src/lib/dates.js";
import { DEFAULT_CUTS_MONTHS, runBacktests } from "./backtest/index.js";
import {
  backtestDates,
  loadConfig,
  publishFromEnv,
  publishMode,
  type AtlasConfig,
  type PublishMode,
} from "./config.js";
import { literal, openDb, type Db } from "./db.js";
import { applyPublishMode } from "./derive/publish.js";
import { buildDerivedTables } from "./derive/tables.js";
import { ingest, unitsOf, type IngestReport } from "./ingest/index.js";
import { assertQuarantineWithinLimit } from "./ingest/strict.js";
import type { ModelsData } from "../src/lib/shapes/models-data.js";
import type { BacktestData } from "../src/lib/shapes/backtest.js";
import type { ValueBridgeData } from "../src/lib/shapes/value-bridge.js";
import { asOfRebuilder } from "./asof/rebuild.js";
import { valueBridges } from "./value-bridge/index.js";
import { AtlasError } from "./errors.js";
import { EXTRACTS, EXTRACT_NAMES } from "./ingest/schema.js";
import { withLock } from "./lock.js";
import { runModels } from "./models/index.js";
import { progress } from "./progress.js";
import { DEFAULT_STORE_DIR, extractParquet, fingerprint, storeIsCurrent, STORE_FILES } from "./store.js";

export interface PrepareOptions {
  readonly configPath?: string;
  /** Replaces the config's sourceDir (benchmarks, tests). */
  readonly sourceDir?: string;
  readonly storeDir?: string;
  /** Rebuild even when the fingerprint matches. */
  readonly force?: boolean;
  readonly quiet?: boolean;
  /** Overrides the config's `publish` mode (the build's --publish / --aggregate-only flags). */
  readonly publish?: Partial<PublishMode>;
  /** Build even when more than the config's quarantineLimit is quarantined (--allow-quarantine). */
  readonly allowQuarantine?: boolean;
  /** Extra backtest as-of dates (--backtest-at), added to the config's valuation.backtestAt. */
  readonly backtestAt?: readonly string[];
}

export interface PrepareResult {
  readonly storeDir: string;
  readonly hash: string;
  readonly rebuilt: boolean;
  readonly config: AtlasConfig;
  readonly seconds: {
    readonly fingerprint: number;
    readonly ingest: number;
    readonly derive: number;
    readonly models: number;
    readonly backtest: number;
    readonly write: number;
  };
}

/** Options from the environment, so that Framework's data loaders use the store the build prepared. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): PrepareOptions {
  return {
    configPath: env.ATLAS_CONFIG || undefined,
    sourceDir: env.ATLAS_DATA_DIR || undefined,
    storeDir: env.ATLAS_STORE || undefined,
    publish: publishFromEnv(env.ATLAS_PUBLISH),
    backtestAt: env.ATLAS_BACKTEST_AT ? env.ATLAS_BACKTEST_AT.split(",") : undefined,
    quiet: true,
  };
}

export async function prepare(options: PrepareOptions = {}): Promise<PrepareResult> {
  const loaded = loadConfig(options.configPath, options.sourceDir);
  // The publish mode is part of the fingerprint: a published and a private store never pass for each other.
  const extraCuts = backtestDates([...(options.backtestAt ?? [])], "--backtest-at", (key, why) => {
    throw new AtlasError(`${key}: ${why}`);
  });
  const config: AtlasConfig = {
    ...loaded,
    publish: publishMode(loaded.publish, options.publish),
    valuation: { ...loaded.valuation, backtestAt: [...new Set([...loaded.valuation.backtestAt, ...extraCuts])].sort() },
  };
  const storeDir = path.resolve(options.storeDir ?? DEFAULT_STORE_DIR);
  const log = options.quiet ? () => {} : (line: string) => process.stderr.write(`${line}\n`);
  const t0 = performance.now();
  const { hash, inputs } = await fingerprint(config);
  const tFingerprint = (performance.now() - t0) / 1000;
  if (!options.force && storeIsCurrent(storeDir, hash)) {
    log(
      `prepare: data unchanged (fingerprint ${hash.slice(0, 12)}), reusing ${path.relative(process.cwd(), storeDir) || storeDir}`,
    );
    return {
      storeDir,
      hash,
      rebuilt: false,
      config,
      seconds: { fingerprint: tFingerprint, ingest: 0, derive: 0, models: 0, backtest: 0, write: 0 },
    };
  }
  return withLock(`${storeDir}.lock`, async () => {
    // Another process may have built it while we waited for the lock.
    if (!options.force && storeIsCurrent(storeDir, hash)) {
      return {
        storeDir,
        hash,
        rebuilt: false,
        config,
        seconds: { fingerprint: tFingerprint, ingest: 0, derive: 0, models: 0, backtest: 0, write: 0 },
      };
    }
    const tempDir = `${storeDir}.tmp-${process.pid}`;
    // Temp folders of runs that were killed (we hold the lock: nobody else is writing one).
    for (const entry of existsSync(path.dirname(storeDir)) ? readdirSync(path.dirname(storeDir)) : []) {
      if (entry.startsWith(`${path.basename(storeDir)}.tmp-`))
        rmSync(path.join(path.dirname(storeDir), entry), { recursive: true, force: true });
    }
    mkdirSync(path.join(tempDir, "spill"), { recursive: true });
    const db = await openDb({
      tempDirectory: path.join(tempDir, "spill"),
      memoryLimit: process.env.ATLAS_MEMORY_LIMIT ?? "3GB",
    });
    try {
      const bar = options.quiet ? null : progress("ingest", EXTRACT_NAMES.length);
      const t1 = performance.now();
      const watch = options.quiet ? null : watchQueries(db);
      const report = await ingest(db, config, (event) => {
        watch?.stage(
          `${event.extract}: ${event.step === "read" ? "reading" : "validating"}`,
          event.step === "validate" ? (event.rows ?? null) : null,
        );
        if (event.step === "done") bar?.tick(`${event.extract} (${event.rows?.toLocaleString("en-US")} rows)`);
      }).finally(() => watch?.stop());
      bar?.done();
      // What was read is said before anything is fitted: a model problem never hides it.
      for (const line of summaryLines(report)) log(line);
      await assertQuarantineWithinLimit(db, report, config, storeDir, { allow: options.allowQuarantine === true, log });
      const t2 = performance.now();
      log(`derive: account × month tables as of ${report.asOf}`);
      await buildDerivedTables(db, report.asOf);
      const t3 = performance.now();
      log("models: fitting sBG per contract segment, and the purchase models + Gamma-Gamma for transactional accounts");
      const modelRun = await runModels(db, report.asOf, report.currency, config.valuation, log);
      const modelled = modelRun.data;
      // Aggregate-only builds ship no per-account rows: the disagreement list keeps its count only.
      const models = config.publish.aggregateOnly
        ? {
            ...modelled,
            disagreements: { ...modelled.disagreements, accounts: [] },
            outcomes: {
              ...modelled.outcomes,
              concentration: { ...modelled.outcomes.concentration, largestAccountId: null },
            },
          }
        : modelled;
      const t4 = performance.now();
      log("backtest: rebuilding the models as of earlier dates and forecasting the year after each");
      // One rebuild per earlier date, shared by the backtest and the value bridge.
      const rebuild = asOfRebuilder(db, report.currency, config.valuation);
      const backtest = await runBacktests(db, {
        asOf: report.asOf,
        currency: report.currency,
        valuation: config.valuation,
        rebuild,
        cuts: [...DEFAULT_CUTS_MONTHS.map((m) => monthsBefore(report.asOf, m)), ...config.valuation.backtestAt],
        log,
      });
      for (const skip of backtest.skipped) log(`backtest: ${skip.cut} skipped: ${skip.reason}`);
      const bridge = await valueBridges(db, {
        asOf: report.asOf,
        currency: report.currency,
        valuation: config.valuation,
        now: modelRun,
        rebuild,
      });
      for (const skip of bridge.skipped) log(`value bridge: from ${skip.from} skipped: ${skip.reason}`);
      const t4b = performance.now();
      if (config.publish.pseudonymize)
        log(
          `publish: pseudonymising account names and dropping personal fields${config.publish.aggregateOnly ? "; aggregate-only" : ""}`,
        );
      const published = await applyPublishMode(db, report, config.publish);
      await writeStore(db, tempDir, published, models, { backtest, bridge }, { hash, inputs, publish: config.publish });
      rmSync(path.join(tempDir, "spill"), { recursive: true, force: true });
      // Two renames, never a recursive delete of the live store: a run killed at any point leaves
      // the old store whole, or no store, or the new one whole — never a partial one.
      const oldDir = `${storeDir}.tmp-old-${process.pid}`;
      if (existsSync(storeDir)) renameSync(storeDir, oldDir);
      renameSync(tempDir, storeDir);
      rmSync(oldDir, { recursive: true, force: true });
      const t5 = performance.now();
      for (const note of models.notes) log(`models: ${note}`);
      return {
        storeDir,
        hash,
        rebuilt: true,
        config,
        seconds: {
          fingerprint: tFingerprint,
          ingest: (t2 - t1) / 1000,
          derive: (t3 - t2) / 1000,
          models: (t4 - t3) / 1000,
          backtest: (t4b - t4) / 1000,
          write: (t5 - t4b) / 1000,
        },
      };
    } catch (error) {
      rmSync(tempDir, { recursive: true, force: true });
      throw error;
    } finally {
      db.close();
    }
  });
}

/**
 * Progress inside one long extract: every 2 s, DuckDB's own progress of the running query
 * (share done; rows per second once the row count is known), on stderr. Quiet for the
 * first 5 s of a stage, so small extracts print nothing.
 */
function watchQueries(db: Db): { stage(label: string, rows: number | null): void; stop(): void } {
  const tty = Boolean(process.stderr.isTTY);
  let label = "";
  let rows: number | null = null;
  let since = performance.now();
  let printed = false;
  void db.run("SET enable_progress_bar = true; SET enable_progress_bar_print = false").catch(() => {});
  const timer = setInterval(() => {
    const elapsed = (performance.now() - since) / 1000;
    if (elapsed < 5 || !label) return;
    const p = db.connection.progress;
    const share = p.percentage >= 0 ? p.percentage : null;
    const rate =
      rows !== null && share !== null && share > 0
        ? `, ~${Math.round((rows * share) / 100 / elapsed).toLocaleString("en-US")} rows/s`
        : "";
    const done =
      rows !== null && share !== null
        ? ` (${Math.round((rows * share) / 100).toLocaleString("en-US")} of ${rows.toLocaleString("en-US")} rows)`
        : "";
    const line = `  ${label}: ${share === null ? "working" : `${share.toFixed(0)}% of the current step`}${done}${rate}, ${elapsed.toFixed(0)} s`;
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    printed = true;
  }, 2000);
  timer.unref();
  return {
    stage(next, count) {
      if (printed && tty) process.stderr.write("\n");
      printed = false;
      label = next;
      rows = count;
      since = performance.now();
    },
    stop() {
      clearInterval(timer);
      if (printed && tty) process.stderr.write("\n");
    },
  };
}

async function writeStore(
  db: Db,
  dir: string,
  report: IngestReport,
  models: ModelsData,
  forecasts: { readonly backtest: BacktestData; readonly bridge: ValueBridgeData },
  print: object,
): Promise<void> {
  const copy = (sql: string, file: string) =>
    db.run(`COPY (${sql}) TO ${literal(path.join(dir, file))} (FORMAT parquet, COMPRESSION zstd)`);
  for (const name of EXTRACT_NAMES) await copy(`SELECT * FROM accepted_${name} ORDER BY line`, extractParquet(name));
  await copy("SELECT * FROM quarantine ORDER BY extract, line", STORE_FILES.quarantine);
  await copy("SELECT * FROM dim_accounts", STORE_FILES.accounts);
  await copy("SELECT * FROM account_month", STORE_FILES.accountMonth);
  await copy("SELECT * FROM spend_month", STORE_FILES.spendMonth);
  await copy("SELECT * FROM account_value ORDER BY account_id", STORE_FILES.accountValue);
  writeFileSync(path.join(dir, STORE_FILES.models), JSON.stringify(models));
  writeFileSync(path.join(dir, STORE_FILES.backtest), JSON.stringify(forecasts.backtest));
  writeFileSync(path.join(dir, STORE_FILES.valueBridge), JSON.stringify(forecasts.bridge));
  writeFileSync(path.join(dir, STORE_FILES.report), JSON.stringify(report, null, 2));
  writeFileSync(path.join(dir, STORE_FILES.publish), JSON.stringify((print as { publish: PublishMode }).publish));
  // Written last: a store without its fingerprint is never trusted.
  writeFileSync(path.join(dir, STORE_FILES.fingerprint), JSON.stringify(print, null, 2));
}

function summaryLines(report: IngestReport): string[] {
  const lines = [
    `prepare: as of ${report.asOf} (${report.asOfSource}), currency ${report.currency}; reconciles = accepted + quarantined equals the source total`,
  ];
  const pct = (part: number, whole: number) => (whole === 0 ? "—" : `${((100 * part) / whole).toFixed(1)}%`);
  for (const e of report.extracts) {
    const label = `  ${e.extract.padEnd(16)}`;
    if (!e.provided) {
      lines.push(
        `${label} ${e.derivedFrom ? `derived from ${e.derivedFrom}: ${e.accepted.toLocaleString("en-US")} rows` : "not provided"}`,
      );
      continue;
    }
    const filtered = e.filtered.reduce((n, f) => n + f.count, 0);
    const money = e.money
      ? `; ${e.money.column} ${e.money.balanced ? "reconciles" : "DOES NOT RECONCILE"} (${e.money.sourceTotal}), ${moneyShare(e.money.acceptedTotal, e.money.sourceTotal)} of it accepted`
      : "";
    lines.push(
      `${label} ${String(e.rowsRead).padStart(10)} read ${String(e.accepted).padStart(10)} accepted (${pct(e.accepted, e.rowsRead - filtered)}) ${String(e.quarantined).padStart(8)} quarantined` +
        (filtered ? ` ${filtered} filtered out` : "") +
        money,
    );
    if (e.rounding && e.rounding.differenceTotal !== "0" && !/^-?0\.0+$/.test(e.rounding.differenceTotal)) {
      lines.push(
        `${" ".repeat(19)}money read with ${e.rounding.decimals} decimals; pages show cents: rounding each line changes the total by ${e.rounding.differenceTotal}`,
      );
    }
  }
  return lines;
}

/** "99.2%": accepted money as a share of the source total (exact decimals, shown to 0.1%). */
function moneyShare(accepted: string, source: string): string {
  const s = unitsOf(source);
  return s === 0n ? "—" : `${(Number((unitsOf(accepted) * 100000n) / s) / 1000).toFixed(1)}%`;
}

/** For `EXTRACTS` consumers that only need the names. */
export { EXTRACTS };
