/**
 * The scenario ledger fits its card, in headless Chromium at 1280 px and at 390 px: on a saved
 * scenario's page and in the workbench with that scenario open, every entry — its lever, its
 * reason, its author and, in the workbench, its edit / reorder / remove buttons — lies inside
 * the card (element bounds), nothing is clipped, and each reason gets most of the card's width
 * (a table would squeeze it into a narrow column on a phone). Also the saved page's own shell:
 * title, description, sidebar and pager.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { settle, useSite } from "../support/browser.js";
import { REPO } from "../support/fixtures.js";

const dist = inject("sampleDist");
const site = useSite(dist);
const NAME = "competitor-enterprise-spring";
const source = JSON.parse(readFileSync(path.join(REPO, "data", "scenarios", `${NAME}.json`), "utf8")) as {
  title: string;
  description: string;
  ledger: Array<{ reason: string; author: string }>;
};

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
}
interface EntryLayout {
  entry: Box;
  parts: Record<string, Box | null>;
  /** Elements whose content is wider than their box (clipped or scrolled). */
  clipped: string[];
  reasonText: string;
  authorText: string;
}

/** The bounds of the ledger's card and of each entry's parts, as the page lays them out. */
function ledgerLayout(page: Page, list: string): Promise<{ card: Box; entries: EntryLayout[] }> {
  return page.evaluate((selector) => {
    const box = (el: Element | null) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width };
    };
    const ol = document.querySelector(selector)!;
    const card = ol.closest(".card")!;
    const entries = [...ol.querySelectorAll(":scope > li")].map((li) => {
      const parts: Record<string, ReturnType<typeof box>> = {};
      const clipped: string[] = [];
      for (const part of [
        "[data-lever]",
        "[data-reason]",
        "[data-author]",
        "[data-action=edit]",
        "[data-action=up]",
        "[data-action=down]",
        "[data-action=remove]",
      ]) {
        const el = li.querySelector(part);
        parts[part] = box(el);
        if (el && el.scrollWidth > el.clientWidth + 1) clipped.push(part);
      }
      return {
        entry: box(li)!,
        parts,
        clipped,
        reasonText: li.querySelector("[data-reason]")?.textContent?.trim() ?? "",
        authorText: li.querySelector("[data-author]")?.textContent?.trim() ?? "",
      };
    });
    const c = card.getBoundingClientRect();
    return { card: { left: c.left, right: c.right, top: c.top, bottom: c.bottom, width: c.width }, entries };
  }, list);
}

function expectInside(inner: Box, outer: Box, what: string): void {
  expect(inner.left, `${what}: left edge`).toBeGreaterThanOrEqual(outer.left - 0.5);
  expect(inner.right, `${what}: right edge`).toBeLessThanOrEqual(outer.right + 0.5);
  expect(inner.top, `${what}: top edge`).toBeGreaterThanOrEqual(outer.top - 0.5);
  expect(inner.bottom, `${what}: bottom edge`).toBeLessThanOrEqual(outer.bottom + 0.5);
}

async function checkLedger(page: Page, list: string, width: number, withActions: boolean): Promise<void> {
  const { card, entries } = await ledgerLayout(page, list);
  expect(entries.length).toBe(source.ledger.length);
  expect(card.right, "the card fits the window").toBeLessThanOrEqual(width + 0.5);
  entries.forEach((e, i) => {
    const at = `${width} px, entry ${i + 1}`;
    expectInside(e.entry, card, at);
    const needed = ["[data-lever]", "[data-reason]", "[data-author]"];
    if (withActions)
      needed.push("[data-action=edit]", "[data-action=up]", "[data-action=down]", "[data-action=remove]");
    for (const part of needed) {
      const b = e.parts[part];
      expect(b, `${at}: ${part} is shown`).not.toBeNull();
      expect(b!.width, `${at}: ${part} has a width`).toBeGreaterThan(0);
      expectInside(b!, e.entry, `${at}: ${part}`);
    }
    expect(e.clipped, `${at}: nothing clipped`).toEqual([]);
    // Readable: the whole reason, over most of the card's width (not a narrow table column).
    expect(e.reasonText).toBe(source.ledger[i].reason);
    expect(e.authorText).toContain(source.ledger[i].author);
    expect(e.parts["[data-reason]"]!.width, `${at}: reason width`).toBeGreaterThan(0.6 * card.width);
  });
}

describe("the scenario ledger fits its card", () => {
  for (const width of [1280, 390]) {
    it(`on a saved scenario's page and in the workbench at ${width} px`, async () => {
      const session = await site.browser.session({ viewport: { width, height: 900 } });
      const page = await session.newPage();
      await page.goto(`${site.server.url}/scenarios/${NAME}`, { waitUntil: "networkidle" });
      await settle(page);
      await checkLedger(page, "[data-card=ledger] [data-table=ledger]", width, false);
      await page.locator("[data-open-workbench]").click();
      await page.locator("[data-table=ledger-edit]").waitFor();
      await checkLedger(page, "[data-table=ledger-edit]", width, true);
      // The buttons work where they are: reorder moves the entry, edit opens it.
      await page.locator('[data-table=ledger-edit] [data-entry="0"] [data-action=down]').click();
      expect(await page.locator('[data-table=ledger-edit] [data-entry="1"] [data-reason]').innerText()).toBe(
        source.ledger[0].reason,
      );
      await page.locator('[data-table=ledger-edit] [data-entry="1"] [data-action=edit]').click();
      expect(await page.locator("[data-editor]").getAttribute("data-editor")).toBe("1");
      expect(session.errors).toEqual([]);
      await session.close();
    });
  }
});

describe("a saved scenario's page shell", () => {
  it("has the scenario's title and description, the sidebar with Scenarios current, and a pager", async () => {
    const session = await site.browser.session();
    const page = await session.newPage();
    await page.goto(`${site.server.url}/scenarios/${NAME}`, { waitUntil: "networkidle" });
    expect(await page.title()).toBe(`${source.title} | LTV Atlas`);
    expect(await page.locator('meta[name="description"]').getAttribute("content")).toBe(source.description);
    expect(await page.locator("#observablehq-sidebar .observablehq-link-active a").innerText()).toBe("Scenarios");
    const pager = page.locator("#observablehq-footer nav a");
    expect(await pager.evaluateAll((as) => as.map((a) => [a.getAttribute("rel"), a.textContent]))).toEqual([
      ["prev", "Scenarios"],
      ["next", "8% price rise for mid-size manufacturing Pro accounts"],
    ]);
    await page.locator('#observablehq-footer a[rel="next"]').click();
    await page.waitForURL(/price-rise-mid-manufacturing-pro$/);
    await page.locator("main h1", { hasText: "8% price rise for mid-size manufacturing Pro accounts" }).waitFor();
    expect(await page.locator('#observablehq-footer a[rel="next"]').innerText()).toBe("Data quality");
    expect(session.errors).toEqual([]);
    await session.close();
  });
});
