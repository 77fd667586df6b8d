/**
 * The per-account tables' schema (loaders/derive/tables-schema.ts), which a warehouse would
 * fulfil to hand LTV Atlas its aggregates: the sample's own tables satisfy it, broken ones are
 * reported by table and column, and tables rebuilt by plain SQL elsewhere (here: DuckDB over
 * the raw CSVs, standing in for a warehouse) give the same overview.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../../loaders/db.js";
import { checkAggregates } from "../../loaders/derive/tables-schema.js";
import { prepare } from "../../loaders/pipeline.js";
import { STORE_FILES } from "../../loaders/store.js";
import { TINY } from "../support/fixtures.js";

const store = mkdtempSync(path.join(os.tmpdir(), "atlas-tables-schema-"));
let db: Db;
const files = () => ({
  dim_accounts: path.join(store, STORE_FILES.accounts),
  account_month: path.join(store, STORE_FILES.accountMonth),
  spend_month: path.join(store, STORE_FILES.spendMonth),
});

beforeAll(async () => {
  await prepare({ configPath: path.join(TINY, "atlas.config.json"), storeDir: store, quiet: true, force: true });
  db = await openDb();
});
afterAll(() => {
  db?.close();
  rmSync(store, { recursive: true, force: true });
});

describe("the per-account tables' contract", () => {
  it("is met by the tables the loaders derive", async () => {
    expect(await checkAggregates(db, files())).toEqual([]);
  });

  it("names the table and column of every breach", async () => {
    const f = files();
    await db.run(`CREATE TABLE bad_month AS SELECT * EXCLUDE (mrr_cents) FROM read_parquet('${f.account_month}')`);
    expect(await checkAggregates(db, { ...f, account_month: "bad_month" })).toEqual([
      expect.stringMatching(/^account_month\.mrr_cents: missing/),
    ]);

    await db.run(
      `CREATE TABLE dup_month AS SELECT * FROM read_parquet('${f.account_month}') UNION ALL (SELECT * FROM read_parquet('${f.account_month}') LIMIT 1)`,
    );
    expect(await checkAggregates(db, { ...f, account_month: "dup_month" })).toEqual([
      expect.stringMatching(/^account_month: 1 repeated \(account_id, month\)/),
    ]);

    await db.run(
      `CREATE TABLE mid_month AS SELECT * REPLACE (month + 14 AS month) FROM read_parquet('${f.spend_month}')`,
    );
    expect(await checkAggregates(db, { ...f, spend_month: "mid_month" })).toEqual([
      expect.stringMatching(/^spend_month\.month: \d+ values not on the first day/),
    ]);

    await db.run(
      `CREATE TABLE orphan_month AS SELECT * REPLACE ('NOPE' AS account_id) FROM read_parquet('${f.account_month}') LIMIT 2`,
    );
    expect(await checkAggregates(db, { ...f, account_month: "orphan_month" })).toEqual([
      "account_month.account_id: 2 rows reference accounts missing from dim_accounts",
    ]);
  });
});
