/**
 * Presets, end to end (issue 13): for each fixture in test/fixtures/presets/<name>/ (a vendor's
 * export shape, synthetic values), the config comes from `npm run init -- <files> --out …` when the
 * init script exists, else from the fixture's hand-written expected.config.json; then the real build
 * (`scripts/build.ts --config … --store … --out …`) must succeed, and the store must agree with
 * test/fixtures/presets/oracle.py — an independent Python reading of the same files under the same
 * config — on rows read / accepted / quarantined / filtered, exact money totals, accounts,
 * invoices and credit notes, and every account's ABC class.
 *
 * The build renders the whole site once per fixture (minutes on 2 cores). PRESETS_PREPARE_ONLY=1
 * prepares the store only (every check but "the site renders").
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../loaders/config.js";
import { literal, openDb } from "../../loaders/db.js";
import { ingest } from "../../loaders/ingest/index.js";
import { runBuild } from "../support/build.js";
import { REPO } from "../support/fixtures.js";

const PRESETS = path.join(REPO, "test", "fixtures", "presets");
const ORACLE = path.join(PRESETS, "oracle.py");
const PREPARE_ONLY = process.env.PRESETS_PREPARE_ONLY === "1";
const HAS_INIT = Boolean(
  (JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts
    .init,
);

interface OracleFile {
  file: string;
  read: number;
  accepted: number;
  quarantined: number;
  filtered: number;
  filteredByRule: Record<string, number>;
  reasons: Record<string, number>;
  acceptedAmount: string;
  quarantinedReadableAmount: string;
}
interface Oracle {
  asOf: string;
  asOfSource: "config" | "data";
  files: Record<string, OracleFile>;
  accounts: number;
  invoices: number;
  creditNotes: number;
  revenueTotal: string;
  abc: { window: [string, string]; counts: Record<"A" | "B" | "C" | "none", number>; classes: Record<string, string> };
}
interface ReportExtract {
  extract: string;
  provided?: boolean;
  rowsRead: number;
  accepted: number;
  quarantined: number;
  reasons: { code: string; column: string | null; count: number }[];
  money: {
    column: string;
    sourceTotal: string;
    acceptedTotal: string;
    quarantinedTotal: string;
    balanced: boolean;
  } | null;
  filtered?: { rule: string; count: number }[];
}
interface Report {
  asOf: string;
  asOfSource: string;
  extracts: ReportExtract[];
}

const CASES: { name: string; files: string[] }[] = [
  { name: "order-lines", files: ["orders.csv"] },
  { name: "retail-transactions", files: ["online_retail.csv"] },
  // A short history (20 days): the build must not fail on it, the models have almost nothing to fit.
  { name: "retail-transactions-20d", files: ["online_retail.csv"] },
  { name: "stripe", files: ["invoices.csv", "subscriptions.csv"] },
  { name: "hubspot-deals", files: ["deals.csv"] },
  { name: "salesforce-opportunities", files: ["opportunities.csv"] },
];

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** `npm run init` writes the config when the script exists; otherwise the fixture's expected config is used as is. */
function proposeConfig(
  name: string,
  files: string[],
  tmp: string,
): { config: string; init: { status: number | null; stderr: string; stdout: string } | null } {
  if (!HAS_INIT) return { config: path.join(PRESETS, name, "expected.config.json"), init: null };
  const out = path.join(tmp, "atlas.config.json");
  const r = spawnSync(
    "npm",
    ["run", "-s", "init", "--", ...files.map((f) => path.join(PRESETS, name, f)), "--out", out],
    {
      cwd: REPO,
      env: { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", TZ: "UTC" },
      encoding: "utf8",
      maxBuffer: 64 << 20,
    },
  );
  return { config: out, init: { status: r.status, stderr: r.stderr, stdout: r.stdout } };
}

function runOracle(config: string): Oracle {
  const r = spawnSync("python3", [ORACLE, "--config", config, "--classes"], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`oracle.py failed on ${config}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Oracle;
}

const dec = (s: string | number | null | undefined) => new Decimal(s ?? 0);

for (const { name, files } of CASES) {
  describe(`preset ${name}`, () => {
    let tmp = "";
    let config = "";
    let init: ReturnType<typeof proposeConfig>["init"] = null;
    let build: ReturnType<typeof runBuild> | null = null;
    let buildSeconds = 0;
    let oracle: Oracle;
    let report: Report | null = null;
    let reportFrom = "the store";
    const store = () => path.join(tmp, "store");

    beforeAll(async () => {
      tmp = mkdtempSync(path.join(os.tmpdir(), `atlas-preset-${name}-`));
      made.push(tmp);
      ({ config, init } = proposeConfig(name, files, tmp));
      if (init && init.status !== 0) return;
      oracle = runOracle(config);
      const started = performance.now();
      build = runBuild([
        "--config",
        config,
        "--store",
        store(),
        "--out",
        path.join(tmp, "dist"),
        ...(PREPARE_ONLY ? ["--prepare-only"] : []),
      ]);
      buildSeconds = (performance.now() - started) / 1000;
      process.stderr.write(
        `preset ${name}: build exit ${build.status} in ${buildSeconds.toFixed(1)} s${PREPARE_ONLY ? " (prepare only)" : ""}\n`,
      );
      const file = path.join(store(), "ingest-report.json");
      if (existsSync(file)) report = JSON.parse(readFileSync(file, "utf8")) as Report;
      else if (build.status !== 0) {
        // The build stopped after ingest (or in it): ingest alone still shows whether the rows and money agree.
        const db = await openDb();
        try {
          report = (await ingest(db, loadConfig(config))) as unknown as Report;
          reportFrom = "ingest alone (the build failed)";
        } catch (error) {
          process.stderr.write(`preset ${name}: ingest alone failed too: ${(error as Error).message}\n`);
        } finally {
          db.close();
        }
      }
    }, 900_000);

    it.skipIf(!HAS_INIT)("init proposes a config that reads the files as the expected config does", () => {
      expect(init?.status, `npm run init failed:\n${init?.stderr}`).toBe(0);
      const proposed = JSON.parse(readFileSync(config, "utf8")) as ConfigShape;
      const expectedFile = path.join(PRESETS, name, "expected.config.json");
      const expected = JSON.parse(readFileSync(expectedFile, "utf8")) as ConfigShape;
      expect(essentials(proposed, path.dirname(config))).toEqual(essentials(expected, path.join(PRESETS, name)));
      // Equivalent mappings may differ in spelling (Amount Paid vs Total on paid invoices, an extra
      // stage value): what must agree is what the oracle reads under each config.
      expect(outcome(oracle)).toEqual(outcome(runOracle(expectedFile)));
    });

    it("builds", () => {
      expect(build, "no build ran (init failed?)").not.toBeNull();
      expect(build!.status, `build failed:\n${build!.stderr.slice(-6000)}`).toBe(0);
      expect(report, "no ingest-report.json in the store").not.toBeNull();
      if (!PREPARE_ONLY) expect(readdirSync(path.join(tmp, "dist")).some((f) => f.endsWith(".html"))).toBe(true);
    });

    it("reads, accepts, quarantines and filters the rows the oracle does, per file, with the same as-of date", () => {
      expect(report, "no ingest report").not.toBeNull();
      expect({ asOf: report!.asOf, asOfSource: report!.asOfSource }, `report from ${reportFrom}`).toEqual({
        asOf: oracle.asOf,
        asOfSource: oracle.asOfSource,
      });
      for (const [extract, o] of Object.entries(oracle.files)) {
        const e = report!.extracts.find((x) => x.extract === extract);
        expect(e, `no ${extract} in the ingest report`).toBeDefined();
        // By reason code (the oracle also names the canonical column; the report may name the header).
        const byCode = (pairs: [string, number][]) =>
          pairs.reduce<Record<string, number>>((acc, [code, n]) => ({ ...acc, [code]: (acc[code] ?? 0) + n }), {});
        const reasons = byCode(e!.reasons.map((r) => [r.code, r.count]));
        const filtered = (e!.filtered ?? []).reduce((s, f) => s + f.count, 0);
        expect({
          extract,
          provided: e!.provided,
          rowsRead: e!.rowsRead,
          accepted: e!.accepted,
          quarantined: e!.quarantined,
          filtered,
          reasons,
        }).toEqual({
          extract,
          provided: true,
          rowsRead: o.read,
          accepted: o.accepted,
          quarantined: o.quarantined,
          filtered: o.filtered,
          reasons: byCode(Object.entries(o.reasons).map(([k, n]) => [k.split(":")[0], n])),
        });
        // Nothing lost: every row read is accepted, quarantined or filtered.
        expect(e!.accepted + e!.quarantined + filtered).toBe(e!.rowsRead);
      }
    });

    it("reconciles money exactly: the accepted and quarantined totals equal the oracle's decimals", () => {
      expect(report, "no ingest report").not.toBeNull();
      for (const [extract, o] of Object.entries(oracle.files)) {
        const m = report!.extracts.find((x) => x.extract === extract)?.money;
        expect(m, `${extract}: no money reconciliation`).toBeTruthy();
        expect({
          extract,
          accepted: dec(m!.acceptedTotal).toFixed(4),
          quarantined: dec(m!.quarantinedTotal).toFixed(4),
          balanced: m!.balanced,
        }).toEqual({
          extract,
          accepted: dec(o.acceptedAmount).toFixed(4),
          quarantined: dec(o.quarantinedReadableAmount).toFixed(4),
          balanced: true,
        });
        expect(
          dec(m!.acceptedTotal).plus(m!.quarantinedTotal).eq(m!.sourceTotal),
          `${extract}: accepted + quarantined = source`,
        ).toBe(true);
      }
    });

    it("stores the oracle's accounts, invoices, credit notes and total of invoice lines", async () => {
      expect(existsSync(path.join(store(), "ingest-report.json")), "no store (the build failed)").toBe(true);
      const db = await openDb();
      try {
        const f = (file: string) => literal(path.join(store(), file));
        const accounts = (
          await db.all<{ account_id: string }>(
            `SELECT account_id FROM read_parquet(${f("dim_accounts.parquet")}) ORDER BY account_id`,
          )
        ).map((r) => r.account_id);
        const docs = await db.all<{ document_type: string; n: string }>(
          `SELECT document_type, count(*) AS n FROM read_parquet(${f("extract_invoices.parquet")}) GROUP BY ALL`,
        );
        const [lines] = await db.all<{ total: string | null; n: string }>(
          `SELECT CAST(sum(amount) AS VARCHAR) AS total, count(*) AS n FROM read_parquet(${f("extract_invoice_lines.parquet")})`,
        );
        const count = (t: string) => Number(docs.find((d) => d.document_type === t)?.n ?? 0);
        expect({
          accounts: accounts.length,
          invoices: count("invoice"),
          creditNotes: count("credit_note"),
          linesTotal: dec(lines.total).toFixed(4),
        }).toEqual({
          accounts: oracle.accounts,
          invoices: oracle.invoices,
          creditNotes: oracle.creditNotes,
          linesTotal: dec(oracle.revenueTotal).toFixed(4),
        });
        expect(accounts).toEqual(Object.keys(oracle.abc.classes).sort(byCodePoint));
      } finally {
        db.close();
      }
    });

    it("gives every account the oracle's ABC class (trailing 12 months as of the as-of date)", async () => {
      expect(existsSync(path.join(store(), "ingest-report.json")), "no store (the build failed)").toBe(true);
      const previous = process.env.ATLAS_CONFIG;
      process.env.ATLAS_CONFIG = config; // openAnalystDb takes the ABC thresholds from the config
      const { openAnalystDb } = await import("../../loaders/outputs/analyst/tables.js");
      const { db } = await openAnalystDb(store());
      try {
        const labels = ["A", "B", "C", "none"];
        const rows = await db.all<{ account_id: string; c0: number }>(
          `SELECT n.account_id, a.c0 FROM accounts_abc a JOIN names n USING (idx) ORDER BY n.account_id`,
        );
        const classes = Object.fromEntries(rows.map((r) => [r.account_id, labels[Number(r.c0)]]));
        const counts = Object.fromEntries(labels.map((l) => [l, Object.values(classes).filter((c) => c === l).length]));
        expect(counts, `ABC counts over ${oracle.abc.window.join(" … ")}`).toEqual(oracle.abc.counts);
        expect(classes).toEqual(oracle.abc.classes);
      } finally {
        db.close();
        if (previous === undefined) delete process.env.ATLAS_CONFIG;
        else process.env.ATLAS_CONFIG = previous;
      }
    });
  });
}

/** DuckDB orders VARCHAR by bytes (UTF-8), which is code-point order; JavaScript's sort compares UTF-16 units. */
function byCodePoint(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

interface ConfigShape {
  sourceDir?: string;
  format?: { dateFormat?: string; moneyDecimals?: number; delimiter?: string; decimalSeparator?: string };
  extracts: Record<string, { file: string; format?: { dateFormat?: string; moneyDecimals?: number } }>;
}

/** The choices init must make as the expected config does: which file is which extract, its date format, its money scale. */
function essentials(c: ConfigShape, base: string) {
  return Object.fromEntries(
    Object.entries(c.extracts).map(([name, e]) => [
      name,
      {
        file: path.resolve(base, c.sourceDir ?? ".", e.file),
        dateFormat: e.format?.dateFormat ?? c.format?.dateFormat ?? "%Y-%m-%d",
        moneyDecimals: e.format?.moneyDecimals ?? c.format?.moneyDecimals ?? 2,
      },
    ]),
  );
}

/** The oracle's figures that the pages show: as-of date, accounts, invoices, revenue, classes, and the transactions read. */
function outcome(o: Oracle) {
  const t = o.files.transactions;
  return {
    asOf: o.asOf,
    accounts: o.accounts,
    invoices: o.invoices,
    creditNotes: o.creditNotes,
    revenueTotal: o.revenueTotal,
    classes: o.abc.classes,
    transactions: t && {
      read: t.read,
      accepted: t.accepted,
      quarantined: t.quarantined,
      filtered: t.filtered,
      acceptedAmount: t.acceptedAmount,
    },
  };
}
