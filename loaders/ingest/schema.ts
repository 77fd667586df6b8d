/**
 * The canonical shape of every CRM extract (see data/README.md): column types, which
 * columns are required, keys, references between extracts and row-level business rules.
 * The validator turns each spec into one SQL pass; nothing here touches data.
 */

import type { ExtractName as ReportExtractName } from "../../src/lib/shapes/ingest-report.js";

/** How a text cell is parsed. `money` has at most two decimals; `price` at most four. */
export type ColumnType = "id" | "text" | "int" | "number" | "money" | "price" | "date" | "enum";
// number: DECIMAL(18,4); money: DECIMAL(18,2); price: DECIMAL(18,4) — all exact, never floats.

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** A required column must be in the header and non-empty on every row. */
  readonly required: boolean;
  /** Allowed values of an `enum` column (compared case-insensitively, stored lower-case). */
  readonly values?: readonly string[];
  /** Inclusive numeric bounds for int / number columns. */
  readonly min?: number;
  readonly max?: number;
  /** Personal data: dropped when publishing (issue 7); never needed by the pages. */
  readonly personal?: boolean;
  /** Free text (notes, comments, activities): personal unless the config's `publish.keepText` names it. */
  readonly freeText?: boolean;
  /** A date that may lie after the as-of date (a subscription set to end later). */
  readonly future?: boolean;
}

export interface ReferenceSpec {
  readonly column: string;
  readonly extract: ExtractName;
  readonly targetColumn: string;
  /** Columns of the referenced row made available to rules as `ref_<column>`. */
  readonly bring?: readonly string[];
}

/**
 * A row-level rule beyond types: `sql` is a boolean expression over the typed columns
 * (and `ref_*` columns joined from referenced extracts) that is TRUE when the row breaks it.
 */
export interface RuleSpec {
  readonly code: string;
  readonly column: string;
  readonly message: string;
  readonly sql: string;
}

export interface ExtractSpec {
  readonly name: ExtractName;
  readonly columns: readonly ColumnSpec[];
  /** Columns that identify a row; a repeat of an earlier key is quarantined. */
  readonly key: readonly string[];
  readonly references: readonly ReferenceSpec[];
  readonly rules: readonly RuleSpec[];
  /** The money column reconciled between source and accepted + quarantined rows. */
  readonly moneyColumn?: string;
  /** Date columns checked against [earliest date, as-of date]. */
  readonly dateColumns: readonly string[];
  /**
   * Rows of one group whose [start, end] periods must not overlap (a contract's MRR would
   * count twice): a row starting on or before the end of an earlier-starting row is quarantined.
   */
  readonly noOverlap?: { readonly group: readonly string[]; readonly start: string; readonly end: string };
}

export const EXTRACT_NAMES = [
  "role_rates",
  "products",
  "accounts",
  "transactions",
  "subscriptions",
  "contracts",
  "invoices",
  "invoice_lines",
  "marketing_spend",
  "nps_responses",
  "time_entries",
] as const;
export type ExtractName = (typeof EXTRACT_NAMES)[number];
// The browser-side report type names the same extracts; this line fails to compile if they drift.
const SAME_NAMES: readonly ReportExtractName[] = EXTRACT_NAMES satisfies readonly ExtractName[];
void SAME_NAMES;

const req = (name: string, type: ColumnType, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type,
  required: true,
  ...extra,
});
const opt = (name: string, type: ColumnType, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type,
  required: false,
  ...extra,
});
const ref = (column: string, extract: ExtractName, bring: readonly string[] = []): ReferenceSpec => ({
  column,
  extract,
  targetColumn: column,
  bring,
});

/** Customer attributes a source extract may carry; derived accounts take each one's most recent non-empty value. */
const ATTRIBUTES: readonly ColumnSpec[] = [
  opt("industry", "text"),
  opt("region", "text"),
  opt("country", "text"),
  opt("tier", "text"),
  opt("employees", "int", { min: 0 }),
  opt("acquisition_channel", "text"),
  // Kept on the derived account (pseudonymised there when publishing); emptied here.
  opt("key_account_manager", "text", { personal: true }),
];

/** Source extracts: one export a company really has, from which the canonical extracts are derived (./derived.ts). */
export const SOURCE_EXTRACTS = ["transactions", "subscriptions"] as const;
export type SourceExtractName = (typeof SOURCE_EXTRACTS)[number];

/**
 * Specs in dependency order: an extract's references point only to extracts before it. A
 * reference to an extract that is neither provided nor derived by then is not checked (see
 * ./index.ts): with no accounts file, the accounts are whoever the activity names.
 */
