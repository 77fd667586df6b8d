/**
 * Pages adapt to the business: the site built for each business shape (the sample = mixed, a
 * transactional-only order-lines export, a subscription-only copy; see test/support/shapes.ts)
 * opens every page in Chromium, and no page shows `NaN`, `Infinity`, `undefined`, an empty
 * chart, or a figure whose extract was not provided (outside its not-provided note). The
 * transactional overview's purchase figures equal a computation over the export itself.
 *
 * `ATLAS_SHAPE_SHOTS=DIR` also saves a full-page PNG of every page there.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { overviewKpis } from "../../src/components/overview.js";
import { formatMoneyShort, formatNumber, formatPercent } from "../../src/lib/format.js";
import type { AnalystSummary } from "../../src/lib/shapes/analyst-summary.js";
import type { OverviewData } from "../../src/lib/shapes/overview-data.js";
import { launch, type Chromium } from "../support/browser.js";
import { runBuild } from "../support/build.js";
import { scanText, type Finding } from "../support/coverage-scan.js";
import { serveStatic, type StaticServer } from "../support/serve.js";
import { BUSINESS_SHAPE, SHAPES, shapeConfig, type Shape } from "../support/shapes.js";
import { loaderOutput } from "../support/site.js";

const ROUTES = ["/", "/cohorts", "/pareto", "/segments", "/accounts", "/models", "/scenarios/", "/quality"];
const ANALYST = new Set(["/cohorts", "/pareto", "/segments", "/accounts"]);
const shots = process.env.ATLAS_SHAPE_SHOTS;
const work = mkdtempSync(path.join(os.tmpdir(), "atlas-shapes-"));
let browser: Chromium;

beforeAll(async () => {
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The page's text (SVG text and titles included) without the not-provided notes, and its charts without marks. */
async function pageText(page: Page): Promise<{ text: string; emptyCharts: number; notProvided: number }> {
  return page.evaluate(() => {
    const main = document.querySelector("main")!;
    const notProvided = main.querySelectorAll("[data-not-provided]").length;
    const clone = main.cloneNode(true) as HTMLElement;
    for (const el of clone.querySelectorAll("[data-not-provided], style, script")) el.remove();
    const marks = ["rect", "bar", "line", "dot", "cell", "area"];
    const emptyCharts = [...main.querySelectorAll("svg[class^='plot']")]
      .filter((svg) => /^plot-[0-9a-f]+$/.test(svg.getAttribute("class") ?? ""))
      .filter(
        (svg) =>
          ![...svg.querySelectorAll("g[aria-label]")].some(
            (g) => marks.includes(g.getAttribute("aria-label")!) && g.childElementCount > 0,
          ),
      ).length;
    return { text: clone.textContent ?? "", emptyCharts, notProvided };
  });
}

async function openRoute(page: Page, url: string, route: string): Promise<void> {
  await page.goto(url + route);
  await page.locator("main h1").first().waitFor({ timeout: 60_000 });
  if (ANALYST.has(route)) {
    await page.locator("body[data-analyst-ready]").waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => document.body.dataset.analystBusy !== "true", undefined, { timeout: 60_000 });
  }
  if (route === "/accounts") {
    // The detail view too: select the first listed account.
    await page.locator("[data-table=accounts] tbody input").first().click();
    await page.locator("[data-detail-name]").waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.body.dataset.analystBusy !== "true", undefined, { timeout: 60_000 });
  }
  if (route === "/quality") {
    await page.locator("[data-explorer]").scrollIntoViewIfNeeded();
    await page.locator('[data-explorer-status="ready"]').waitFor({ timeout: 60_000 });
  }
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(300);
}

function distFor(shape: Shape): string {
  if (shape === "mixed") return inject("sampleDist");
  const dir = path.join(work, shape);
  const run = runBuild([
    "--config",
    shapeConfig(shape),
    "--store",
    path.join(dir, "store"),
    "--out",
    path.join(dir, "dist"),
  ]);
  if (run.status !== 0)
    throw new Error(`building the ${shape} site failed (${run.status}):\n${run.stderr.slice(-4000)}`);
  return path.join(dir, "dist");
}

