/**
 * Publish mode at the store level (loaders/derive/publish.ts), on the tiny fixture with
 * personal data planted where it is easiest to leak: a quarantined duplicate account (its raw
 * row holds a name and an e-mail), a ragged account row, a quarantined NPS answer with a
 * comment. Every table of the published store is read back through DuckDB (Parquet pages are
 * compressed, so a byte scan would prove nothing) and searched. The full-site scan is in
 * builds.test.ts.
 *
 * Aggregate-only mode on the sample, output by output: a store prepared with
 * `publish: { aggregateOnly: true }` gives every per-account output (the analyst tables, the
 * summary's top accounts, the scenario accounts, the saved scenarios' most affected accounts,
 * quarantined rows and examples) with the private build's columns and no rows, and every
 * aggregate (overview, models, cohort triangle, classes, segments, scenario results) equal to
 * the private build's. The built site is checked in aggregate-only.test.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { tableFromIPC, type Table } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { literal, openDb } from "../../loaders/db.js";
import { buildAnalystSummary, coarseConcentration, CURVE_MIN_GROUP } from "../../loaders/outputs/analyst/summary.js";
import { buildAnalystArrow, type AnalystTable } from "../../loaders/outputs/analyst/tables.js";
import { buildOverview } from "../../loaders/outputs/overview.js";
import { buildQuality } from "../../loaders/outputs/quality.js";
import { buildQuarantineArrow } from "../../loaders/outputs/quarantine.js";
import {
  publishedAccountsArrow,
  readScenarioInputs,
  type ScenarioInputs,
} from "../../loaders/outputs/scenarios/base.js";
import { readSavedScenarios, type SavedScenario } from "../../loaders/outputs/scenarios/saved.js";
import { prepare } from "../../loaders/pipeline.js";
import type { ModelsData } from "../../src/lib/shapes/models-data.js";
import { STORE_FILES } from "../../loaders/store.js";
import type { AnalystSummary, ConcentrationRow } from "../../src/lib/shapes/analyst-summary.js";
import { appendRaw, copyFixture, REPO, writeConfig } from "../support/fixtures.js";

const PLANTED = [
  "Secret Person Corp",
  "leak@secret.example",
  "Ragged Secretname",
  "Jane Roe",
  "Acme, Inc.",
  "ann@acme.example",
  "Kim Park",
  'Likes ""quarterly""',
  "+1 555 0101",
  // Free text of a non-account extract (time_entries.activity), accepted and quarantined.
  "Coached Max Mustermann",
  "Called Erika Musterfrau",
  // A ragged line of an extract with no personal column.
  "Ragged Invoiceline Secret",
];
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fixture(): { dir: string; config: string } {
  const dir = copyFixture();
  made.push(dir);
  appendRaw(
    path.join(dir, "accounts.csv"),
    "A1,Secret Person Corp,Retail,5,1,EMEA,,transactional,Partner,2024-01-01,Kim Park,Jo Doe,leak@secret.example,+1 555 0199,private note\nA9,Ragged Secretname Ltd,Retail\n",
  );
  appendRaw(path.join(dir, "nps_responses.csv"), "N9,A1,2099-01-01,3,Call me at +1 555 0199 - Jane Roe\n");
  appendRaw(
    path.join(dir, "time_entries.csv"),
    "T8,A1,2024-03-02,Account Manager,2,Coached Max Mustermann\nT9,A1,2024-03-03,Account Manager,-1,Called Erika Musterfrau\n",
  );
  appendRaw(path.join(dir, "invoice_lines.csv"), "I01,9,Ragged Invoiceline Secret\n");
  return { dir, config: writeConfig(dir) };
}

/** Every row of every Parquet file and the JSON files of a store, as one string. */
async function storeText(store: string): Promise<string> {
  const db = await openDb();
  try {
    const parts: string[] = [];
    for (const file of readdirSync(store)) {
      const full = path.join(store, file);
      if (file.endsWith(".parquet"))
        parts.push(JSON.stringify(await db.all(`SELECT * FROM read_parquet(${literal(full)})`)));
      else parts.push(readFileSync(full, "utf8"));
    }
    return parts.join("\n");
  } finally {
    db.close();
  }
}

