/**
 * The MRR bridge (src/lib/analysis/mrr-bridge.ts):
 * - its SQL on native DuckDB over a hand-made account × month MRR series of 8 accounts, turned
 *   into the `mrr` event table as the loader does (the tested mrrMovements), expected cents
 *   worked out by hand in the comments;
 * - the loader's bridges on data/sample against an independent TypeScript reduction over the
 *   store's account_month rows, step by step and account by account, and against the
 *   overview's MRR (the same figure on the KPI card and at the bridge's end).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, literal, type Db } from "../../loaders/db.js";
import { openAnalystDb, rows as query, run } from "../../loaders/outputs/analyst/tables.js";
import { buildMrrBridge } from "../../loaders/outputs/mrr-bridge.js";
import { buildOverview } from "../../loaders/outputs/overview.js";
import { prepare } from "../../loaders/pipeline.js";
import { STORE_FILES } from "../../loaders/store.js";
import { mrrMovements, MOVEMENT_CODE } from "../../src/lib/analysis/mrr.js";
import {
  BRIDGE_ACCOUNTS_LIMIT,
  BRIDGE_MOVEMENTS,
  BRIDGE_STEPS,
  bridgeSteps,
  impliedEnd,
  mrrBridgeAccounts,
  mrrBridgeTotals,
  type BridgeAccountRow,
  type BridgeStep,
  type BridgeTotalsRow,
  type MrrBridgeData,
} from "../../src/lib/analysis/mrr-bridge.js";
import * as Q from "../../src/lib/analysis/sql.js";
import { decodeState, defaultState, encodeState, type StateDomain } from "../../src/lib/analysis/url-state.js";
import { DEFINITIONS } from "../../src/lib/metrics/definitions.js";
import { STEP_DEFINITION } from "../../src/lib/analysis/mrr-bridge.js";
import { monthIndexOf, monthLabel } from "../../src/lib/dates.js";

const F = Q.NO_FILTERS;

/**
 * Month-end MRR in cents per account, months 24000 … 24006 (as of 24006); a missing month is 0.
 *   0 new:          24005–24006 10,000
 *   1 expansion:    24000–24003 20,000, 24004–24006 25,000
 *   2 contraction:  24001–24004 30,000, 24005–24006 18,000
 *   3 churn:        24000–24004 15,000, none after
 *   4 reactivation: 24000–24001 8,000, gap, 24006 9,000
 *   5 in and out:   24004 only, 7,000 (no MRR at either end of the quarter: in no step)
 *   6 unchanged:    24000–24006 5,000
 *   7 starts on the start month: 24003–24006 4,000 (in the start level, no step)
 */
const SERIES: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [
    [24005, 10_000],
    [24006, 10_000],
  ],
  [
    [24000, 20_000],
    [24001, 20_000],
    [24002, 20_000],
    [24003, 20_000],
    [24004, 25_000],
    [24005, 25_000],
    [24006, 25_000],
  ],
  [
    [24001, 30_000],
    [24002, 30_000],
    [24003, 30_000],
    [24004, 30_000],
    [24005, 18_000],
    [24006, 18_000],
  ],
  [
    [24000, 15_000],
    [24001, 15_000],
    [24002, 15_000],
    [24003, 15_000],
    [24004, 15_000],
  ],
  [
    [24000, 8_000],
    [24001, 8_000],
    [24006, 9_000],
  ],
  [[24004, 7_000]],
  [
    [24000, 5_000],
    [24001, 5_000],
    [24002, 5_000],
    [24003, 5_000],
    [24004, 5_000],
    [24005, 5_000],
    [24006, 5_000],
  ],
  [
    [24003, 4_000],
    [24004, 4_000],
    [24005, 4_000],
    [24006, 4_000],
  ],
];
const AS_OF = 24006;

let db: Db;