for (const shape of SHAPES) {
  describe(`the ${shape} site`, () => {
    let dist: string;
    let server: StaticServer;
    let overview: OverviewData;
    const findings: Record<string, Finding[]> = {};

    beforeAll(async () => {
      dist = distFor(shape);
      overview = loaderOutput<OverviewData>(dist, "overview");
      server = await serveStatic(dist);
    }, 900_000);
    afterAll(() => server?.close());

    it("has the coverage of its shape", () => {
      const c = overview.coverage;
      const alone = shape === "subscriptions-export";
      expect(c.shape).toBe(BUSINESS_SHAPE[shape]);
      expect(c.contracts).toBe(shape !== "transactional");
      expect(c.invoices).toBe(!alone);
      expect(c.spend).toBe(shape === "mixed" || shape === "subscription");
      expect(c.nps).toBe(shape === "mixed" || shape === "subscription");
      expect(c.timeEntries).toBe(shape === "mixed");
      expect(c.margin).toBe(shape === "transactional" || alone ? null : "product_cost");
      expect(loaderOutput<AnalystSummary>(dist, "analyst-summary").coverage).toEqual(c);
    });

    for (const route of ROUTES) {
      it(`${route}: no NaN, Infinity, undefined, empty chart or figure for data not provided; no console error`, async () => {
        const session = await browser.session();
        const page = await session.newPage();
        await openRoute(page, server.url, route);
        const { text, emptyCharts, notProvided } = await pageText(page);
        if (shots) {
          mkdirSync(shots, { recursive: true });
          await page.screenshot({
            path: path.join(shots, `${shape}-${route.replace(/\W+/g, "") || "overview"}.png`),
            fullPage: true,
          });
        }
        findings[route] = scanText(text, overview.coverage);
        expect(findings[route]).toEqual([]);
        expect(emptyCharts).toBe(0);
        expect(text.length).toBeGreaterThan(200);
        // A full sample says nothing is missing on its analytic pages; the others say what is.
        if (shape === "mixed" && route !== "/quality") expect(notProvided).toBe(0);
        if (shape === "transactional" && route !== "/pareto" && route !== "/scenarios/" && route !== "/models")
          expect(notProvided).toBeGreaterThan(0);
        expect(session.errors).toEqual([]);
        await session.close();
      });
    }

    it("shows every overview KPI as the loader computed it, and the not-provided ones as such", async () => {
      const session = await browser.session();
      const page = await session.newPage();
      await page.goto(server.url + "/", { waitUntil: "networkidle" });
      for (const kpi of overviewKpis(overview)) {
        const card = page.locator(`[data-kpi="${kpi.id}"]`).first();
        // The note shows the `backticked` names as code: the same words without the backticks.
        if (kpi.missing)
          expect((await card.locator(".not-provided").textContent())?.trim(), kpi.id).toBe(
            kpi.missing.replaceAll("`", ""),
          );
        else expect((await card.locator("[data-value]").textContent())?.trim(), kpi.id).toBe(kpi.value);
      }
      await session.close();
    });

    if (shape === "transactional") {
      it("shows purchase figures equal to a computation over the order lines themselves", async () => {
        // Independent of the loaders: the export as written, T12M = Oct 2025 – Sep 2026.
        const file = path.join(path.dirname(shapeConfig("transactional")), "orders.csv");
        const [header, ...lines] = readFileSync(file, "utf8").trim().split("\n");
        const h = header.split(",");
        const [acc, date, order, amount] = ["Customer ID", "Order Date", "Order No", "Line Total"].map((c) =>
          h.indexOf(c),
        );
        const ordersOf = new Map<string, Set<string>>();
        let cents = 0;
        for (const line of lines) {
          // Quoted fields only in the name column, which is before none of these four but after account id.
          const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((x) => x.replace(/,$/, ""));
          if (cells[date] < "2025-10-01" || cells[date] > "2026-09-30") continue;
          const value = Math.round(Number(cells[amount]) * 100);
          cents += value;
          if (value >= 0) {
            const set = ordersOf.get(cells[acc]) ?? new Set<string>();
            set.add(cells[order]);
            ordersOf.set(cells[acc], set);
          }
        }
        const buyers = ordersOf.size;
        const repeat = [...ordersOf.values()].filter((s) => s.size >= 2).length;
        const orders = [...ordersOf.values()].reduce((n, s) => n + s.size, 0);
        expect(overview.purchases).toMatchObject({
          activeBuyers: buyers,
          repeatBuyers: repeat,
          orders,
          revenueCents: cents,
        });
        const session = await browser.session();
        const page = await session.newPage();
        await page.goto(server.url + "/", { waitUntil: "networkidle" });
        const value = (id: string) => page.locator(`[data-kpi="${id}"] [data-value]`).textContent();
        expect(await value("active-buyers")).toBe(formatNumber(buyers));
        expect(await value("repeat-purchase-rate")).toBe(formatPercent(repeat / buyers, 0));
        expect(await value("purchase-frequency")).toBe(formatNumber(orders / buyers, 1));
        expect(await value("average-order-value")).toBe(formatMoneyShort(cents / orders));
        // The ARR chart gives way to orders per month; nothing is drawn for contracts.
        expect(await page.locator("[data-trend=orders] svg").count()).toBe(1);
        expect(await page.locator("[data-trend=arr]").count()).toBe(0);
        await session.close();
      });
    }

    if (shape === "mixed") {
      it("opens every saved scenario cleanly", async () => {
        const names = readdirSync(path.join(dist, "scenarios")).filter(
          (f) => f.endsWith(".html") && f !== "index.html",
        );
        expect(names.length).toBeGreaterThan(0);
        for (const name of names) {
          const session = await browser.session();
          const page = await session.newPage();
          await openRoute(page, server.url, `/scenarios/${name.replace(/\.html$/, "")}`);
          const { text, emptyCharts } = await pageText(page);
          expect(scanText(text, overview.coverage)).toEqual([]);
          expect(emptyCharts).toBe(0);
          expect(session.errors).toEqual([]);
          await session.close();
        }
      });
    }
  });
}
