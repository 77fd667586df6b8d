/**
 * The sample site built with --aggregate-only (its own store and output under a temp folder),
 * as an executive would receive it:
 *
 * - no file of dist/ holds any account id, account name, contact, e-mail, phone, note or
 *   manager name of data/sample/accounts.csv, nor a pseudonym ("Account 0042"): no
 *   per-account row is shipped at all; the per-account Arrow tables are there with their
 *   columns and no rows, and DuckDB-WASM runs the analyst pages' SQL on them;
 * - in headless Chromium every page opens with no page or console error, no CSP violation and
 *   no request to another origin; where per-account content would be, the page shows the
 *   aggregate-only note (and no empty chart), and the precomputed charts are still drawn.
 *
 * Output by output, against a private build, the same mode is tested in publish.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGGREGATE_ONLY_TEXT } from "../../src/components/aggregate-only.js";
import { foreignRequests, launch, settle, watchedPage } from "../support/browser.js";
import { runBuild } from "../support/build.js";
import { REPO } from "../support/fixtures.js";
import { accountIds, escapedForms, grepFixed, grepPattern, personalStrings } from "../support/scan.js";
import { serveStatic, type StaticServer } from "../support/serve.js";

const work = mkdtempSync(path.join(os.tmpdir(), "atlas-aggregate-site-"));
const dist = path.join(work, "dist");
const data = path.join(dist, "_file", "data");
const SAVED = readdirSync(path.join(REPO, "data", "scenarios"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => `/scenarios/${f.slice(0, -5)}`);

/**
 * Where each page must show the note (the `data-*` slot that would hold per-account content,
 * or a chart computed from it), and the precomputed charts it must still draw.
 */
const PAGES: ReadonlyArray<{ route: string; notes: readonly string[]; charts?: readonly string[] }> = [
  // The MRR bridge keeps its totals; the accounts behind its steps and the at-risk list are not listed.
  { route: "/", notes: ["[data-mrr-bridge]", '[data-card="at-risk"]'] },
  { route: "/models", notes: [] },
  { route: "/cohorts", notes: ["#controls", "#survival", "#drill"], charts: ["triangle", "movements"] },
  { route: "/pareto", notes: ["#controls", "#migration", "#top"], charts: ["curve"] },
  { route: "/segments", notes: ["#controls", "#ltv-cac", "#margin", "#nps", "#levers"], charts: ["segments"] },
  { route: "/accounts", notes: ["#list"] },
  { route: "/scenarios/", notes: ["[data-workbench]"] },
  ...SAVED.map((route) => ({ route, notes: ["main .card:has(h2:text-is('Most affected accounts'))"] })),
  { route: "/quality", notes: ["[data-explorer]"] },
];

let browser: Awaited<ReturnType<typeof launch>>;
let server: StaticServer;