beforeAll(async () => {
  db = await openDb();
  // Industry 1 = accounts 1 and 3; everything else 0. All subscription accounts.
  await db.run(`CREATE TABLE accounts AS SELECT idx, CASE WHEN idx IN (1, 3) THEN 1 ELSE 0 END AS industry, 0 AS size, 0 AS region,
      0 AS tier, 0 AS channel, 0 AS key_account, 1 AS subscription, 24000 AS cohort, 1.0 AS rev0, 1.0 AS rev1, 1.0 AS rev2, 1.0 AS rev3
    FROM range(${SERIES.length}) t(idx)`);
  await db.run(
    `CREATE TABLE names AS SELECT idx, 'ACC-' || idx AS account_id, 'Name ' || idx AS account_name FROM accounts`,
  );
  // The event table as loaders/outputs/analyst/tables.ts makes it: classified events, each holding until the next.
  const events = SERIES.flatMap((s, idx) =>
    mrrMovements(
      s.map(([m]) => m),
      s.map(([, c]) => c),
      AS_OF,
    ).map((e) => [idx, e.month, e.mrrCents, e.deltaCents, MOVEMENT_CODE[e.movement]]),
  );
  await db.run(
    `CREATE TABLE ev AS SELECT * FROM (VALUES ${events.map((e) => `(${e.join(", ")})`).join(", ")}) t(idx, month, mrr, delta, movement)`,
  );
  await db.run(`CREATE TABLE mrr AS SELECT idx, CAST(month AS SMALLINT) AS month, CAST(mrr AS DOUBLE) AS mrr, CAST(delta AS DOUBLE) AS delta,
      CAST(movement AS TINYINT) AS movement, CAST(coalesce(lead(month) OVER (PARTITION BY idx ORDER BY month), ${AS_OF + 1}) AS SMALLINT) AS until FROM ev`);
  await run(db, Q.classesStatement(0.8, 0.95));
  for (const sql of Q.SELECTION_SETUP) await db.run(sql);
});
afterAll(() => db?.close());

const totals = async (filters: Q.FilterCodes, from: number, to: number) =>
  bridgeSteps((await query<BridgeTotalsRow>(db, mrrBridgeTotals(filters, from, to)))[0]);
const asMap = (steps: { step: BridgeStep; cents: number; accounts: number }[]) =>
  Object.fromEntries(steps.map((s) => [s.step, [s.cents, s.accounts]]));

describe("the MRR bridge SQL on a hand-worked fixture", () => {
  it("splits the quarter 24003 → 24006 into one account per step", async () => {
    // Start (24003): 20,000 + 30,000 + 15,000 + 5,000 + 4,000 = 74,000 over accounts 1, 2, 3, 6, 7.
    // New 10,000 (0); expansion 25,000 − 20,000 = 5,000 (1); contraction 30,000 − 18,000 = 12,000 (2);
    // churn 15,000 (3); reactivation 9,000 (4: MRR in 24000–24001, none at 24003).
    // End (24006): 10,000 + 25,000 + 18,000 + 9,000 + 5,000 + 4,000 = 71,000 over accounts 0, 1, 2, 4, 6, 7.
    const steps = await totals(F, 24003, 24006);
    expect(asMap(steps)).toEqual({
      start: [74_000, 5],
      new: [10_000, 1],
      expansion: [5_000, 1],
      contraction: [12_000, 1],
      churn: [15_000, 1],
      reactivation: [9_000, 1],
      end: [71_000, 6],
    });
    // 74,000 + 10,000 + 9,000 + 5,000 − 12,000 − 15,000 = 71,000.
    expect(impliedEnd(steps)).toBe(71_000);
  });

  it("classifies by the window: over 24000 → 24006 account 2 is new and account 4 expanded", async () => {
    // Start (24000): 1 20,000 + 3 15,000 + 4 8,000 + 6 5,000 = 48,000 (4 accounts).
    // New: 0 10,000 + 2 18,000 + 7 4,000 = 32,000 (3); expansion: 1 5,000 + 4 1,000 = 6,000 (2); churn: 3 15,000.
    const steps = await totals(F, 24000, 24006);
    expect(asMap(steps)).toEqual({
      start: [48_000, 4],
      new: [32_000, 3],
      expansion: [6_000, 2],
      contraction: [0, 0],
      churn: [15_000, 1],
      reactivation: [0, 0],
      end: [71_000, 6],
    });
    expect(impliedEnd(steps)).toBe(71_000);
  });

  it("applies the segment filters (industry 1 = accounts 1 and 3)", async () => {
    // Start 20,000 + 15,000; expansion 5,000; churn 15,000; end 25,000.
    const steps = await totals({ ...F, industry: [1] }, 24003, 24006);
    expect(asMap(steps)).toMatchObject({
      start: [35_000, 2],
      expansion: [5_000, 1],
      churn: [15_000, 1],
      end: [25_000, 1],
    });
    expect(asMap(steps).new).toEqual([0, 0]);
  });

  it("lists each step's accounts with their MRR at both ends, largest first, and the full count", async () => {
    const list = (step: BridgeStep) => query<BridgeAccountRow>(db, mrrBridgeAccounts(F, 24003, 24006, step));
    expect(await list("churn")).toEqual([
      {
        account_id: "ACC-3",
        account_name: "Name 3",
        start_cents: 15_000,
        end_cents: 0,
        change_cents: -15_000,
        matches: 1,
      },
    ]);
    expect((await list("reactivation")).map((r) => [r.account_id, r.start_cents, r.end_cents])).toEqual([
      ["ACC-4", 0, 9_000],
    ]);
    expect((await list("start")).map((r) => [r.account_id, r.start_cents, r.matches])).toEqual([
      ["ACC-2", 30_000, 5],
      ["ACC-1", 20_000, 5],
      ["ACC-3", 15_000, 5],
      ["ACC-6", 5_000, 5],
      ["ACC-7", 4_000, 5],
    ]);
    expect((await list("end")).map((r) => r.account_id)).toEqual([
      "ACC-1",
      "ACC-2",
      "ACC-0",
      "ACC-4",
      "ACC-6",
      "ACC-7",
    ]);
    // Every account is in at most one movement; 5, 6 and 7 are in none.
    const listed = (await Promise.all(BRIDGE_MOVEMENTS.map(list))).flat().map((r) => r.account_id);
    expect(listed.sort()).toEqual(["ACC-0", "ACC-1", "ACC-2", "ACC-3", "ACC-4"]);
  });

  it("rejects a window that does not move forward and an unknown step", () => {
    expect(() => mrrBridgeTotals(F, 24006, 24006)).toThrow(RangeError);
    expect(() => mrrBridgeAccounts(F, 24003, 24006, "teleport" as BridgeStep)).toThrow(RangeError);
  });
});

