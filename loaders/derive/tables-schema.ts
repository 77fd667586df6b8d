/**
 * The schema of the per-account tables that every page is built from. They are plain
 * aggregates a warehouse (or any SQL engine where the CRM data already lives) can produce
 * with the SQL in ./tables.ts and hand to LTV Atlas instead of raw extracts; `checkAggregates`
 * verifies a set of such tables, whoever made them.
 */
import { ident, literal, type Db } from "../db.js";

export interface SchemaColumn {
  readonly name: string;
  /** DuckDB type family accepted for the column. */
  readonly type: "VARCHAR" | "INTEGER" | "DOUBLE" | "DATE" | "BOOLEAN";
  readonly nullable: boolean;
  readonly meaning: string;
}

export interface TableSchema {
  readonly table: "dim_accounts" | "account_month" | "spend_month";
  readonly grain: readonly string[];
  readonly columns: readonly SchemaColumn[];
}

const col = (name: string, type: SchemaColumn["type"], meaning: string, nullable = false): SchemaColumn => ({
  name,
  type,
  nullable,
  meaning,
});

export const AGGREGATE_TABLE_SCHEMAS: readonly TableSchema[] = [
  {
    table: "dim_accounts",
    grain: ["account_id"],
    columns: [
      col("account_id", "VARCHAR", "the CRM's account id"),
      col("account_name", "VARCHAR", "display name (pseudonymised when publishing)"),
      col("industry", "VARCHAR", "segment attribute"),
      col("employees", "INTEGER", "headcount"),
      col("seats", "INTEGER", "licensed users"),
      col("size_band", "VARCHAR", "Small (<50) / Mid (50–999) / Enterprise (1000+) from employees"),
      col("region", "VARCHAR", "segment attribute"),
      col("tier", "VARCHAR", "subscription tier, '(none)' for transactional accounts"),
      col("business_model", "VARCHAR", "'subscription' or 'transactional'"),
      col("channel", "VARCHAR", "acquisition channel (matches spend_month.channel)"),
      col("acquired_on", "DATE", "acquisition date"),
      col("cohort_month", "DATE", "first day of the acquisition month"),
      col("key_account", "BOOLEAN", "has a key-account manager"),
    ],
  },
  {
    table: "account_month",
    grain: ["account_id", "month"],
    columns: [
      col("account_id", "VARCHAR", "references dim_accounts"),
      col("month", "DATE", "first day of the month"),
      col("revenue_cents", "INTEGER", "net billed revenue in the month (credit notes negative), cents"),
      col("subscription_revenue_cents", "INTEGER", "of which subscription lines"),
      col("service_revenue_cents", "INTEGER", "of which services"),
      col("product_revenue_cents", "INTEGER", "of which products"),
      col("cogs_cents", "INTEGER", "quantity × unit cost of what was billed, cents"),
      col("mrr_cents", "INTEGER", "MRR of contracts running on the month's last day (or the as-of date), cents"),
      col("hours", "DOUBLE", "hours booked on the account"),
      col("cost_to_serve_cents", "INTEGER", "hours × role cost, cents"),
      col("invoices", "INTEGER", "invoices issued (credit notes excluded)"),
    ],
  },
  {
    table: "spend_month",
    grain: ["month", "channel"],
    columns: [
      col("month", "DATE", "first day of the month"),
      col("channel", "VARCHAR", "acquisition channel"),
      col("spend_cents", "INTEGER", "sales + marketing spend, cents"),
    ],
  },
];

const TYPE_FAMILIES: Record<SchemaColumn["type"], RegExp> = {
  VARCHAR: /^VARCHAR$/,
  INTEGER: /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/,
  DOUBLE: /^(DOUBLE|FLOAT|DECIMAL\(\d+,\d+\)|BIGINT|INTEGER)$/,
  DATE: /^DATE$/,
  BOOLEAN: /^BOOLEAN$/,
};

/**
 * Checks tables (DuckDB table names or Parquet paths, keyed by table) against their
 * schema: columns and types, non-null columns, unique grain, months on the first day,
 * references to dim_accounts. Returns the problems, each naming table and column; [] when valid.
 */
export async function checkAggregates(
  db: Db,
  sources: Readonly<Record<TableSchema["table"], string>>,
): Promise<string[]> {
  const problems: string[] = [];
  const from = (table: TableSchema["table"]) =>
    sources[table].endsWith(".parquet") ? `read_parquet(${literal(sources[table])})` : ident(sources[table]);
  for (const schema of AGGREGATE_TABLE_SCHEMAS) {
    const described = await db.all<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT * FROM ${from(schema.table)}`,
    );
    const types = new Map(described.map((d) => [d.column_name, d.column_type]));
    for (const c of schema.columns) {
      const type = types.get(c.name);
      if (type === undefined) problems.push(`${schema.table}.${c.name}: missing (${c.meaning})`);
      else if (!TYPE_FAMILIES[c.type].test(type))
        problems.push(`${schema.table}.${c.name}: type ${type}, expected ${c.type}`);
    }
    if (problems.length > 0) continue;
    for (const c of schema.columns.filter((x) => !x.nullable)) {
      const [{ n }] = await db.all<{ n: string }>(
        `SELECT count(*) AS n FROM ${from(schema.table)} WHERE ${ident(c.name)} IS NULL`,
      );
      if (Number(n) > 0) problems.push(`${schema.table}.${c.name}: ${n} NULL values`);
    }
    const key = schema.grain.map(ident).join(", ");
    const [{ d }] = await db.all<{ d: string }>(
      `SELECT count(*) AS d FROM (SELECT ${key} FROM ${from(schema.table)} GROUP BY ALL HAVING count(*) > 1)`,
    );
    if (Number(d) > 0)
      problems.push(
        `${schema.table}: ${d} repeated (${schema.grain.join(", ")}) — one row per ${schema.grain.join(" × ")} expected`,
      );
    if (schema.columns.some((c) => c.name === "month")) {
      const [{ m }] = await db.all<{ m: string }>(
        `SELECT count(*) AS m FROM ${from(schema.table)} WHERE day(month) <> 1`,
      );
      if (Number(m) > 0) problems.push(`${schema.table}.month: ${m} values not on the first day of a month`);
    }
  }
  if (problems.length === 0) {
    const [{ o }] = await db.all<{ o: string }>(
      `SELECT count(*) AS o FROM ${from("account_month")} m WHERE NOT EXISTS (SELECT 1 FROM ${from("dim_accounts")} a WHERE a.account_id = m.account_id)`,
    );
    if (Number(o) > 0)
      problems.push(`account_month.account_id: ${o} rows reference accounts missing from dim_accounts`);
  }
  return problems;
}
