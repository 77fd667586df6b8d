/**
 * Canonical extracts derived from the exports a company really has (data/README.md,
 * "Derived extracts"). Each derived table has the canonical columns and types, a `line` (the
 * first source line it came from) and no reasons: its rows were accepted in the source
 * extract, so nothing here can be lost or quarantined, and every row belongs to exactly one
 * account, the one its source row names.
 *
 * - invoices + invoice_lines from transactions: one invoice per order, account and sign (a
 *   negative line — a return or a cancellation — goes on a credit note); no order id, one
 *   invoice per row. Line cost = cost, else amount − profit, else unknown.
 * - contracts from subscriptions: MRR = recurring amount ÷ months of the interval; change
 *   type `new` for an account's first subscription, `addon` while another runs, `renewal`
 *   within 31 days of the previous end, `reactivation` after a longer gap.
 * - accounts from all activity: name and attributes = the most recent non-empty value
 *   (region: the country when no region is given); acquired on the first activity;
 *   `subscription` when the account has a contract.
 * - products from whatever names them: name = most recent product name; category from the
 *   lines that bill it; no list price or unit cost (cost comes from the lines).
 */
import type { CsvFormat } from "../config.js";
import { ident, literal, type Db } from "../db.js";
import { EXTRACTS, type ExtractName } from "./schema.js";
import { sqlType } from "./validate.js";

/** Rows without a product id are billed under this product. */
export const ALL_PRODUCTS = "(all products)";
/** Subscriptions without a product id run under this product. */
export const SUBSCRIPTION_PRODUCT = "(subscription)";

/** Creates `final_<name>` from `select` (canonical columns, any order) and its `accepted_<name>` view. */
async function createDerived(
  db: Db,
  name: ExtractName,
  select: string,
  format: Pick<CsvFormat, "moneyDecimals">,
): Promise<number> {
  const columns = EXTRACTS[name].columns;
  await db.run(`
    CREATE OR REPLACE TABLE final_${name} AS
    SELECT CAST(line AS BIGINT) AS line, ${columns.map((c) => `CAST(${ident(c.name)} AS ${sqlType(c.type, format)}) AS ${ident(c.name)}`).join(", ")},
      CAST(NULL AS STRUCT(code VARCHAR, "column" VARCHAR, message VARCHAR)[]) AS reasons, CAST(NULL AS VARCHAR) AS raw_json
    FROM (${select}) ORDER BY line`);
  await db.run(
    `CREATE OR REPLACE VIEW accepted_${name} AS SELECT line, ${columns.map((c) => ident(c.name)).join(", ")} FROM final_${name} WHERE reasons IS NULL`,
  );
  const [{ n }] = await db.all<{ n: string }>(`SELECT count(*) AS n FROM final_${name}`);
  return Number(n);
}

/** An extract that is neither provided nor derived: empty, with the canonical columns. */
export async function createEmpty(db: Db, name: ExtractName, format: Pick<CsvFormat, "moneyDecimals">): Promise<void> {
  const columns = EXTRACTS[name].columns;
  await createDerived(
    db,
    name,
    `SELECT 0 AS line, ${columns.map((c) => `NULL AS ${ident(c.name)}`).join(", ")} WHERE false`,
    format,
  );
}

export async function deriveInvoicesFromTransactions(
  db: Db,
  currency: string,
  format: Pick<CsvFormat, "moneyDecimals">,
): Promise<{ invoices: number; lines: number }> {
  // One invoice per order, account and sign. The id is the order id when that alone is unique;
  // else it names the account (and "credit") too, so that no line joins another customer's invoice.
  await db.run(`
    CREATE OR REPLACE TEMP TABLE transaction_invoice AS
    WITH t AS (
      SELECT line, account_id, date, order_id, amount < 0 AS credit, coalesce(order_id, 'line ' || line) AS order_key FROM accepted_transactions
    ),
    groups AS (SELECT order_key, count(DISTINCT (account_id, credit)) AS n FROM t GROUP BY ALL)
    SELECT t.line, t.account_id, t.credit,
      CASE WHEN g.n = 1 THEN t.order_key ELSE t.order_key || ' · ' || t.account_id || CASE WHEN t.credit THEN ' · credit' ELSE '' END END AS invoice_id
    FROM t JOIN groups g USING (order_key)`);
  const invoices = await createDerived(
    db,
    "invoices",
    `SELECT min(line) AS line, invoice_id, any_value(account_id) AS account_id, min(t.date) AS invoice_date, ${literal(currency)} AS currency,
       CASE WHEN any_value(credit) THEN 'credit_note' ELSE 'invoice' END AS document_type
     FROM transaction_invoice JOIN accepted_transactions t USING (line, account_id) GROUP BY invoice_id`,
    format,
  );
  const lines = await createDerived(
    db,
    "invoice_lines",
    `SELECT t.line, i.invoice_id, row_number() OVER (PARTITION BY i.invoice_id ORDER BY t.line) AS line_no,
       coalesce(t.product_id, ${literal(ALL_PRODUCTS)}) AS product_id,
       coalesce(t.quantity, 1) AS quantity,
       coalesce(t.unit_price, CASE WHEN coalesce(t.quantity, 1) <> 0 THEN round(CAST(t.amount AS DECIMAL(38,8)) / coalesce(t.quantity, 1), 4) END) AS unit_price,
       t.amount, 'product' AS line_type,
       coalesce(t.cost, t.amount - t.profit) AS cost
     FROM accepted_transactions t JOIN transaction_invoice i USING (line)`,
    format,
  );
  await db.run("DROP TABLE transaction_invoice");
  return { invoices, lines };
}