beforeAll(async () => {
  const started = performance.now();
  const run = runBuild(["--aggregate-only", "--store", path.join(work, "store"), "--out", dist]);
  if (run.status !== 0)
    throw new Error(`build --aggregate-only failed (exit ${run.status}):\n${run.stderr.slice(-4000)}`);
  process.stderr.write(
    `aggregate-only: built the sample site in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  browser = await launch();
  server = await serveStatic(dist);
}, 600_000);

afterAll(async () => {
  await server?.close();
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The loader output `name` as the site serves it (dist/_file/data/<name>.<hash>.<ext>). */
function output(name: string, ext: string): string {
  const file = readdirSync(data).find((f) => f.startsWith(`${name}.`) && f.endsWith(`.${ext}`));
  if (!file) throw new Error(`no ${name}.${ext} in ${data}`);
  return path.join(data, file);
}

describe("the sample site built with --aggregate-only", () => {
  it("contains no account id, account name, contact, e-mail, phone, note, manager name or pseudonym in any file of dist/", () => {
    const ids = accountIds();
    const personal = personalStrings();
    expect(ids.length).toBeGreaterThan(1000);
    expect(personal.length).toBeGreaterThan(1000);
    expect(grepFixed(escapedForms([...ids, ...personal]), dist).slice(0, 20)).toEqual([]);
    expect(grepPattern("Account [0-9]{4}|Manager [0-9]{2}|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\\.example", dist)).toEqual(
      [],
    );
  });

  it("ships every per-account table with its columns and no rows, and every per-account list empty", () => {
    const arrows = readdirSync(data).filter((f) => f.endsWith(".arrows"));
    expect(arrows.map((f) => f.split(".")[0]).sort()).toEqual([
      "analyst-accounts",
      "analyst-accounts-core",
      "analyst-mrr",
      "analyst-names",
      "analyst-nps",
      "quarantine",
      "scenario-accounts",
    ]);
    for (const f of arrows) {
      const table = tableFromIPC(readFileSync(path.join(data, f)));
      expect(table.numRows, f).toBe(0);
      expect(table.schema.fields.length, f).toBeGreaterThan(2);
    }
    const summary = JSON.parse(readFileSync(output("analyst-summary", "json"), "utf8"));
    expect(summary.aggregateOnly).toBe(true);
    expect(summary.first.topAccounts).toEqual([]);
    expect(summary.first.triangle.length).toBeGreaterThan(0);
    const saved = JSON.parse(readFileSync(output("scenario-saved", "json"), "utf8")) as Array<{
      aggregateOnly: boolean;
      report: { mostAffected: unknown[] };
    }>;
    expect(saved.length).toBe(SAVED.length);
    for (const s of saved) expect([s.aggregateOnly, s.report.mostAffected]).toEqual([true, []]);
    expect(JSON.parse(readFileSync(output("scenario-base", "json"), "utf8")).aggregateOnly).toBe(true);
    expect(JSON.parse(readFileSync(output("quality", "json"), "utf8")).publish).toEqual({
      pseudonymize: true,
      aggregateOnly: true,
      keepText: [],
    });
  });

  describe("in headless Chromium", () => {
    for (const { route, notes, charts = [] } of PAGES) {
      it(`${route} ${notes.length ? "shows the note where per-account content would be" : "opens as in a private build"}, with no error and no request to another origin`, async () => {
        const { session, page, dialogs, violations } = await watchedPage(browser);
        await page.goto(server.url + route, { waitUntil: "networkidle" });
        await settle(page);
        if (route.match(/^\/(cohorts|pareto|segments|accounts)$/))
          await page.locator('body[data-analyst-ready="aggregate-only"]').waitFor({ timeout: 60_000 });
        for (const slot of notes) {
          const note = page.locator(slot).locator("[data-aggregate-only]");
          await expect(note.count(), `${route} ${slot}`).resolves.toBe(1);
          expect(await note.isVisible(), `${route} ${slot}`).toBe(true);
          expect(await note.innerText()).toContain(AGGREGATE_ONLY_TEXT);
        }
        expect(await page.locator("[data-aggregate-only]").count()).toBe(notes.length);
        // The notes are text, not markup; precomputed charts are drawn, and nothing reads NaN.
        expect(await page.locator("[data-aggregate-only] *").count()).toBe(0);
        for (const chart of charts)
          expect(await page.locator(`[data-chart="${chart}"] svg`).count(), `${route} ${chart}`).toBeGreaterThan(0);
        expect(await page.locator("main").innerText()).not.toMatch(/\bNaN\b|undefined/);
        // No table of accounts anywhere.
        expect(
          await page
            .locator(
              '[data-table="accounts"] table, [data-table="top"] table, [data-table="affected"], [data-drill] table, [data-table="at-risk"]',
            )
            .count(),
        ).toBe(0);
        expect(session.errors).toEqual([]);
        expect(await violations()).toEqual([]);
        expect(dialogs).toEqual([]);
        expect(foreignRequests(session, server.url)).toEqual([]);
        await session.close();
      });
    }

    it("shows a hostile link's values as text on an analyst page", async () => {
      const { session, page, dialogs } = await watchedPage(browser);
      const bad = "<img src=x onerror=alert(1)>";
      await page.goto(server.url + `/pareto?v=1&industry=${encodeURIComponent(bad)}`, { waitUntil: "networkidle" });
      await settle(page);
      expect(await page.locator("main").innerText()).toContain(bad);
      expect(await page.locator("main img[src='x']").count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(session.errors).toEqual([]);
      await session.close();
    });

    it("runs the analyst pages' SQL on the empty tables in DuckDB-WASM (the schemas still type)", async () => {
      const { session, page } = await watchedPage(browser);
      await page.goto(server.url + "/accounts", { waitUntil: "networkidle" });
      await settle(page);
      const imports = readdirSync(path.join(dist, "_import"), { recursive: true, encoding: "utf8" });
      const module = (name: string) =>
        `/_import/${imports.find((f) => f.endsWith(".js") && path.basename(f).startsWith(`${path.basename(name)}.`) && f.startsWith(path.dirname(name)))}`;
      const file = (name: string) => `/_file/data/${path.basename(output(name, "arrows"))}`;
      const files = {
        accounts: file("analyst-accounts"),
        core: file("analyst-accounts-core"),
        names: file("analyst-names"),
        mrr: file("analyst-mrr"),
        nps: file("analyst-nps"),
      };
      // A string, not a function: vitest would rewrite a function's import() for Node.
      const counts = (await page.evaluate(`(async () => {
        const { openAnalystDb } = await import(${JSON.stringify(module("components/analyst-db"))});
        const Q = await import(${JSON.stringify(module("lib/analysis/sql"))});
        const attachment = (url) => ({ arrayBuffer: () => fetch(url).then((r) => r.arrayBuffer()) });
        const files = ${JSON.stringify(files)};
        const db = await openAnalystDb(Object.fromEntries(Object.entries(files).map(([name, url]) => [name, attachment(url)])), [0.8, 0.95]);
        const f = Q.NO_FILTERS;
        const statements = {
          accountList: Q.accountList(f, "", "revenue", 50),
          accountDetail: Q.accountDetail("x"),
          cohortTriangle: Q.cohortTriangle(f, "month", 24000),
          churnAges: Q.churnAges(f),
          movements: Q.movements(f),
          movementAccounts: Q.movementAccounts(f, 24000, 1),
          concentrationCurve: Q.concentrationCurve(f),
          classSummary: Q.classSummary(f),
          classMigration: Q.classMigration(f, 1),
          segmentTable: Q.segmentTable(f, "industry"),
          npsBySegment: Q.npsBySegment(f, "industry"),
          leversVsRetention: Q.leversVsRetention(f),
          channelYears: Q.channelYears(f),
          marginPoints: Q.marginPoints(f),
          marginBins: Q.marginBins(f),
          core: { sql: "SELECT count(*)::INTEGER AS n, count(DISTINCT rev3)::INTEGER AS r FROM core", params: [] },
        };
        const out = {};
        for (const [name, s] of Object.entries(statements)) out[name] = (await db.query(s)).length;
        return out;
      })()`)) as Record<string, number>;
      // Every query runs; only the count over `core` returns a row (of zeros).
      expect(counts).toEqual({
        accountList: 0,
        accountDetail: 0,
        cohortTriangle: 0,
        churnAges: 0,
        movements: 0,
        movementAccounts: 0,
        concentrationCurve: 0,
        classSummary: 0,
        classMigration: 0,
        segmentTable: 0,
        npsBySegment: 0,
        leversVsRetention: 0,
        channelYears: 0,
        marginPoints: 0,
        marginBins: 0,
        core: 1,
      });
      expect(session.errors).toEqual([]);
      expect(foreignRequests(session, server.url)).toEqual([]);
      await session.close();
    });
  });
});
