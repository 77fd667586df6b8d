/**
 * The four analyst pages in headless Chromium on the sample site built once by the global
 * setup: they open cleanly and stay on their origin; filters change the numbers, and the
 * numbers equal independent SQL over the store's Parquet files; the URL restores the view and
 * reports invalid values; CSV, PNG and SVG downloads work; CRM names are shown as text.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { tableFromIPC, tableToIPC, Table, vectorFromArray, Utf8 } from "apache-arrow";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch, type Session } from "../support/browser.js";
import { REPO } from "../support/fixtures.js";
import { serveStatic, type StaticServer } from "../support/serve.js";

const PAGES = ["/cohorts", "/pareto", "/segments", "/accounts"];
const STORE = path.join(REPO, ".atlas", "store");
const shots = mkdtempSync(path.join(os.tmpdir(), "atlas-pages-"));
const dist = inject("sampleDist");
let browser: Awaited<ReturnType<typeof launch>>;
let server: StaticServer;
let sql: DuckDBConnection;
let asOf: string;

async function all<T>(text: string): Promise<T[]> {
  const rows = (await sql.runAndReadAll(text)).getRowObjectsJS();
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
  ) as T[];
}
const store = (name: string) => `read_parquet('${path.join(STORE, name).replaceAll("'", "''")}')`;

async function open(route: string, session?: Session): Promise<{ session: Session; page: Page }> {
  const s = session ?? (await browser.session());
  const page = await s.newPage();
  await page.goto(server.url + route);
  // Generous: in the full suite the browser shares 2 cores with builds running in parallel.
  await page.locator("body[data-analyst-ready]").waitFor({ timeout: 120_000 });
  return { session: s, page };
}

async function selected(page: Page, select: string): Promise<string> {
  return page.locator(select).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
}

/** Waits for the re-render that an action triggers. */
async function rerender(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = Number(await page.evaluate(() => document.body.dataset.analystRender ?? "0"));
  await action();
  await page.waitForFunction(
    (n) => Number(document.body.dataset.analystRender ?? "0") > n && document.body.dataset.analystBusy === "false",
    before,
    { timeout: 15_000 },
  );
}

async function download(page: Page, locator: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.locator(locator).first().click()]);
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A small CSV parser (RFC 4180 quotes) for the downloads. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  // The preamble ("# LTV Atlas, <page>: as of …; filters: …") comes before the header.
  const [header, ...body] = rows.filter((r) => !r[0]?.startsWith("# "));
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

beforeAll(async () => {
  browser = await launch();
  server = await serveStatic(dist);
  sql = await (await DuckDBInstance.create(":memory:")).connect();
  asOf = JSON.parse(readFileSync(path.join(STORE, "ingest-report.json"), "utf8")).asOf;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  sql?.closeSync();
  rmSync(shots, { recursive: true, force: true });
});

/** Opens a copied link in a fresh session. */
async function reopen(link: string): Promise<{ fresh: Session; page: Page }> {
  const fresh = await browser.session();
  const opened = await open(link.slice(server.url.length), fresh);
  return { fresh, page: opened.page };
}

const checked = (page: Page, input: string) =>
  page.locator(`[data-input="${input}"] input:checked`).evaluate((i) => (i as HTMLInputElement).value);

