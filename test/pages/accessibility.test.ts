/**
 * WCAG 2.1 AA on the built sample, in headless Chromium, light and dark: axe-core (run inside
 * each page through playwright-core) finds no serious or critical violation on any page, once
 * the page has drawn everything it draws (analyst pages live, the fold scrolled into view).
 * Beyond what axe checks: chart marks as painted keep 3 : 1 against their background (values
 * written on heatmap cells 4.5 : 1 against the cell), every chart has a table view or a
 * written reading, the keyboard alone opens table views and the MRR drill-down, the language, zoom, the skip link as the first Tab stop, every chart
 * an image with a name, and every table in a region the keyboard can reach. Reflow: at 1280 and
 * 390 px no page is wider than the window and no table sticks out of its card unless it is in a
 * focusable scroll container; on a phone a saved scenario's Change column is in view.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { settle, useSite } from "../support/browser.js";
import { REPO } from "../support/fixtures.js";
import { chartContrast } from "../support/contrast.js";
import { overflowOf } from "../support/overflow.js";

const dist = inject("sampleDist");
const SAVED = readdirSync(path.join(REPO, "data", "scenarios"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => `/scenarios/${f.slice(0, -5)}`);
const PAGES = ["/", "/models", "/cohorts", "/pareto", "/segments", "/accounts", "/scenarios/", ...SAVED, "/quality"];
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const site = useSite(dist);

/** Opens a page and waits until it has drawn all it will: analyst pages live and idle, charts in view. */
async function openWhole(page: Page, route: string): Promise<void> {
  await page.goto(site.server.url + route, { waitUntil: "networkidle" });
  await settle(page);
  if ((await page.locator("#controls").count()) > 0)
    await page.waitForFunction(
      () => document.body.dataset.analystReady !== undefined && document.body.dataset.analystBusy !== "true",
      undefined,
      { timeout: 120_000 },
    );
  // Two frames: components/a11y.ts labels what a render added on the next animation frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

interface Violation {
  id: string;
  impact: string;
  nodes: string[];
}

async function axe(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<never> } }).axe.run;
    const result: {
      violations: { id: string; impact: string; nodes: { target: string[]; failureSummary: string }[] }[];
    } = await run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
    }));
  });
}

