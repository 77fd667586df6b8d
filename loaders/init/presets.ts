/**
 * Vendor presets: export shapes init recognises by their headers, with the mapping, value maps
 * and filters each vendor's conventions need. Documented in data/README.md, "Presets" (keep the
 * two in step). Headers are the vendors' documented column names; nothing here is copied data.
 */
import { count } from "./sniff.js";
import { findHeader, normalizeHeader, type SourceExtract } from "./headers.js";
import { buildMap, dealTypeOf, intervalOf, tally, type ProposedMap } from "./values.js";

/** What a preset may ask of the sample when it writes its notes. */
export interface SampleView {
  readonly rows: number;
  readonly headers: readonly string[];
  /** Cells of the file's header (as written), trimmed. */
  cells(header: string): readonly string[];
  /** The file's header mapped to a canonical column, if any. */
  headerOf(column: string): string | undefined;
}

export interface PresetFilter {
  /** Spellings of the header to filter on; the first present is used. */
  readonly header: readonly string[];
  readonly in: readonly string[];
  readonly why: string;
}

export interface Preset {
  readonly name: string;
  /** Who exports it, for messages: "Stripe invoices export". */
  readonly title: string;
  readonly extract: SourceExtract;
  /** Every entry must be present (any one of its spellings) for the preset to apply. */
  readonly required: readonly (readonly string[])[];
  /** The vendor's documented headers: the share present ranks competing presets. */
  readonly documented: readonly string[];
  /** Canonical column → this vendor's spellings, first present wins; other columns fall back to generic recognition. */
  readonly columns: Readonly<Record<string, readonly string[]>>;
  /** The export has no total amount: it is the product of these two canonical columns. */
  readonly multiplyAmount?: readonly [string, string];
  /** Canonical column → value map from the sampled values. */
  readonly maps?: Readonly<Record<string, (sampled: readonly string[]) => ProposedMap>>;
  readonly filters?: readonly PresetFilter[];
  /** Observations about the sampled rows in this vendor's conventions. */
  readonly notes?: (view: SampleView) => string[];
}

const intervalMap = (standard: readonly string[]) => (sampled: readonly string[]) =>
  buildMap(standard, sampled, intervalOf);
const dealTypeMap = (standard: readonly string[]) => (sampled: readonly string[]) =>
  buildMap(standard, sampled, dealTypeOf);

function countWhere(cells: readonly string[], test: (cell: string) => boolean): number {
  return cells.filter(test).length;
}

const isNegative = (cell: string) => /^\s*-\s*\d/.test(cell) || /^\s*\(\s*\d.*\)\s*$/.test(cell);

