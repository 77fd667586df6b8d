/**
 * The data as it stood at an earlier date: one DuckDB schema of views over the accepted
 * extracts, each keeping only the rows known by the cut date, so that the unchanged derive
 * and models stages (which read unqualified table names) rebuild everything "as of" that date.
 * The backtest and the value bridge use this one mechanism.
 *
 * What "known by the cut" means per extract:
 * - accounts acquired on or before the cut (attributes — industry, tier, size — are today's:
 *   exports carry no attribute history);
 * - contracts started on or before the cut; an end date after the cut was not known then, so
 *   it reads as open-ended;
 * - invoices dated on or before the cut, and their lines; NPS responses, time entries and
 *   marketing spend dated on or before the cut;
 * - products and role rates: all rows (reference data without dates of validity).
 */
import { literal, type Db } from "../db.js";

/** The extracts the derive stage reads, each with the predicate that keeps what was known at `cut` (a SQL date). */
const KNOWN_BY: Readonly<Record<string, (cut: string) => string>> = {
  accounts: (cut) => `SELECT * FROM main.accepted_accounts WHERE acquired_on <= ${cut}`,
  contracts: (cut) =>
    `SELECT * REPLACE (CASE WHEN end_date > ${cut} THEN NULL ELSE end_date END AS end_date) FROM main.accepted_contracts WHERE start_date <= ${cut}`,
  invoices: (cut) => `SELECT * FROM main.accepted_invoices WHERE invoice_date <= ${cut}`,
  invoice_lines: (cut) =>
    `SELECT l.* FROM main.accepted_invoice_lines l SEMI JOIN main.accepted_invoices i ON l.invoice_id = i.invoice_id AND i.invoice_date <= ${cut}`,
  nps_responses: (cut) => `SELECT * FROM main.accepted_nps_responses WHERE responded_on <= ${cut}`,
  time_entries: (cut) => `SELECT * FROM main.accepted_time_entries WHERE work_date <= ${cut}`,
  marketing_spend: (cut) => `SELECT * FROM main.accepted_marketing_spend WHERE month <= ${cut}`,
  products: () => `SELECT * FROM main.accepted_products`,
  role_rates: () => `SELECT * FROM main.accepted_role_rates`,
};

export const asOfSchemaName = (cut: string) => `asof_${cut.replaceAll("-", "")}`;

/**
 * Runs `work` with the default schema switched to a fresh schema holding the data as of `cut`
 * ("YYYY-MM-DD"): unqualified reads see the cut extracts, unqualified `CREATE TABLE`s land in
 * that schema, and `main` is untouched. The schema is kept (callers read its tables after).
 */
export async function withDataAsOf<T>(db: Db, cut: string, work: (schema: string) => Promise<T>): Promise<T> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(cut)) throw new RangeError(`invalid cut date: ${cut} (expected YYYY-MM-DD)`);
  const schema = asOfSchemaName(cut);
  const date = `DATE ${literal(cut)}`;
  await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  for (const [name, known] of Object.entries(KNOWN_BY))
    await db.run(`CREATE VIEW ${schema}.accepted_${name} AS ${known(date)}`);
  await db.run(`SET schema = '${schema}'`);
  try {
    return await work(schema);
  } finally {
    await db.run("SET schema = 'main'");
  }
}

/** The schema tables are created in (where `account_value` is appended to). */
export async function currentSchema(db: Db): Promise<string> {
  const [{ schema }] = await db.all<{ schema: string }>("SELECT current_schema() AS schema");
  return schema;
}
