/**
 * loaders/init/headers.ts: common export spellings reach the right canonical column whatever
 * their case, spaces, underscores or punctuation; the sample's own files are recognised as the
 * canonical extracts they are.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { matchCanonical, matchHeaders, normalizeHeader } from "../../loaders/init/headers.js";
import { EXTRACT_NAMES } from "../../loaders/ingest/schema.js";

const SAMPLE = path.resolve(import.meta.dirname, "../../data/sample");

/** canonical column → header, of a transactions match. */
function transactions(headers: string[]): Record<string, string> {
  return Object.fromEntries([...matchHeaders(headers, "transactions")].map(([c, m]) => [c, m.header]));
}

describe("normalising", () => {
  it("ignores case, spaces, underscores and punctuation", () => {
    for (const h of ["Customer ID", "CustomerID", "customer_id", " CUSTOMER-ID ", "Customer.Id"])
      expect(normalizeHeader(h)).toBe("customerid");
    expect(normalizeHeader("Date (UTC)")).toBe("dateutc");
    expect(normalizeHeader("Société")).toBe("societe");
  });
});

describe("spellings", () => {
  const cases: [string, string][] = [
    ["Customer ID", "account_id"],
    ["CustomerID", "account_id"],
    ["customer_id", "account_id"],
    ["Customer", "account_id"],
    ["Account Name", "account_id"],
    ["Account ID", "account_id"],
    ["Company", "account_id"],
    ["Associated Company", "account_id"],
    ["Order Date", "date"],
    ["InvoiceDate", "date"],
    ["Invoice Date", "date"],
    ["Close Date", "date"],
    ["Date (UTC)", "date"],
    ["Created (UTC)", "date"],
    ["Sales", "amount"],
    ["Amount", "amount"],
    ["Revenue", "amount"],
    ["Total", "amount"],
    ["Amount Paid", "amount"],
    ["Quantity", "quantity"],
    ["Qty", "quantity"],
    ["UnitPrice", "unit_price"],
    ["Unit Price", "unit_price"],
    ["Price", "unit_price"],
    ["Profit", "profit"],
    ["Cost", "cost"],
    ["Order ID", "order_id"],
    ["InvoiceNo", "order_id"],
    ["Invoice", "order_id"],
    ["Product ID", "product_id"],
    ["StockCode", "product_id"],
    ["SKU", "product_id"],
    ["Description", "product_name"],
    ["Product Name", "product_name"],
    ["Segment", "tier"],
    ["Industry", "industry"],
    ["Region", "region"],
    ["Country", "country"],
    ["Type", "deal_type"],
    ["Lead Source", "acquisition_channel"],
    ["Currency", "currency"],
    ["Account Owner", "key_account_manager"],
  ];
  it.each(cases)("%s → %s", (header, column) => {
    expect(transactions([header])[column]).toBe(header);
  });

  it("gives the id to account_id and the name to account_name when both are there", () => {
    expect(transactions(["Customer Name", "Customer ID", "Order Date", "Sales"])).toMatchObject({
      account_id: "Customer ID",
      account_name: "Customer Name",
      date: "Order Date",
      amount: "Sales",
    });
  });

  it("uses each header once", () => {
    const m = transactions(["Account Name", "Close Date", "Amount"]);
    expect(m.account_id).toBe("Account Name");
    expect(m.account_name).toBeUndefined();
  });

  it("recognises a subscriptions export's interval, start, end and status", () => {
    const m = Object.fromEntries(
      [
        ...matchHeaders(
          ["Subscription ID", "Customer", "Billing Period", "Start Date", "End Date", "MRR", "Price", "Status"],
          "subscriptions",
        ),
      ].map(([c, x]) => [c, x.header]),
    );
    expect(m).toMatchObject({
      subscription_id: "Subscription ID",
      account_id: "Customer",
      interval: "Billing Period",
      start_date: "Start Date",
      end_date: "End Date",
      amount: "Price",
      status: "Status",
    });
  });
});

describe("canonical extracts", () => {
  const sampleFiles = EXTRACT_NAMES.filter((name) => existsSync(path.join(SAMPLE, `${name}.csv`)));
  it("the sample has the nine canonical extracts", () => expect(sampleFiles.length).toBe(9));
  it.each(sampleFiles)("data/sample/%s.csv is recognised as %s", (name) => {
    const header = readFileSync(path.join(SAMPLE, `${name}.csv`), "utf8")
      .split("\n")[0]
      .split(",");
    expect(matchCanonical(header)?.extract).toBe(name);
  });

  it("recognises canonical columns written another way", () => {
    const m = matchCanonical(["Invoice ID", "Account ID", "Invoice Date", "Currency", "Document Type"]);
    expect(m?.extract).toBe("invoices");
    expect(m?.columns.get("invoice_id")).toBe("Invoice ID");
  });

  it("is null when no extract has all its required columns", () => {
    expect(matchCanonical(["invoice_id", "account_id"])).toBeNull();
  });
});