export const PRESETS: readonly Preset[] = [
  {
    name: "order-lines",
    title: "e-commerce / ERP order-lines export (Superstore-like)",
    extract: "transactions",
    required: [["Order ID"], ["Order Date"], ["Customer ID"], ["Product ID"], ["Sales"]],
    documented: [
      "Row ID",
      "Order ID",
      "Order Date",
      "Ship Date",
      "Ship Mode",
      "Customer ID",
      "Customer Name",
      "Segment",
      "Country",
      "City",
      "State",
      "Postal Code",
      "Region",
      "Product ID",
      "Category",
      "Sub-Category",
      "Product Name",
      "Sales",
      "Quantity",
      "Discount",
      "Profit",
    ],
    columns: {
      account_id: ["Customer ID"],
      account_name: ["Customer Name"],
      date: ["Order Date"],
      order_id: ["Order ID"],
      product_id: ["Product ID"],
      product_name: ["Product Name"],
      quantity: ["Quantity"],
      amount: ["Sales"],
      profit: ["Profit"],
      tier: ["Segment"],
      region: ["Region"],
      country: ["Country", "Country/Region"],
    },
    notes: (view) => {
      const notes: string[] = [];
      const profit = view.headerOf("profit");
      if (profit !== undefined) {
        const negative = countWhere(view.cells(profit), isNegative);
        if (negative > 0)
          notes.push(
            `${count(negative)} of ${count(view.rows)} sampled lines have a negative ${profit} (discounted lines): kept as a loss, so margin is net of discounts`,
          );
      }
      const discount = findHeader(view.headers, ["Discount"]);
      if (discount !== undefined) notes.push(`${discount} is not mapped: Sales is already net of the discount`);
      return notes;
    },
  },
  {
    name: "retail-transactions",
    title: "retail transactions export (Online Retail II-like)",
    extract: "transactions",
    required: [
      ["Invoice", "InvoiceNo"],
      ["StockCode"],
      ["Quantity"],
      ["InvoiceDate"],
      ["Price", "UnitPrice"],
      ["Customer ID", "CustomerID"],
    ],
    documented: [
      "Invoice",
      "InvoiceNo",
      "StockCode",
      "Description",
      "Quantity",
      "InvoiceDate",
      "Price",
      "UnitPrice",
      "Customer ID",
      "CustomerID",
      "Country",
    ],
    columns: {
      account_id: ["Customer ID", "CustomerID"],
      date: ["InvoiceDate"],
      order_id: ["Invoice", "InvoiceNo"],
      product_id: ["StockCode"],
      product_name: ["Description"],
      quantity: ["Quantity"],
      unit_price: ["Price", "UnitPrice"],
      country: ["Country"],
    },
    multiplyAmount: ["quantity", "unit_price"],
    notes: (view) => {
      const notes: string[] = [];
      const invoice = view.headerOf("order_id");
      if (invoice !== undefined) {
        const cancelled = countWhere(view.cells(invoice), (c) => /^c/i.test(c));
        if (cancelled > 0)
          notes.push(
            `${count(cancelled)} of ${count(view.rows)} sampled rows are cancellations (${invoice} starting with C): with their negative quantities they become credit notes`,
          );
      }
      const quantity = view.headerOf("quantity");
      if (quantity !== undefined) {
        const returns = countWhere(view.cells(quantity), isNegative);
        if (returns > 0)
          notes.push(
            `${count(returns)} sampled rows have a negative ${quantity} (returns): negative amounts, booked as credit notes`,
          );
      }
      return notes;
    },
  },
  {
    name: "stripe",
    title: "Stripe invoices export",
    extract: "transactions",
    required: [["id"], ["Customer"], ["Amount Paid"], ["Date (UTC)"], ["Status"]],
    documented: [
      "id",
      "Number",
      "Customer",
      "Customer Name",
      "Customer Email",
      "Amount Due",
      "Amount Paid",
      "Amount Remaining",
      "Subtotal",
      "Total",
      "Currency",
      "Date (UTC)",
      "Due Date (UTC)",
      "Paid",
      "Status",
      "Subscription",
      "Billing",
      "Description",
    ],
    columns: {
      account_id: ["Customer"],
      account_name: ["Customer Name"],
      date: ["Date (UTC)"],
      order_id: ["id"],
      amount: ["Amount Paid"],
      currency: ["Currency"],
    },
    filters: [
      {
        header: ["Status"],
        in: ["paid"],
        why: "only paid invoices are revenue: draft, open, void and uncollectible ones are left out",
      },
    ],
    notes: (view) => {
      const due = findHeader(view.headers, ["Amount Due"]);
      return due === undefined ? [] : [`amount is Amount Paid, not ${due}: what the customer actually paid`];
    },
  },
  {
    name: "stripe",
    title: "Stripe subscriptions export",
    extract: "subscriptions",
    required: [
      ["id"],
      ["Customer ID", "Customer"],
      ["Interval"],
      ["Amount"],
      ["Status"],
      ["Start (UTC)", "Start Date (UTC)", "Created (UTC)"],
    ],
    documented: [
      "id",
      "Customer ID",
      "Customer Name",
      "Customer Email",
      "Plan",
      "Product",
      "Quantity",
      "Currency",
      "Interval",
      "Amount",
      "Status",
      "Created (UTC)",
      "Start (UTC)",
      "Start Date (UTC)",
      "Current Period Start (UTC)",
      "Current Period End (UTC)",
      "Trial Start (UTC)",
      "Trial End (UTC)",
      "Canceled At (UTC)",
      "Cancel At Period End",
      "Ended At (UTC)",
    ],
    columns: {
      subscription_id: ["id"],
      account_id: ["Customer ID", "Customer"],
      account_name: ["Customer Name"],
      start_date: ["Start Date (UTC)", "Start (UTC)", "Created (UTC)"],
      end_date: ["Ended At (UTC)", "Canceled At (UTC)"],
      unit_amount: ["Amount"],
      interval: ["Interval"],
      quantity: ["Quantity"],
      product_id: ["Plan"],
      product_name: ["Product"],
      status: ["Status"],
      currency: ["Currency"],
    },
    multiplyAmount: ["quantity", "unit_amount"],
    maps: { interval: intervalMap(["month", "year"]) },
    filters: [
      {
        header: ["Status"],
        in: ["active", "past_due", "unpaid", "canceled"],
        why: "subscriptions that were billed; trialing, incomplete and incomplete_expired ones never paid and are left out",
      },
    ],
    notes: (view) => {
      const quantity = view.headerOf("quantity");
      if (quantity === undefined) return [];
      const many = countWhere(view.cells(quantity), (c) => Number(c) > 1);
      return many > 0
        ? [
            `${count(many)} sampled subscriptions have ${quantity} above 1: Stripe's Amount is the price of one unit, so the recurring amount is ${quantity} × Amount`,
          ]
        : [];
    },
  },
  {
    name: "hubspot-deals",
    title: "HubSpot deals export",
    extract: "transactions",
    required: [["Deal Name"], ["Deal Stage"], ["Close Date"], ["Amount"]],
    documented: [
      "Record ID",
      "Deal Name",
      "Deal Stage",
      "Pipeline",
      "Close Date",
      "Create Date",
      "Deal owner",
      "Amount",
      "Deal Type",
      "Associated Company",
      "Associated Company IDs",
      "Associated Company (Primary)",
      "Associated Company IDs (Primary)",
    ],
    columns: {
      account_id: [
        "Associated Company IDs (Primary)",
        "Associated Company IDs",
        "Associated Company ID",
        "Associated Company (Primary)",
        "Associated Company",
      ],
      account_name: ["Associated Company (Primary)", "Associated Company"],
      date: ["Close Date"],
      order_id: ["Record ID"],
      amount: ["Amount"],
      deal_type: ["Deal Type"],
      key_account_manager: ["Deal owner"],
    },
    maps: { deal_type: dealTypeMap(["newbusiness", "existingbusiness", "New Business", "Existing Business"]) },
    filters: [
      {
        header: ["Deal Stage"],
        in: ["Closed Won", "closedwon"],
        why: "only won deals are revenue (label Closed Won, internal value closedwon)",
      },
    ],
    notes: (view) => {
      const account = view.headerOf("account_id");
      if (account === undefined || !/ids?\b/i.test(account)) return [];
      const several = countWhere(view.cells(account), (c) => /[;,]/.test(c));
      return several > 0
        ? [
            `${count(several)} sampled deals list several companies in ${account}: each such list is read as one account`,
          ]
        : [];
    },
  },
  {
    name: "salesforce-opportunities",
    title: "Salesforce opportunities report",
    extract: "transactions",
    required: [["Opportunity Name"], ["Account Name", "Account ID"], ["Stage"], ["Close Date"], ["Amount"]],
    documented: [
      "Opportunity ID",
      "Opportunity Name",
      "Account ID",
      "Account Name",
      "Stage",
      "Close Date",
      "Amount",
      "Type",
      "Lead Source",
      "Industry",
      "Billing Country",
      "Opportunity Owner",
      "Probability (%)",
      "Fiscal Period",
      "Created Date",
    ],
    columns: {
      account_id: ["Account ID", "Account Name"],
      account_name: ["Account Name"],
      date: ["Close Date"],
      order_id: ["Opportunity ID"],
      amount: ["Amount"],
      deal_type: ["Type"],
      acquisition_channel: ["Lead Source"],
      industry: ["Industry"],
      country: ["Billing Country"],
      key_account_manager: ["Opportunity Owner"],
    },
    maps: {
      deal_type: dealTypeMap([
        "New Business",
        "New Customer",
        "Existing Business",
        "Existing Customer - Upgrade",
        "Existing Customer - Replacement",
        "Existing Customer - Downgrade",
      ]),
    },
    filters: [{ header: ["Stage"], in: ["Closed Won"], why: "only won opportunities are revenue" }],
  },
];

