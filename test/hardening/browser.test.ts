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
 *   as text: no dialog, no error, and the page keeps working.
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