describe("the analyst pages", () => {
  it("every page opens with its first chart before it goes interactive, with no console error and no request to another origin", async () => {
    const session = await browser.session();
    await Promise.all(
      PAGES.map(async (route) => {
        const { page } = await open(route, session);
        const t = await page.evaluate(() => window.__atlasAnalyst!);
        expect(t.firstChart, route).toBeLessThan(t.interactive!);
        // Every chart card says what it measures and from which data, in one line.
        for (const card of await page.locator("main .card").all()) {
          if ((await card.getAttribute("data-detail-view")) !== null) continue;
          if ((await card.locator("svg, table").count()) === 0) continue;
          expect(await card.locator(".chart-caption").first().textContent(), route).toMatch(/From .+\./);
        }
        expect(await page.locator("main svg[class^='plot'], main table").count(), route).toBeGreaterThan(0);
      }),
    );
    expect(session.errors).toEqual([]);
    expect(
      session.requests.filter(
        (url) => !url.startsWith(server.url) && !url.startsWith("data:") && !url.startsWith("blob:"),
      ),
    ).toEqual([]);
    await session.close();
  });

  it("Pareto: a filter changes the ABC classes, and they equal independent SQL over the store", async () => {
    const { session, page } = await open("/pareto");
    const before = parseCsv((await download(page, '[data-table="classes"] [data-download="csv"]')).toString("utf8"));
    await rerender(page, () => page.locator('[data-filter="industry"] select').selectOption("Software"));
    const after = parseCsv((await download(page, '[data-table="classes"] [data-download="csv"]')).toString("utf8"));
    expect(after).not.toEqual(before);
    const expected = await all<{ cls: string; n: number; rev: number }>(`
      WITH r AS (SELECT d.account_id, d.industry, coalesce(sum(m.revenue_cents) FILTER (WHERE m.month > DATE '${asOf}' - INTERVAL 12 MONTH AND m.month <= DATE '${asOf}'), 0) AS rev
        FROM ${store("dim_accounts.parquet")} d LEFT JOIN ${store("account_month.parquet")} m USING (account_id) GROUP BY ALL),
      p AS (SELECT *, coalesce(sum(rev) OVER (ORDER BY rev DESC, account_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before, sum(rev) OVER () AS total FROM r WHERE rev > 0)
      SELECT CASE WHEN before < 0.8 * total THEN 'A' WHEN before < 0.95 * total THEN 'B' ELSE 'C' END AS cls, count(*) AS n, sum(rev) AS rev
      FROM p WHERE industry = 'Software' GROUP BY 1 ORDER BY 1`);
    for (const e of expected) {
      const row = after.find((r) => r.class === e.cls)!;
      expect(Number(row.accounts), e.cls).toBe(e.n);
      expect(Math.round(Number(row["T12M revenue"]) * 100), e.cls).toBe(e.rev);
    }
    // The 80% point is labelled with the same count of accounts as SQL gives.
    const [{ k, n }] = await all<{ k: number; n: number }>(`
      WITH r AS (SELECT d.account_id, sum(m.revenue_cents) AS rev FROM ${store("dim_accounts.parquet")} d JOIN ${store("account_month.parquet")} m USING (account_id)
        WHERE d.industry = 'Software' AND m.month > DATE '${asOf}' - INTERVAL 12 MONTH AND m.month <= DATE '${asOf}' GROUP BY ALL HAVING sum(m.revenue_cents) > 0),
      c AS (SELECT rev, sum(rev) OVER (ORDER BY rev DESC, account_id) AS cum, sum(rev) OVER () AS tot, row_number() OVER (ORDER BY rev DESC, account_id) AS rn, count(*) OVER () AS n FROM r)
      SELECT min(rn) FILTER (WHERE cum >= 0.8 * tot) AS k, any_value(n) AS n FROM c`);
    expect(await page.locator('[data-chart="curve"] svg').first().textContent()).toContain(
      `80% of revenue: ${k} of ${n} accounts`,
    );
    // Editable thresholds: 50 / 30 / 20 moves accounts out of A.
    await rerender(page, () => page.locator('[data-input="abc-a"] input[type=number]').fill("50"));
    expect(page.url()).toContain("abc=50-95");
    const edited = parseCsv((await download(page, '[data-table="classes"] [data-download="csv"]')).toString("utf8"));
    expect(Number(edited.find((r) => r.class === "A")!.accounts)).toBeLessThan(
      Number(after.find((r) => r.class === "A")!.accounts),
    );
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("Cohorts: yearly logo and net revenue retention for a channel equal independent SQL, via the CSV download", async () => {
    const { session, page } = await open("/cohorts");
    await rerender(page, () => page.locator('[data-filter="channel"] select').selectOption("Inbound"));
    expect(page.url()).toContain("channel=Inbound");
    await page.locator("details:has(#triangle-table) summary").click();
    const csv = parseCsv((await download(page, '#triangle-table [data-download="csv"]')).toString("utf8"));
    const cell = csv.find((r) => r.cohort === "2021" && r["years since"] === "1")!;
    // Independently: Inbound subscription accounts acquired in 2021; MRR > 0 at the end of 2021 and of 2022.
    const [e] = await all<{ n: number; active: number; mrr0: number; mrr1: number }>(`
      WITH a AS (SELECT account_id FROM ${store("dim_accounts.parquet")} WHERE business_model = 'subscription' AND channel = 'Inbound' AND year(acquired_on) = 2021),
      m AS (SELECT account_id, month, mrr_cents FROM ${store("account_month.parquet")})
      SELECT (SELECT count(*) FROM a) AS n,
        (SELECT count(*) FROM m JOIN a USING (account_id) WHERE month = DATE '2022-12-01' AND mrr_cents > 0) AS active,
        (SELECT sum(mrr_cents) FROM m JOIN a USING (account_id) WHERE month = DATE '2021-12-01') AS mrr0,
        (SELECT sum(mrr_cents) FROM m JOIN a USING (account_id) WHERE month = DATE '2022-12-01') AS mrr1`);
    expect(Number(cell["cohort size"])).toBe(e.n);
    // Shares are written to 4 decimals (0.01 percentage point).
    expect(Number(cell["logo retention"])).toBe(Math.round((e.active / e.n) * 1e4) / 1e4);
    expect(Number(cell.NRR)).toBe(Math.round((e.mrr1 / e.mrr0) * 1e4) / 1e4);
    // The fitted sBG projections (dashed) follow the observed survival curves.
    await expect
      .poll(() => page.locator('[data-chart="survival"] g[stroke-dasharray] path').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    // Grain: quarters give more cohorts.
    await rerender(page, () => page.locator('[data-input="grain"] input[value="quarter"]').check());
    expect(page.url()).toContain("grain=quarter");
    expect(
      await page.locator('[data-chart="triangle"] svg[class^="plot"] g[aria-label="cell"] rect').count(),
    ).toBeGreaterThan(csv.length);
    // Drill-down: the accounts behind a bar.
    const bar = page.locator('[data-chart="movements"] svg[class^="plot"] g[aria-label="rect"] rect').last();
    await bar.hover();
    await bar.click();
    await page.locator("[data-drill-title]").waitFor({ timeout: 10_000 });
    expect(await page.locator("[data-drill-title]").textContent()).toMatch(
      /^(new|expansion|contraction|churn|reactivation) in \d{4}-\d{2}: \d+ accounts$/,
    );
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("Segments: revenue per industry within a region equals independent SQL, and a copied link reopens the same view", async () => {
    const { session, page } = await open("/segments");
    await rerender(page, () => page.locator('[data-filter="region"] select').selectOption("EMEA"));
    await rerender(page, () => page.locator('[data-input="by"] select').selectOption({ label: "Size" }));
    const csv = parseCsv((await download(page, '[data-table="segments"] [data-download="csv"]')).toString("utf8"));
    const expected = await all<{ size_band: string; n: number; rev: number }>(`
      SELECT d.size_band, count(DISTINCT d.account_id) AS n, coalesce(sum(m.revenue_cents) FILTER (WHERE m.month > DATE '${asOf}' - INTERVAL 12 MONTH AND m.month <= DATE '${asOf}'), 0) AS rev
      FROM ${store("dim_accounts.parquet")} d LEFT JOIN ${store("account_month.parquet")} m USING (account_id) WHERE d.region = 'EMEA' GROUP BY 1`);
    expect(csv.length).toBe(expected.length);
    for (const e of expected) {
      const row = csv.find((r) => r.Size === e.size_band)!;
      expect(Number(row.accounts)).toBe(e.n);
      expect(Math.round(Number(row["T12M revenue"]) * 100)).toBe(e.rev);
    }
    // CAC in the LTV : CAC table = spend ÷ new accounts, from the sample CSVs.
    await page.locator("details:has(#ltv-cac-table) summary").click();
    const econ = parseCsv((await download(page, '[data-table="ltv-cac"] [data-download="csv"]')).toString("utf8"));
    const [cac] = await all<{ spend: number; n: number }>(`
      SELECT (SELECT sum(amount) FROM read_csv('${path.join(REPO, "data/sample/marketing_spend.csv")}') WHERE channel = 'Inbound' AND year(month) = 2024) AS spend,
        (SELECT count(*) FROM read_csv('${path.join(REPO, "data/sample/accounts.csv")}') WHERE acquisition_channel = 'Inbound' AND year(acquired_on) = 2024 AND region = 'EMEA') AS n`);
    const row = econ.find((r) => r.channel === "Inbound" && r.year === "2024")!;
    expect(Number(row["new accounts"])).toBe(cac.n);
    expect(Number(row.CAC)).toBeCloseTo(cac.spend / cac.n, 2);

    const link = page.url();
    expect(link).toMatch(/region=EMEA/);
    expect(link).toMatch(/by=size/);
    const fresh = await browser.session();
    const { page: again } = await open(link.slice(server.url.length), fresh);
    expect(await selected(again, '[data-filter="region"] select')).toBe("EMEA");
    expect(await selected(again, '[data-input="by"] select')).toBe("Size");
    const csvAgain = parseCsv(
      (await download(again, '[data-table="segments"] [data-download="csv"]')).toString("utf8"),
    );
    expect(csvAgain).toEqual(csv);
    expect(fresh.errors).toEqual([]);
    await fresh.close();
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("shows a visible note and the default view for invalid or outdated link values", async () => {
    const { session, page } = await open("/pareto?v=1&industry=Atlantis&abc=99-10&class=A");
    const notes = page.locator("[data-state-note]");
    expect(await notes.count()).toBe(2);
    expect(await notes.first().isVisible()).toBe(true);
    expect(await notes.allTextContents()).toEqual([
      expect.stringMatching(/industry "Atlantis" is not in this data/),
      expect.stringMatching(/ABC thresholds "99-10" are invalid/),
    ]);
    expect(await selected(page, '[data-filter="class"] select')).toBe("A");
    expect(await page.locator('[data-chart="curve"] svg[class^="plot"]').count()).toBe(1);
    const { page: old } = await open("/accounts?v=0&industry=Retail", session);
    expect(await old.locator("[data-state-note]").first().textContent()).toMatch(/another version/);
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("downloads charts as PNG and SVG", async () => {
    const { session, page } = await open("/segments");
    const png = await download(page, '[data-chart="segments"] [data-download="png"]');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(2000);
    const svg = (await download(page, '[data-chart="segments"] [data-download="svg"]')).toString("utf8");
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("Manufacturing");
    expect(svg).not.toContain("var(--");
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("Accounts: shows CRM names as text, escapes them in CSV, and the detail matches SQL", async () => {
    const evil = `=HYPERLINK("http://x")<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;
    const namesFile = readdirSync(path.join(dist, "_file", "data")).find((f) => f.startsWith("analyst-names."))!;
    const summaryFile = readdirSync(path.join(dist, "_file", "data")).find((f) => f.startsWith("analyst-summary."))!;
    const names = tableFromIPC(readFileSync(path.join(dist, "_file", "data", namesFile)));
    const summary = JSON.parse(readFileSync(path.join(dist, "_file", "data", summaryFile), "utf8"));
    const top = summary.first.topAccounts[0];
    summary.first.topAccounts[0].account_name = evil;
    const ids = names.getChild("account_id")!.toArray() as string[];
    const patched = new Table({
      idx: names.getChild("idx")!,
      account_id: names.getChild("account_id")!,
      account_name: vectorFromArray(
        (names.getChild("account_name")!.toArray() as string[]).map((n, i) => (ids[i] === top.account_id ? evil : n)),
        new Utf8(),
      ),
    });
    const session = await browser.session();
    await session.context.route(/analyst-names\./, (route) =>
      route.fulfill({ body: Buffer.from(tableToIPC(patched, "stream")), contentType: "application/octet-stream" }),
    );
    await session.context.route(/analyst-summary\./, (route) =>
      route.fulfill({ body: JSON.stringify(summary), contentType: "application/json" }),
    );
    const { page } = await open("/accounts", session);
    await rerender(page, () => page.locator('[data-input="search"] input').fill(top.account_id));
    expect(await page.locator("[data-matches]").textContent()).toMatch(/^1 accounts match/);
    await rerender(page, () => page.locator('[data-table="accounts"] tbody tr input').first().check());
    expect(page.url()).toContain(`account=${top.account_id}`);
    expect(await page.locator("[data-detail-name]").textContent()).toBe(evil);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("main script, main img").count()).toBe(0);
    const csv = (await download(page, '[data-table="accounts"] [data-download="csv"]')).toString("utf8");
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")<img`);
    const [e] = await all<{ rev: number }>(
      `SELECT sum(revenue_cents) AS rev FROM ${store("account_month.parquet")} WHERE account_id = '${top.account_id}' AND month > DATE '${asOf}' - INTERVAL 12 MONTH AND month <= DATE '${asOf}'`,
    );
    const shown = (await page.locator('[data-detail="revenue"]').textContent())!;
    expect(Math.round(Number(shown.replace(/[^0-9.]/g, "")) * 100)).toBe(e.rev);
    // An MRR history for an account with contracts; a transactional account says it has none (no empty chart).
    const [{ model }] = await all<{ model: string }>(
      `SELECT business_model AS model FROM ${store("dim_accounts.parquet")} WHERE account_id = '${top.account_id}'`,
    );
    expect(await page.locator('[data-detail-view] [data-chart="history"] svg[class^="plot"]').count()).toBe(
      model === "subscription" ? 1 : 0,
    );
    expect(await page.locator("[data-detail-view] [data-no-contract]").count()).toBe(model === "subscription" ? 0 : 1);
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("fits a phone screen in the dark theme", async () => {
    const phone = await browser.session({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    await Promise.all(
      PAGES.map(async (route) => {
        const { page } = await open(route, phone);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        await page.screenshot({
          path: path.join(process.env.ATLAS_SHOTS ?? shots, `${route.slice(1)}-phone-dark.png`),
          fullPage: true,
        });
        expect(overflow, route).toBeLessThanOrEqual(1);
      }),
    );
    expect(phone.errors).toEqual([]);
    await phone.close();
  });

  it("URL round trip, cohorts: measure, grain, filter and the MRR drill-down (picked with the keyboard form); filters travel with the sidebar", async () => {
    const { session, page } = await open("/cohorts");
    await rerender(page, () => page.locator('[data-filter="channel"] select').selectOption("Inbound"));
    await rerender(page, () => page.locator('[data-input="grain"] input[value="quarter"]').check());
    await page.locator('[data-input="metric"] input[value="nrr"]').check();
    await page.locator("[data-drill-picker] button").click();
    await page.locator("[data-drill-title]").waitFor({ timeout: 15_000 });
    const title = await page.locator("[data-drill-title]").textContent();
    const cohortLink = page.url();
    expect(cohortLink).toMatch(/channel=Inbound.*grain=quarter.*measure=nrr.*drill=\d{4}-\d{2}\.churn/);
    const legend = async (p: Page) =>
      p.locator('[data-chart="triangle"] svg[role="img"][aria-label^="Colour scale"]').getAttribute("aria-label");
    expect(await legend(page)).toBeTruthy();
    const again = await reopen(cohortLink);
    expect(await checked(again.page, "grain")).toBe("quarter");
    expect(await checked(again.page, "metric")).toBe("nrr");
    expect(await selected(again.page, '[data-filter="channel"] select')).toBe("Inbound");
    await again.page.locator("[data-drill-title]").waitFor({ timeout: 15_000 });
    expect(await again.page.locator("[data-drill-title]").textContent()).toBe(title);
    expect(await again.page.locator('[data-chart="triangle"]').textContent()).toContain("Net revenue retention");
    // Quarter cells carry their values as text, and an all-cohorts row closes the triangle.
    const heat = again.page.locator('[data-chart="triangle"] svg[class^="plot"]').last();
    const cells = await heat.locator('g[aria-label="cell"] rect').count();
    const numbers = (await heat.locator('g[aria-label="text"] text').allTextContents()).filter((t) => /^\d+$/.test(t));
    expect(cells).toBeGreaterThan(20);
    expect(numbers.length).toBeGreaterThanOrEqual(cells);
    expect(await heat.textContent()).toContain("All cohorts");
    expect(again.fresh.errors).toEqual([]);
    await again.fresh.close();

    // The sidebar's links to the other analyst pages carry the filters, and only them.
    const href = await page
      .locator('#observablehq-sidebar a[href$="segments"], #observablehq-sidebar a[href*="segments?"]')
      .getAttribute("href");
    expect(href).toMatch(/segments\?v=1&channel=Inbound$/);
    await page.locator('#observablehq-sidebar a[href*="segments"]').click();
    await page.locator("body[data-analyst-ready]").waitFor({ timeout: 120_000 });
    expect(await selected(page, '[data-filter="channel"] select')).toBe("Inbound");
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("URL round trip, Pareto: the compare window", async () => {
    const pareto = await open("/pareto");
    await rerender(pareto.page, () => pareto.page.locator('[data-input="compare"] select').selectOption({ index: 1 }));
    expect(pareto.page.url()).toContain("compare=2");
    const again = await reopen(pareto.page.url());
    expect(await again.page.locator('[data-input="compare"] select').inputValue()).toBe("1");
    await again.fresh.close();
    await pareto.session.close();
  });

  it("URL round trip, accounts: search and order", async () => {
    const accounts = await open("/accounts");
    await rerender(accounts.page, () => accounts.page.locator('[data-input="search"] input').fill("a"));
    const sortSelect = accounts.page.locator('[data-input="sort"] select');
    await rerender(accounts.page, () => sortSelect.selectOption({ index: 1 }));
    const order = await selected(accounts.page, '[data-input="sort"] select');
    const matches = await accounts.page.locator("[data-matches]").textContent();
    expect(accounts.page.url()).toMatch(/q=a&sort=\w+/);
    const again = await reopen(accounts.page.url());
    expect(await again.page.locator('[data-input="search"] input').inputValue()).toBe("a");
    expect(await selected(again.page, '[data-input="sort"] select')).toBe(order);
    expect(await again.page.locator("[data-matches]").textContent()).toBe(matches);
    expect(await again.page.locator('[data-table="accounts"] tbody tr').first().textContent()).toBe(
      await accounts.page.locator('[data-table="accounts"] tbody tr').first().textContent(),
    );
    await again.fresh.close();
    await accounts.session.close();
  });

  it("a bad measure or drill-down in a link falls back with the usual note", async () => {
    const bad = await open("/cohorts?v=1&measure=churn&drill=2024-13.churn");
    expect(await bad.page.locator("[data-state-note]").allTextContents()).toEqual([
      expect.stringMatching(/measure "churn" is unknown/),
      expect.stringMatching(/drill-down "2024-13.churn" is invalid/),
    ]);
    expect(await checked(bad.page, "metric")).toBe("logo");
    await bad.session.close();
  });

  it("exports say what they hold: page, as-of date and filters in the file name and the first line; values rounded", async () => {
    const save = async (page: Page, locator: string) => {
      const [file] = await Promise.all([page.waitForEvent("download"), page.locator(locator).first().click()]);
      const chunks: Buffer[] = [];
      for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
      return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString("utf8") };
    };
    const { session, page } = await open("/segments?v=1&region=EMEA&industry=Software");
    const csv = await save(page, '[data-table="segments"] [data-download="csv"]');
    expect(csv.name).toBe(`segments_segments-industry_${asOf}_industry-Software-region-EMEA.csv`);
    expect(csv.text.split("\r\n")[0]).toBe(
      `# LTV Atlas, segments: as of ${asOf}; filters: industry = Software; region = EMEA`,
    );
    // No float noise: every number has at most 4 decimals.
    expect(csv.text).not.toMatch(/\d\.\d{5,}/);
    const png = await save(page, '[data-chart="segments"] [data-download="svg"]');
    expect(png.name).toBe(`segments_segments-industry_${asOf}_industry-Software-region-EMEA.svg`);
    // The overview's KPIs and a saved scenario's results, as CSV.
    const overview = await session.newPage();
    await overview.goto(`${server.url}/`);
    const kpis = await save(overview, '[data-table="kpis"] [data-download="csv"]');
    expect(kpis.name).toBe(`overview_kpis_${asOf}.csv`);
    const kpiRows = parseCsv(kpis.text);
    expect(kpiRows.find((r) => r.id === "t12m-revenue")?.["value (as shown)"]).toMatch(/^\$[\d.]+[kMB]?$/);
    expect(kpiRows.every((r) => r.definition.length > 0)).toBe(true);
    const scenario = await session.newPage();
    await scenario.goto(`${server.url}/scenarios/competitor-enterprise-spring`);
    const results = await save(scenario, '[data-table="results"] [data-download="csv"]');
    expect(results.name).toBe(`scenario-competitor-enterprise-spring_results_${asOf}.csv`);
    const resultRows = parseCsv(results.text);
    const portfolio = resultRows.find((r) => r.dimension === "portfolio")!;
    const shown = await scenario.locator('[data-kpi="change"] [data-value]').getAttribute("data-cents");
    // The page keeps fractional cents (model expectations); the CSV rounds them to the cent.
    expect(Math.round(Number(portfolio.change) * 100)).toBe(Math.round(Number(shown)));
    expect(resultRows.filter((r) => r.dimension === "ABC class").length).toBeGreaterThan(0);
    expect(results.text).not.toMatch(/\d\.\d{5,}/);
    expect(session.errors).toEqual([]);
    await session.close();
  });

  it("saves a named view in the browser and reopens it from its link", async () => {
    const { session, page } = await open("/pareto?v=1&industry=Software&compare=3");
    await page.locator("[data-saved-views] summary").click();
    await page.getByLabel("Name").fill("Software, 3 years back");
    await page.locator("[data-view-save]").click();
    const link = page.locator('[data-views] a[data-view="Software, 3 years back"]');
    expect(await link.getAttribute("href")).toMatch(/\/pareto\?v=1&industry=Software&compare=3$/);
    // Another visit of the page in this browser lists it; following the link restores the view.
    const { page: later } = await open("/pareto", session);
    await later.locator("[data-saved-views] summary").click();
    await later.locator('[data-views] a[data-view="Software, 3 years back"]').click();
    await later.locator("body[data-analyst-ready]").waitFor({ timeout: 120_000 });
    expect(await selected(later, '[data-filter="industry"] select')).toBe("Software");
    expect(await later.locator('[data-input="compare"] select').inputValue()).toBe("2");
    expect(session.errors).toEqual([]);
    await session.close();
  });
});
