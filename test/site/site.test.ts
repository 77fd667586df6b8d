/**
 * The built site as a person sees it, in headless Chromium (Debian's /usr/bin/chromium via
 * playwright-core) against dist/ served on localhost: every page opens without console
 * errors, nothing is requested from another origin, the overview's KPIs are the loader's
 * numbers, charts have marks — and a changed extract shows up after the next build.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { overviewKpis } from "../../src/components/overview.js";
import type { IngestReport } from "../../src/lib/shapes/ingest-report.js";
import type { OverviewData } from "../../src/lib/shapes/overview-data.js";
import type { ModelsData } from "../../src/lib/shapes/models-data.js";
import { launch } from "../support/browser.js";
import { runBuild } from "../support/build.js";
import { REPO } from "../support/fixtures.js";
import { serveStatic, type StaticServer } from "../support/serve.js";
import { loaderOutput } from "../support/site.js";

const PAGES = ["/", "/models", "/quality"];
const work = mkdtempSync(path.join(os.tmpdir(), "atlas-site-"));
let browser: Awaited<ReturnType<typeof launch>>;

function build(args: string[]): void {
  const run = runBuild(args);
  if (run.status !== 0) throw new Error(`build failed (${run.status}):\n${run.stderr.slice(-4000)}`);
}

async function kpiValue(page: Page, id: string): Promise<string> {
  return (await page.locator(`[data-kpi="${id}"] [data-value]`).first().textContent())?.trim() ?? "";
}

beforeAll(async () => {
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the site built from the bundled sample", () => {
  const dist = inject("sampleDist");
  let server: StaticServer;
  let overview: OverviewData;

  beforeAll(async () => {
    overview = loaderOutput<OverviewData>(dist, "overview");
    server = await serveStatic(dist);
  }, 600_000);
  afterAll(() => server?.close());

  it("references no other origin from its HTML and CSS", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(html|css)$/.test(entry.name)) {
          const text = readFileSync(full, "utf8");
          for (const match of text.matchAll(
            /(?:src|href)\s*=\s*["'](https?:)?\/\/[^"']+|url\(\s*["']?(https?:)?\/\/[^)]+\)|@import\s+url\(["']?https?:/g,
          ))
            offenders.push(`${path.relative(dist, full)}: ${match[0]}`);
        }
      }
    };
    walk(dist);
    expect(offenders).toEqual([]);
  });

  for (const route of PAGES) {
    it(`opens ${route} with no console error, no request to another origin, and non-empty content`, async () => {
      const session = await browser.session();
      const page = await session.newPage();
      await page.goto(server.url + route, { waitUntil: "networkidle" });
      await page.locator("main h1").first().waitFor();
      if (route === "/quality") {
        await page.locator("[data-explorer]").scrollIntoViewIfNeeded();
        await page.locator('[data-explorer-status="ready"]').waitFor({ timeout: 30_000 });
      }
      expect(session.errors).toEqual([]);
      expect(session.requests.filter((url) => !url.startsWith(server.url) && !url.startsWith("data:"))).toEqual([]);
      expect(session.requests.length).toBeGreaterThan(0);
      await session.close();
    });
  }

  it("shows every overview KPI exactly as the loader computed it", async () => {
    const session = await browser.session();
    const page = await session.newPage();
    await page.goto(server.url + "/", { waitUntil: "networkidle" });
    const expected = overviewKpis(overview);
    // Ten: LTV : CAC in two named variants (model value, simple formula).
    expect(expected.length).toBe(10);
    for (const kpi of expected) expect(await kpiValue(page, kpi.id), kpi.id).toBe(kpi.value);
    expect(await page.locator("[data-as-of]").textContent()).toBe(overview.asOf);
    expect(await page.locator('[data-kpi="concentration"] [data-value]').textContent()).toMatch(/^\d+\u202f%$/);
    await session.close();
  });

  it("renders the overview without starting DuckDB-WASM", async () => {
    const session = await browser.session();
    const page = await session.newPage();
    await page.goto(server.url + "/", { waitUntil: "networkidle" });
    expect(session.requests.filter((url) => /duckdb|\.wasm/.test(url))).toEqual([]);
    await session.close();
  });

  it("draws the overview charts with marks for every month", async () => {
    const session = await browser.session();
    const page = await session.newPage();
    await page.goto(server.url + "/", { waitUntil: "networkidle" });
    // The three trend cards (the MRR bridge below them has charts of its own).
    const charts = page.locator("main [data-trend] svg[class^='plot']");
    expect(await charts.count()).toBe(3);
    const bars = await page.locator("main [data-trend] svg[class^='plot'] g[aria-label='rect'] rect").count();
    expect(bars).toBe(overview.trend.month.length);
    const lineLength = await page
      .locator("main [data-trend] svg[class^='plot'] g[aria-label='line'] path")
      .first()
      .evaluate((p) => (p as SVGPathElement).getTotalLength());
    expect(lineLength).toBeGreaterThan(100);
    await session.close();
  });

  it("shows the models: parameters, a survival chart that follows the segment picker, the holdout check", async () => {
    const models = loaderOutput<ModelsData>(dist, "models");
    const session = await browser.session();
    const page = await session.newPage();
    await page.goto(server.url + "/models", { waitUntil: "networkidle" });
    expect(await page.locator("table[data-table=sbg] tbody tr").count()).toBe(models.contractFits.length);
    expect(await page.locator("[data-reading=portfolio] [data-value]").textContent()).toBe(
      overviewKpis(overview).find((k) => k.id === "model-value")!.value,
    );
    // The survival chart's dots (the backtest chart above it has dots too).
    const survivalCard = page.locator(".card", { has: page.locator("h2", { hasText: "Fitted vs actual retention" }) });
    const dots = () =>
      survivalCard
        .locator("svg[class^='plot'] g[aria-label='dot'] circle")
        .first()
        .evaluate((c) => c.parentElement!.childElementCount);
    const before = await dots();
    expect(before).toBeGreaterThan(3);
    // The segment picker: the select whose options are contract segments.
    const select = page.locator("main select", { has: page.locator("option", { hasText: /^annual/ }) }).first();
    const options = await select.locator("option").allTextContents();
    const annual = options.findIndex((o) => o.startsWith("annual"));
    await select.selectOption({ index: annual });
    await expect.poll(dots).not.toBe(before); // annual segments have a few yearly points, monthly ones dozens
    expect(await page.locator("[data-reading=holdout]").textContent()).toMatch(
      /expected [\d,]+ repeat purchases;\s+[\d,]+ happened/,
    );
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("keeps each definition one click away", async () => {
    const session = await browser.session();
    const page = await session.newPage();
    await page.goto(server.url + "/", { waitUntil: "networkidle" });
    const definition = page.locator('[data-kpi="ltv-cac"] details.definition p');
    expect(await definition.isVisible()).toBe(false);
    await page.locator('[data-kpi="ltv-cac"] details.definition summary').click();
    expect(await definition.isVisible()).toBe(true);
    expect(await definition.textContent()).toMatch(/CAC = sales and marketing spend/);
    await session.close();
  });

  it("fits a phone screen and follows a dark system setting", async () => {
    const phone = await browser.session({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    const page = await phone.newPage();
    await page.goto(server.url + "/", { waitUntil: "networkidle" });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    const darkBackground = await page.evaluate(() => getComputedStyle(document.body).color);
    await page.screenshot({ path: path.join(work, "overview-phone-dark.png"), fullPage: true });
    await phone.close();
    const light = await browser.session({ colorScheme: "light" });
    const lightPage = await light.newPage();
    await lightPage.goto(server.url + "/", { waitUntil: "networkidle" });
    const lightBackground = await lightPage.evaluate(() => getComputedStyle(document.body).color);
    await light.close();
    expect(darkBackground).not.toBe(lightBackground);
  });
});

describe("a changed extract", () => {
  const data = path.join(work, "crm");
  const store = path.join(work, "store");
  const dist = path.join(work, "dist-fresh");
  let server: StaticServer;

  beforeAll(async () => {
    cpSync(path.join(REPO, "data", "sample"), data, { recursive: true });
    server = await serveStatic(dist);
  });
  afterAll(() => server?.close());

  it("shows the new figures after the next build, and quarantines what is wrong in it", async () => {
    build(["--data", data, "--store", store, "--out", dist]);
    const before = loaderOutput<OverviewData>(dist, "overview");

    // A $5,000,000.00 invoice in the last month for an existing account, plus one orphan line.
    const account = readFileSync(path.join(data, "accounts.csv"), "utf8").split("\n")[1].split(",")[0];
    writeFileSync(
      path.join(data, "invoices.csv"),
      readFileSync(path.join(data, "invoices.csv"), "utf8") + `INV-FRESH-1,${account},2026-09-15,USD,invoice\n`,
    );
    const product = readFileSync(path.join(data, "products.csv"), "utf8")
      .split("\n")
      .find((l) => l.includes(",service,"))!
      .split(",")[0];
    writeFileSync(
      path.join(data, "invoice_lines.csv"),
      readFileSync(path.join(data, "invoice_lines.csv"), "utf8") +
        `INV-FRESH-1,1,${product},1,5000000.00,5000000.00,service\nINV-NOWHERE,1,${product},1,10.00,10.00,service\n`,
    );
    build(["--data", data, "--store", store, "--out", dist]);
    const after = loaderOutput<OverviewData>(dist, "overview");
    expect(after.kpis.t12mRevenueCents - before.kpis.t12mRevenueCents).toBe(500_000_000);

    const session = await browser.session();
    const page = await session.newPage();
    await page.goto(server.url + "/", { waitUntil: "networkidle" });
    expect(await kpiValue(page, "t12m-revenue")).toBe(overviewKpis(after).find((k) => k.id === "t12m-revenue")!.value);
    expect(await kpiValue(page, "t12m-revenue")).not.toBe(
      overviewKpis(before).find((k) => k.id === "t12m-revenue")!.value,
    );

    const quality = loaderOutput<IngestReport>(dist, "quality");
    const lines = quality.extracts.find((e) => e.extract === "invoice_lines")!;
    expect(lines.quarantined).toBe(1);
    expect(lines.reasons[0]).toMatchObject({ code: "orphan_reference", column: "invoice_id", count: 1 });

    await page.goto(server.url + "/quality", { waitUntil: "networkidle" });
    expect(await page.locator('tr[data-extract="invoice_lines"] [data-quarantined]').first().textContent()).toBe("1");
    await page.locator("[data-explorer]").scrollIntoViewIfNeeded();
    await page.locator('[data-explorer-status="ready"]').waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-explorer-status]").textContent()).toBe("1 row was quarantined; search it below.");
    expect(await page.locator("[data-explorer-results] tbody tr").count()).toBe(1);
    await page.locator("[data-explorer] input[type=search]").fill("no such message");
    await expect
      .poll(() => page.locator("[data-explorer-results]").textContent())
      .toMatch(/No quarantined row matches/);
    expect(session.errors).toEqual([]);
    await session.close();
  }, 600_000);
});
