/**
 * The built sample site under a Content-Security-Policy and hostile input, as a reader's
 * browser sees it (Chromium via playwright-core; the site is built once by the global setup):
 *
 * - every page — overview, models, the analyst pages, scenarios and each saved scenario, data
 *   quality — opens with no CSP violation, no console error, no page error and no request to
 *   another origin, with the heavy below-the-fold parts scrolled into view;
 * - injection strings fed through every URL parameter the pages read (the analyst pages'
 *   v / industry / size / region / tier / channel / class / grain / abc / by / account / measure /
 *   compare / q / sort / drill and the
 *   scenario page's s) and typed into every text input are shown as text and never reach SQL
 *   as text: no dialog, no error, and the page keeps working;
 * - a filter of several values (two industries) round-trips through the URL, the sidebar links
 *   and a saved view, and counts the union of its values' accounts.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { foreignRequests, settle, useSite, watchedPage } from "../support/browser.js";
import { REPO } from "../support/fixtures.js";

const dist = inject("sampleDist");
const SAVED = readdirSync(path.join(REPO, "data", "scenarios"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => `/scenarios/${f.slice(0, -5)}`);
const PAGES = ["/", "/models", "/cohorts", "/pareto", "/segments", "/accounts", "/scenarios/", ...SAVED, "/quality"];
const ANALYST = ["/cohorts", "/pareto", "/segments", "/accounts"];
const ANALYST_PARAMS = [
  ...["industry", "size", "region", "tier", "channel", "class", "grain", "abc", "by", "account"],
  ...["measure", "compare", "q", "sort", "drill"],
];
const LONG = `${"x".repeat(3000)}' OR 1=1 --`;
const INJECTIONS = [
  "' OR 1=1 --",
  '"; DROP TABLE accounts; --',
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(2)>",
  LONG,
];

const site = useSite(dist);

describe("the Content-Security-Policy", () => {
  it("is on every built page, with the hash of each inline script and no other origin", () => {
    const html = (rel: string) => readFileSync(path.join(dist, rel), "utf8");
    const pages = readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".html"));
    // Exactly the product's pages: no developer document under src/ is published as a page.
    const files = PAGES.map((r) => (r.endsWith("/") ? `${r.slice(1)}index.html` : `${r.slice(1)}.html`));
    expect([...pages].sort()).toEqual(files.sort());
    for (const rel of pages) {
      const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html(rel));
      expect(meta, rel).not.toBeNull();
      const policy = meta![1];
      expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
      expect(policy).not.toMatch(/https?:|'unsafe-eval'|\*/);
      expect(policy).toMatch(/default-src 'self'/);
    }
  });

  for (const route of PAGES) {
    it(`lets ${route} load whole with no violation, no error and no request to another origin`, async () => {
      const { session, page, dialogs, violations } = await watchedPage(site.browser);
      await page.goto(site.server.url + route, { waitUntil: "networkidle" });
      await settle(page);
      expect(await violations()).toEqual([]);
      expect(session.errors).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(foreignRequests(session, site.server.url)).toEqual([]);
      await session.close();
    });
  }
});

