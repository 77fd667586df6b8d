/**
 * The scenario pages in headless Chromium, on the sample site built once by the global setup:
 * three levers on different segments built through the UI, the portfolio total checked
 * against an independent computation from the store's Parquet (native DuckDB, the sBG
 * survival function and the documented formulas), the link reopened in a fresh page, a
 * damaged link, and a saved scenario's own page.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { DEFAULT_STORE_DIR, STORE_FILES } from "../../loaders/store.js";
import { sbgSurvival } from "../../src/lib/models/sbg.js";
import { monthIndexOf } from "../../src/lib/dates.js";
import type { ModelsData } from "../../src/lib/shapes/models-data.js";
import { useSite } from "../support/browser.js";
import { REPO } from "../support/fixtures.js";

const dist = inject("sampleDist");
const site = useSite(dist);

const kpiCents = async (page: Page, id: string) =>
  Number(await page.locator(`[data-kpi="${id}"] [data-value]`).getAttribute("data-cents"));
const kpiText = async (page: Page, id: string) => (await page.locator(`[data-kpi="${id}"]`).innerText()).trim();

async function addEntry(
  page: Page,
  lever: string,
  segment: Record<string, string[]>,
  params: Record<string, number>,
  reason: string,
): Promise<void> {
  await page.locator("select[name=lever]").selectOption(lever);
  await page.locator("[data-action=add]").click();
  for (const [dim, values] of Object.entries(segment)) {
    await page.locator(`[data-editor] details[data-dim="${dim}"] > summary`).click();
    for (const v of values) await page.locator(`[data-editor] input[name="${dim}"][value="${v}"]`).check();
  }
  for (const [name, value] of Object.entries(params))
    await page.locator(`[data-editor] input[type=range][name="${name}"]`).fill(String(value));
  await page.locator("[data-editor] textarea[name=reason]").fill(reason);
  await page.locator("[data-editor] input[name=author]").fill("Browser test");
}

/**
 * Independent total: Σ V, plus 8% of the Manufacturing · Mid · Pro values, minus 5% of the EMEA
 * transactional values, and for Enterprise-tier contracts V · F′ ÷ F₀ with
 * F = Σ_k Π_{j ≤ k} (1 − h(t_j)(1 − S(n + j) ÷ S(n + j − 1))) ÷ (1 + d)^(kL/12).
 */
async function independentTotal(): Promise<{ baseline: number; scenario: number }> {
  const models = JSON.parse(readFileSync(path.join(DEFAULT_STORE_DIR, STORE_FILES.models), "utf8")) as ModelsData;
  const file = (name: string) => `read_parquet('${path.join(DEFAULT_STORE_DIR, name).replaceAll("'", "''")}')`;
  const db = await (await DuckDBInstance.create(":memory:")).connect();
  const asOfMonth = monthIndexOf(models.asOf);
  const rows = (
    await db.runAndReadAll(`
    WITH m AS (SELECT account_id, CAST(year(month) * 12 + month(month) - 1 AS INTEGER) AS mi FROM ${file(STORE_FILES.accountMonth)} WHERE mrr_cents > 0),
    runs AS (SELECT account_id, mi, mi - row_number() OVER (PARTITION BY account_id ORDER BY mi) AS run FROM m),
    current AS (SELECT account_id, min(mi) AS run_start FROM runs GROUP BY account_id, run HAVING max(mi) = ${asOfMonth})
    SELECT a.account_id, a.industry, a.size_band, a.tier, a.region, a.business_model, v.model, v.segment, v.clv_cents AS value, c.run_start
    FROM ${file(STORE_FILES.accounts)} a JOIN ${file(STORE_FILES.accountValue)} v USING (account_id) LEFT JOIN current c USING (account_id)`)
  ).getRowObjectsJS() as Array<{
    account_id: string;
    industry: string;
    size_band: string;
    tier: string;
    region: string;
    business_model: string;
    model: string;
    segment: string;
    value: number;
    run_start: number | null;
  }>;
  const params = new Map<string, { gamma: number; delta: number }>();
  for (const f of models.contractFits)
    params.set(
      f.pooledAt === "segment" ? f.key : f.pooledAt === "tier" ? `${f.billingTerm} · ${f.tier}` : f.billingTerm,
      { gamma: f.gamma, delta: f.delta },
    );
  let baseline = 0;
  let scenario = 0;
  for (const r of rows) {
    const v = r.value;
    baseline += v;
    if (r.industry === "Manufacturing" && r.size_band === "Mid (50–999)" && r.tier === "Pro") scenario += 1.08 * v;
    else if (r.region === "EMEA" && r.business_model === "transactional") scenario += 0.95 * v;
    else if (r.tier === "Enterprise" && r.model === "sbg" && v > 0) {
      const p = params.get(r.segment)!;
      const L = r.segment.startsWith("annual") ? 12 : 1;
      const n = Math.floor((asOfMonth - r.run_start!) / L);
      const periods = Math.floor(models.horizonMonths / L);
      let R = 1,
        R0 = 1,
        F = 0,
        F0 = 0;
      for (let k = 1; k <= periods; k++) {
        const t = k * L; // competitor: +50% from month 6, ramped over 6 months
        const h = 1 + 0.5 * Math.min(1, Math.max(0, (t - 6) / 6));
        const retention = sbgSurvival(p, n + k) / sbgSurvival(p, n + k - 1);
        R *= 1 - h * (1 - retention);
        R0 *= retention;
        const discount = Math.pow(1 + models.annualDiscountRate, -(k * L) / 12);
        F += R * discount;
        F0 += R0 * discount;
      }
      scenario += (v * F) / F0;
    } else scenario += v;
  }
  return { baseline, scenario };
}