describe("accessibility (WCAG 2.1 AA)", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`axe-core finds no serious or critical violation on any page and chart marks keep 3 : 1, ${scheme}`, async () => {
      const session = await site.browser.session({ colorScheme: scheme });
      const found: string[] = [];
      let checkedMarks = 0;
      for (const route of PAGES) {
        const page = await session.newPage();
        await openWhole(page, route);
        for (const v of await axe(page))
          if (v.impact === "serious" || v.impact === "critical")
            found.push(`${route} ${v.impact} ${v.id}:\n  ${v.nodes.join("\n  ")}`);
        // Chart marks as painted: 3 : 1 against the background (axe does not look inside charts).
        const { marks, cellText } = await chartContrast(page);
        for (const m of marks)
          if (m.ratio < 3)
            found.push(`${route} chart mark ${m.chart} / ${m.mark}: ${m.color} ${m.ratio.toFixed(2)} : 1`);
        for (const t of cellText) found.push(`${route} cell text ${t}`);
        checkedMarks += marks.length;
        await page.close();
      }
      expect(found).toEqual([]);
      expect(checkedMarks, "chart marks measured").toBeGreaterThan(50);
      expect(session.errors).toEqual([]);
      await session.close();
    }, 600_000);
  }

  it("every page has a language, allows zoom, and offers a skip link as the first Tab stop", async () => {
    const session = await site.browser.session();
    for (const route of PAGES) {
      const page = await session.newPage();
      await page.goto(site.server.url + route, { waitUntil: "networkidle" });
      expect(await page.getAttribute("html", "lang"), route).toBe("en");
      expect(await page.getAttribute('meta[name="viewport"]', "content"), route).not.toMatch(
        /maximum-scale|user-scalable/,
      );
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => ({
        text: document.activeElement?.textContent,
        href: document.activeElement?.getAttribute("href"),
        top: document.activeElement?.getBoundingClientRect().top ?? -1,
      }));
      expect(focused.text, route).toBe("Skip to content");
      expect(focused.href).toBe("#observablehq-main");
      expect(focused.top, "visible once focused").toBeGreaterThanOrEqual(0);
      expect(await page.locator("main#observablehq-main").count()).toBe(1);
      expect(await page.locator('nav#observablehq-sidebar[aria-label="Pages"]').count()).toBe(1);
      await page.close();
    }
    await session.close();
  });

  it("every chart is an image with a name, and every table sits in a named region the keyboard reaches", async () => {
    const session = await site.browser.session({ viewport: { width: 390, height: 844 } });
    for (const route of PAGES) {
      const page = await session.newPage();
      await openWhole(page, route);
      const report = await page.evaluate(() => ({
        charts: [...document.querySelectorAll("main svg[class^='plot']")].map((svg) => ({
          role: svg.getAttribute("role"),
          name: svg.getAttribute("aria-label") ?? "",
          legend: /-ramp\b|-swatch/.test(svg.getAttribute("class") ?? ""),
          // A text or table alternative in the chart's card: a table (a table view) or a written reading.
          alternative: (svg.closest(".card")?.querySelectorAll("table, .reading").length ?? 0) > 0,
        })),
        tables: [...document.querySelectorAll("main table")].map((t) => {
          const region = t.closest(".table-scroll") as HTMLElement | null;
          return { tabIndex: region?.tabIndex ?? null, role: region?.getAttribute("role"), name: region?.ariaLabel };
        }),
      }));
      for (const chart of report.charts) {
        expect(chart.role, route).toBe("img");
        expect(chart.name, route).toMatch(/^(Chart|Colour scale): ?\S/);
        if (!chart.legend) expect(chart.alternative, `${route} ${chart.name}`).toBe(true);
      }
      for (const table of report.tables) {
        expect(table, route).toMatchObject({ tabIndex: 0, role: "region" });
        expect(table.name, route).toMatch(/^Table: \S/);
      }
      await page.close();
    }
    await session.close();
  });

  it("the keyboard alone opens a chart's table view and the MRR drill-down", async () => {
    const session = await site.browser.session();
    const page = await session.newPage();
    await openWhole(page, "/cohorts");
    // The movements chart's table view: its summary takes focus, Enter unfolds the numbers the tooltips show.
    const summary = page.locator('[data-chart="movements"] details[data-table-view] > summary');
    await summary.focus();
    await page.keyboard.press("Enter");
    expect(await page.locator('[data-chart="movements"] details[data-table-view]').getAttribute("open")).not.toBeNull();
    expect(await page.locator('[data-chart="movements"] details[data-table-view] tbody tr').count()).toBeGreaterThan(
      10,
    );
    // The drill-down: Tab from the month to the movement to the button, Enter lists the accounts.
    await page.locator("[data-drill-picker] select").first().focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.hasAttribute("data-drill-open"))).toBe(true);
    await page.keyboard.press("Enter");
    await page.locator("[data-drill-title]").waitFor({ timeout: 60_000 });
    expect(await page.locator("[data-drill-title]").textContent()).toMatch(/^churn in \d{4}-\d{2}: \d+ accounts$/);
    expect(await page.locator("[data-drill] tbody tr").count()).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get("drill")).toMatch(/^\d{4}-\d{2}\.churn$/);
    // The survival chart's table view the same way.
    await page.locator('[data-chart="survival"] details[data-table-view] > summary').focus();
    await page.keyboard.press("Enter");
    expect(await page.locator('[data-chart="survival"] details[data-table-view] tbody tr').count()).toBeGreaterThan(1);
    expect(session.errors).toEqual([]);
    await session.close();
  });

  for (const width of [1280, 390]) {
    it(`at ${width} px no page overflows the window and no table its card without a scroll container`, async () => {
      const session = await site.browser.session({ viewport: { width, height: 900 } });
      const found: string[] = [];
      for (const route of PAGES) {
        const page = await session.newPage();
        await openWhole(page, route);
        // Tables folded in <details> too.
        await page.evaluate(() =>
          document.querySelectorAll<HTMLDetailsElement>("main details").forEach((d) => (d.open = true)),
        );
        await page.waitForTimeout(200);
        const o = await overflowOf(page);
        if (o.page > 1) found.push(`${route}: page ${o.page} px wider than the window`);
        for (const t of o.tables) found.push(`${route}: ${t}`);
        await page.close();
      }
      expect(found).toEqual([]);
      await session.close();
    }, 600_000);
  }

  it("on a phone, a saved scenario's comparison tables show their Change column without scrolling", async () => {
    const session = await site.browser.session({ viewport: { width: 390, height: 844 } });
    const page = await session.newPage();
    await openWhole(page, SAVED[0]);
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll("main table.scenario-table")]
        .filter((t) => t.querySelector("td[data-cents]"))
        .flatMap((t) => {
          const card = t.closest(".card")!.getBoundingClientRect();
          return [...t.querySelectorAll("td[data-cents]")]
            .filter((td) => td.getBoundingClientRect().right > card.right)
            .map((td) => `${t.getAttribute("data-table")}: ${td.textContent?.trim()}`);
        }),
    );
    expect(cut).toEqual([]);
    expect(await page.locator("main table.scenario-table td[data-cents]").count()).toBeGreaterThan(5);
    await session.close();
  });
});