describe("injection through URL parameters and inputs", () => {
  for (const route of ANALYST) {
    it(`${route} shows every hostile URL parameter as text and keeps working`, async () => {
      for (const bad of INJECTIONS) {
        const { session, page, dialogs, violations } = await watchedPage(site.browser);
        // The long string goes into two parameters only: a URL must stay under the server's 16 kB header limit.
        const query = new URLSearchParams([
          ["v", "1"],
          ...(bad === LONG ? ["industry", "account"] : ANALYST_PARAMS).map((p) => [p, bad]),
        ]);
        await page.goto(`${site.server.url}${route}?${query}`, { waitUntil: "networkidle" });
        await settle(page);
        const text = await page.locator("main").innerText();
        if (bad.length < 80) expect(text, `${route} echoes ${bad} as text`).toContain(bad);
        expect(await page.locator("main script, main img[src='x']").count()).toBe(0);
        expect(dialogs).toEqual([]);
        expect(await violations()).toEqual([]);
        expect(session.errors, `${route} with ${bad.slice(0, 30)}`).toEqual([]);
        await session.close();
      }
      // A hostile version parameter.
      const { session, page, dialogs } = await watchedPage(site.browser);
      await page.goto(`${site.server.url}${route}?v=${encodeURIComponent(INJECTIONS[0])}`, {
        waitUntil: "networkidle",
      });
      await settle(page);
      expect(await page.locator("main").innerText()).toContain(INJECTIONS[0]);
      expect(dialogs).toEqual([]);
      expect(session.errors).toEqual([]);
      await session.close();
    });
  }

  it("/scenarios/ opens hostile or damaged scenario links as the baseline, with a note", async () => {
    const encoded = (text: string) => Buffer.from(text, "utf8").toString("base64url");
    const links = [
      ...INJECTIONS,
      encoded(JSON.stringify({ v: 1, title: "<script>alert(3)</script>", ledger: [{ lever: "' OR 1=1 --" }] })),
      encoded("<script>alert(4)</script>"),
    ];
    for (const bad of links) {
      const { session, page, dialogs, violations } = await watchedPage(site.browser);
      await page.goto(`${site.server.url}/scenarios/?s=${encodeURIComponent(bad)}`, { waitUntil: "networkidle" });
      await settle(page);
      expect(await page.locator("main").innerText()).toMatch(/could not be opened|baseline/i);
      expect(dialogs).toEqual([]);
      expect(await violations()).toEqual([]);
      expect(session.errors, bad.slice(0, 40)).toEqual([]);
      await session.close();
    }
  });

  it("takes hostile text in the account search, the quarantine search and the scenario fields as text", async () => {
    // The author and reason fields belong to an adjustment: "Add adjustment" opens its editor.
    const addAdjustment = (page: Page) => page.locator('button[data-action="add"]').first().click();
    const targets: Array<{
      route: string;
      field: (page: Page) => ReturnType<Page["locator"]>;
      before?: (page: Page) => Promise<void>;
    }> = [
      { route: "/accounts", field: (page) => page.getByLabel("Search name or id") },
      { route: "/quality", field: (page) => page.getByLabel("Message contains") },
      { route: "/scenarios/", field: (page) => page.locator('input[name="title"]') },
      { route: "/scenarios/", field: (page) => page.locator('input[name="author"]'), before: addAdjustment },
      { route: "/scenarios/", field: (page) => page.locator('textarea[name="reason"]'), before: addAdjustment },
    ];
    for (const { route, field, before } of targets) {
      const { session, page, dialogs, violations } = await watchedPage(site.browser);
      await page.goto(site.server.url + route, { waitUntil: "networkidle" });
      await settle(page);
      await before?.(page);
      const input = field(page).first();
      await input.scrollIntoViewIfNeeded();
      const max = Number((await input.getAttribute("maxlength")) ?? Infinity);
      for (const bad of INJECTIONS) {
        await input.fill(bad);
        // Tab, not Enter: commits the value (a change event) without adding a newline to a textarea.
        await input.press("Tab");
        await page.waitForTimeout(400);
        expect(await input.inputValue()).toBe(bad.slice(0, max));
      }
      await page.waitForLoadState("networkidle");
      expect(await page.locator("main script").count()).toBe(0);
      expect(dialogs, route).toEqual([]);
      expect(await violations()).toEqual([]);
      expect(session.errors, route).toEqual([]);
      await session.close();
    }
  });
});

