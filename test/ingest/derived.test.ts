/**
 * One export is enough: accounts, products, invoices and their lines derived from a
 * transactions file, and contracts from a subscriptions file, checked against values worked
 * out by hand from the few rows below. Also the mapping forms (value map, constant, sequence,
 * quantity × price), row filters and money with 4 decimals.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../loaders/config.js";
import { openDb, type Db } from "../../loaders/db.js";
import { ingest } from "../../loaders/ingest/index.js";
import type { IngestReport } from "../../src/lib/shapes/ingest-report.js";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function folder(files: Record<string, string>, config: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-sources-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  writeFileSync(path.join(dir, "atlas.config.json"), JSON.stringify({ sourceDir: ".", currency: "USD", ...config }));
  return path.join(dir, "atlas.config.json");
}

async function withIngest<T>(configPath: string, body: (db: Db, report: IngestReport) => Promise<T>): Promise<T> {
  const db = await openDb();
  try {
    return await body(db, await ingest(db, loadConfig(configPath)));
  } finally {
    db.close();
  }
}

const byName = (report: IngestReport, name: string) => report.extracts.find((e) => e.extract === name)!;

// An order-lines export: day-first dates, 4-decimal money, an order id two customers share
// (a data-entry clash), a return (negative line), a profit column, a deal stage to filter on.
const ORDERS = `Row ID,Order ID,Order Date,Customer ID,Customer Name,Segment,Product ID,Product Name,Sales,Quantity,Profit,Stage
1,O-1,03/02/2023,C1,Ελένη Α.,Consumer,P1,Chair,261.96,2,41.9136,Won
2,O-1,03/02/2023,C1,Ελένη Α.,Consumer,P2,Desk,22.368,1,-3.0576,Won
3,O-2,15/06/2023,C2,山田,Corporate,P1,Chair,130.98,1,20.5,Won
4,O-2,15/06/2023,C3,Müller GmbH,,P2,Desk,100,1,10,Won
5,O-3,20/01/2024,C1,Eleni A.,Home Office,P1,Chair Pro,-130.98,-1,-20.5,Won
6,O-4,21/01/2024,C3,,Corporate,P2,Desk,50.5,1,5,Lost
`;
const ORDER_COLUMNS = {
  account_id: "Customer ID",
  account_name: "Customer Name",
  date: "Order Date",
  order_id: "Order ID",
  product_id: "Product ID",
  product_name: "Product Name",
  amount: "Sales",
  quantity: "Quantity",
  profit: "Profit",
  tier: "Segment",
  industry: { value: "Retail" },
};

describe("transactions → accounts, products, invoices, invoice lines", () => {
  const config = () =>
    folder(
      { "orders.csv": ORDERS },
      {
        asOf: "2024-06-30",
        format: { dateFormat: "%d/%m/%Y", moneyDecimals: 4 },
        extracts: {
          transactions: { file: "orders.csv", columns: ORDER_COLUMNS, filter: [{ header: "Stage", in: ["won"] }] },
        },
      },
    );

  it("counts every row: 5 accepted, 1 filtered out, none lost; money exact at 4 decimals", async () => {
    await withIngest(config(), async (_db, report) => {
      const t = byName(report, "transactions");
      expect(t).toMatchObject({
        provided: true,
        rowsRead: 6,
        accepted: 5,
        quarantined: 0,
        filtered: [{ rule: 'Stage in "won"', count: 1 }],
      });
      // 261.96 + 22.368 + 130.98 + 100 − 130.98 = 384.328
      expect(t.money).toMatchObject({ sourceTotal: "384.3280", acceptedTotal: "384.3280", balanced: true });
      // Cents per line: 261.96 + 22.37 + 130.98 + 100.00 − 130.98 = 384.33, so rounding adds 0.002.
      expect(t.rounding).toEqual({ decimals: 4, differenceTotal: "-0.0020" });
      for (const name of ["accounts", "products", "invoices", "invoice_lines"])
        expect(byName(report, name)).toMatchObject({ provided: false, derivedFrom: "transactions" });
      expect(byName(report, "contracts")).toMatchObject({ provided: false, derivedFrom: null, accepted: 0 });
      expect(report.asOf).toBe("2024-06-30");
      expect(report.coverage).toMatchObject({
        shape: "transactional",
        contracts: false,
        invoices: true,
        spend: false,
        nps: false,
        margin: "line_cost",
      });
      expect(report.coverage.attributes).toMatchObject({ industry: true, tier: true, region: false, size: false });
    });
  });

  it("derives each account from its own rows: latest non-empty name and attribute, first purchase", async () => {
    await withIngest(config(), async (db) => {
      const accounts = await db.all<Record<string, unknown>>(
        "SELECT account_id, account_name, tier, industry, business_model, CAST(acquired_on AS VARCHAR) AS acquired_on FROM accepted_accounts ORDER BY account_id",
      );
      expect(accounts).toEqual([
        {
          account_id: "C1",
          account_name: "Eleni A.",
          tier: "Home Office",
          industry: "Retail",
          business_model: "transactional",
          acquired_on: "2023-02-03",
        },
        {
          account_id: "C2",
          account_name: "山田",
          tier: "Corporate",
          industry: "Retail",
          business_model: "transactional",
          acquired_on: "2023-06-15",
        },
        // C3's only accepted row has no segment; its filtered-out row (with one) does not count.
        {
          account_id: "C3",
          account_name: "Müller GmbH",
          tier: null,
          industry: "Retail",
          business_model: "transactional",
          acquired_on: "2023-06-15",
        },
      ]);
      const products = await db.all<Record<string, unknown>>(
        "SELECT product_id, product_name, unit_cost FROM accepted_products ORDER BY product_id",
      );
      expect(products).toEqual([
        { product_id: "P1", product_name: "Chair Pro", unit_cost: null },
        { product_id: "P2", product_name: "Desk", unit_cost: null },
      ]);
    });
  });

  it("never joins one customer's lines to another's invoice; a return is a credit note", async () => {
    await withIngest(config(), async (db) => {
      const invoices = await db.all<Record<string, unknown>>(
        "SELECT invoice_id, account_id, CAST(invoice_date AS VARCHAR) AS d, document_type FROM accepted_invoices ORDER BY invoice_id",
      );
      expect(invoices).toEqual([
        { invoice_id: "O-1", account_id: "C1", d: "2023-02-03", document_type: "invoice" },
        { invoice_id: "O-2 · C2", account_id: "C2", d: "2023-06-15", document_type: "invoice" },
        { invoice_id: "O-2 · C3", account_id: "C3", d: "2023-06-15", document_type: "invoice" },
        { invoice_id: "O-3", account_id: "C1", d: "2024-01-20", document_type: "credit_note" },
      ]);
      const lines = await db.all<Record<string, unknown>>(
        "SELECT invoice_id, CAST(line_no AS INTEGER) AS line_no, CAST(amount AS VARCHAR) AS amount, CAST(cost AS VARCHAR) AS cost FROM accepted_invoice_lines ORDER BY line",
      );
      // cost = amount − profit
      expect(lines).toEqual([
        { invoice_id: "O-1", line_no: 1, amount: "261.9600", cost: "220.0464" },
        { invoice_id: "O-1", line_no: 2, amount: "22.3680", cost: "25.4256" },
        { invoice_id: "O-2 · C2", line_no: 1, amount: "130.9800", cost: "110.4800" },
        { invoice_id: "O-2 · C3", line_no: 1, amount: "100.0000", cost: "90.0000" },
        { invoice_id: "O-3", line_no: 1, amount: "-130.9800", cost: "-110.4800" },
      ]);
    });
  });

  it("with 2 money decimals (the default), 4-decimal amounts are quarantined and the message says which setting to change", async () => {
    const path = folder(
      { "orders.csv": ORDERS },
      {
        asOf: "2024-06-30",
        format: { dateFormat: "%d/%m/%Y" },
        extracts: { transactions: { file: "orders.csv", columns: ORDER_COLUMNS } },
      },
    );
    await withIngest(path, async (db, report) => {
      expect(byName(report, "transactions")).toMatchObject({ accepted: 4, quarantined: 2 });
      const [row] = await db.all<{ message: string }>(
        "SELECT message FROM quarantine WHERE line = 3 AND extract = 'transactions' AND code = 'invalid_money'",
      );
      expect(row.message).toContain("set format.moneyDecimals");
    });
  });
});

describe("mapping forms", () => {
  it("computes amount = quantity × unit price exactly, and quarantines what it cannot", async () => {
    const file = `InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID
536365,85123A,6,2010-12-01 08:26:00,2.55,17850
536365,71053,6,2010-12-01 08:26:00,3.39,17850
C536379,D,-1,2010-12-01 09:41:00,27.5,14527
536380,22961,0.5,2010-12-01 09:41:00,0.0125,14527
536381,22139,2,2010-12-01 09:45:00,,14527
536382,22139,2,2010-12-01 09:46:00,4.25,
`;
    const path = folder(
      { "retail.csv": file },
      {
        asOf: "2010-12-31",
        format: { dateFormat: "%Y-%m-%d %H:%M:%S", moneyDecimals: 4 },
        extracts: {
          transactions: {
            file: "retail.csv",
            columns: {
              account_id: "CustomerID",
              order_id: "InvoiceNo",
              product_id: "StockCode",
              quantity: "Quantity",
              unit_price: "UnitPrice",
              date: "InvoiceDate",
              amount: { multiply: ["quantity", "unit_price"] },
            },
          },
        },
      },
    );
    await withIngest(path, async (db, report) => {
      const q = await db.all<{ line: string; code: string; column_name: string }>(
        "SELECT line, code, column_name FROM quarantine ORDER BY line",
      );
      expect(q.map((r) => [Number(r.line), r.code, r.column_name])).toEqual([
        [5, "invalid_money", "amount"], // 0.5 × 0.0125 = 0.00625: five decimals
        [6, "missing_value", "amount"], // no unit price
        [7, "missing_value", "account_id"], // no customer: reported, never valued
      ]);
      const lines = await db.all<{ amount: string }>(
        "SELECT CAST(amount AS VARCHAR) AS amount FROM accepted_transactions ORDER BY line",
      );
      expect(lines.map((l) => l.amount)).toEqual(["15.3000", "20.3400", "-27.5000"]);
      // Accepted 15.30 + 20.34 − 27.50 = 8.14; the row without a customer (2 × 4.25) is quarantined with its amount.
      expect(byName(report, "transactions").money).toMatchObject({
        sourceTotal: "16.6400",
        acceptedTotal: "8.1400",
        quarantinedTotal: "8.5000",
        balanced: true,
      });
      const invoices = await db.all<{ invoice_id: string; document_type: string }>(
        "SELECT invoice_id, document_type FROM accepted_invoices ORDER BY invoice_id",
      );
      expect(invoices).toEqual([
        { invoice_id: "536365", document_type: "invoice" },
        { invoice_id: "C536379", document_type: "credit_note" },
      ]);
    });
  });

  it("generates line numbers within each invoice, in file order", async () => {
    const path = folder(
      {
        "invoices.csv":
          "invoice_id,account_id,invoice_date,currency,document_type\nI1,A1,2024-01-01,USD,invoice\nI2,A1,2024-02-01,USD,invoice\n",
        "lines.csv":
          "Invoice,Item,Qty,Price,Total,Kind\nI1,X,1,10.00,10.00,Service\nI2,X,2,10.00,20.00,Service\nI1,Y,1,5.00,5.00,Service\n",
      },
      {
        asOf: "2024-06-30",
        extracts: {
          invoices: { file: "invoices.csv" },
          invoice_lines: {
            file: "lines.csv",
            columns: {
              invoice_id: "Invoice",
              line_no: { generate: "sequence" },
              product_id: "Item",
              quantity: "Qty",
              unit_price: "Price",
              amount: "Total",
              line_type: { header: "Kind", map: { Service: "service" } },
            },
          },
        },
      },
    );
    await withIngest(path, async (db) => {
      const rows = await db.all<Record<string, unknown>>(
        "SELECT line, invoice_id, line_no, line_type FROM accepted_invoice_lines ORDER BY line",
      );
      expect(rows.map((r) => [Number(r.line), r.invoice_id, Number(r.line_no), r.line_type])).toEqual([
        [2, "I1", 1, "service"],
        [3, "I2", 1, "service"],
        [4, "I1", 2, "service"],
      ]);
    });
  });
});

describe("subscriptions → contracts", () => {
  it("turns each subscription into a contract with MRR per month and a change type", async () => {
    const subs = `id,Customer ID,Plan,Quantity,Interval,Amount,Status,Start (UTC),Ended At (UTC)
sub_1,cus_A,pro,5,month,250.00,canceled,2023-01-01,2023-06-30
sub_2,cus_A,pro,5,year,3000.00,active,2023-07-15,
sub_3,cus_A,addon,1,month,20.00,active,2024-01-01,2026-12-31
sub_4,cus_B,basic,1,year,1000.00,active,2024-03-01,
sub_5,cus_B,basic,1,month,90.00,incomplete_expired,2024-02-01,
`;
    const path = folder(
      { "subscriptions.csv": subs },
      {
        asOf: "2024-06-30",
        extracts: {
          subscriptions: {
            file: "subscriptions.csv",
            columns: {
              subscription_id: "id",
              account_id: "Customer ID",
              product_id: "Plan",
              quantity: "Quantity",
              interval: { header: "Interval", map: { month: "monthly", year: "annual" } },
              amount: "Amount",
              status: "Status",
              start_date: "Start (UTC)",
              end_date: "Ended At (UTC)",
            },
            filter: [{ header: "Status", in: ["active", "canceled", "past_due", "trialing"] }],
          },
        },
      },
    );
    await withIngest(path, async (db, report) => {
      expect(byName(report, "subscriptions")).toMatchObject({
        rowsRead: 5,
        accepted: 4,
        quarantined: 0,
        filtered: [{ count: 1 }],
      });
      expect(byName(report, "contracts")).toMatchObject({ derivedFrom: "subscriptions", accepted: 4 });
      const contracts = await db.all<Record<string, unknown>>(
        "SELECT contract_id, account_id, billing_term, CAST(mrr AS VARCHAR) AS mrr, CAST(seats AS INTEGER) AS seats, change_type, CAST(end_date AS VARCHAR) AS end_date FROM accepted_contracts ORDER BY contract_id",
      );
      expect(contracts).toEqual([
        {
          contract_id: "sub_1",
          account_id: "cus_A",
          billing_term: "monthly",
          mrr: "250.00",
          seats: 5,
          change_type: "new",
          end_date: "2023-06-30",
        },
        // 3000 a year = 250 a month; starts 15 days after sub_1 ended.
        {
          contract_id: "sub_2",
          account_id: "cus_A",
          billing_term: "annual",
          mrr: "250.00",
          seats: 5,
          change_type: "renewal",
          end_date: null,
        },
        // Starts while sub_2 runs; may end after the as-of date.
        {
          contract_id: "sub_3",
          account_id: "cus_A",
          billing_term: "monthly",
          mrr: "20.00",
          seats: 1,
          change_type: "addon",
          end_date: "2026-12-31",
        },
        // 1000 / 12 = 83.33 (cents: DECIMAL(18,2) with 2 money decimals).
        {
          contract_id: "sub_4",
          account_id: "cus_B",
          billing_term: "annual",
          mrr: "83.33",
          seats: 1,
          change_type: "new",
          end_date: null,
        },
      ]);
      const accounts = await db.all<Record<string, unknown>>(
        "SELECT account_id, business_model, CAST(acquired_on AS VARCHAR) AS acquired_on FROM accepted_accounts ORDER BY 1",
      );
      expect(accounts).toEqual([
        { account_id: "cus_A", business_model: "subscription", acquired_on: "2023-01-01" },
        { account_id: "cus_B", business_model: "subscription", acquired_on: "2024-03-01" },
      ]);
      expect(report.coverage).toMatchObject({ shape: "subscription", contracts: true, invoices: false });
    });
  });
});
