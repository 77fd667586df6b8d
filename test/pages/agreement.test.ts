/**
 * One number for one question: every figure that appears on more than one page of the built
 * sample is the same on each page, to the displayed precision, equals the loader output the
 * pages were built from, and equals an independent SQL computation (native DuckDB over the
 * store's Parquet files). Figures are found by `data-metric` (the registry's names,
 * src/lib/metrics/definitions.ts) or, in the analyst tables, by column header and row label.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { formatMoneyCompact, formatNumber, formatRatio } from "../../src/lib/format.js";
import type { OverviewData } from "../../src/lib/shapes/overview-data.js";
import type { AnalystSummary } from "../../src/lib/shapes/analyst-summary.js";
import type { ModelsData } from "../../src/lib/shapes/models-data.js";
import { launch, type Session } from "../support/browser.js";
import { REPO } from "../support/fixtures.js";
import { serveStatic, type StaticServer } from "../support/serve.js";

const STORE = path.join(REPO, ".atlas", "store");
const dist = inject("sampleDist");
const store = (name: string) => `read_parquet('${path.join(STORE, name).replaceAll("'", "''")}')`;

let browser: Awaited<ReturnType<typeof launch>>;
let server: StaticServer;
let session: Session;
let sql: DuckDBConnection;
let overview: OverviewData;
let summary: AnalystSummary;
let models: ModelsData;
/** Each page's figures, read once. */
const pages = new Map<string, Page>();

/** A data file as the built site ships it (Framework adds a content hash to the name). */
function builtData<T>(name: string): T {
  const dir = path.join(dist, "_file", "data");
  const [stem, ext] = [name.slice(0, name.lastIndexOf(".")), name.slice(name.lastIndexOf("."))];
  const file = readdirSync(dir).find((f) => f.startsWith(`${stem}.`) && f.endsWith(ext) && f.length > name.length);
  if (!file) throw new Error(`no ${name} in ${dir}`);
  return JSON.parse(readFileSync(path.join(dir, file), "utf8")) as T;
}

async function all<T>(text: string): Promise<T[]> {
  const rows = (await sql.runAndReadAll(text)).getRowObjectsJS();
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
  ) as T[];
}
async function one<T>(text: string): Promise<T> {
  return (await all<T>(text))[0];
}

/** Opens each page once and waits until it has drawn from its data (analyst pages: from DuckDB-WASM). */
async function page(route: string): Promise<Page> {
  const cached = pages.get(route);
  if (cached) return cached;
  const p = await session.newPage();
  await p.goto(server.url + route, { waitUntil: "networkidle" });
  if (["/pareto", "/segments", "/accounts"].includes(route))
    await p.waitForFunction(
      () => document.body.dataset.analystReady !== undefined && document.body.dataset.analystBusy !== "true",
      null,
      {
        timeout: 120_000,
      },
    );
  if (route === "/scenarios/") await p.locator("[data-workbench]").waitFor({ timeout: 60_000 });
  if (route === "/") await p.locator('[data-card="populations"]').waitFor({ timeout: 30_000 });
  if (route === "/models") await p.locator('[data-reading="portfolio"]').waitFor({ timeout: 30_000 });
  pages.set(route, p);
  return p;
}

/** The text of every element marked `data-metric=name` on a page. */
async function metric(route: string, name: string): Promise<string[]> {
  const p = await page(route);
  return (await p.locator(`[data-metric="${name}"]`).allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
}

/** Label (first cell) → text of the column headed `column`, for the table inside `selector`. */
async function tableColumn(route: string, selector: string, column: string): Promise<Map<string, string>> {
  const p = await page(route);
  const rows = await p
    .locator(selector)
    .first()
    .evaluate((root, column) => {
      const table = root.matches("table") ? root : root.querySelector("table")!;
      const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent!.trim());
      const k = heads.indexOf(column);
      if (k < 0) throw new Error(`no column "${column}" in ${heads.join(" | ")}`);
      return [...table.querySelectorAll("tbody tr")].map((tr) => {
        const cells = [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim());
        return [cells[0], cells[k]] as [string, string];
      });
    }, column);
  return new Map(rows);
}

const asOf = () => overview.asOf;
const money = (cents: number) => formatMoneyCompact(cents, overview.currency);

beforeAll(async () => {
  browser = await launch();
  server = await serveStatic(dist);
  session = await browser.session();
  sql = await (await DuckDBInstance.create(":memory:")).connect();
  overview = builtData<OverviewData>("overview.json");
  summary = builtData<AnalystSummary>("analyst-summary.json");
  models = builtData<ModelsData>("models.json");
}, 120_000);