export async function deriveContractsFromSubscriptions(
  db: Db,
  currency: string,
  format: Pick<CsvFormat, "moneyDecimals">,
): Promise<number> {
  return createDerived(
    db,
    "contracts",
    `WITH s AS (
       SELECT *, max(coalesce(end_date, DATE '9999-12-31')) OVER (PARTITION BY account_id ORDER BY start_date, line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
       FROM accepted_subscriptions
     )
     SELECT line, coalesce(subscription_id, 'line ' || line) AS contract_id, account_id,
       coalesce(product_id, ${literal(SUBSCRIPTION_PRODUCT)}) AS product_id, interval AS billing_term,
       start_date, end_date, coalesce(quantity, 1) AS seats,
       round(CAST(amount AS DECIMAL(38,8)) / CASE interval WHEN 'annual' THEN 12 WHEN 'quarterly' THEN 3 ELSE 1 END, 4) AS mrr,
       ${literal(currency)} AS currency,
       CASE WHEN previous_end IS NULL THEN 'new'
            WHEN previous_end >= start_date THEN 'addon'
            WHEN start_date - previous_end <= 31 THEN 'renewal'
            ELSE 'reactivation' END AS change_type
     FROM s`,
    format,
  );
}

/** Which provided extracts name accounts, and what each row says about its account. */
const ACTIVITY: Partial<Record<ExtractName, { date: string; attributes: boolean; subscription: boolean }>> = {
  transactions: { date: "date", attributes: true, subscription: false },
  subscriptions: { date: "start_date", attributes: true, subscription: true },
  contracts: { date: "start_date", attributes: false, subscription: true },
  invoices: { date: "invoice_date", attributes: false, subscription: false },
};
const ATTRIBUTE_COLUMNS = [
  "account_name",
  "industry",
  "region",
  "country",
  "tier",
  "employees",
  "acquisition_channel",
  "key_account_manager",
] as const;

export async function deriveAccounts(
  db: Db,
  sources: readonly ExtractName[],
  format: Pick<CsvFormat, "moneyDecimals">,
): Promise<number> {
  const parts = sources.flatMap((name) => {
    const a = ACTIVITY[name];
    if (!a) return [];
    const attrs = ATTRIBUTE_COLUMNS.map((c) =>
      a.attributes ? `CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}` : `CAST(NULL AS VARCHAR) AS ${ident(c)}`,
    );
    return [
      `SELECT ${literal(name)} AS source, line, account_id, ${ident(a.date)} AS d, ${a.subscription} AS subscription, ${attrs.join(", ")} FROM accepted_${name}`,
    ];
  });
  // Most recent non-empty value; ties on a date go to the later line, so the choice never depends on scan order.
  const latest = (c: string) =>
    `arg_max(${ident(c)}, strftime(d, '%Y-%m-%d') || lpad(CAST(line AS VARCHAR), 15, '0')) FILTER (WHERE ${ident(c)} IS NOT NULL)`;
  return createDerived(
    db,
    "accounts",
    `WITH activity AS (${parts.join(" UNION ALL ")})
     SELECT min(line) AS line, account_id,
       coalesce(${latest("account_name")}, account_id) AS account_name,
       ${latest("industry")} AS industry, TRY_CAST(${latest("employees")} AS BIGINT) AS employees, NULL AS seats,
       -- Exports without a region often have a country: it is the region segment then.
       coalesce(${latest("region")}, ${latest("country")}) AS region, ${latest("tier")} AS tier,
       CASE WHEN bool_or(subscription) THEN 'subscription' ELSE 'transactional' END AS business_model,
       ${latest("acquisition_channel")} AS acquisition_channel, min(d) AS acquired_on,
       ${latest("key_account_manager")} AS key_account_manager,
       NULL AS contact_name, NULL AS contact_email, NULL AS contact_phone, NULL AS notes
     FROM activity GROUP BY account_id`,
    format,
  );
}

/** Which provided or derived extracts name products, with the product name and line type they carry. */
export async function deriveProducts(
  db: Db,
  sources: readonly ExtractName[],
  currency: string,
  format: Pick<CsvFormat, "moneyDecimals">,
): Promise<number> {
  const parts: string[] = [];
  if (sources.includes("transactions"))
    parts.push(
      "SELECT line, coalesce(product_id, " +
        literal(ALL_PRODUCTS) +
        ") AS product_id, product_name, 'product' AS category, date AS d FROM accepted_transactions",
    );
  if (sources.includes("subscriptions"))
    parts.push(
      "SELECT line, coalesce(product_id, " +
        literal(SUBSCRIPTION_PRODUCT) +
        ") AS product_id, product_name, 'subscription' AS category, start_date AS d FROM accepted_subscriptions",
    );
  if (sources.includes("invoice_lines"))
    parts.push(
      "SELECT l.line, l.product_id, NULL AS product_name, l.line_type AS category, i.invoice_date AS d FROM accepted_invoice_lines l JOIN accepted_invoices i USING (invoice_id)",
    );
  if (sources.includes("contracts"))
    parts.push(
      "SELECT line, product_id, NULL AS product_name, 'subscription' AS category, start_date AS d FROM accepted_contracts",
    );
  if (parts.length === 0) {
    await createEmpty(db, "products", format);
    return 0;
  }
  return createDerived(
    db,
    "products",
    `WITH named AS (${parts.join(" UNION ALL ")})
     SELECT min(line) AS line, product_id,
       coalesce(arg_max(product_name, strftime(d, '%Y-%m-%d') || lpad(CAST(line AS VARCHAR), 15, '0')) FILTER (WHERE product_name IS NOT NULL), product_id) AS product_name,
       min(category) AS category, NULL AS list_price, NULL AS unit_cost, ${literal(currency)} AS currency, min(d) AS launched_on, NULL AS withdrawn_on
     FROM named GROUP BY product_id`,
    format,
  );
}
