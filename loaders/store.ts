/**
 * The prepared-data store: validated extracts, quarantine and derived tables as Parquet,
 * plus the ingest report, in one folder (default `.atlas/store`). A fingerprint of the
 * configuration, every extract's bytes and the loader code decides whether the store is
 * current; the site's data loaders read only from a current store, so a replaced or edited
 * extract can never show old numbers.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { AtlasConfig, PublishMode } from "./config.js";
import { EXTRACT_NAMES } from "./ingest/schema.js";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..");
export const DEFAULT_STORE_DIR = path.join(REPO_ROOT, ".atlas", "store");

/** Files of a complete store; a store missing any of them is rebuilt. */
export const STORE_FILES = {
  report: "ingest-report.json",
  fingerprint: "fingerprint.json",
  quarantine: "quarantine.parquet",
  accounts: "dim_accounts.parquet",
  accountMonth: "account_month.parquet",
  spendMonth: "spend_month.parquet",
  accountValue: "account_value.parquet",
  models: "models.json",
  /** Forecasts made as of earlier dates against what happened (loaders/backtest). */
  backtest: "backtest.json",
  /** Why customer value moved since a quarter and a year before (loaders/value-bridge). */
  valueBridge: "value-bridge.json",
  /** The publish mode the store was made in ({pseudonymize, aggregateOnly}); see loaders/derive/publish.ts. */
  publish: "publish.json",
} as const;

/** The publish mode of a prepared store; output loaders ask `withholdsAccountRows` (loaders/outputs/publish.ts) before shipping per-account rows. */
export function readPublishMode(storeDir: string): PublishMode {
  const file = path.join(storeDir, STORE_FILES.publish);
  return existsSync(file)
    ? ({ keepText: [], ...(JSON.parse(readFileSync(file, "utf8")) as Partial<PublishMode>) } as PublishMode)
    : { pseudonymize: false, aggregateOnly: false, keepText: [] };
}

export function extractParquet(name: string): string {
  return `extract_${name}.parquet`;
}

export interface Fingerprint {
  readonly hash: string;
  readonly inputs: ReadonlyArray<{ file: string; bytes: number; sha256: string }>;
}

/** Hashes the config, every extract's content and the code that turns them into the store. */
export async function fingerprint(config: AtlasConfig): Promise<Fingerprint> {
  const total = createHash("sha256");
  total.update(readFileSync(config.configPath));
  total.update(config.sourceDir);
  total.update(JSON.stringify({ publish: config.publish, backtestAt: config.valuation.backtestAt }));
  const inputs = [];
  for (const name of EXTRACT_NAMES) {
    const file = config.extracts[name].file;
    if (!existsSync(file)) {
      total.update(`${file}:missing`);
      continue;
    }
    const sha256 = await hashFile(file);
    inputs.push({ file, bytes: statSync(file).size, sha256 });
    total.update(`${file}:${sha256}`);
  }
  for (const file of codeFiles()) total.update(readFileSync(file));
  return { hash: total.digest("hex"), inputs };
}

export function storeIsCurrent(storeDir: string, hash: string): boolean {
  const file = path.join(storeDir, STORE_FILES.fingerprint);
  if (!existsSync(file)) return false;
  try {
    const stored = JSON.parse(readFileSync(file, "utf8")) as Fingerprint;
    return stored.hash === hash && Object.values(STORE_FILES).every((f) => existsSync(path.join(storeDir, f)));
  } catch {
    return false;
  }
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file, { highWaterMark: 4 << 20 })
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", reject);
  });
}

/** The loader and shared-library sources whose change must rebuild the store (and so clear Framework's cached loader outputs, which Framework judges only by the entry file's date). */
function codeFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) out.push(full);
    }
  };
  // All of loaders/ (pipeline, config, the as-of rebuild, backtest and value bridge included: a
  // folder left out here once let a changed backtest ship yesterday's backtest.json) and src/lib.
  walk(path.join(REPO_ROOT, "loaders"));
  walk(path.join(REPO_ROOT, "src", "lib"));
  return out;
}