describe("multi-value filters", () => {
  /** Opens an analyst page and waits until it is live and idle. */
  async function openLive(page: Page, url: string): Promise<void> {
    await page.goto(url, { waitUntil: "networkidle" });
    await page.waitForFunction(
      () => document.body.dataset.analystReady === "true" && document.body.dataset.analystBusy === "false",
      undefined,
      { timeout: 120_000 },
    );
  }
  const chosen = (page: Page, dim: string) =>
    page
      .locator(`[data-filter="${dim}"] select`)
      .evaluate((s) => [...(s as HTMLSelectElement).selectedOptions].map((o) => o.textContent));
  const matches = async (page: Page) =>
    Number(/^[\d,]+/.exec((await page.locator("[data-matches]").textContent()) ?? "")?.[0].replaceAll(",", "") ?? NaN);

  it("round-trip two industries through the URL, the sidebar links and a saved view, and count their union", async () => {
    const { session, page, dialogs } = await watchedPage(site.browser);
    const base = `${site.server.url}/accounts`;
    await openLive(page, base);
    const options = await page.locator('[data-filter="industry"] select option').allTextContents();
    expect(options[0]).toBe("All");
    const [a, b, c] = options.slice(1);
    const link = (...values: string[]) =>
      `${base}?${new URLSearchParams([["v", "1"], ...values.map((v) => ["industry", v])])}`;
    // Industries partition the accounts: the count for two is the sum of each one's count.
    await openLive(page, link(a));
    const countA = await matches(page);
    await openLive(page, link(b));
    const countB = await matches(page);
    await openLive(page, link(b, a));
    expect(countA).toBeGreaterThan(0);
    expect(countB).toBeGreaterThan(0);
    expect(await matches(page)).toBe(countA + countB);
    // Restored exactly, in the data's order (the link gave them the other way round).
    expect(await chosen(page, "industry")).toEqual([a, b]);
    // The sidebar carries both to the other analyst pages.
    const cohorts = await page.locator("#observablehq-sidebar a[href*='cohorts']").getAttribute("href");
    expect(new URLSearchParams(cohorts!.split("?")[1]).getAll("industry")).toEqual([a, b]);
    // A third value chosen in the list goes into the URL, and a new page opens with all three.
    const before = Number(await page.evaluate(() => document.body.dataset.analystRender ?? "0"));
    await page.locator('[data-filter="industry"] select').selectOption([a, b, c]);
    await page.waitForFunction(
      (n) => Number(document.body.dataset.analystRender ?? "0") > n && document.body.dataset.analystBusy === "false",
      before,
      { timeout: 60_000 },
    );
    expect(new URL(page.url()).searchParams.getAll("industry")).toEqual([a, b, c]);
    const again = await session.newPage();
    await openLive(again, page.url());
    expect(await chosen(again, "industry")).toEqual([a, b, c]);
    expect(await matches(again)).toBe(await matches(page));
    // A saved view keeps them.
    await again.locator("[data-saved-views] > summary").click();
    await again.locator("#saved-view-name").fill("three industries");
    await again.locator("[data-view-save]").click();
    const saved = await again.locator('[data-view="three industries"]').getAttribute("href");
    expect(new URLSearchParams(saved!.split("?")[1]).getAll("industry")).toEqual([a, b, c]);
    // An outdated value among valid ones: the valid one stays, the note says what is shown.
    await openLive(again, `${link("Mining-and-quarrying", a)}`);
    expect(await chosen(again, "industry")).toEqual([a]);
    expect(await again.locator("[data-state-note]").first().textContent()).toBe(
      `The link's industry "Mining-and-quarrying" is not in this data; showing ${a}.`,
    );
    // Choosing "All" clears the others.
    await again.locator('[data-filter="industry"] select').selectOption("All");
    await again.waitForFunction(() => !new URL(location.href).searchParams.has("industry"), undefined, {
      timeout: 60_000,
    });
    expect(await chosen(again, "industry")).toEqual(["All"]);
    expect(dialogs).toEqual([]);
    expect(session.errors).toEqual([]);
    await session.close();
  }, 300_000);
});
