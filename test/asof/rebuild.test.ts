/**
 * What the as-of rebuild (loaders/asof) feeds, on the bundled sample:
 * - the backtest (loaders/backtest) uses no data after its as-of date (changing only later rows
 *   leaves every forecast unchanged while the actuals move), its actuals equal an independent SQL
 *   computation over the raw extracts, and `clv backtest` prints it;
 * - the value bridge (loaders/value-bridge) adds up exactly, ends at the headline value, and
 *   starts at the value a build on the extracts cut at the earlier date gives; new accounts are exactly those acquired since.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBacktests } from "../../loaders/backtest/index.js";
import { monthsBefore } from "../../src/lib/dates.js";
import { DEFAULT_VALUATION } from "../../loaders/config.js";
import { literal, openDb, type Db } from "../../loaders/db.js";
import { buildDerivedTables } from "../../loaders/derive/tables.js";
import { EXTRACT_NAMES } from "../../loaders/ingest/schema.js";
import { prepare } from "../../loaders/pipeline.js";
import { extractParquet, STORE_FILES } from "../../loaders/store.js";
import type { BacktestData } from "../../src/lib/shapes/backtest.js";
import type { ValueBridgeData } from "../../src/lib/shapes/value-bridge.js";
import type { ModelsData } from "../../src/lib/shapes/models-data.js";
import { REPO } from "../support/fixtures.js";

const store = mkdtempSync(path.join(os.tmpdir(), "atlas-backtest-store-"));
let db: Db;
let asOf: string;
let built: BacktestData;
let bridge: ValueBridgeData;
let models: ModelsData;

beforeAll(async () => {
  const { storeDir } = await prepare({ storeDir: store, quiet: true });
  built = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.backtest), "utf8")) as BacktestData;
  asOf = built.asOf;
  bridge = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.valueBridge), "utf8")) as ValueBridgeData;
  models = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.models), "utf8")) as ModelsData;
  db = await openDb({});
  for (const name of EXTRACT_NAMES)
    await db.run(
      `CREATE TABLE accepted_${name} AS SELECT * FROM read_parquet(${literal(path.join(storeDir, extractParquet(name)))})`,
    );
  await buildDerivedTables(db, asOf);
}, 600_000);
afterAll(() => {
  db?.close();
  rmSync(store, { recursive: true, force: true });
});

const strip = (d: BacktestData) =>
  d.runs.map((r) => ({
    cut: r.cut,
    accounts: r.accounts,
    model: r.purchaseModel,
    rows: r.rows.map((x) => ({ ...x, actual: 0 })),
  }));

describe("the backtest on data/sample", () => {
  it("the build backtests 12 and 24 months before the as-of date", () => {
    expect(built.runs.map((r) => r.cut)).toEqual([monthsBefore(asOf, 12), monthsBefore(asOf, 24)]);
    expect(built.skipped).toEqual([]);
    for (const r of built.runs) {
      expect(r.accounts).toBeGreaterThan(100);
      for (const row of r.rows) {
        expect(row.band.p10).toBeLessThanOrEqual(row.band.p50);
        expect(row.band.p50).toBeLessThanOrEqual(row.band.p90);
      }
    }
  });

  it("uses no data after its as-of date: changing only later rows changes the actuals, never the forecast", async () => {
    const cut = monthsBefore(asOf, 12);
    const options = { asOf, currency: "USD", valuation: DEFAULT_VALUATION, cuts: [cut] };
    const before = await runBacktests(db, options);
    const c = `DATE ${literal(cut)}`;
    // Every later row changes: invoices after the cut triple, every running contract ends the day after it,
    // later contracts and accounts disappear.
    await db.run(`
      CREATE OR REPLACE TABLE accepted_invoice_lines AS SELECT * REPLACE (CASE WHEN invoice_id IN (
        SELECT invoice_id FROM accepted_invoices WHERE invoice_date > ${c}) THEN amount * 3 ELSE amount END AS amount)
        FROM accepted_invoice_lines;
      DELETE FROM accepted_contracts WHERE start_date > ${c};
      UPDATE accepted_contracts SET end_date = ${c} + 1 WHERE end_date IS NULL OR end_date > ${c};
      DELETE FROM accepted_accounts WHERE acquired_on > ${c};
      DELETE FROM accepted_nps_responses WHERE responded_on > ${c};`);
    await buildDerivedTables(db, asOf);
    const after = await runBacktests(db, options);
    expect(strip(after)).toEqual(strip(before));
    const revenue = (d: BacktestData) =>
      d.runs[0].rows.find((r) => r.dimension === "Portfolio" && r.measure === "revenue")!.actual;
    expect(revenue(after)).not.toBe(revenue(before));
    const churned = (d: BacktestData) =>
      d.runs[0].rows.find((r) => r.dimension === "Portfolio" && r.measure === "churned")!.actual;
    expect(churned(after)).toBeGreaterThan(churned(before));
  }, 300_000);
});

describe("the backtest's actuals, computed another way", () => {
  it("transactional revenue of the year after the cut equals a direct sum over the raw extracts", async () => {
    const run = built.runs[0];
    const row = run.rows.find(
      (r) => r.dimension === "Business model" && r.segment === "transactional" && r.measure === "revenue",
    );
    expect(row).toBeDefined();
    // Independent: purchase days (invoices, not credit notes, net positive) of the transactional accounts
    // forecast at the cut — those with a purchase on or before it and acquired on or before it.
    const c = `DATE ${literal(run.cut)}`,
      e = `DATE ${literal(run.windowEnd)}`;
    const [{ total }] = await db.all<{ total: number }>(`
      WITH days AS (
        SELECT i.account_id, i.invoice_date AS day, sum(l.amount) AS amount
        FROM read_parquet(${literal(path.join(store, extractParquet("invoices")))}) i
        JOIN read_parquet(${literal(path.join(store, extractParquet("invoice_lines")))}) l USING (invoice_id)
        WHERE i.document_type = 'invoice' GROUP BY ALL HAVING sum(l.amount) > 0
      ), forecast AS (
        SELECT DISTINCT d.account_id FROM days d
        JOIN read_parquet(${literal(path.join(store, extractParquet("accounts")))}) a USING (account_id)
        WHERE a.business_model = 'transactional' AND a.acquired_on <= ${c} AND d.day <= ${c}
      )
      SELECT CAST(sum(round(amount * 100)) AS DOUBLE) AS total FROM days SEMI JOIN forecast USING (account_id)
      WHERE day > ${c} AND day <= ${e}`);
    expect(row!.actual).toBe(total);
  });
});

describe("npm run -s clv -- backtest", () => {
  const clv = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join("scripts", "clv.ts"), "backtest", ...args], {
      encoding: "utf8",
    });

  it("prints every backtest row as CSV, money to the cent", () => {
    const out = clv("--store", store);
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split(/\r\n/);
    expect(lines[0]).toBe(`# backtest as of ${asOf}, currency USD`);
    expect(lines[1]).toBe("cut,window_end,dimension,segment,accounts,measure,forecast,p10,p50,p90,actual,naive,inside");
    expect(lines.length - 2).toBe(built.runs.reduce((n, r) => n + r.rows.length, 0));
    const revenue = built.runs[0].rows.find((r) => r.dimension === "Portfolio" && r.measure === "revenue")!;
    const cells = lines[2].split(",");
    expect(cells.slice(0, 6)).toEqual([
      built.runs[0].cut,
      built.runs[0].windowEnd,
      "Portfolio",
      "All accounts",
      String(revenue.accounts),
      "revenue",
    ]);
    expect(Number(cells[10])).toBe(Math.round(revenue.actual) / 100);
  });

  it("prints the whole file with --format json, and says what is missing", () => {
    expect(JSON.parse(clv("--store", store, "--format", "json").stdout)).toEqual(built);
    const missing = clv("--store", path.join(store, "nope"));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no backtest in .*nope/);
  });
});

describe("the customer-value bridge", () => {
  it("bridges from a quarter and a year before, each adding up exactly to the headline value", () => {
    expect(bridge.bridges.map((b) => b.from)).toEqual([monthsBefore(asOf, 3), monthsBefore(asOf, 12)]);
    for (const b of bridge.bridges) {
      const sum = b.steps.reduce((s, step) => s + step.cents, b.valueThen);
      expect(Math.abs(sum - b.valueNow)).toBeLessThan(0.01);
      expect(b.valueNow).toBeCloseTo(models.portfolio.valueCents, 2);
      expect(b.steps.map((s) => s.key)).toEqual(["new", "lost", "expansion", "contraction", "re-estimate"]);
      expect(b.steps.find((s) => s.key === "new")!.cents).toBeGreaterThan(0);
      expect(b.steps.find((s) => s.key === "lost")!.cents).toBeLessThan(0);
    }
  });

  it("starts at the value a build on the extracts cut at the earlier date gives; new accounts are exactly those acquired since", async () => {
    const b = bridge.bridges[0];
    // New accounts, independently: every account acquired after the earlier date, with its value now.
    const [fresh] = await db.all<{ n: number; cents: number }>(`
      SELECT CAST(count(*) AS INTEGER) AS n, sum(v.clv_cents) AS cents
      FROM read_parquet(${literal(path.join(store, STORE_FILES.accountValue))}) v
      JOIN read_parquet(${literal(path.join(store, extractParquet("accounts")))}) a USING (account_id)
      WHERE a.acquired_on > DATE ${literal(b.from)}`);
    const step = b.steps.find((s) => s.key === "new")!;
    expect(step.accounts).toBe(fresh.n);
    expect(step.cents).toBeCloseTo(fresh.cents, 2);
    const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-cut-"));
    try {
      const sample = path.join(REPO, "data", "sample");
      const src = (name: string) =>
        `read_csv(${literal(path.join(sample, `${name}.csv`))}, header = true, all_varchar = true)`;
      const out = (name: string) => literal(path.join(dir, "data", `${name}.csv`));
      const cut = `DATE ${literal(b.from)}`;
      mkdirSync(path.join(dir, "data"));
      const keep: Record<string, string> = {
        accounts: `SELECT * FROM ${src("accounts")} WHERE CAST(acquired_on AS DATE) <= ${cut}`,
        contracts: `SELECT * REPLACE (CASE WHEN CAST(end_date AS DATE) > ${cut} THEN NULL ELSE end_date END AS end_date) FROM ${src("contracts")} WHERE CAST(start_date AS DATE) <= ${cut}`,
        invoices: `SELECT * FROM ${src("invoices")} WHERE CAST(invoice_date AS DATE) <= ${cut}`,
        invoice_lines: `SELECT l.* FROM ${src("invoice_lines")} l SEMI JOIN ${src("invoices")} i ON l.invoice_id = i.invoice_id AND CAST(i.invoice_date AS DATE) <= ${cut}`,
        nps_responses: `SELECT * FROM ${src("nps_responses")} WHERE CAST(responded_on AS DATE) <= ${cut}`,
        time_entries: `SELECT * FROM ${src("time_entries")} WHERE CAST(work_date AS DATE) <= ${cut}`,
        marketing_spend: `SELECT * FROM ${src("marketing_spend")} WHERE CAST(month AS DATE) <= ${cut}`,
        products: `SELECT * FROM ${src("products")}`,
        role_rates: `SELECT * FROM ${src("role_rates")}`,
      };
      for (const [name, sql] of Object.entries(keep))
        await db.run(`COPY (${sql}) TO ${out(name)} (HEADER, DELIMITER ',')`);
      const config = JSON.parse(readFileSync(path.join(REPO, "data", "atlas.config.json"), "utf8")) as Record<
        string,
        unknown
      >;
      delete config.scenarios;
      writeFileSync(
        path.join(dir, "atlas.config.json"),
        JSON.stringify({ ...config, sourceDir: path.join(dir, "data"), asOf: b.from }),
      );
      const { storeDir } = await prepare({
        configPath: path.join(dir, "atlas.config.json"),
        storeDir: path.join(dir, "store"),
        quiet: true,
      });
      const then = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.models), "utf8")) as ModelsData;
      expect(then.asOf).toBe(b.from);
      expect(then.portfolio.valueCents).toBeCloseTo(b.valueThen, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