describe("a store prepared in publish mode", () => {
  it("holds no planted name, e-mail, phone, note or comment anywhere, and pseudonyms instead", async () => {
    const { dir, config } = fixture();
    const store = path.join(dir, "store-published");
    const result = await prepare({
      configPath: config,
      storeDir: store,
      quiet: true,
      allowQuarantine: true,
      publish: { pseudonymize: true },
    });
    const text = await storeText(store);
    for (const needle of PLANTED)
      expect(text.includes(needle) || text.includes(JSON.stringify(needle).slice(1, -1)), needle).toBe(false);
    expect(text).toContain("Account 0001");
    expect(text).toContain("(withheld in a published build)");
    const quality = buildQuality(store);
    expect(quality.publish).toEqual({ pseudonymize: true, aggregateOnly: false, keepText: [] });
    const duplicate = quality.extracts
      .find((e) => e.extract === "accounts")!
      .reasons.find((r) => r.code === "duplicate_key")!;
    expect(JSON.parse(duplicate.examples[0].raw)).toMatchObject({ account_id: "A1", account_name: "Account 0001" });
    // What the pages load: no planted text, and no path of the build machine (files are shown relative to the config).
    const shipped = [
      JSON.stringify(quality),
      JSON.stringify(await buildOverview(store)),
      JSON.stringify(tableFromIPC(await buildQuarantineArrow(store)).toArray()),
    ].join("\n");
    for (const needle of PLANTED) expect(shipped, needle).not.toContain(needle);
    expect(shipped).not.toContain(dir);
    expect(quality.extracts.find((e) => e.extract === "accounts")!.file).toBe("accounts.csv");

    // The same data in private mode: another fingerprint, and the names are there.
    const privateStore = path.join(dir, "store-private");
    const privateResult = await prepare({
      configPath: config,
      storeDir: privateStore,
      quiet: true,
      allowQuarantine: true,
    });
    expect(privateResult.hash).not.toBe(result.hash);
    expect(await storeText(privateStore)).toContain("leak@secret.example");
  });

  it("keeps only the free text the config's publish.keepText names, and refuses to keep a name or e-mail", async () => {
    const { dir } = fixture();
    const config = writeConfig(dir, { publish: { pseudonymize: true, keepText: ["time_entries.activity"] } });
    const store = path.join(dir, "store-keep-text");
    await prepare({ configPath: config, storeDir: store, quiet: true, allowQuarantine: true });
    const text = await storeText(store);
    expect(text).toContain("Coached Max Mustermann");
    for (const needle of PLANTED.filter((n) => !/Mustermann|Musterfrau|Ragged/.test(n)))
      expect(text.includes(needle) || text.includes(JSON.stringify(needle).slice(1, -1)), needle).toBe(false);
    expect(buildQuality(store).publish).toEqual({
      pseudonymize: true,
      aggregateOnly: false,
      keepText: ["time_entries.activity"],
    });
    const bad = writeConfig(dir, { publish: { pseudonymize: true, keepText: ["accounts.contact_email"] } });
    await expect(prepare({ configPath: bad, storeDir: path.join(dir, "store-bad"), quiet: true })).rejects.toThrow(
      /publish\.keepText\[0\].*"accounts\.contact_email" is not a free-text column.*time_entries\.activity/,
    );
  });

  it("in aggregate-only mode ships no quarantined row and no example", async () => {
    const { dir, config } = fixture();
    const store = path.join(dir, "store-aggregate");
    await prepare({
      configPath: config,
      storeDir: store,
      quiet: true,
      allowQuarantine: true,
      publish: { aggregateOnly: true },
    });
    const quality = buildQuality(store);
    expect(quality.publish).toEqual({ pseudonymize: true, aggregateOnly: true, keepText: [] });
    expect(quality.extracts.flatMap((e) => e.reasons.flatMap((r) => r.examples))).toEqual([]);
    expect(quality.extracts.reduce((n, e) => n + e.quarantined, 0)).toBeGreaterThan(0);
    expect(tableFromIPC(await buildQuarantineArrow(store)).numRows).toBe(0);
  });
});

/** Column names and Arrow types of a table, for comparing schemas. */
const schemaOf = (t: Table) => t.schema.fields.map((f) => `${f.name}: ${String(f.type)}`);

