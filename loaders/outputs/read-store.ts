/**
 * Reads the derived tables of a prepared store into the column shapes that the shared
 * metric code (src/lib/metrics) takes.
 */
import path from "node:path";
import { monthIndexOf } from "../../src/lib/dates.js";
import type { AccountColumns, AccountMonthColumns, BusinessModel, SpendColumns } from "../../src/lib/metrics/types.js";
import { literal, type Db } from "../db.js";
import { STORE_FILES } from "../store.js";

export interface StoreTables {
  readonly accounts: AccountColumns;
  readonly accountMonth: AccountMonthColumns;
  readonly spend: SpendColumns;
}

export async function readStoreTables(db: Db, storeDir: string): Promise<StoreTables> {
  const file = (name: string) => literal(path.join(storeDir, name));
  const a = (
    await db.connection.runAndReadAll(
      `SELECT account_id, business_model, CAST(acquired_on AS VARCHAR) AS acquired_on, channel FROM read_parquet(${file(STORE_FILES.accounts)}) ORDER BY account_id`,
    )
  ).getColumnsObjectJS() as {
    account_id: string[];
    business_model: BusinessModel[];
    acquired_on: string[];
    channel: string[];
  };
  const index = new Map(a.account_id.map((id, i) => [id, i]));

  const m = (
    await db.connection.runAndReadAll(
      `SELECT account_id, CAST(month AS VARCHAR) AS month, CAST(revenue_cents AS DOUBLE) AS revenue, CAST(cogs_cents AS DOUBLE) AS cogs,
        CAST(mrr_cents AS DOUBLE) AS mrr, CAST(cost_to_serve_cents AS DOUBLE) AS cts, CAST(invoices AS INTEGER) AS invoices
     FROM read_parquet(${file(STORE_FILES.accountMonth)}) ORDER BY account_id, month`,
    )
  ).getColumnsObjectJS() as {
    account_id: string[];
    month: string[];
    revenue: number[];
    cogs: number[];
    mrr: number[];
    cts: number[];
    invoices: number[];
  };
  const account = Int32Array.from(m.account_id, (id) => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`account_month refers to unknown account ${id}`);
    return i;
  });

  const s = (
    await db.connection.runAndReadAll(
      `SELECT CAST(month AS VARCHAR) AS month, channel, CAST(spend_cents AS DOUBLE) AS spend FROM read_parquet(${file(STORE_FILES.spendMonth)}) ORDER BY month, channel`,
    )
  ).getColumnsObjectJS() as { month: string[]; channel: string[]; spend: number[] };

  return {
    accounts: {
      length: a.account_id.length,
      accountId: a.account_id,
      businessModel: a.business_model,
      acquiredMonth: Int32Array.from(a.acquired_on, monthIndexOf),
      channel: a.channel,
    },
    accountMonth: {
      length: account.length,
      account,
      month: Int32Array.from(m.month, monthIndexOf),
      revenueCents: Float64Array.from(m.revenue),
      cogsCents: Float64Array.from(m.cogs),
      mrrCents: Float64Array.from(m.mrr),
      costToServeCents: Float64Array.from(m.cts),
      invoices: Int32Array.from(m.invoices),
    },
    spend: {
      length: s.month.length,
      month: Int32Array.from(s.month, monthIndexOf),
      channel: s.channel,
      spendCents: Float64Array.from(s.spend),
    },
  };
}