describe("the MRR bridge's registry entries and link state", () => {
  it("has one definition per step", () => {
    for (const step of BRIDGE_STEPS) expect(DEFINITIONS[STEP_DEFINITION[step]].text.length).toBeGreaterThan(40);
    expect(new Set(BRIDGE_STEPS.map((s) => STEP_DEFINITION[s])).size).toBe(BRIDGE_STEPS.length);
  });
  const domain: StateDomain = {
    values: { industry: [], size: [], region: [], tier: [], channel: [] },
    defaults: { grain: "year", abc: [80, 95], by: "industry" },
  };
  it("round-trips a step and rejects an invalid one with a note", () => {
    const state = {
      ...defaultState(domain),
      step: { from: monthIndexOf("2026-06"), to: monthIndexOf("2026-09"), step: "churn" as const },
    };
    expect(encodeState(state, domain)).toBe("?v=1&step=2026-06.2026-09.churn");
    expect(decodeState("?v=1&step=2026-06.2026-09.churn", domain)).toEqual({ state, notes: [] });
    for (const bad of ["2026-09.2026-06.churn", "2026-06.2026-09.teleport", "2026-13.2026-14.new", "x"]) {
      const out = decodeState(`?v=1&step=${bad}`, domain);
      expect(out.state.step, bad).toBeNull();
      expect(out.notes[0], bad).toMatch(/MRR bridge step/);
    }
  });
});

