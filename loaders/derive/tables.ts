/**
 * Derived tables the pages read (their schema: ./tables-schema.ts), built in DuckDB from the accepted extracts. They hold
 * aggregates at account or account × month grain — never invoice lines — and money in
 * integer cents (exact, and safe as JavaScript numbers up to $90 trillion). Sums are cast
 * back to BIGINT: DuckDB sums BIGINT into HUGEINT, which Parquet would store as DOUBLE.
 *
 * - `dim_accounts`: one row per account, the attributes segments are made of.
 * - `account_month`: one row per account and month with activity: revenue by kind, cost of
 *   goods, MRR at month end, hours and their cost.
 * - `spend_month`: sales and marketing spend per channel and month.
 */
import { literal, type Db } from "../db.js";

/** Employee bands used as the "size" segment everywhere. */
export const SIZE_BANDS = [
  { band: "Small (<50)", max: 49 },
  { band: "Mid (50–999)", max: 999 },
  { band: "Enterprise (1000+)", max: Number.MAX_SAFE_INTEGER },
] as const;

/** Columns of dim_accounts that segment the accounts, with the names the pages give them. */
export const SEGMENT_COLUMNS = [
  ["industry", "Industry"],
  ["size_band", "Size"],
  ["region", "Region"],
  ["tier", "Tier"],
  ["channel", "Channel"],
  ["business_model", "Business model"],
] as const;

export async function buildDerivedTables(db: Db, asOf: string): Promise<void> {
  const asOfSql = `DATE ${literal(asOf)}`;
  const sizeCase = `CASE ${SIZE_BANDS.map((b) => `WHEN employees <= ${Math.min(b.max, 1e15)} THEN ${literal(b.band)}`).join(" ")} END`;
  await db.run(`
    CREATE OR REPLACE TABLE dim_accounts AS
    SELECT account_id, account_name, industry, employees, seats, ${sizeCase} AS size_band, region,
      coalesce(tier, '(none)') AS tier, business_model, acquisition_channel AS channel, acquired_on,
      CAST(date_trunc('month', acquired_on) AS DATE) AS cohort_month,
      key_account_manager IS NOT NULL AS key_account
    FROM accepted_accounts ORDER BY account_id`);

  // Each month from the first acquisition to the as-of month.
  await db.run(`
    CREATE OR REPLACE TABLE months AS
    SELECT CAST(m AS DATE) AS month,
      least(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), ${asOfSql}) AS month_end
    FROM range(
      date_trunc('month', least((SELECT min(acquired_on) FROM accepted_accounts), coalesce((SELECT min(invoice_date) FROM accepted_invoices), ${asOfSql}))),
      date_trunc('month', ${asOfSql}) + INTERVAL 1 MONTH, INTERVAL 1 MONTH) t(m)`);

  await db.run(`
    CREATE OR REPLACE TABLE account_month AS
    WITH lines AS (
      SELECT i.account_id, CAST(date_trunc('month', i.invoice_date) AS DATE) AS month, l.line_type,
        CAST(round(l.amount * 100) AS BIGINT) AS amount_cents,
        -- The line's own cost when the export has it (cost, or amount − profit), else quantity × the product's unit cost.
        CAST(round(coalesce(l.cost, CAST(l.quantity AS DECIMAL(38,4)) * CAST(p.unit_cost AS DECIMAL(38,4))) * 100) AS BIGINT) AS cost_cents,
        i.invoice_id, i.document_type
      FROM accepted_invoice_lines l
      JOIN accepted_invoices i USING (invoice_id)
      JOIN accepted_products p USING (product_id)
    ),
    billing AS (
      SELECT account_id, month,
        CAST(sum(amount_cents) AS BIGINT) AS revenue_cents,
        CAST(sum(amount_cents) FILTER (WHERE line_type = 'subscription') AS BIGINT) AS subscription_revenue_cents,
        CAST(sum(amount_cents) FILTER (WHERE line_type = 'service') AS BIGINT) AS service_revenue_cents,
        CAST(sum(amount_cents) FILTER (WHERE line_type = 'product') AS BIGINT) AS product_revenue_cents,
        CAST(sum(cost_cents) AS BIGINT) AS cogs_cents,
        count(DISTINCT invoice_id) FILTER (WHERE document_type = 'invoice') AS invoices
      FROM lines GROUP BY ALL
    ),
    mrr AS (
      SELECT c.account_id, m.month, CAST(sum(CAST(round(c.mrr * 100) AS BIGINT)) AS BIGINT) AS mrr_cents
      FROM accepted_contracts c
      JOIN months m ON c.start_date <= m.month_end AND (c.end_date IS NULL OR c.end_date >= m.month_end)
      GROUP BY ALL
    ),
    work AS (
      SELECT t.account_id, CAST(date_trunc('month', t.work_date) AS DATE) AS month,
        sum(t.hours) AS hours, CAST(round(sum(CAST(t.hours AS DECIMAL(38,4)) * CAST(r.hourly_cost AS DECIMAL(38,4))) * 100) AS BIGINT) AS cost_to_serve_cents
      FROM accepted_time_entries t JOIN accepted_role_rates r USING (role)
      GROUP BY ALL
    )
    SELECT account_id, month,
      coalesce(b.revenue_cents, 0) AS revenue_cents,
      coalesce(b.subscription_revenue_cents, 0) AS subscription_revenue_cents,
      coalesce(b.service_revenue_cents, 0) AS service_revenue_cents,
      coalesce(b.product_revenue_cents, 0) AS product_revenue_cents,
      coalesce(b.cogs_cents, 0) AS cogs_cents,
      coalesce(mrr.mrr_cents, 0) AS mrr_cents,
      CAST(coalesce(w.hours, 0) AS DOUBLE) AS hours,
      coalesce(w.cost_to_serve_cents, 0) AS cost_to_serve_cents,
      coalesce(b.invoices, 0) AS invoices
    FROM billing b FULL JOIN mrr USING (account_id, month) FULL JOIN work w USING (account_id, month)
    ORDER BY account_id, month`);

  await db.run(`
    CREATE OR REPLACE TABLE spend_month AS
    SELECT CAST(date_trunc('month', month) AS DATE) AS month, channel,
      CAST(round(sum(amount) * 100) AS BIGINT) AS spend_cents
    FROM accepted_marketing_spend GROUP BY ALL ORDER BY month, channel`);
}
