/**
 * The three business shapes the pages must handle, derived from the bundled sample into a
 * temporary folder with its own config (build with `--config`):
 *
 * - `mixed`: the sample as it is, with its config (subscription and transactional accounts,
 *   every extract, its saved scenarios);
 * - `transactional`: one order-lines export only (`transactions`), one row per invoice line of
 *   the sample, with industry, region and channel per row but no cost, no tier, size or key
 *   account: accounts, products and invoices are derived; no contracts, spend, NPS, time
 *   entries; margin not provided;
 * - `subscription`: only the subscription accounts with their contracts, invoices and lines,
 *   NPS answers and the sample's spend and products; no time entries or role rates;
 * - `subscriptions-export`: a billing system's subscriptions export alone (the Stripe preset's
 *   fixture, test/fixtures/presets/stripe/subscriptions.csv): no invoices, no cost, nothing else.
 *
 * The CSV is rewritten with a small reader of its own (quoted fields, no embedded newlines in
 * the sample), independent of the loaders.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO } from "./fixtures.js";

export type Shape = "mixed" | "transactional" | "subscription" | "subscriptions-export";
export const SHAPES: readonly Shape[] = ["mixed", "transactional", "subscription", "subscriptions-export"];
/** The coverage's business shape of each test shape. */
export const BUSINESS_SHAPE: Record<Shape, "mixed" | "transactional" | "subscription"> = {
  mixed: "mixed",
  transactional: "transactional",
  subscription: "subscription",
  "subscriptions-export": "subscription",
};
const STRIPE = path.join(REPO, "test", "fixtures", "presets", "stripe");
export const SAMPLE_DIR = path.join(REPO, "data", "sample");

const FILES = [
  "accounts",
  "products",
  "contracts",
  "invoices",
  "invoice_lines",
  "marketing_spend",
  "nps_responses",
  "time_entries",
  "role_rates",
] as const;
type FileName = (typeof FILES)[number];

interface Table {
  header: string[];
  rows: string[][];
}

function parseLine(line: string): string[] {
  const out: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cell);
      cell = "";
    } else cell += ch;
  }
  out.push(cell);
  return out;
}

const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

function read(dir: string, name: FileName): Table {
  const lines = readFileSync(path.join(dir, `${name}.csv`), "utf8")
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  return { header: parseLine(lines[0]), rows: lines.slice(1).map(parseLine) };
}

const col = (t: Table, name: string) => {
  const i = t.header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return i;
};

/** The sample's tables filtered to the subscription accounts and what belongs to them. */
function subscriptionTables(t: Record<FileName, Table>): Partial<Record<FileName, Table>> {
  const a = t.accounts;
  const keep = new Set(
    a.rows.filter((r) => r[col(a, "business_model")] === "subscription").map((r) => r[col(a, "account_id")]),
  );
  const byAccount = (x: Table) => ({ header: x.header, rows: x.rows.filter((r) => keep.has(r[col(x, "account_id")])) });
  const invoices = byAccount(t.invoices);
  const invoiceIds = new Set(invoices.rows.map((r) => r[col(invoices, "invoice_id")]));
  const lines = {
    header: t.invoice_lines.header,
    rows: t.invoice_lines.rows.filter((r) => invoiceIds.has(r[col(t.invoice_lines, "invoice_id")])),
  };
  return {
    accounts: byAccount(a),
    products: t.products,
    contracts: byAccount(t.contracts),
    invoices,
    invoice_lines: lines,
    marketing_spend: t.marketing_spend,
    nps_responses: byAccount(t.nps_responses),
  };
}

/** Columns of the order-lines export and the config's mapping of them. */
export const ORDER_COLUMNS = {
  account_id: "Customer ID",
  account_name: "Customer",
  date: "Order Date",
  order_id: "Order No",
  product_id: "SKU",
  product_name: "Item",
  quantity: "Qty",
  unit_price: "Unit Price",
  amount: "Line Total",
  industry: "Industry",
  region: "Region",
  acquisition_channel: "Channel",
} as const;

