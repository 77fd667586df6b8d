/**
 * The overview's figures on the bundled sample (data/sample, as of 2026-09-30) against an
 * independent computation: SQL written here over the raw CSV files, sharing no code with the
 * loaders (no validation, no account × month table, no TypeScript metrics).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOverview, type OverviewData } from "../../loaders/outputs/overview.js";
import { prepare } from "../../loaders/pipeline.js";
import { REPO } from "../support/fixtures.js";

const SAMPLE = path.join(REPO, "data", "sample");
const AS_OF = "2026-09-30";
const store = mkdtempSync(path.join(os.tmpdir(), "atlas-sample-store-"));
let overview: OverviewData;
let independent: Record<string, number>;

async function independentKpis(): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(":memory:");
  const c = await instance.connect();
  const csv = (name: string) => `read_csv('${path.join(SAMPLE, `${name}.csv`)}', header = true, auto_detect = true)`;
  await c.run(`
    CREATE TABLE p AS SELECT (DATE '${AS_OF}') AS as_of, DATE '2025-10-01' AS w0, DATE '2024-10-01' AS p0;
    CREATE TABLE acc AS SELECT * FROM ${csv("accounts")};
    CREATE TABLE con AS SELECT * FROM ${csv("contracts")};
    CREATE TABLE inv AS SELECT i.account_id, i.invoice_date, i.document_type, l.amount, l.quantity, pr.unit_cost
      FROM ${csv("invoice_lines")} l JOIN ${csv("invoices")} i USING (invoice_id) JOIN ${csv("products")} pr USING (product_id);
    CREATE TABLE hrs AS SELECT t.account_id, t.work_date, t.hours * r.hourly_cost AS cost FROM ${csv("time_entries")} t JOIN ${csv("role_rates")} r USING (role);
    CREATE TABLE spend AS SELECT * FROM ${csv("marketing_spend")};
    -- Monthly net revenue per account (activity of transactional accounts is judged per month).
    CREATE TABLE rev_month AS SELECT account_id, date_trunc('month', invoice_date) AS m, sum(amount) AS r FROM inv GROUP BY ALL;
    -- Active on a date d: running contract on d (subscription) or a month with positive revenue in the 12 months ending d's month.
    CREATE MACRO active_on(d) AS TABLE
      SELECT a.account_id FROM acc a WHERE
        (a.business_model = 'subscription' AND EXISTS (SELECT 1 FROM con WHERE con.account_id = a.account_id AND start_date <= d AND (end_date IS NULL OR end_date >= d)))
        OR (a.business_model = 'transactional' AND EXISTS (SELECT 1 FROM rev_month rm WHERE rm.account_id = a.account_id AND rm.r > 0
              AND rm.m BETWEEN date_trunc('month', d) - INTERVAL 11 MONTH AND date_trunc('month', d)));
    CREATE TABLE now_active AS SELECT * FROM active_on(DATE '${AS_OF}');
    CREATE TABLE year_ago AS SELECT * FROM active_on(DATE '2025-09-30');
    CREATE TABLE per_acc AS SELECT account_id,
        coalesce(sum(amount) FILTER (WHERE invoice_date >= (SELECT w0 FROM p) AND invoice_date <= (SELECT as_of FROM p)), 0) AS cur,
        coalesce(sum(amount) FILTER (WHERE invoice_date >= (SELECT p0 FROM p) AND invoice_date < (SELECT w0 FROM p)), 0) AS prev
      FROM inv GROUP BY ALL;
  `);
  const one = async (sql: string) => {
    const reader = await c.runAndReadAll(sql);
    return Number(reader.getRowsJS()[0][0]);
  };
  const window = `invoice_date BETWEEN DATE '2025-10-01' AND DATE '${AS_OF}'`;
  const revenue = await one(`SELECT sum(amount) FROM inv WHERE ${window}`);
  const goods = await one(`SELECT sum(round(quantity * unit_cost, 2)) FROM inv WHERE ${window}`);
  const serve = await one(`SELECT sum(cost) FROM hrs WHERE work_date BETWEEN DATE '2025-10-01' AND DATE '${AS_OF}'`);
  const out: Record<string, number> = {
    activeAccounts: await one("SELECT count(*) FROM now_active"),
    mrr: await one(
      `SELECT sum(mrr) FROM con WHERE start_date <= DATE '${AS_OF}' AND (end_date IS NULL OR end_date >= DATE '${AS_OF}')`,
    ),
    revenue,
    prior: await one(`SELECT sum(amount) FROM inv WHERE invoice_date BETWEEN DATE '2024-10-01' AND DATE '2025-09-30'`),
    grossMargin: (revenue - goods - serve) / revenue,
    yearAgo: await one("SELECT count(*) FROM year_ago"),
    logoChurn:
      1 -
      (await one("SELECT count(*) FROM year_ago JOIN now_active USING (account_id)")) /
        (await one("SELECT count(*) FROM year_ago")),
    nrr: await one(
      "SELECT sum(greatest(cur, 0)) / sum(prev) FROM per_acc JOIN year_ago USING (account_id) WHERE prev > 0",
    ),
    grr: await one(
      "SELECT sum(least(greatest(cur, 0), prev)) / sum(prev) FROM per_acc JOIN year_ago USING (account_id) WHERE prev > 0",
    ),
    spend: await one(`SELECT sum(amount) FROM spend WHERE month BETWEEN DATE '2025-10-01' AND DATE '${AS_OF}'`),
    newAccounts: await one(`SELECT count(*) FROM acc WHERE acquired_on BETWEEN DATE '2025-10-01' AND DATE '${AS_OF}'`),
    billedAccounts: await one(
      `SELECT count(DISTINCT account_id) FROM inv WHERE ${window} AND document_type = 'invoice'`,
    ),
    topShare: await one(`
      WITH r AS (SELECT cur, row_number() OVER (ORDER BY cur DESC) AS k, count(*) OVER () AS n FROM per_acc WHERE cur > 0)
      SELECT sum(cur) FILTER (WHERE k <= ceil(0.2 * n)) / sum(cur) FROM r`),
  };
  out.invoicesById = await one(`SELECT count(*) FROM ${csv("invoices")} WHERE document_type = 'invoice' AND ${window}`);
  c.closeSync();
  instance.closeSync();
  return out;
}

beforeAll(async () => {
  const { storeDir } = await prepare({ storeDir: store, quiet: true });
  overview = await buildOverview(storeDir);
  independent = await independentKpis();
}, 300_000);
afterAll(() => rmSync(store, { recursive: true, force: true }));

describe("the overview on data/sample matches independent SQL over the raw CSVs", () => {
  it("has the configured as-of date", () => expect(overview.asOf).toBe(AS_OF));
  it("counts active accounts", () => expect(overview.kpis.activeAccounts).toBe(independent.activeAccounts));
  it("sums MRR to the cent", () => expect(overview.kpis.mrrCents).toBe(Math.round(independent.mrr * 100)));
  it("sums T12M and prior-window revenue to the cent", () => {
    expect(overview.kpis.t12mRevenueCents).toBe(Math.round(independent.revenue * 100));
    expect(overview.kpis.prior12mRevenueCents).toBe(Math.round(independent.prior * 100));
  });
  it("computes gross margin", () => expect(overview.kpis.grossMargin).toBeCloseTo(independent.grossMargin, 6));
  it("computes logo churn on the accounts active a year ago", () => {
    expect(overview.kpis.accountsActiveYearAgo).toBe(independent.yearAgo);
    expect(overview.kpis.logoChurn).toBeCloseTo(independent.logoChurn, 12);
  });
  it("computes net and gross revenue retention", () => {
    expect(overview.kpis.netRevenueRetention).toBeCloseTo(independent.nrr, 9);
    expect(overview.kpis.grossRevenueRetention).toBeCloseTo(independent.grr, 9);
  });
  it("computes CAC from spend and new accounts", () => {
    expect(overview.kpis.spendT12mCents).toBe(Math.round(independent.spend * 100));
    expect(overview.kpis.newAccountsT12m).toBe(independent.newAccounts);
  });
  it("counts invoices and billed accounts for simple LTV", () => {
    expect(overview.kpis.invoicesT12m).toBe(independent.invoicesById);
    expect(overview.kpis.billedAccounts).toBe(independent.billedAccounts);
  });
  it("measures concentration of T12M revenue", () =>
    expect(overview.kpis.concentration.topShare).toBeCloseTo(independent.topShare, 9));
  it("derives simple LTV, CLV and LTV : CAC from those inputs", () => {
    const k = overview.kpis;
    const churn = independent.logoChurn;
    const years = churn > 0.1 ? 1 / churn : 10;
    const ltv =
      (independent.revenue / independent.invoicesById) *
      (independent.invoicesById / independent.billedAccounts) *
      years;
    const clv = ltv * independent.grossMargin;
    expect(k.simpleLtvCents! / 100).toBeCloseTo(ltv, 4);
    expect(k.simpleClvCents! / 100).toBeCloseTo(clv, 2);
    expect(k.ltvToCac!).toBeCloseTo(clv / (independent.spend / independent.newAccounts), 6);
  });
});
