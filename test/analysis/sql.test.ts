/**
 * The pages' SQL (src/lib/analysis/sql.ts) on native DuckDB over hand-made tables; expected
 * values worked out by hand in the comments. The browser runs the same statements on DuckDB-WASM.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Q from "../../src/lib/analysis/sql.js";
import { openDb, type Db } from "../../loaders/db.js";
import { rows as query, run } from "../../loaders/outputs/analyst/tables.js";

let db: Db;
const F = Q.NO_FILTERS;

beforeAll(async () => {
  db = await openDb();
  // Three subscription accounts (cohort months 24000 = 2000-01 and 24001) and three transactional ones.
  await db.run(`CREATE TABLE accounts AS SELECT * FROM (VALUES
    (0, 0, 0, 0, 0, 0, 0, 1, 24000, 24004, 0, 1, 50.0, 10.0, 0.0, 0.0, 0.0),
    (1, 1, 0, 0, 0, 1, 1, 1, 24000, NULL, 1, 1, 30.0, 60.0, 0.0, 0.0, 0.0),
    (2, 0, 0, 0, 0, 1, 0, 1, 24001, NULL, 1, 0, 10.0, 30.0, 0.0, 0.0, 0.0),
    (3, 1, 0, 0, 0, 0, 0, 0, 24001, NULL, 1, 1, 5.0, 0.0, 0.0, 0.0, 0.0),
    (4, 1, 0, 0, 0, 0, 0, 0, 24002, NULL, 1, 0, 5.0, 0.0, 0.0, 0.0, 0.0),
    (5, 1, 0, 0, 0, 0, 0, 0, 24002, NULL, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
  ) t(idx, industry, size, region, tier, channel, key_account, subscription, cohort, first_churn, active_now, active_ya, rev0, rev1, rev2, rev3, clv)`);
  await db.run(
    `CREATE TABLE names AS SELECT idx, 'ACC-' || idx AS account_id, 'Name ' || idx AS account_name FROM accounts`,
  );
  // A: 24000 new 100, 24002 expansion to 150, 24004 churn. B: 24000 new 200, 24001 contraction to 100. C: 24001 new 50.
  await db.run(`CREATE TABLE mrr AS SELECT * FROM (VALUES
    (0, 24000, 100.0, 100.0, 1, 24002), (0, 24002, 150.0, 50.0, 2, 24004), (0, 24004, 0.0, -150.0, 4, 24100),
    (1, 24000, 200.0, 200.0, 1, 24001), (1, 24001, 100.0, -100.0, 3, 24100),
    (2, 24001, 50.0, 50.0, 1, 24100)
  ) t(idx, month, mrr, delta, movement, until)`);
  await run(db, Q.classesStatement(0.8, 0.95));
  for (const sql of Q.SELECTION_SETUP) await db.run(sql);
});
afterAll(() => db?.close());

describe("ABC classes in SQL", () => {
  it("follows the same rule as the hand-worked example: 50, 30, 10, 5, 5, 0 → A A B B C none", async () => {
    const out = await query<{ idx: number; c0: number }>(db, {
      sql: "SELECT idx, CAST(c0 AS INTEGER) AS c0 FROM accounts_abc ORDER BY idx",
      params: [],
    });
    expect(out.map((r) => r.c0)).toEqual([0, 0, 1, 1, 2, 3]);
  });
  it("classifies the year before on its own revenue: 10, 60, 30 of 100 → C, A, B", async () => {
    // Largest first: idx1 60 (before 0 → A), idx2 30 (before 60 → A: 60 < 80!), idx0 10 (before 90 → B).
    const out = await query<{ c1: number }>(db, {
      sql: "SELECT CAST(c1 AS INTEGER) AS c1 FROM accounts_abc ORDER BY idx",
      params: [],
    });
    expect(out.map((r) => r.c1)).toEqual([1, 0, 0, 3, 3, 3]);
  });
  it("counts migrations between windows", async () => {
    // (c1 → c0): idx0 B→A, idx1 A→A, idx2 A→B, idx3 none→B, idx4 none→C, idx5 none→none.
    const out = await query<{ from_class: number; to_class: number; accounts: number }>(db, Q.classMigration(F, 1));
    expect(out).toEqual([
      { from_class: 0, to_class: 0, accounts: 1 },
      { from_class: 0, to_class: 1, accounts: 1 },
      { from_class: 1, to_class: 0, accounts: 1 },
      { from_class: 3, to_class: 1, accounts: 1 },
      { from_class: 3, to_class: 2, accounts: 1 },
      { from_class: 3, to_class: 3, accounts: 1 },
    ]);
  });
  it("marks the 80% point of the concentration curve", async () => {
    // Positive revenues 50, 30, 10, 5, 5: 80 reached at rank 2 of 5.
    const out = await query<{ rank: number; accounts: number; is_target: boolean }>(db, Q.concentrationCurve(F));
    expect(out.filter((r) => r.is_target).map((r) => [r.rank, r.accounts])).toEqual([[2, 5]]);
  });
});

describe("cohort triangle in SQL", () => {
  it("gives logo, MRR and gross MRR per cohort and month", async () => {
    // Cohort 24000 (A, B; size 2), measured at month ends 24000 … 24004:
    //  p0: A 100, B 200 → 2 active, MRR 300, GRR 300 (base 300)
    //  p1: A 100, B 100 → 2, 200, 200;  p2: A 150, B 100 → 2, 250, min(150,100)+100 = 200;  p3 = p2;
    //  p4: A churned, B 100 → 1, 100, 100.
    // Cohort 24001 (C; size 1): 50 at every month 24001 … 24004.
    const out = await query<Record<string, number>>(db, Q.cohortTriangle(F, "month", 24004));
    expect(out.map((r) => [r.cohort, r.period, r.size, r.active, r.mrr_cents, r.grr_cents, r.base_cents])).toEqual([
      [24000, 0, 2, 2, 300, 300, 300],
      [24000, 1, 2, 2, 200, 200, 300],
      [24000, 2, 2, 2, 250, 200, 300],
      [24000, 3, 2, 2, 250, 200, 300],
      [24000, 4, 2, 1, 100, 100, 300],
      [24001, 0, 1, 1, 50, 50, 50],
      [24001, 1, 1, 1, 50, 50, 50],
      [24001, 2, 1, 1, 50, 50, 50],
      [24001, 3, 1, 1, 50, 50, 50],
    ]);
  });
  it("measures quarterly cohorts at each quarter's last month, complete quarters only", async () => {
    // Quarter 24000–24002 holds A, B, C (size 3). p0 at 24002: 150 + 100 + 50 = 300, all 3 active.
    // p1 at 24005 (as of 24005): A churned, B 100, C 50 → 2 active, 150, GRR min(0,150)+100+50 = 150.
    const out = await query<Record<string, number>>(db, Q.cohortTriangle(F, "quarter", 24005));
    expect(out.map((r) => [r.cohort, r.period, r.size, r.active, r.mrr_cents, r.grr_cents])).toEqual([
      [24000, 0, 3, 3, 300, 300],
      [24000, 1, 3, 2, 150, 150],
    ]);
    // As of 24004 the second quarter is not complete: only p0.
    expect((await query(db, Q.cohortTriangle(F, "quarter", 24004))).length).toBe(1);
  });
  it("applies the segment filters", async () => {
    // Industry 0 = A and C. Cohort 24000 is A alone: 100, 100, 150, 150, then churned.
    const out = await query<Record<string, number>>(db, Q.cohortTriangle({ ...F, industry: [0] }, "month", 24004));
    expect(out.filter((r) => r.cohort === 24000).map((r) => [r.active, r.mrr_cents, r.grr_cents])).toEqual([
      [1, 100, 100],
      [1, 100, 100],
      [1, 150, 100],
      [1, 150, 100],
      [0, 0, 0],
    ]);
  });
});

describe("multi-value filters", () => {
  it("write each dimension's codes as one mask, '' for all", () => {
    expect(Q.codeMask([])).toBe("");
    expect(Q.codeMask([2, 0])).toBe("101");
    expect(Q.codeMask([1, 1])).toBe("01");
    expect(() => Q.codeMask([-1])).toThrow(RangeError);
    expect(() => Q.codeMask([0.5])).toThrow(RangeError);
  });
  it("keep exactly the accounts whose value is any of the chosen ones, in every dimension at once", async () => {
    // Independent computation: the accounts' codes read back and filtered in JavaScript.
    const accounts = await query<{ idx: number; industry: number; channel: number; c0: number }>(db, {
      sql: "SELECT idx, industry, channel, CAST(c0 AS INTEGER) AS c0 FROM accounts_abc ORDER BY idx",
      params: [],
    });
    const subsets = (codes: number[]) =>
      codes.reduce<number[][]>((all, c) => [...all, ...all.map((s) => [...s, c])], [[]]);
    let checked = 0;
    for (const industry of subsets([0, 1]))
      for (const channel of subsets([0, 1]))
        for (const cls of subsets([0, 1, 2, 3])) {
          const f = { ...F, industry, channel, class: cls };
          const keep = (dim: number[], v: number) => dim.length === 0 || dim.includes(v);
          const expected = new Map<number, number>();
          for (const a of accounts)
            if (keep(industry, a.industry) && keep(channel, a.channel) && keep(cls, a.c0))
              expected.set(a.c0, (expected.get(a.c0) ?? 0) + 1);
          const got = await query<{ class: number; accounts: number }>(db, Q.classSummary(f));
          expect(new Map(got.map((r) => [r.class, r.accounts])), JSON.stringify(f)).toEqual(expected);
          checked++;
        }
    expect(checked).toBe(4 * 4 * 16);
  });
  it("sum the movements of the chosen segments (industries 0 and 1 = everyone; 0 alone = A and C)", async () => {
    const total = (rows: { delta_cents: number }[]) => rows.reduce((s, r) => s + r.delta_cents, 0);
    const all = await query<{ delta_cents: number }>(db, Q.movements(F));
    const both = await query<{ delta_cents: number }>(db, Q.movements({ ...F, industry: [0, 1] }));
    expect(both).toEqual(all);
    // A: +100 +50 −150, C: +50 → 50; B (industry 1): +200 −100 → 100.
    expect(total(await query(db, Q.movements({ ...F, industry: [0] })))).toBe(50);
    expect(total(await query(db, Q.movements({ ...F, industry: [1] })))).toBe(100);
  });
});

describe("the selection table", () => {
  it("a statement prepared once follows every later selection (no value is folded into its plan)", async () => {
    // The pages prepare each statement once and change only the row of `selection`. Prepared
    // while it held "all accounts, yearly grain, no search", a plan must still apply a filter,
    // a grain and a search set afterwards.
    // The explorer's list needs three columns more than the other statements here.
    for (const c of ["margin0", "mrr_now", "p_alive"])
      await db.run(`ALTER TABLE accounts ADD COLUMN ${c} DOUBLE DEFAULT 0`);
    await run(db, Q.classesStatement(0.8, 0.95));
    const current = new Map<Q.SelectionColumn, Q.SqlValue>();
    const prepared = new Map<string, Awaited<ReturnType<typeof db.connection.prepare>>>();
    const viaPrepared = async <T>(s: Q.Statement): Promise<T[]> => {
      const change = Q.selectionChange(current, s);
      if (change) await db.connection.run(change.sql, change.params as never);
      let p = prepared.get(s.sql);
      if (!p) prepared.set(s.sql, (p = await db.connection.prepare(s.sql)));
      for (const [i, v] of s.params.entries()) p.bindValue(i + 1, v as never);
      return (await p.runAndReadAll())
        .getRowObjectsJS()
        .map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
        ) as T[];
    };
    const classCounts = async (f: Q.FilterCodes) =>
      (await viaPrepared<{ accounts: number }>(Q.classSummary(f))).reduce((n, r) => n + r.accounts, 0);
    expect(await classCounts(F)).toBe(6);
    expect(await classCounts({ ...F, industry: [0] })).toBe(2);
    expect(await classCounts({ ...F, industry: [1] })).toBe(4);
    expect(await classCounts({ ...F, class: [0] })).toBe(2);
    expect(await classCounts({ ...F, class: [0, 2] })).toBe(3);
    expect(await classCounts({ ...F, industry: [0, 1] })).toBe(6);
    expect(await classCounts(F)).toBe(6);
    const periods = async (grain: "month" | "quarter") => (await viaPrepared(Q.cohortTriangle(F, grain, 24005))).length;
    // Months: cohort 24000 has periods 0 … 5, cohort 24001 0 … 4; quarters: one cohort, p0 and p1.
    expect(await periods("month")).toBe(11);
    expect(await periods("quarter")).toBe(2);
    const names = async (search: string) =>
      (await viaPrepared<{ account_id: string }>(Q.accountList(F, search, "revenue", 10))).map((r) => r.account_id);
    expect(await names("")).toHaveLength(6);
    expect(await names("ACC-3")).toEqual(["ACC-3"]);
    expect(await names("name 5")).toEqual(["ACC-5"]);
    expect(await names("")).toHaveLength(6);
  });
});

describe("MRR movements in SQL", () => {
  it("sums the changes per month and kind, and lists the accounts behind one bar", async () => {
    const out = await query<Record<string, number>>(db, Q.movements(F));
    expect(out.map((r) => [r.month, r.movement, r.delta_cents, r.accounts])).toEqual([
      [24000, 1, 300, 2],
      [24001, 1, 50, 1],
      [24001, 3, -100, 1],
      [24002, 2, 50, 1],
      [24004, 4, -150, 1],
    ]);
    const accounts = await query<{ account_id: string }>(db, Q.movementAccounts(F, 24000, 1));
    expect(accounts.map((r) => r.account_id)).toEqual(["ACC-1", "ACC-0"]);
  });
});

describe("retention by lever", () => {
  it("counts accounts active a year ago and those still active, by key-account coverage", async () => {
    await db.run("ALTER TABLE accounts ADD COLUMN nps_last TINYINT");
    await db.run("UPDATE accounts SET nps_last = CASE idx WHEN 0 THEN 10 WHEN 1 THEN 3 ELSE NULL END");
    // accounts_abc is a copy of accounts with the classes: made again, as a page does on load.
    await run(db, Q.classesStatement(0.8, 0.95));
    const out = await query<{ lever: string; grp: string; base: number; retained: number }>(db, Q.leversVsRetention(F));
    // Active a year ago: idx 0, 1, 3; still active: 1, 3. Key account: idx 1 only.
    expect(out).toEqual([
      { lever: "key_account", grp: "key account manager", base: 1, retained: 1 },
      { lever: "key_account", grp: "no key account manager", base: 2, retained: 1 },
      { lever: "nps", grp: "detractor", base: 1, retained: 1 },
      { lever: "nps", grp: "no answer", base: 1, retained: 1 },
      { lever: "nps", grp: "promoter", base: 1, retained: 0 },
    ]);
  });
});