describe("the MRR bridge on data/sample", () => {
  const store = mkdtempSync(path.join(os.tmpdir(), "atlas-bridge-store-"));
  let storeDir: string;
  let bridge: MrrBridgeData;
  /** Per window: step → account ids, from an independent reduction over account_month. */
  const independent = new Map<
    string,
    {
      cents: Record<BridgeStep, number>;
      ids: Record<BridgeStep, string[]>;
      amount: Record<BridgeStep, Map<string, number>>;
    }
  >();

  beforeAll(async () => {
    ({ storeDir } = await prepare({ storeDir: store, quiet: true }));
    bridge = await buildMrrBridge(storeDir);
    const raw = await openDb();
    try {
      const f = (name: string) => literal(path.join(storeDir, name));
      const rowsOf = (
        await raw.connection.runAndReadAll(
          `SELECT m.account_id, CAST(m.month AS VARCHAR) AS month, CAST(m.mrr_cents AS DOUBLE) AS mrr
           FROM read_parquet(${f(STORE_FILES.accountMonth)}) m JOIN read_parquet(${f(STORE_FILES.accounts)}) d USING (account_id)
           WHERE d.business_model = 'subscription'`,
        )
      ).getRowObjectsJS() as { account_id: string; month: string; mrr: number }[];
      for (const b of bridge.bridges) {
        // Per account: MRR in the row of each end month (no row = 0), and any MRR at or before the start month.
        const per = new Map<string, { s: number; e: number; before: boolean }>();
        for (const r of rowsOf) {
          const m = monthIndexOf(r.month);
          const a = per.get(r.account_id) ?? { s: 0, e: 0, before: false };
          if (m === b.fromMonth) a.s = r.mrr;
          if (m === b.toMonth) a.e = r.mrr;
          if (m <= b.fromMonth && r.mrr > 0) a.before = true;
          per.set(r.account_id, a);
        }
        const cents = Object.fromEntries(BRIDGE_STEPS.map((s) => [s, 0])) as Record<BridgeStep, number>;
        const ids = Object.fromEntries(BRIDGE_STEPS.map((s) => [s, [] as string[]])) as Record<BridgeStep, string[]>;
        const amount = Object.fromEntries(BRIDGE_STEPS.map((s) => [s, new Map<string, number>()])) as Record<
          BridgeStep,
          Map<string, number>
        >;
        const add = (step: BridgeStep, id: string, c: number) => {
          cents[step] += c;
          ids[step].push(id);
          amount[step].set(id, c);
        };
        for (const [id, { s, e, before }] of per) {
          if (s > 0) add("start", id, s);
          if (e > 0) add("end", id, e);
          if (s === 0 && e > 0) add(before ? "reactivation" : "new", id, e);
          else if (s > 0 && e === 0) add("churn", id, s);
          else if (s > 0 && e > s) add("expansion", id, e - s);
          else if (e > 0 && e < s) add("contraction", id, s - e);
        }
        independent.set(b.window, { cents, ids, amount });
      }
    } finally {
      raw.close();
    }
  }, 300_000);
  afterAll(() => rmSync(store, { recursive: true, force: true }));

  it("gives the last quarter and the last 12 months, ending on the as-of month", () => {
    expect(bridge.contracts).toBe(true);
    expect(bridge.aggregateOnly).toBe(false);
    expect(bridge.bridges.map((b) => [b.window, b.toMonth - b.fromMonth, b.toMonth])).toEqual([
      ["quarter", 3, bridge.asOfMonth],
      ["year", 12, bridge.asOfMonth],
    ]);
  });

  it("equals the independent reduction over account_month, step by step, in cents and accounts", () => {
    for (const b of bridge.bridges) {
      const ind = independent.get(b.window)!;
      expect(Object.fromEntries(b.steps.map((s) => [s.step, [s.cents, s.accounts]])), b.window).toEqual(
        Object.fromEntries(BRIDGE_STEPS.map((s) => [s, [ind.cents[s], ind.ids[s].length]])),
      );
      // Every step moves something on the sample (a bridge of zeros would pass the identity too).
      for (const s of b.steps) expect(s.accounts, `${b.window} ${s.step}`).toBeGreaterThan(0);
    }
  });

  it("balances exactly: start + new + reactivation + expansion − contraction − churn = end", () => {
    for (const b of bridge.bridges) {
      const c = Object.fromEntries(b.steps.map((s) => [s.step, s.cents])) as Record<BridgeStep, number>;
      expect(c.start + c.new + c.reactivation + c.expansion - c.contraction - c.churn, b.window).toBe(c.end);
      for (const s of b.steps) expect(Number.isInteger(s.cents)).toBe(true);
    }
  });

  it("ends on the overview's MRR and starts on its MRR trend (one figure, computed once)", async () => {
    const overview = await buildOverview(storeDir);
    for (const b of bridge.bridges) {
      expect(b.steps.at(-1)!.cents).toBe(overview.kpis.mrrCents);
      const k = overview.trend.month.indexOf(monthLabel(b.fromMonth));
      expect(b.steps[0].cents * 12, b.window).toBe(overview.trend.arrCents[k]);
    }
  });

  it("lists, for each step, exactly the accounts the independent reduction puts in it (the drill-down's SQL)", async () => {
    const { db: adb } = await openAnalystDb(storeDir);
    try {
      for (const b of bridge.bridges)
        for (const step of BRIDGE_STEPS) {
          const out = await query<BridgeAccountRow>(adb, mrrBridgeAccounts(F, b.fromMonth, b.toMonth, step));
          const want = independent.get(b.window)!.ids[step];
          const listed = out.map((r) => r.account_id);
          expect(out[0].matches).toBe(want.length);
          // At most BRIDGE_ACCOUNTS_LIMIT, the largest amounts first (the sample's start and end levels have more).
          expect(listed.length).toBe(Math.min(want.length, BRIDGE_ACCOUNTS_LIMIT));
          if (want.length <= BRIDGE_ACCOUNTS_LIMIT)
            expect([...listed].sort(), `${b.window} ${step}`).toEqual([...want].sort());
          else {
            const wanted = new Set(want);
            expect(listed.every((id) => wanted.has(id))).toBe(true);
            const amount = independent.get(b.window)!.amount[step];
            const shown = new Set(listed);
            const smallestListed = Math.min(...listed.map((id) => amount.get(id)!));
            expect(Math.max(...want.filter((id) => !shown.has(id)).map((id) => amount.get(id)!))).toBeLessThanOrEqual(
              smallestListed,
            );
          }
        }
    } finally {
      adb.close();
    }
  });
});