export interface PresetMatch {
  readonly preset: Preset;
  /** Documented headers found in the file. */
  readonly found: readonly string[];
}

/** The preset whose required headers are all present, ranked by the share of its documented headers found. */
export function matchPreset(headers: readonly string[]): PresetMatch | null {
  const norms = new Set(headers.map(normalizeHeader));
  let best: { match: PresetMatch; share: number } | null = null;
  for (const preset of PRESETS) {
    if (!preset.required.every((alternatives) => alternatives.some((h) => norms.has(normalizeHeader(h))))) continue;
    const found = preset.documented.filter((h) => norms.has(normalizeHeader(h)));
    const share = found.length / preset.documented.length;
    if (best === null || share > best.share) best = { match: { preset, found }, share };
  }
  return best?.match ?? null;
}

/** Distinct values of a filter column in the sample: kept and left out, with counts. */
export function filterOutcome(
  cells: readonly string[],
  keep: readonly string[],
): { kept: [string, number][]; dropped: [string, number][] } {
  const wanted = new Set(keep.map((k) => k.trim().toLowerCase()));
  const kept: [string, number][] = [];
  const dropped: [string, number][] = [];
  for (const [value, n] of tally(cells)) (wanted.has(value.toLowerCase()) ? kept : dropped).push([value, n]);
  return { kept, dropped };
}