describe("the scenario workbench", () => {
  let link = "";
  let shown: Record<string, string> = {};

  it("builds three levers on different segments and matches an independent computation", async () => {
    const session = await site.browser.session();
    const page = await session.newPage();
    await page.goto(`${site.server.url}/scenarios/`, { waitUntil: "networkidle" });
    await page.locator("[data-workbench]").waitFor();
    const expected = await independentTotal();
    expect(await kpiCents(page, "baseline")).toBeCloseTo(expected.baseline, 0);
    expect(await kpiCents(page, "scenario")).toBe(await kpiCents(page, "baseline"));

    await addEntry(
      page,
      "priceChange",
      { industry: ["Manufacturing"], size: ["Mid (50–999)"], tier: ["Pro"] },
      { pricePct: 8, elasticity: 0 },
      "Pro price unchanged since 2023",
    );
    await addEntry(
      page,
      "massAdjustment",
      { region: ["EMEA"], businessModel: ["transactional"] },
      { amount: -5 },
      "EMEA distributor margin squeeze",
    );
    await addEntry(
      page,
      "competitorEntry",
      { tier: ["Enterprise"] },
      { churnUpliftPct: 50, startMonth: 6, rampMonths: 6 },
      "Competitor launch next spring",
    );

    expect(await page.locator("[data-table=ledger-edit] > li").count()).toBe(3);
    const scenario = await kpiCents(page, "scenario");
    expect(Math.abs(scenario / expected.scenario - 1)).toBeLessThan(1e-9);
    expect(scenario).not.toBeCloseTo(expected.baseline, -2);
    // Reordering two model levers changes nothing; the ledger shows the new order.
    await page.locator('[data-entry="0"] [data-action=down]').click();
    expect(await page.locator('[data-entry="0"] [data-lever]').innerText()).toBe("Mass adjustment");
    expect(Math.abs((await kpiCents(page, "scenario")) / expected.scenario - 1)).toBeLessThan(1e-9);
    expect(await page.locator("table[data-table=affected] tbody tr").count()).toBe(10);

    await page.locator('[data-workbench][data-url-pending="0"]').waitFor();
    link = page.url();
    expect(link).toMatch(/\/scenarios\/\?s=[A-Za-z0-9_-]+$/);
    shown = {
      scenario: await kpiText(page, "scenario"),
      change: await kpiText(page, "change"),
      ltv: await kpiText(page, "ltv-cac"),
      abc: await page.locator("table[data-table=by-abc]").innerText(),
    };
    expect(session.errors).toEqual([]);
    expect(
      session.requests.filter(
        (u) => !u.startsWith(site.server.url) && !u.startsWith("data:") && !u.startsWith("blob:"),
      ),
    ).toEqual([]);
    await session.close();
  });

  it("restores exactly the same scenario from the copied link in a fresh browser context", async () => {
    expect(link).not.toBe("");
    const session = await site.browser.session();
    const page = await session.newPage();
    await page.goto(link, { waitUntil: "networkidle" });
    await page.locator("[data-workbench]").waitFor();
    expect(await kpiText(page, "scenario")).toBe(shown.scenario);
    expect(await kpiText(page, "change")).toBe(shown.change);
    expect(await kpiText(page, "ltv-cac")).toBe(shown.ltv);
    expect(await page.locator("table[data-table=by-abc]").innerText()).toBe(shown.abc);
    expect(await page.locator("[data-table=ledger-edit] > li").count()).toBe(3);
    expect(await page.locator("[data-scenario-message]").isHidden()).toBe(true);
    expect(page.url()).toBe(link);

    // Export: the downloaded file is the scenario, ready for data/scenarios/.
    await page.locator("input[name=title]").fill("Three levers");
    const download = page.waitForEvent("download");
    await page.locator("[data-action=export]").click();
    const file = await (await download).path();
    const saved = JSON.parse(readFileSync(file!, "utf8"));
    expect((await download).suggestedFilename()).toBe("three-levers.json");
    expect(saved.version).toBe(1);
    expect(saved.ledger.map((e: { lever: string }) => e.lever)).toEqual([
      "massAdjustment",
      "priceChange",
      "competitorEntry",
    ]);
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("shows a clear message and the baseline for a damaged link", async () => {
    const session = await site.browser.session();
    const page = await session.newPage();
    await page.goto(link.slice(0, -9), { waitUntil: "networkidle" });
    const message = page.locator("[data-scenario-message]");
    await message.waitFor();
    expect(await message.innerText()).toMatch(/could not be opened.*showing the baseline/);
    expect(await kpiCents(page, "scenario")).toBe(await kpiCents(page, "baseline"));
    expect(await page.locator("[data-ledger-empty]").count()).toBe(1);
    // The baseline's change is exactly zero: no band in the headline, no whiskers in the chart.
    expect(await page.locator("[data-kpi=change] [data-change-band]").count()).toBe(0);
    expect(await page.locator('[data-workbench] svg g[aria-label="bar"]').count()).toBeGreaterThan(0); // the chart is drawn
    expect(await page.locator("[data-workbench] svg g.change-band line").count()).toBe(0);
    expect(session.errors).toEqual([]);
    await session.close();
  });
});

describe("saved scenario pages", () => {
  it("renders data/scenarios/competitor-enterprise-spring.json as its own page with its ledger and reasons", async () => {
    const source = JSON.parse(
      readFileSync(path.join(REPO, "data", "scenarios", "competitor-enterprise-spring.json"), "utf8"),
    );
    const session = await site.browser.session();
    const page = await session.newPage();
    await page.goto(`${site.server.url}/scenarios/competitor-enterprise-spring`, { waitUntil: "networkidle" });
    expect(await page.locator("main h1").first().innerText()).toBe(source.title);
    const reasons = await page.locator("[data-table=ledger] [data-reason]").allInnerTexts();
    expect(reasons).toEqual(source.ledger.map((e: { reason: string }) => e.reason));
    expect(await kpiCents(page, "scenario")).toBeLessThan(await kpiCents(page, "baseline"));
    // The lever bridge: today, one step per entry in ledger order, the scenario; the steps add up.
    const steps = await page
      .locator("table[data-table=bridge] tbody tr")
      .evaluateAll((rows) =>
        rows.map((r) => [
          r.getAttribute("data-step"),
          Number(r.querySelector("[data-cents]")!.getAttribute("data-cents")),
        ]),
      );
    expect(steps.length).toBe(source.ledger.length + 2);
    const [today, ...rest] = steps;
    const end = rest.pop()!;
    expect(rest.reduce((t, [, c]) => t + (c as number), 0)).toBe((end[1] as number) - (today[1] as number));
    expect(Math.round(await kpiCents(page, "scenario"))).toBe(end[1]);
    // The change's band on shared draws is in the headline and as whiskers.
    expect(await page.locator("[data-kpi=change] [data-change-band]").count()).toBe(1);
    expect(await page.locator("svg g.change-band line").count()).toBeGreaterThan(0);
    expect(await page.locator("main svg[class^='plot']").count()).toBeGreaterThanOrEqual(3);
    // No per-account data and no DuckDB on an executive page.
    expect(session.requests.filter((u) => /scenario-accounts|duckdb|\.wasm/.test(u))).toEqual([]);
    // Its link opens the same scenario, with the same numbers, in the workbench.
    const executive = await kpiText(page, "scenario");
    await page.locator("[data-open-workbench]").click();
    await page.locator("[data-workbench]").waitFor();
    expect(await kpiText(page, "scenario")).toBe(executive);
    expect(await page.locator("[data-table=ledger-edit] > li").count()).toBe(source.ledger.length);
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("links every saved scenario from the workbench", async () => {
    const session = await site.browser.session();
    const page = await session.newPage();
    await page.goto(`${site.server.url}/scenarios/`, { waitUntil: "networkidle" });
    expect(
      (await page.locator("[data-saved]").evaluateAll((as) => as.map((a) => a.getAttribute("data-saved")))).sort(),
    ).toEqual(["competitor-enterprise-spring", "price-rise-mid-manufacturing-pro"]);
    await session.close();
  });
});