/** One row per invoice line of the sample, with the invoice's date and account and the account's attributes. */
export function orderLines(t: Record<FileName, Table> = readAll(SAMPLE_DIR)): Table {
  const a = t.accounts;
  const account = new Map(a.rows.map((r) => [r[col(a, "account_id")], r]));
  const inv = t.invoices;
  const invoice = new Map(inv.rows.map((r) => [r[col(inv, "invoice_id")], r]));
  const p = t.products;
  const product = new Map(p.rows.map((r) => [r[col(p, "product_id")], r]));
  const l = t.invoice_lines;
  const rows = l.rows.map((line) => {
    const i = invoice.get(line[col(l, "invoice_id")])!;
    const acc = account.get(i[col(inv, "account_id")])!;
    return [
      acc[col(a, "account_id")],
      acc[col(a, "account_name")],
      i[col(inv, "invoice_date")],
      line[col(l, "invoice_id")],
      line[col(l, "product_id")],
      product.get(line[col(l, "product_id")])![col(p, "product_name")],
      line[col(l, "quantity")],
      line[col(l, "unit_price")],
      line[col(l, "amount")],
      acc[col(a, "industry")],
      acc[col(a, "region")],
      acc[col(a, "acquisition_channel")],
    ];
  });
  return { header: Object.values(ORDER_COLUMNS), rows };
}

function readAll(dir: string): Record<FileName, Table> {
  return Object.fromEntries(FILES.map((f) => [f, read(dir, f)])) as Record<FileName, Table>;
}

const SAMPLE_CONFIG = path.join(REPO, "data", "atlas.config.json");
/** Configs written in this process, per shape (the data is the same each time). */
const MADE = new Map<Shape, string>();

/**
 * Writes the shape's extracts and config into a fresh temporary folder (the sample's own
 * config for `mixed`); returns the config's path.
 */
export function shapeConfig(shape: Shape): string {
  if (shape === "mixed") return SAMPLE_CONFIG;
  const made = MADE.get(shape);
  if (made) return made;
  const dir = mkdtempSync(path.join(os.tmpdir(), `atlas-shape-${shape}-`));
  const sample = JSON.parse(readFileSync(SAMPLE_CONFIG, "utf8")) as Record<string, unknown>;
  const { scenarios: _scenarios, extracts: _extracts, ...common } = sample;
  let extracts: Record<string, unknown>;
  if (shape === "subscriptions-export") {
    writeFileSync(path.join(dir, "subscriptions.csv"), readFileSync(path.join(STRIPE, "subscriptions.csv")));
    const stripe = JSON.parse(readFileSync(path.join(STRIPE, "expected.config.json"), "utf8")) as {
      format: unknown;
      extracts: { subscriptions: unknown };
    };
    extracts = { subscriptions: stripe.extracts.subscriptions };
    const config = path.join(dir, "atlas.config.json");
    writeFileSync(
      config,
      JSON.stringify({ sourceDir: ".", currency: "USD", format: stripe.format, extracts }, null, 2),
    );
    MADE.set(shape, config);
    return config;
  } else if (shape === "transactional") {
    const t = readAll(SAMPLE_DIR);
    writeFileSync(path.join(dir, "orders.csv"), csvText(orderLines(t)));
    extracts = { transactions: { file: "orders.csv", columns: ORDER_COLUMNS } };
  } else {
    const tables = subscriptionTables(readAll(SAMPLE_DIR));
    extracts = {};
    for (const [name, table] of Object.entries(tables)) {
      writeFileSync(path.join(dir, `${name}.csv`), csvText(table!));
      extracts[name] = { file: `${name}.csv` };
    }
  }
  const config = path.join(dir, "atlas.config.json");
  writeFileSync(config, JSON.stringify({ ...common, sourceDir: ".", extracts }, null, 2));
  MADE.set(shape, config);
  return config;
}

function csvText(t: Table): string {
  return [t.header, ...t.rows].map((r) => r.map(quote).join(",")).join("\n") + "\n";
}
