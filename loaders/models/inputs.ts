/**
 * What the models need from the prepared tables, read with SQL: each subscription account's
 * first and current run of months with MRR, and each transactional account's purchase days.
 */
import { monthIndexOf } from "../../src/lib/dates.js";
import type { Db } from "../db.js";

export interface ContractAccount {
  readonly accountId: string;
  readonly tier: string;
  readonly sizeBand: string;
  readonly billingTerm: "monthly" | "annual";
  /** Month index of the first month with MRR, and of the last month of that first run. */
  readonly firstStart: number;
  readonly firstEnd: number;
  /** Start of the run that includes the as-of month; null when not active now. */
  readonly currentStart: number | null;
  /** MRR in the as-of month, cents (0 when not active). */
  readonly mrrCents: number;
}

const MONTH_INDEX = (column: string) => `(year(${column}) * 12 + month(${column}) - 1)`;

export async function readContractAccounts(db: Db, asOf: string): Promise<ContractAccount[]> {
  const asOfMonth = monthIndexOf(asOf);
  const rows = await db.all<{
    account_id: string;
    tier: string;
    size_band: string;
    billing_term: string | null;
    first_start: number;
    first_end: number;
    current_start: number | null;
    mrr_cents: number;
  }>(`
    WITH m AS (
      SELECT account_id, CAST(${MONTH_INDEX("month")} AS INTEGER) AS mi, mrr_cents FROM account_month WHERE mrr_cents > 0
    ), runs AS (
      SELECT account_id, mi - row_number() OVER (PARTITION BY account_id ORDER BY mi) AS run, mi, mrr_cents FROM m
    ), spans AS (
      SELECT account_id, min(mi) AS s, max(mi) AS e,
        max(CASE WHEN mi = ${asOfMonth} THEN mrr_cents END) AS mrr_now FROM runs GROUP BY account_id, run
    ), first_term AS (
      SELECT account_id, arg_min(billing_term, start_date) AS billing_term FROM accepted_contracts GROUP BY account_id
    )
    SELECT a.account_id, a.tier, a.size_band, t.billing_term,
      CAST(min(s.s) AS INTEGER) AS first_start,
      CAST(arg_min(s.e, s.s) AS INTEGER) AS first_end,
      CAST(max(CASE WHEN s.e = ${asOfMonth} THEN s.s END) AS INTEGER) AS current_start,
      CAST(coalesce(max(s.mrr_now), 0) AS DOUBLE) AS mrr_cents
    FROM dim_accounts a JOIN spans s USING (account_id) LEFT JOIN first_term t USING (account_id)
    WHERE a.business_model = 'subscription'
    GROUP BY ALL ORDER BY a.account_id`);
  return rows.map((r) => ({
    accountId: r.account_id,
    tier: r.tier,
    sizeBand: r.size_band,
    billingTerm: r.billing_term === "annual" ? "annual" : "monthly",
    firstStart: r.first_start,
    firstEnd: r.first_end,
    currentStart: r.current_start,
    mrrCents: r.mrr_cents,
  }));
}

export interface PurchaseRows {
  readonly accountId: string[];
  /** Purchase day "YYYY-MM-DD" (all invoices of the day summed). */
  readonly day: string[];
  /** Net invoiced amount of the day, money units (credit notes are not purchases). */
  readonly amount: number[];
}

export async function readPurchases(db: Db): Promise<PurchaseRows> {
  const reader = await db.connection.runAndReadAll(`
    SELECT i.account_id, CAST(i.invoice_date AS VARCHAR) AS day, CAST(sum(l.amount) AS DOUBLE) AS amount
    FROM accepted_invoices i JOIN accepted_invoice_lines l USING (invoice_id)
    JOIN dim_accounts a USING (account_id)
    WHERE a.business_model = 'transactional' AND i.document_type = 'invoice'
    GROUP BY ALL HAVING sum(l.amount) > 0 ORDER BY i.account_id, day`);
  const c = reader.getColumnsObjectJS() as { account_id: string[]; day: string[]; amount: number[] };
  return { accountId: c.account_id, day: c.day, amount: c.amount };
}

/** Gross margin share of each business model over the 12 months to the as-of date, clamped to [0, 1]. */
export async function readMargins(db: Db, asOf: string): Promise<Record<"subscription" | "transactional", number>> {
  const rows = await db.all<{ business_model: string; margin: number | null }>(`
    SELECT a.business_model,
      CAST((sum(m.revenue_cents) - sum(m.cogs_cents) - sum(m.cost_to_serve_cents)) AS DOUBLE) / nullif(sum(m.revenue_cents), 0) AS margin
    FROM account_month m JOIN dim_accounts a USING (account_id)
    WHERE m.month > DATE '${asOf}' - INTERVAL 12 MONTH AND m.month <= DATE '${asOf}'
    GROUP BY ALL`);
  const out = { subscription: 0, transactional: 0 };
  for (const r of rows) {
    if (r.business_model === "subscription" || r.business_model === "transactional")
      out[r.business_model] = Math.min(1, Math.max(0, r.margin ?? 0));
  }
  return out;
}
