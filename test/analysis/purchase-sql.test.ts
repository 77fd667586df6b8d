/**
 * Purchase histories per segment (Q.purchaseBySegment) on native DuckDB over a hand-made
 * `accounts_abc`; the browser runs the same statement on DuckDB-WASM. Expected values by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Q from "../../src/lib/analysis/sql.js";
import { purchaseSegmentRows } from "../../src/components/segments.js";
import { openDb, type Db } from "../../loaders/db.js";
import { rows as query } from "../../loaders/outputs/analyst/tables.js";
import type { AnalystSummary, PurchaseSegmentRow } from "../../src/lib/shapes/analyst-summary.js";

let db: Db;

beforeAll(async () => {
  db = await openDb();
  // Industry 0: accounts 0 (3 orders, 900), 1 (1 order, 100), 2 (subscription: left out).
  // Industry 1: account 3 (no order, credit −40), account 4 (2 orders, 500), region 1.
  await db.run(`CREATE TABLE accounts_abc AS SELECT * FROM (VALUES
    (0, 0, 0, 0, 0, 0, 0, 0, 3, 900.0),
    (1, 0, 0, 0, 0, 0, 1, 0, 1, 100.0),
    (2, 0, 0, 0, 0, 0, 0, 1, 12, 5000.0),
    (3, 1, 0, 0, 0, 0, 2, 0, 0, -40.0),
    (4, 1, 0, 1, 0, 0, 0, 0, 2, 500.0)
  ) t(idx, industry, size, region, tier, channel, c0, subscription, orders0, rev0)`);
  for (const sql of Q.SELECTION_SETUP) await db.run(sql);
});
afterAll(() => db?.close());

describe("purchaseBySegment", () => {
  it("counts buyers, repeat buyers, orders and revenue of the transactional accounts per segment value", async () => {
    expect(await query<PurchaseSegmentRow>(db, Q.purchaseBySegment(Q.NO_FILTERS, "industry"))).toEqual([
      { segment: 0, buyers: 2, repeat_buyers: 1, orders: 4, revenue_cents: 1000 },
      { segment: 1, buyers: 1, repeat_buyers: 1, orders: 2, revenue_cents: 460 },
    ]);
  });

  it("follows the filters in `selection`", async () => {
    expect(
      await query<PurchaseSegmentRow>(db, Q.purchaseBySegment({ ...Q.NO_FILTERS, region: [1] }, "industry")),
    ).toEqual([{ segment: 1, buyers: 1, repeat_buyers: 1, orders: 2, revenue_cents: 500 }]);
    // Class A only (c0 = 0): accounts 0 and 4.
    expect(await query<PurchaseSegmentRow>(db, Q.purchaseBySegment({ ...Q.NO_FILTERS, class: [0] }, "region"))).toEqual(
      [
        { segment: 0, buyers: 1, repeat_buyers: 1, orders: 3, revenue_cents: 900 },
        { segment: 1, buyers: 1, repeat_buyers: 1, orders: 2, revenue_cents: 500 },
      ],
    );
  });

  it("becomes the page's rates: repeat share, orders per buyer, order value", () => {
    const summary = { dictionaries: { industry: ["Retail", "Software"] } } as unknown as AnalystSummary;
    expect(
      purchaseSegmentRows(
        summary,
        [
          { segment: 0, buyers: 2, repeat_buyers: 1, orders: 4, revenue_cents: 1000 },
          { segment: 1, buyers: 0, repeat_buyers: 0, orders: 0, revenue_cents: -40 },
        ],
        "industry",
      ),
    ).toEqual([
      { segment: "Retail", buyers: 2, repeat_rate: 0.5, frequency: 2, orders: 4, aov_cents: 250, revenue_cents: 1000 },
      {
        segment: "Software",
        buyers: 0,
        repeat_rate: null,
        frequency: null,
        orders: 0,
        aov_cents: null,
        revenue_cents: -40,
      },
    ]);
  });
});