export const EXTRACTS: Readonly<Record<ExtractName, ExtractSpec>> = {
  role_rates: {
    name: "role_rates",
    columns: [req("role", "id"), req("hourly_cost", "money"), req("currency", "text")],
    key: ["role"],
    references: [],
    rules: [
      { code: "negative_amount", column: "hourly_cost", message: "hourly cost is negative", sql: "hourly_cost < 0" },
    ],
    moneyColumn: "hourly_cost",
    dateColumns: [],
  },
  products: {
    name: "products",
    columns: [
      req("product_id", "id"),
      req("product_name", "text"),
      req("category", "enum", { values: ["subscription", "service", "product"] }),
      req("list_price", "price"),
      req("unit_cost", "price"),
      req("currency", "text"),
      req("launched_on", "date"),
      opt("withdrawn_on", "date"),
    ],
    key: ["product_id"],
    references: [],
    rules: [
      { code: "negative_amount", column: "list_price", message: "list price is negative", sql: "list_price < 0" },
      { code: "negative_amount", column: "unit_cost", message: "unit cost is negative", sql: "unit_cost < 0" },
      {
        code: "date_order",
        column: "withdrawn_on",
        message: "withdrawn before launch",
        sql: "withdrawn_on < launched_on",
      },
    ],
    dateColumns: ["launched_on", "withdrawn_on"],
  },
  accounts: {
    name: "accounts",
    columns: [
      req("account_id", "id"),
      req("account_name", "text"),
      req("industry", "text"),
      req("employees", "int", { min: 0 }),
      req("seats", "int", { min: 0 }),
      req("region", "text"),
      opt("tier", "text"),
      req("business_model", "enum", { values: ["subscription", "transactional"] }),
      req("acquisition_channel", "text"),
      req("acquired_on", "date"),
      opt("key_account_manager", "text"),
      opt("contact_name", "text", { personal: true }),
      opt("contact_email", "text", { personal: true }),
      opt("contact_phone", "text", { personal: true }),
      opt("notes", "text", { personal: true, freeText: true }),
    ],
    key: ["account_id"],
    references: [],
    rules: [],
    dateColumns: ["acquired_on"],
  },
  transactions: {
    name: "transactions",
    columns: [
      req("account_id", "id"),
      req("date", "date"),
      req("amount", "money"),
      opt("account_name", "text", { personal: true }),
      opt("order_id", "id"),
      opt("product_id", "id"),
      opt("product_name", "text"),
      opt("quantity", "number"),
      opt("unit_price", "price"),
      opt("cost", "money"),
      opt("profit", "money"),
      opt("currency", "text"),
      opt("deal_type", "enum", { values: ["new", "renewal", "expansion", "other"] }),
      ...ATTRIBUTES,
    ],
    // Several lines of one order share an order id: a row is its own record (its line).
    key: [],
    references: [ref("account_id", "accounts"), ref("product_id", "products")],
    rules: [],
    moneyColumn: "amount",
    dateColumns: ["date"],
  },
  subscriptions: {
    name: "subscriptions",
    columns: [
      req("account_id", "id"),
      req("start_date", "date"),
      req("amount", "money"),
      req("interval", "enum", { values: ["monthly", "quarterly", "annual"] }),
      opt("subscription_id", "id"),
      opt("account_name", "text", { personal: true }),
      opt("end_date", "date", { future: true }),
      opt("product_id", "id"),
      opt("product_name", "text"),
      opt("quantity", "int", { min: 0 }),
      // Price of one unit (Stripe's "Amount"): then amount = { "multiply": ["quantity", "unit_amount"] }.
      opt("unit_amount", "money"),
      opt("status", "text"),
      opt("currency", "text"),
      ...ATTRIBUTES,
    ],
    key: ["subscription_id"],
    references: [ref("account_id", "accounts"), ref("product_id", "products")],
    rules: [
      { code: "negative_amount", column: "amount", message: "recurring amount is negative", sql: "amount < 0" },
      {
        code: "date_order",
        column: "end_date",
        message: "subscription ends before it starts",
        sql: "end_date < start_date",
      },
    ],
    moneyColumn: "amount",
    // A subscription may be set to end after the as-of date: only its start is checked against it.
    dateColumns: ["start_date"],
  },
  contracts: {
    name: "contracts",
    columns: [
      req("contract_id", "id"),
      req("account_id", "id"),
      req("product_id", "id"),
      req("billing_term", "enum", { values: ["monthly", "quarterly", "annual"] }),
      req("start_date", "date"),
      opt("end_date", "date"),
      req("seats", "int", { min: 0 }),
      req("mrr", "money"),
      req("currency", "text"),
      req("change_type", "enum", {
        values: ["new", "renewal", "upgrade", "downgrade", "price_increase", "addon", "reactivation"],
      }),
    ],
    key: ["contract_id"],
    references: [ref("account_id", "accounts"), ref("product_id", "products")],
    rules: [
      { code: "negative_amount", column: "mrr", message: "MRR is negative", sql: "mrr < 0" },
      {
        code: "date_order",
        column: "end_date",
        message: "contract ends before it starts",
        sql: "end_date < start_date",
      },
    ],
    moneyColumn: "mrr",
    dateColumns: ["start_date", "end_date"],
    noOverlap: { group: ["account_id", "product_id"], start: "start_date", end: "end_date" },
  },
  invoices: {
    name: "invoices",
    columns: [
      req("invoice_id", "id"),
      req("account_id", "id"),
      req("invoice_date", "date"),
      req("currency", "text"),
      req("document_type", "enum", { values: ["invoice", "credit_note"] }),
    ],
    key: ["invoice_id"],
    references: [ref("account_id", "accounts")],
    rules: [],
    dateColumns: ["invoice_date"],
  },
  invoice_lines: {
    name: "invoice_lines",
    columns: [
      req("invoice_id", "id"),
      req("line_no", "int", { min: 1 }),
      req("product_id", "id"),
      req("quantity", "number"),
      req("unit_price", "price"),
      req("amount", "money"),
      req("line_type", "enum", { values: ["subscription", "service", "product"] }),
      // Cost of the line when the export carries it (order lines with cost or profit); else quantity × product unit cost.
      opt("cost", "money"),
    ],
    key: ["invoice_id", "line_no"],
    references: [
      ref("invoice_id", "invoices", ["document_type", "currency"]),
      ref("product_id", "products", ["unit_cost"]),
    ],
    rules: [
      {
        code: "sign_rule",
        column: "amount",
        message: "negative amount on an invoice (only credit notes may be negative)",
        sql: "amount < 0 AND ref_document_type = 'invoice'",
      },
      {
        code: "sign_rule",
        column: "amount",
        message: "positive amount on a credit note",
        sql: "amount > 0 AND ref_document_type = 'credit_note'",
      },
      {
        code: "amount_mismatch",
        column: "amount",
        message: "amount differs from quantity × unit price by more than half a cent",
        // DECIMAL(38): DECIMAL(18,4) × DECIMAL(18,4) would overflow above 10^10.
        sql: "abs(amount - CAST(quantity AS DECIMAL(38,4)) * CAST(unit_price AS DECIMAL(38,4))) > 0.005",
      },
      {
        code: "out_of_range",
        column: "quantity",
        message: "quantity × unit cost of the product is a trillion or more",
        sql: "abs(CAST(quantity AS DECIMAL(38,4)) * CAST(ref_unit_cost AS DECIMAL(38,4))) >= 1e12",
      },
    ],
    moneyColumn: "amount",
    dateColumns: [],
  },
  marketing_spend: {
    name: "marketing_spend",
    columns: [
      req("month", "date"),
      req("channel", "text"),
      req("category", "enum", { values: ["sales", "marketing"] }),
      req("amount", "money"),
      req("currency", "text"),
    ],
    key: ["month", "channel", "category"],
    references: [],
    rules: [{ code: "negative_amount", column: "amount", message: "spend is negative", sql: "amount < 0" }],
    moneyColumn: "amount",
    dateColumns: ["month"],
  },
  nps_responses: {
    name: "nps_responses",
    columns: [
      req("response_id", "id"),
      req("account_id", "id"),
      req("responded_on", "date"),
      req("score", "int", { min: 0, max: 10 }),
      opt("comment", "text", { personal: true, freeText: true }),
    ],
    key: ["response_id"],
    references: [ref("account_id", "accounts")],
    rules: [],
    dateColumns: ["responded_on"],
  },
  time_entries: {
    name: "time_entries",
    columns: [
      req("entry_id", "id"),
      req("account_id", "id"),
      req("work_date", "date"),
      req("role", "id"),
      req("hours", "number", { min: 0 }),
      // Free text (what was done, for whom): personal, as every free-text column is.
      opt("activity", "text", { personal: true, freeText: true }),
    ],
    key: ["entry_id"],
    references: [ref("account_id", "accounts"), ref("role", "role_rates", ["hourly_cost"])],
    rules: [
      { code: "out_of_range", column: "hours", message: "hours must be positive", sql: "hours <= 0" },
      {
        code: "out_of_range",
        column: "hours",
        message: "hours × hourly cost of the role is a trillion or more",
        sql: "CAST(hours AS DECIMAL(38,4)) * CAST(ref_hourly_cost AS DECIMAL(38,4)) >= 1e12",
      },
    ],
    dateColumns: ["work_date"],
  },
};

/** Extracts whose rows carry a `currency` column checked against the configured one. */
export function hasCurrency(spec: ExtractSpec): boolean {
  return spec.columns.some((c) => c.name === "currency");
}

/** Every free-text column as "<extract>.<column>": the only ones `publish.keepText` may keep. */
export const FREE_TEXT_COLUMNS: readonly string[] = EXTRACT_NAMES.flatMap((name) =>
  EXTRACTS[name].columns.filter((c) => c.freeText).map((c) => `${name}.${c.name}`),
);
