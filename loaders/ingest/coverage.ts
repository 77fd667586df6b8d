/**
 * What the accepted data supports (src/lib/coverage.ts), read off the accepted tables after
 * ingest: the pages leave out every figure whose data is not there.
 */
import type { Db } from "../db.js";
import type { AttributeName, BusinessShape, DataCoverage } from "../../src/lib/coverage.js";

export async function computeCoverage(db: Db, provided: ReadonlySet<string>): Promise<DataCoverage> {
  const [row] = await db.all<Record<string, string | number | boolean | null>>(`
    SELECT
      (SELECT count(*) FROM accepted_contracts) AS contracts,
      (SELECT count(*) FROM accepted_invoice_lines) AS lines,
      (SELECT count(*) FROM accepted_accounts WHERE business_model = 'subscription') AS subscription_accounts,
      (SELECT count(*) FROM accepted_accounts WHERE business_model = 'transactional') AS transactional_accounts,
      (SELECT count(*) FROM accepted_invoice_lines WHERE cost IS NOT NULL) AS line_costs,
      (SELECT count(*) FROM accepted_invoice_lines l JOIN accepted_products p USING (product_id) WHERE l.cost IS NULL AND p.unit_cost IS NOT NULL) AS product_costs,
      (SELECT count(industry) FROM accepted_accounts) AS industry,
      (SELECT count(region) FROM accepted_accounts) AS region,
      (SELECT count(employees) FROM accepted_accounts) AS size,
      (SELECT count(tier) FROM accepted_accounts) AS tier,
      (SELECT count(acquisition_channel) FROM accepted_accounts) AS channel,
      (SELECT count(key_account_manager) FROM accepted_accounts) AS key_account`);
  const n = (key: string) => Number(row[key] ?? 0);
  const shape: BusinessShape =
    n("subscription_accounts") > 0 && n("transactional_accounts") > 0
      ? "mixed"
      : n("subscription_accounts") > 0
        ? "subscription"
        : "transactional";
  const attributes = Object.fromEntries(
    (["industry", "region", "size", "tier", "channel", "key_account"] as const).map((a) => [a, n(a) > 0]),
  ) as Record<AttributeName, boolean>;
  return {
    shape,
    contracts: n("contracts") > 0,
    invoices: n("lines") > 0,
    spend: provided.has("marketing_spend"),
    nps: provided.has("nps_responses"),
    timeEntries: provided.has("time_entries") && provided.has("role_rates"),
    margin: n("line_costs") > 0 ? "line_cost" : n("product_costs") > 0 ? "product_cost" : null,
    attributes,
  };
}