afterAll(async () => {
  expect(session?.errors ?? []).toEqual([]);
  await server?.close();
  await browser?.close();
});

describe("figures shown on several pages agree with each other, the loaders and SQL", () => {
  it("customer value (the model value): overview, Models, Scenarios", async () => {
    const { total } = await one<{ total: number }>(
      `SELECT CAST(sum(clv_cents) AS DOUBLE) AS total FROM ${store("account_value.parquet")}`,
    );
    const shown = money(total);
    expect(money(overview.modelValue!.valueCents)).toBe(shown);
    expect(money(models.portfolio.valueCents)).toBe(shown);
    expect(await metric("/", "customer-value")).toEqual([shown]);
    expect(await metric("/models", "customer-value")).toEqual([shown]);
    expect(await metric("/scenarios/", "customer-value")).toEqual([shown]);
  });

  it("its P10–P90 band: overview and Models, from the same parameter draws", async () => {
    const band = `${money(models.portfolio.band.p10)} – ${money(models.portfolio.band.p90)}`;
    const home = await (await page("/")).locator('[data-kpi="model-value"] .kpi-note').textContent();
    expect(home).toContain(`P10–P90 ${band}`);
    const reading = await (await page("/models")).locator('[data-reading="portfolio"]').textContent();
    expect(reading!.replace(/\s+/g, " ")).toContain(`(P10–P90: ${band})`);
  });

  it("accounts valued: overview (population card, value note) and Models", async () => {
    const { model, historical } = await one<{ model: number; historical: number }>(
      `SELECT CAST(count(*) FILTER (WHERE clv_cents > 0 AND model <> 'historical') AS INTEGER) AS model,
        CAST(count(*) FILTER (WHERE clv_cents > 0 AND model = 'historical') AS INTEGER) AS historical
       FROM ${store("account_value.parquet")}`,
    );
    expect([overview.populations.valuedByModel, overview.populations.valuedByHistorical]).toEqual([model, historical]);
    expect(await metric("/", "accounts-valued-model")).toEqual([formatNumber(model)]);
    expect(await metric("/", "accounts-valued-historical")).toEqual([formatNumber(historical)]);
    expect(await metric("/models", "accounts-valued")).toEqual([formatNumber(model + historical)]);
    const note = await (await page("/")).locator('[data-kpi="model-value"] .kpi-note').textContent();
    expect(note).toContain(`${formatNumber(model + historical)} accounts valued`);
  });

  it("active accounts: overview KPI, population card and the Segments table's active column", async () => {
    const { active } = await one<{ active: number }>(`
      WITH t AS (
        SELECT a.account_id, a.business_model,
          bool_or(m.month = date_trunc('month', DATE '${asOf()}') AND m.mrr_cents > 0) AS running,
          bool_or(m.month > DATE '${asOf()}' - INTERVAL 12 MONTH AND m.month <= DATE '${asOf()}' AND m.revenue_cents > 0) AS bought
        FROM ${store("dim_accounts.parquet")} a LEFT JOIN ${store("account_month.parquet")} m USING (account_id) GROUP BY ALL
      )
      SELECT CAST(count(*) FILTER (WHERE CASE WHEN business_model = 'subscription' THEN running ELSE bought END) AS INTEGER) AS active FROM t`);
    expect(overview.kpis.activeAccounts).toBe(active);
    expect(overview.populations.active).toBe(active);
    expect(await metric("/", "accounts-active")).toEqual([formatNumber(active), formatNumber(active)]);
    const bySegment = await tableColumn("/segments", "#segment-table", "active");
    const sum = [...bySegment.values()].reduce((s, v) => s + Number(v.replace(/,/g, "")), 0);
    expect(sum).toBe(active);
  });

  it("total accounts: overview population card, Accounts page, Pareto classes and Segments", async () => {
    const { n } = await one<{ n: number }>(
      `SELECT CAST(count(*) AS INTEGER) AS n FROM ${store("dim_accounts.parquet")}`,
    );
    expect(overview.populations.all).toBe(n);
    expect(summary.accounts).toBe(n);
    expect(await metric("/", "accounts-total")).toEqual([formatNumber(n)]);
    const status = await (await page("/accounts")).locator("main").textContent();
    expect(status!.replace(/\s+/g, " ")).toContain(`${formatNumber(n)} accounts match`);
    const count = (m: Map<string, string>) => [...m.values()].reduce((s, v) => s + Number(v.replace(/,/g, "")), 0);
    expect(count(await tableColumn("/pareto", "#classes", "accounts"))).toBe(n);
    expect(count(await tableColumn("/segments", "#segment-table", "accounts"))).toBe(n);
  });

  it("accounts with revenue in the last 12 months: overview concentration and the Pareto curve", async () => {
    const { n } = await one<{ n: number }>(`
      SELECT CAST(count(*) AS INTEGER) AS n FROM (
        SELECT account_id FROM ${store("account_month.parquet")}
        WHERE month > DATE '${asOf()}' - INTERVAL 12 MONTH AND month <= DATE '${asOf()}'
        GROUP BY account_id HAVING sum(revenue_cents) > 0)`);
    expect(overview.kpis.concentration.billedAccounts).toBe(n);
    expect(await metric("/", "accounts-with-revenue")).toEqual([formatNumber(n)]);
    const curve = await (await page("/pareto")).locator("#curve").textContent();
    expect(curve).toMatch(new RegExp(`80% of revenue: \\d+ of ${n} accounts`));
  });

  it("ABC classes: one set of thresholds, one window, every account, on Pareto and Scenarios", async () => {
    const [a, b] = summary.thresholds;
    const classes = await all<{ class: string; n: number }>(`
      WITH r AS (
        SELECT d.account_id, coalesce(sum(m.revenue_cents) FILTER (WHERE m.month > DATE '${asOf()}' - INTERVAL 12 MONTH AND m.month <= DATE '${asOf()}'), 0) AS rev
        FROM ${store("dim_accounts.parquet")} d LEFT JOIN ${store("account_month.parquet")} m USING (account_id) GROUP BY d.account_id
      ), c AS (
        SELECT rev, coalesce(sum(rev) OVER (ORDER BY rev DESC, account_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
          sum(greatest(rev, 0)) OVER () AS total FROM r
      )
      SELECT CASE WHEN rev <= 0 THEN 'none' WHEN before < ${a} * total THEN 'A' WHEN before < ${b} * total THEN 'B' ELSE 'C' END AS class,
        CAST(count(*) AS INTEGER) AS n FROM c GROUP BY ALL`);
    const expected = new Map(
      ["A", "B", "C", "none"].map((k) => [k, formatNumber(classes.find((c) => c.class === k)?.n ?? 0)]),
    );
    expect(await tableColumn("/pareto", "#classes", "accounts")).toEqual(expected);
    expect(
      new Map(summary.first.classes.map((r) => [["A", "B", "C", "none"][r.class], formatNumber(r.accounts)])),
    ).toEqual(new Map([...expected].filter(([, v]) => v !== "0")));
    expect(await tableColumn("/scenarios/", '[data-table="by-abc"]', "Accounts")).toEqual(expected);
  });

  it("accounts per industry: Segments and Scenarios", async () => {
    const rows = await all<{ industry: string; n: number }>(
      `SELECT coalesce(industry, '(not in the data)') AS industry, CAST(count(*) AS INTEGER) AS n FROM ${store("dim_accounts.parquet")} GROUP BY ALL`,
    );
    const expected = new Map(rows.map((r) => [r.industry, formatNumber(r.n)]));
    expect(await tableColumn("/segments", "#segment-table", "accounts")).toEqual(expected);
    // The Scenarios page breaks down by industry first.
    expect(await tableColumn("/scenarios/", '[data-table="by-segment"]', "Accounts")).toEqual(expected);
  });

  it("LTV : CAC on the model value: overview and Scenarios (today)", async () => {
    const { ratio } = await one<{ ratio: number }>(`
      WITH recent AS (
        SELECT account_id FROM ${store("dim_accounts.parquet")} WHERE acquired_on > DATE '${asOf()}' - INTERVAL 12 MONTH
      ), margin AS (
        SELECT account_id, sum(revenue_cents - cogs_cents - cost_to_serve_cents) AS margin
        FROM ${store("account_month.parquet")} WHERE month <= DATE '${asOf()}' GROUP BY account_id
      ), ltv AS (
        SELECT avg(coalesce(m.margin, 0) + greatest(coalesce(v.clv_cents, 0), 0)) AS ltv
        FROM recent r LEFT JOIN margin m USING (account_id) LEFT JOIN ${store("account_value.parquet")} v USING (account_id)
      ), cac AS (
        SELECT (SELECT sum(spend_cents) FROM ${store("spend_month.parquet")} WHERE month > DATE '${asOf()}' - INTERVAL 12 MONTH AND month <= DATE '${asOf()}')
          / (SELECT count(*) FROM ${store("dim_accounts.parquet")} WHERE acquired_on > DATE '${asOf()}' - INTERVAL 12 MONTH AND acquired_on <= DATE '${asOf()}') AS cac
      )
      SELECT CAST(ltv / cac AS DOUBLE) AS ratio FROM ltv, cac`);
    const shown = formatRatio(ratio);
    expect(formatRatio(overview.ltvToCacModel!.ratio)).toBe(shown);
    expect(await metric("/", "ltv-to-cac-model")).toEqual([shown]);
    expect(await metric("/scenarios/", "ltv-to-cac-model")).toEqual([shown]);
    // The simple formula's variant has its own name, and is not called the same.
    expect(await metric("/", "ltv-to-cac-simple")).toEqual([formatRatio(overview.kpis.ltvToCac)]);
  });

  it("accounts at risk: the overview's count and list follow the stated definition, computed again in SQL, and link to the account explorer", async () => {
    const d = `DATE '${asOf()}'`;
    const risky = await all<{ account_id: string; value: number }>(`
      WITH month_rows AS (SELECT * FROM ${store("account_month.parquet")} WHERE month <= ${d}),
      active AS (
        SELECT a.account_id FROM ${store("dim_accounts.parquet")} a JOIN month_rows m USING (account_id) GROUP BY a.account_id, a.business_model
        HAVING CASE WHEN a.business_model = 'subscription' THEN bool_or(m.month = date_trunc('month', ${d}) AND m.mrr_cents > 0)
          ELSE bool_or(m.month > ${d} - INTERVAL 12 MONTH AND m.revenue_cents > 0) END
      ),
      contraction AS (
        SELECT account_id FROM month_rows GROUP BY account_id
        HAVING coalesce(sum(mrr_cents) FILTER (WHERE month = date_trunc('month', ${d})), 0) > 0
          AND coalesce(sum(mrr_cents) FILTER (WHERE month = date_trunc('month', ${d})), 0)
            < coalesce(sum(mrr_cents) FILTER (WHERE month = date_trunc('month', ${d}) - INTERVAL 3 MONTH), 0)
      ),
      low_alive AS (
        SELECT account_id FROM ${store("account_value.parquet")} WHERE model IN ('bgnbd', 'mbgnbd', 'paretonbd', 'nbd') AND probability_alive < 0.5
      ),
      days AS (
        SELECT DISTINCT i.account_id, i.invoice_date FROM ${store("extract_invoices.parquet")} i JOIN ${store("dim_accounts.parquet")} a USING (account_id)
        WHERE i.document_type = 'invoice' AND i.invoice_date <= ${d} AND a.business_model = 'transactional'
      ),
      gap AS (
        SELECT account_id, max(invoice_date) AS last, median(g) AS usual, count(g) AS n FROM (
          SELECT account_id, invoice_date, invoice_date - lag(invoice_date) OVER (PARTITION BY account_id ORDER BY invoice_date) AS g FROM days
        ) GROUP BY account_id
      ),
      long_gap AS (
        SELECT account_id FROM gap WHERE n >= 2 AND usual > 0 AND (${d} - last) > 2 * usual AND (${d} - last) > 30
      ),
      detractor AS (
        SELECT account_id FROM ${store("extract_nps_responses.parquet")} WHERE responded_on <= ${d} AND responded_on > ${d} - INTERVAL 12 MONTH
        GROUP BY account_id HAVING arg_max(score, responded_on) <= 6
      )
      SELECT account_id, CAST(coalesce(v.clv_cents, 0) AS DOUBLE) AS value FROM active
        LEFT JOIN ${store("account_value.parquet")} v USING (account_id)
      WHERE account_id IN (SELECT account_id FROM contraction UNION SELECT account_id FROM low_alive
        UNION SELECT account_id FROM long_gap UNION SELECT account_id FROM detractor)
      ORDER BY value DESC, account_id`);
    expect(risky.length).toBeGreaterThan(0);
    expect(overview.atRisk.count).toBe(risky.length);
    expect(overview.atRisk.accounts.map((a) => a.accountId)).toEqual(risky.slice(0, 10).map((r) => r.account_id));
    expect(await metric("/", "at-risk-accounts")).toEqual([formatNumber(risky.length)]);

    const home = await page("/");
    const rows = home.locator('[data-table="at-risk"] tbody tr');
    expect(await rows.count()).toBe(Math.min(10, risky.length));
    const first = risky[0].account_id;
    await rows.first().locator("a").click();
    await home.waitForURL(/\/accounts\?/);
    expect(new URL(home.url()).searchParams.get("account")).toBe(first);
    await home.locator("[data-detail-name]").waitFor({ timeout: 120_000 });
    pages.delete("/");
  });
});