describe("a store of the sample prepared in aggregate-only mode", () => {
  const work = mkdtempSync(path.join(os.tmpdir(), "atlas-aggregate-"));
  made.push(work);
  const config = path.join(REPO, "data", "atlas.config.json");
  const stores = { private: path.join(work, "store-private"), aggregate: path.join(work, "store-aggregate") };
  const scenarioDir = path.join(work, "scenarios");
  const summary = {} as Record<keyof typeof stores, AnalystSummary>;
  const scenarios = {} as Record<keyof typeof stores, ScenarioInputs>;
  const saved = {} as Record<keyof typeof stores, SavedScenario[]>;

  beforeAll(async () => {
    await prepare({ configPath: config, storeDir: stores.private, quiet: true, allowQuarantine: true });
    await prepare({
      configPath: config,
      storeDir: stores.aggregate,
      quiet: true,
      allowQuarantine: true,
      publish: { aggregateOnly: true },
    });
    // A saved scenario that moves every account's value: its most affected list is full in a private build.
    mkdirSync(scenarioDir);
    const entry = {
      lever: "priceChange",
      segment: {},
      params: { pricePct: 8, elasticity: 0 },
      reason: "list price rise",
      author: "test",
      date: "2026-10-01",
    };
    writeFileSync(
      path.join(scenarioDir, "price-rise.json"),
      JSON.stringify({ version: 1, title: "Price rise", ledger: [entry] }),
    );
    for (const mode of ["private", "aggregate"] as const) {
      summary[mode] = await buildAnalystSummary(stores[mode]);
      scenarios[mode] = await readScenarioInputs(stores[mode], [0.8, 0.95]);
      saved[mode] = readSavedScenarios(scenarios[mode], scenarioDir);
    }
  }, 600_000);

  it.each(["accounts", "accounts-core", "names", "mrr", "nps"] as AnalystTable[])(
    "ships the analyst table %s with its columns and no rows",
    async (name) => {
      const privateTable = tableFromIPC(await buildAnalystArrow(stores.private, name));
      const aggregateTable = tableFromIPC(await buildAnalystArrow(stores.aggregate, name));
      expect(privateTable.numRows).toBeGreaterThan(0);
      expect(aggregateTable.numRows).toBe(0);
      expect(schemaOf(aggregateTable)).toEqual(schemaOf(privateTable));
    },
  );

  it("ships the scenario accounts with their columns and no rows, and the same scenario base", () => {
    const privateTable = tableFromIPC(publishedAccountsArrow(scenarios.private));
    const aggregateTable = tableFromIPC(publishedAccountsArrow(scenarios.aggregate));
    expect(privateTable.numRows).toBe(scenarios.private.accounts.length);
    expect(privateTable.numRows).toBeGreaterThan(1000);
    expect(aggregateTable.numRows).toBe(0);
    expect(schemaOf(aggregateTable)).toEqual(schemaOf(privateTable));
    expect(scenarios.aggregate.base.aggregateOnly).toBe(true);
    expect(scenarios.private.base.aggregateOnly).toBe(false);
    expect({ ...scenarios.aggregate.base, aggregateOnly: false }).toEqual(scenarios.private.base);
  });

  it("withholds the saved scenarios' most affected accounts and keeps every other result", () => {
    const [p] = saved.private;
    const [a] = saved.aggregate;
    expect(p.report.mostAffected.length).toBe(10);
    expect(a.report.mostAffected).toEqual([]);
    expect([p.aggregateOnly, a.aggregateOnly]).toEqual([false, true]);
    expect({ ...a.report, mostAffected: p.report.mostAffected }).toEqual(p.report);
  });

  it("withholds the summary's top accounts and keeps its aggregates", () => {
    const p = summary.private;
    const a = summary.aggregate;
    expect(p.first.topAccounts.length).toBe(50);
    expect(a.first.topAccounts).toEqual([]);
    expect([p.aggregateOnly, a.aggregateOnly]).toEqual([false, true]);
    const { concentration: _pc, topAccounts: _pt, ...privateFirst } = p.first;
    const { concentration: _ac, topAccounts: _at, ...aggregateFirst } = a.first;
    expect(aggregateFirst).toEqual(privateFirst);
    expect(privateFirst.triangle.length).toBeGreaterThan(10);
    expect({ ...a, first: null, aggregateOnly: null }).toEqual({ ...p, first: null, aggregateOnly: null });
  });

  it("ships a concentration curve whose points are at least ten accounts apart, all on the private curve", () => {
    const p = summary.private.first.concentration;
    const a = summary.aggregate.first.concentration;
    const n = p[0].accounts;
    // The private curve has each of the 20 largest accounts as its own point.
    expect(p.slice(0, 20).map((r) => r.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const ranks = [0, ...a.map((r) => r.rank)];
    expect(ranks.at(-1)).toBe(n);
    for (let i = 1; i < ranks.length; i++) expect(ranks[i] - ranks[i - 1]).toBeGreaterThanOrEqual(CURVE_MIN_GROUP);
    const byRank = new Map(p.map((r) => [r.rank, r]));
    for (const r of a) expect({ ...r, is_target: null }).toEqual({ ...byRank.get(r.rank), is_target: null });
    // The 80% mark: the first point at or past 80% of revenue.
    const target = a.filter((r) => r.is_target);
    expect(target).toHaveLength(1);
    expect(target[0].cum_cents).toBeGreaterThanOrEqual(0.8 * target[0].total_cents);
    expect(a.filter((r) => r.rank < target[0].rank).every((r) => r.cum_cents < 0.8 * r.total_cents)).toBe(true);
  });

  it("keeps the overview, the models and the ingest counts equal to the private build's", async () => {
    // The one per-account list on the overview (accounts at risk) keeps only its count.
    const aggregateOverview = await buildOverview(stores.aggregate);
    const privateOverview = await buildOverview(stores.private);
    expect(aggregateOverview.atRisk.accounts).toEqual([]);
    expect(aggregateOverview.aggregateOnly).toBe(true);
    expect(aggregateOverview).toEqual({
      ...privateOverview,
      aggregateOnly: true,
      atRisk: { ...privateOverview.atRisk, accounts: [] },
    });
    const models = (store: string) =>
      JSON.parse(readFileSync(path.join(store, STORE_FILES.models), "utf8")) as ModelsData;
    // The one per-account list in models.json (accounts whose model value and recent activity disagree) keeps only its
    // count, and the largest account's figures stay without its id.
    const withoutList = (m: ModelsData) => ({
      ...m,
      disagreements: { ...m.disagreements, accounts: [] },
      outcomes: { ...m.outcomes, concentration: { ...m.outcomes.concentration, largestAccountId: null } },
    });
    expect(models(stores.private).outcomes.concentration.largestAccountId).not.toBeNull();
    expect(models(stores.aggregate).disagreements.accounts).toEqual([]);
    expect(models(stores.private).disagreements.accounts.length).toBeGreaterThan(0);
    expect(models(stores.aggregate)).toEqual(withoutList(models(stores.private)));
    const withoutExamples = (store: string) => {
      const q = buildQuality(store);
      return {
        ...q,
        publish: null,
        extracts: q.extracts.map((e) => ({ ...e, reasons: e.reasons.map((r) => ({ ...r, examples: [] })) })),
      };
    };
    expect(withoutExamples(stores.aggregate)).toEqual(withoutExamples(stores.private));
    expect(tableFromIPC(await buildQuarantineArrow(stores.aggregate)).numRows).toBe(0);
  });
});

describe("coarseConcentration", () => {
  /** The rows concentrationCurve returns for `n` accounts whose revenue falls with rank: every (n // 400)-th rank, the first 20, the 80% crossing, the last. */
  function curve(n: number): ConcentrationRow[] {
    const revenue = Array.from({ length: n }, (_, i) => 1000 * (n - i));
    const total = revenue.reduce((s, x) => s + x, 0);
    const step = Math.max(1, Math.floor(n / 400));
    const rows: ConcentrationRow[] = [];
    let cum = 0;
    for (let rank = 1; rank <= n; rank++) {
      cum += revenue[rank - 1];
      const crossing = cum >= 0.8 * total && cum - revenue[rank - 1] < 0.8 * total;
      if (rank % step === 0 || rank === n || rank <= 20 || crossing)
        rows.push({ rank, accounts: n, cum_cents: cum, total_cents: total, is_target: crossing });
    }
    return rows;
  }

  it.each([1, 9, 10, 19, 20, 21, 95, 1005, 40_123])(
    "leaves groups of at least ten accounts between points for %i accounts",
    (n) => {
      const coarse = coarseConcentration(curve(n));
      const ranks = [0, ...coarse.map((r) => r.rank)];
      expect(ranks.at(-1)).toBe(n);
      for (let i = 1; i < ranks.length; i++) expect(ranks[i] - ranks[i - 1] >= 10 || n < 20).toBe(true);
      if (n < 20) expect(coarse.map((r) => r.rank)).toEqual([n]);
      expect(coarse.filter((r) => r.is_target)).toHaveLength(1);
    },
  );

  it("keeps about a hundred points for a large base (every 1% of accounts)", () => {
    // 40,123 accounts: sampled every 100th; 1% is 402 → every 500th (a multiple of 100).
    const coarse = coarseConcentration(curve(40_123));
    expect(coarse.slice(0, 3).map((r) => r.rank)).toEqual([500, 1000, 1500]);
    expect(coarse.length).toBe(81);
  });
});
