/**
 * The overview's MRR bridge in headless Chromium on the sample site built once by the global
 * setup: both bridges render with a legend, every bar is a link with an accessible name, the
 * figures on the bars and in the table equal the loader output (data/mrr-bridge.json), and
 * each bar's link opens the cohort page listing that step's accounts, as many as the bridge
 * counts. (The loader's figures are checked against an independent reduction over the store
 * in test/analysis/mrr-bridge.test.ts.)
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { stepAmount, stepHref, stepLabel } from "../../src/components/mrr-bridge.js";
import {
  BRIDGE_ACCOUNTS_LIMIT,
  BRIDGE_STEPS,
  STEP_SIGN,
  type MrrBridgeData,
} from "../../src/lib/analysis/mrr-bridge.js";
import { formatMoneyExact, formatNumber } from "../../src/lib/format.js";
import { useSite, type Session } from "../support/browser.js";
import { loaderOutput } from "../support/site.js";

const dist = inject("sampleDist");
const site = useSite(dist);
let data: MrrBridgeData;

beforeAll(() => {
  data = loaderOutput<MrrBridgeData>(dist, "mrr-bridge");
});

const accounts = (n: number) => `${formatNumber(n)} ${n === 1 ? "account" : "accounts"}`;

async function overview(): Promise<{ session: Session; page: Page }> {
  const session = await site.browser.session();
  const page = await session.newPage();
  await page.goto(site.server.url + "/", { waitUntil: "networkidle" });
  await page.locator("[data-bridge] svg").first().waitFor({ timeout: 60_000 });
  return { session, page };
}

describe("the MRR bridge on the sample overview", () => {
  it("has two bridges that balance and move in every step", () => {
    expect(data.contracts).toBe(true);
    expect(data.bridges.map((b) => b.window)).toEqual(["quarter", "year"]);
    for (const b of data.bridges) {
      const c = Object.fromEntries(b.steps.map((s) => [s.step, s.cents]));
      expect(c.start + c.new + c.reactivation + c.expansion - c.contraction - c.churn).toBe(c.end);
      for (const s of b.steps) expect(s.accounts, `${b.window} ${s.step}`).toBeGreaterThan(0);
    }
  });

  it("draws each bridge with a legend, a named bar per step, and the loader's figures on bars and in the table", async () => {
    const { session, page } = await overview();
    for (const b of data.bridges) {
      const card = page.locator(`[data-bridge="${b.window}"]`);
      // The colour legend: colour says whether a step adds or subtracts.
      expect(await card.locator("div[class*='-swatches-wrap'] > span").allInnerTexts()).toEqual([
        "level",
        "increase",
        "decrease",
      ]);
      // One bar per step in order, named for assistive technology; the chart itself is named by its card.
      expect(await card.locator("svg").last().getAttribute("aria-label")).toBe(
        `Chart: MRR bridge: ${b.window === "quarter" ? "last quarter" : "last 12 months"}`,
      );
      const bars = card.locator("svg rect[data-step]");
      expect(await bars.evaluateAll((r) => r.map((x) => (x as SVGElement).dataset.step))).toEqual([...BRIDGE_STEPS]);
      for (const [i, s] of b.steps.entries())
        expect(await bars.nth(i).getAttribute("aria-label")).toBe(
          `${stepLabel(s.step)}: ${stepAmount(s.step, s.cents, data.currency)} (${accounts(s.accounts)})`,
        );
      // The amounts written on the bars (on a narrow chart in two rows, so compared as a set).
      expect((await card.locator("svg g[aria-label='text'] text").allTextContents()).sort()).toEqual(
        b.steps.map((s) => stepAmount(s.step, s.cents, data.currency)).sort(),
      );
      // The table alternative: exact to the cent, signed, with the counts as links.
      await card.locator("details summary").click();
      for (const s of b.steps) {
        const row = card.locator(`tr[data-step="${s.step}"]`);
        const sign = STEP_SIGN[s.step] < 0 ? "−" : STEP_SIGN[s.step] > 0 ? "+" : "";
        expect((await row.locator("[data-cents]").textContent())?.trim()).toBe(
          `${sign}${formatMoneyExact(s.cents, data.currency)}`,
        );
        expect((await row.locator("[data-accounts]").textContent())?.trim()).toBe(accounts(s.accounts));
        expect(await row.locator("a").getAttribute("href")).toBe(stepHref(b, s.step));
      }
    }
    expect(
      await page.locator("[data-mrr-bridge] [data-not-provided], [data-mrr-bridge] [data-aggregate-only]").count(),
    ).toBe(0);
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("opens, from a bar, the cohort page listing that step's accounts, as many as the bridge counts", async () => {
    const { session, page } = await overview();
    const quarter = data.bridges[0];
    const churn = quarter.steps.find((s) => s.step === "churn")!;
    await page.locator(`[data-bridge="quarter"] svg rect[data-step="churn"]`).click();
    await page.waitForURL(/\/cohorts\?v=1&step=/);
    const title = page.locator("[data-drill-title][data-bridge-step='churn']");
    await title.waitFor({ timeout: 120_000 });
    expect(await title.getAttribute("data-accounts")).toBe(String(churn.accounts));
    expect(await title.innerText()).toContain(accounts(churn.accounts));
    expect(await page.locator("[data-drill] tbody tr").count()).toBe(churn.accounts);
    expect(await title.isVisible()).toBe(true);
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("lists the accounts of every step of the 12-month bridge on the cohort page (the counts match)", async () => {
    // One bridge (each page load starts the query engine); the SQL of both is checked against an independent reduction in test/analysis.
    const session = await site.browser.session();
    for (const b of data.bridges.filter((x) => x.window === "year"))
      for (const s of b.steps) {
        const page = await session.newPage();
        await page.goto(site.server.url + stepHref(b, s.step).slice(1));
        const title = page.locator(`[data-drill-title][data-bridge-step='${s.step}']`);
        await title.waitFor({ timeout: 120_000 });
        expect(await title.getAttribute("data-accounts"), `${b.window} ${s.step}`).toBe(String(s.accounts));
        expect(await page.locator("[data-drill] tbody tr").count(), `${b.window} ${s.step}`).toBe(
          Math.min(s.accounts, BRIDGE_ACCOUNTS_LIMIT),
        );
        await page.close();
      }
    expect(session.errors).toEqual([]);
    await session.close();
  }, 300_000);
});
