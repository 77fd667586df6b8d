/**
 * Header recognition: the spellings CRM, billing, e-commerce and ERP exports use for each
 * canonical column of the two source extracts, and the match of a file's headers against
 * them and against the nine canonical extracts (data/README.md). Headers are compared after
 * normalising case, spaces, underscores and punctuation, so `Customer ID`, `CustomerID` and
 * `customer_id` are one spelling.
 */
import { EXTRACTS, EXTRACT_NAMES, type ExtractName } from "../ingest/schema.js";

export type SourceExtract = "transactions" | "subscriptions";

/** `Customer ID` → `customerid`; `Date (UTC)` → `dateutc`. */
export function normalizeHeader(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

// Ids before names: a file with both gives the id to account_id and the name to account_name;
// a file with only a name (a Salesforce report with Account Name) keys accounts by the name.
const ACCOUNT_ID = [
  "Customer ID",
  "Customer No",
  "Customer Number",
  "Client ID",
  "Account ID",
  "Account Number",
  "Associated Company IDs",
  "Associated Company ID",
  "Associated Company IDs (Primary)",
  "Company ID",
  "Buyer ID",
  "Customer",
  "Client",
  "Account",
  "Company",
  "Associated Company",
  "Associated Company (Primary)",
  "Account Name",
  "Customer Name",
  "Company Name",
  "Client Name",
];
const ACCOUNT_NAME = [
  "Customer Name",
  "Account Name",
  "Company Name",
  "Client Name",
  "Associated Company",
  "Associated Company (Primary)",
  "Company",
  "Customer Description",
];
// The ingest checks each row's currency against the configured one (currency_mismatch).
export const CURRENCY = ["Currency", "Currency Code", "Deal Currency", "Opportunity Currency"];
const ATTRIBUTES: Record<string, readonly string[]> = {
  tier: ["Segment", "Customer Segment", "Tier", "Customer Tier", "Account Tier"],
  industry: ["Industry", "Sector", "Vertical"],
  region: ["Region", "Sales Region", "Territory", "Market"],
  country: ["Country", "Billing Country", "Customer Country", "Country/Region", "Country Region"],
  acquisition_channel: ["Acquisition Channel", "Channel", "Sales Channel", "Lead Source", "Original Source", "Source"],
  key_account_manager: [
    "Key Account Manager",
    "Account Manager",
    "Account Owner",
    "Deal Owner",
    "Opportunity Owner",
    "Sales Rep",
    "Salesperson",
  ],
  employees: ["Employees", "Number of Employees", "Employee Count", "No. of Employees"],
};

/** Canonical column → spellings, in order of preference. Order of keys = order of matching. */
export const SPELLINGS: Readonly<Record<SourceExtract, Readonly<Record<string, readonly string[]>>>> = {
  transactions: {
    account_id: ACCOUNT_ID,
    account_name: ACCOUNT_NAME,
    date: [
      "Order Date",
      "InvoiceDate",
      "Invoice Date",
      "Transaction Date",
      "Close Date",
      "Date (UTC)",
      "Date",
      "Sale Date",
      "Purchase Date",
      "Posting Date",
      "Document Date",
      "Created (UTC)",
      "Created Date",
      "Created",
      "Created At",
    ],
    amount: [
      "Sales",
      "Amount",
      "Revenue",
      "Amount Paid",
      "Total",
      "Line Total",
      "Line Amount",
      "Net Amount",
      "Total Amount",
      "Net Sales",
      "Deal Amount",
      "Value",
    ],
    order_id: [
      "Order ID",
      "Order Number",
      "Order No",
      "InvoiceNo",
      "Invoice No",
      "Invoice",
      "Invoice ID",
      "Invoice Number",
      "Transaction ID",
      "Document No",
      "Document Number",
      "Opportunity ID",
      "Deal ID",
      "Record ID",
    ],
    product_id: [
      "Product ID",
      "StockCode",
      "Stock Code",
      "SKU",
      "Item ID",
      "Item Code",
      "Item No",
      "Product Code",
      "Article Number",
      "Material",
    ],
    product_name: [
      "Product Name",
      "Description",
      "Product",
      "Item Name",
      "Item Description",
      "Product Description",
      "Item",
    ],
    quantity: ["Quantity", "Qty", "Units", "Quantity Ordered", "Qty Ordered"],
    unit_price: ["UnitPrice", "Unit Price", "Price", "Price Each", "Sales Price"],
    profit: ["Profit", "Gross Profit", "Net Profit"],
    cost: ["Cost", "Total Cost", "Line Cost", "COGS", "Cost of Goods Sold"],
    deal_type: ["Type", "Deal Type", "Opportunity Type", "Business Type"],
    currency: CURRENCY,
    ...ATTRIBUTES,
  },
  subscriptions: {
    subscription_id: ["Subscription ID", "id", "Subscription"],
    account_id: ACCOUNT_ID,
    account_name: ACCOUNT_NAME,
    start_date: [
      "Start Date (UTC)",
      "Start (UTC)",
      "Start Date",
      "Started At",
      "Start",
      "Subscription Start",
      "Created (UTC)",
      "Created At",
      "Created",
    ],
    end_date: [
      "Ended At (UTC)",
      "End Date",
      "Ended At",
      "Ended",
      "End",
      "Subscription End",
      "Canceled At (UTC)",
      "Cancelled At",
      "Canceled At",
      "Cancellation Date",
      "Churn Date",
    ],
    amount: ["Amount", "Plan Amount", "Recurring Amount", "Price", "Total"],
    interval: [
      "Interval",
      "Billing Interval",
      "Plan Interval",
      "Billing Period",
      "Billing Frequency",
      "Billing Term",
      "Billing Cycle",
      "Frequency",
    ],
    quantity: ["Quantity", "Qty", "Seats", "Licenses", "Units"],
    product_id: ["Plan", "Plan ID", "Price ID", "Product ID"],
    product_name: ["Product", "Product Name", "Plan Name"],
    status: ["Status", "Subscription Status", "State"],
    currency: CURRENCY,
    ...ATTRIBUTES,
  },
};

/** Canonical columns each source extract cannot do without (spec-13, "Canonical columns"). */
export const REQUIRED: Readonly<Record<SourceExtract, readonly string[]>> = {
  transactions: ["account_id", "date", "amount"],
  subscriptions: ["account_id", "start_date", "amount", "interval"],
};

export interface HeaderMatch {
  /** The file's header, as written. */
  readonly header: string;
  /** The spelling it matched. */
  readonly spelling: string;
}

/**
 * Canonical column → the first header (in spelling order) that matches, each header used once.
 * `taken` holds headers already assigned (by a preset), which are not offered again.
 */
export function matchHeaders(
  headers: readonly string[],
  extract: SourceExtract,
  taken: ReadonlySet<string> = new Set(),
  skip: ReadonlySet<string> = new Set(),
): Map<string, HeaderMatch> {
  const byNorm = new Map<string, string>();
  for (const h of headers) if (!byNorm.has(normalizeHeader(h))) byNorm.set(normalizeHeader(h), h);
  const used = new Set([...taken].map(normalizeHeader));
  const result = new Map<string, HeaderMatch>();
  for (const [column, spellings] of Object.entries(SPELLINGS[extract])) {
    if (skip.has(column)) continue;
    for (const spelling of spellings) {
      const norm = normalizeHeader(spelling);
      const header = byNorm.get(norm);
      if (header !== undefined && !used.has(norm)) {
        result.set(column, { header, spelling });
        used.add(norm);
        break;
      }
    }
  }
  return result;
}

/** The header of `headers` matching any of `spellings` (normalised), or undefined. */
export function findHeader(headers: readonly string[], spellings: readonly string[]): string | undefined {
  for (const spelling of spellings) {
    const norm = normalizeHeader(spelling);
    const header = headers.find((h) => normalizeHeader(h) === norm);
    if (header !== undefined) return header;
  }
  return undefined;
}

export interface CanonicalMatch {
  readonly extract: ExtractName;
  /** Canonical column → the file's header. */
  readonly columns: ReadonlyMap<string, string>;
  readonly required: number;
}

/**
 * The canonical extract (data/README.md) whose required columns are all in the header,
 * the one with the most columns found when several are; null when none is complete.
 */
export function matchCanonical(headers: readonly string[]): CanonicalMatch | null {
  let best: CanonicalMatch | null = null;
  for (const name of EXTRACT_NAMES) {
    const spec = EXTRACTS[name];
    const columns = new Map<string, string>();
    for (const column of spec.columns) {
      const header = findHeader(headers, [column.name]);
      if (header !== undefined) columns.set(column.name, header);
    }
    const required = spec.columns.filter((c) => c.required);
    if (!required.every((c) => columns.has(c.name))) continue;
    if (best === null || columns.size > best.columns.size) best = { extract: name, columns, required: required.length };
  }
  return best;
}
