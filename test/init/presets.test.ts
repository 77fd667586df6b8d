/**
 * loaders/init/presets.ts: each vendor preset is recognised from a tiny file in the vendor's
 * documented export shape (headers and value conventions, rows written here) and proposes the
 * mapping, value maps and filters that vendor needs. Counts in the notes are counted by hand.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRESETS, matchPreset } from "../../loaders/init/presets.js";
import { parseConfig } from "../../loaders/config.js";
import { proposeConfig, proposeFile, type FileProposal } from "../../loaders/init/propose.js";
import { sampleFile } from "../../loaders/init/sample.js";
import { csv, tempDir, type TempDir } from "./helpers.js";

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.remove());

/** Every preset proposal made below, for the check that the config parser accepts them all. */
const proposed: FileProposal[] = [];

function propose(name: string, text: string): FileProposal {
  const p = proposeFile(sampleFile(tmp.write(name, text)));
  proposed.push(p);
  return p;
}

describe("order-lines", () => {
  const text = csv(
    "Row ID,Order ID,Order Date,Ship Date,Ship Mode,Customer ID,Customer Name,Segment,Country,City,State,Postal Code,Region,Product ID,Category,Sub-Category,Product Name,Sales,Quantity,Discount,Profit",
    "1,CA-2016-100001,08/11/2016,11/11/2016,Second Class,AB-10001,Ann Bee,Consumer,United States,Henderson,Kentucky,42420,South,FUR-BO-1001,Furniture,Bookcases,Oak Bookcase,261.96,2,0,41.9136",
    '2,CA-2016-100001,08/11/2016,11/11/2016,Second Class,AB-10001,Ann Bee,Consumer,United States,Henderson,Kentucky,42420,South,FUR-CH-1002,Furniture,Chairs,"Stacking Chairs, Rounded Back",731.94,3,0,219.582',
    "3,US-2015-100002,11/10/2015,18/10/2015,Standard Class,CD-10002,Cy Dee,Corporate,United States,Fort Lauderdale,Florida,33311,South,FUR-TA-1003,Furniture,Tables,Round Table,957.5775,5,0.45,-383.031",
    "4,US-2015-100002,11/10/2015,18/10/2015,Standard Class,CD-10002,Cy Dee,Corporate,United States,Fort Lauderdale,Florida,33311,South,OFF-ST-1004,Office Supplies,Storage,Storage Box,22.368,2,0.2,2.5164",
  );

  it("maps a Superstore-like order-lines export to transactions with profit, day-first dates and 4-decimal money", () => {
    const p = propose("orders.csv", text);
    expect(p.preset?.name).toBe("order-lines");
    expect(p.extract).toBe("transactions");
    expect(p.columns).toEqual({
      account_id: "Customer ID",
      account_name: "Customer Name",
      date: "Order Date",
      order_id: "Order ID",
      product_id: "Product ID",
      product_name: "Product Name",
      quantity: "Quantity",
      amount: "Sales",
      profit: "Profit",
      tier: "Segment",
      region: "Region",
      country: "Country",
    });
    expect(p.unmapped).toEqual([
      "Row ID",
      "Ship Date",
      "Ship Mode",
      "City",
      "State",
      "Postal Code",
      "Category",
      "Sub-Category",
      "Discount",
    ]);
    // Order Date alone is undecidable (08/11, 11/10); Ship Date's 18/10 settles it.
    expect(p.dateFormat?.value).toBe("%d/%m/%Y");
    expect(p.dateFormat?.evidence).toContain("Ship Date");
    expect(p.moneyDecimals.value).toBe(4);
    expect(p.filter).toEqual([]);
    expect(p.notes).toContain(
      "1 of 4 sampled lines have a negative Profit (discounted lines): kept as a loss, so margin is net of discounts",
    );
  });
});

describe("retail-transactions", () => {
  const text = csv(
    "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country",
    "489434,85048,GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085.0,United Kingdom",
    "489434,79323P,PINK CHERRY LIGHTS,12,2009-12-01 07:45:00,6.75,13085.0,United Kingdom",
    "C489449,22087,PAPER BUNTING,-12,2009-12-01 10:33:00,2.95,16321.0,Australia",
    "489464,21733,mixed,-96,2009-12-01 10:52:00,0.00,,United Kingdom",
    "489465,84879,ASSORTED BIRD,32,2009-12-01 10:53:00,1.695,,United Kingdom",
  );

  it("multiplies quantity by price, reads the time in InvoiceDate and says what the sample holds", () => {
    const p = propose("retail.csv", text);
    expect(p.preset?.name).toBe("retail-transactions");
    expect(p.columns).toEqual({
      account_id: "Customer ID",
      date: "InvoiceDate",
      order_id: "Invoice",
      product_id: "StockCode",
      product_name: "Description",
      quantity: "Quantity",
      unit_price: "Price",
      country: "Country",
      amount: { multiply: ["quantity", "unit_price"] },
    });
    expect(p.dateFormat?.value).toBe("%Y-%m-%d %H:%M:%S");
    // 32 × 1.695 has 3 decimals.
    expect(p.moneyDecimals.value).toBe(3);
    expect(p.notes).toEqual([
      "2 of the sampled rows have no customer id (Customer ID is empty): they will be reported, not valued",
      "1 of 5 sampled rows are cancellations (Invoice starting with C): with their negative quantities they become credit notes",
      "2 sampled rows have a negative Quantity (returns): negative amounts, booked as credit notes",
    ]);
  });

  it("recognises the older spelling (InvoiceNo, UnitPrice, CustomerID) and month-first times", () => {
    const p = propose(
      "retail1.csv",
      csv(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
        "536365,85123A,HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom",
        "536366,22633,WARMER,6,12/13/2010 8:28,1.85,17850,United Kingdom",
      ),
    );
    expect(p.preset?.name).toBe("retail-transactions");
    expect(p.columns).toMatchObject({
      account_id: "CustomerID",
      order_id: "InvoiceNo",
      unit_price: "UnitPrice",
      amount: { multiply: ["quantity", "unit_price"] },
    });
    expect(p.dateFormat?.value).toBe("%m/%d/%Y %H:%M");
  });
});

describe("stripe", () => {
  it("invoices export → transactions of paid invoices, Amount Paid, one currency", () => {
    const p = propose(
      "invoices.csv",
      csv(
        "id,Number,Customer,Customer Name,Customer Email,Amount Due,Amount Paid,Amount Remaining,Currency,Date (UTC),Status,Subscription,Total",
        "in_1,AB-0001,cus_A,Acme,a@example.com,49.00,49.00,0.00,usd,2024-01-15 10:03,paid,sub_1,49.00",
        "in_2,AB-0002,cus_B,Beta,b@example.com,99.00,0.00,99.00,usd,2024-01-16 11:00,open,sub_2,99.00",
        "in_3,AB-0003,cus_A,Acme,a@example.com,49.00,49.00,0.00,eur,2024-02-15 10:03,void,sub_1,49.00",
        "in_4,AB-0004,cus_C,Gamma,c@example.com,20.00,20.00,0.00,usd,2024-02-16 09:00,paid,,20.00",
      ),
    );
    expect(p.preset?.name).toBe("stripe");
    expect(p.extract).toBe("transactions");
    expect(p.columns).toEqual({
      account_id: "Customer",
      account_name: "Customer Name",
      date: "Date (UTC)",
      order_id: "id",
      amount: "Amount Paid",
      currency: "Currency",
    });
    expect(p.filter).toEqual([{ header: "Status", in: ["paid"] }]);
    expect(p.filterNotes[0]).toContain("keeps 2 of 4 sampled rows (paid 2), leaves out open 1, void 1");
    expect(p.notes).toContain(
      '1 sampled rows are in another currency than usd (eur 1): they will be quarantined as currency_mismatch; to leave them out instead, add { "header": "Currency", "in": ["usd"] } to the filter',
    );
    expect(p.currency?.value).toBe("USD");
    expect(p.dateFormat?.value).toBe("%Y-%m-%d %H:%M");
    // Personal data is not needed by the pages: left unmapped, and listed as such.
    expect(p.unmapped).toEqual(["Number", "Customer Email", "Amount Due", "Amount Remaining", "Subscription", "Total"]);
  });

  it("subscriptions export → subscriptions with the interval map and the billed statuses", () => {
    const p = propose(
      "subscriptions.csv",
      csv(
        "id,Customer ID,Customer Email,Plan,Product,Quantity,Currency,Interval,Amount,Status,Created (UTC),Start (UTC),Canceled At (UTC),Ended At (UTC)",
        "sub_1,cus_A,a@example.com,price_basic,Basic,1,usd,month,49.00,active,2024-01-15 10:00,2024-01-15 10:00,,",
        "sub_2,cus_B,b@example.com,price_pro,Pro,3,usd,year,990.00,canceled,2024-01-16 10:00,2024-01-16 10:00,2024-06-01 09:00,2024-06-01 09:00",
        "sub_3,cus_C,c@example.com,price_pro,Pro,1,usd,week,9.00,trialing,2024-03-01 10:00,2024-03-01 10:00,,",
      ),
    );
    expect(p.preset?.name).toBe("stripe");
    expect(p.extract).toBe("subscriptions");
    expect(p.columns).toEqual({
      subscription_id: "id",
      account_id: "Customer ID",
      start_date: "Start (UTC)",
      end_date: "Ended At (UTC)",
      unit_amount: "Amount",
      amount: { multiply: ["quantity", "unit_amount"] },
      interval: { header: "Interval", map: { month: "monthly", year: "annual" } },
      quantity: "Quantity",
      product_id: "Plan",
      product_name: "Product",
      status: "Status",
      currency: "Currency",
    });
    expect(p.filter[0]).toEqual({ header: "Status", in: ["active", "past_due", "unpaid", "canceled"] });
    expect(p.notes).toContain(
      "1 sampled rows have Interval week, which is not monthly, quarterly or annual: those rows will be quarantined",
    );
    expect(p.notes.some((n) => n.startsWith("1 sampled subscriptions have Quantity above 1"))).toBe(true);
  });
});

describe("hubspot-deals", () => {
  it("closed-won deals, Deal Type mapped, the company id as account", () => {
    const p = propose(
      "deals.csv",
      csv(
        "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Pipeline,Deal Type,Associated Company,Associated Company IDs",
        "101,Acme renewal,Closed Won,2024-03-31,Jo Smith,12000,Sales Pipeline,existingbusiness,Acme,9001",
        "102,Beta new,closedwon,2024-04-15,Jo Smith,5000.50,Sales Pipeline,newbusiness,Beta,9002",
        "103,Gamma,Closed Lost,2024-04-20,Al Jones,8000,Sales Pipeline,New Business,Gamma,9003",
        "104,Delta,Appointment Scheduled,2024-05-20,Al Jones,100,Sales Pipeline,,Delta,9004",
      ),
    );
    expect(p.preset?.name).toBe("hubspot-deals");
    expect(p.columns).toEqual({
      account_id: "Associated Company IDs",
      account_name: "Associated Company",
      date: "Close Date",
      order_id: "Record ID",
      amount: "Amount",
      deal_type: {
        header: "Deal Type",
        map: { newbusiness: "new", existingbusiness: "renewal", "New Business": "new", "Existing Business": "renewal" },
      },
      key_account_manager: "Deal owner",
    });
    expect(p.filter).toEqual([{ header: "Deal Stage", in: ["Closed Won", "closedwon"] }]);
    expect(p.filterNotes[0]).toContain(
      "keeps 2 of 4 sampled rows (Closed Won 1, closedwon 1), leaves out Closed Lost 1, Appointment Scheduled 1",
    );
  });
});

describe("salesforce-opportunities", () => {
  it("closed-won opportunities, Type mapped, lead source as channel, industry", () => {
    const p = propose(
      "opps.csv",
      csv(
        "Opportunity Owner,Account Name,Opportunity Name,Type,Lead Source,Amount,Close Date,Stage,Industry,Billing Country",
        'Ann,Acme Corp,Acme - 2024,New Business,Web,"12,500.00",1/15/2024,Closed Won,Manufacturing,USA',
        'Ann,Acme Corp,Acme - upsell,Existing Business - Upgrade,Partner,"3,000.00",3/20/2024,Closed Won,Manufacturing,USA',
        'Bob,Beta Ltd,Beta - 2025,Existing Business,Trade Show,"7,000.00",4/2/2025,Closed Won,Retail,UK',
        'Bob,Beta Ltd,Beta - lost,New Business,Web,"1,000.00",5/2/2025,Closed Lost,Retail,UK',
      ),
    );
    expect(p.preset?.name).toBe("salesforce-opportunities");
    expect(p.columns).toMatchObject({
      account_id: "Account Name",
      date: "Close Date",
      amount: "Amount",
      acquisition_channel: "Lead Source",
      industry: "Industry",
      country: "Billing Country",
      key_account_manager: "Opportunity Owner",
    });
    const dealType = p.columns.deal_type as { header: string; map: Record<string, string> };
    expect(dealType.header).toBe("Type");
    expect(dealType.map).toMatchObject({
      "New Business": "new",
      "Existing Business": "renewal",
      "Existing Business - Upgrade": "expansion",
      "Existing Customer - Upgrade": "expansion",
    });
    expect(p.filter).toEqual([{ header: "Stage", in: ["Closed Won"] }]);
    expect(p.dateFormat?.value).toBe("%m/%d/%Y");
    expect(p.decimalSeparator.value).toBe(".");
  });
});

describe("recognition", () => {
  it("the config parser accepts every config proposed above, with the value forms as proposed", () => {
    expect(new Set(proposed.map((p) => p.preset?.name))).toEqual(new Set(PRESETS.map((p) => p.name)));
    for (const p of proposed) {
      const configPath = path.join(tmp.dir, `${path.basename(p.file, ".csv")}.config.json`);
      const { json } = proposeConfig([p], configPath);
      const config = parseConfig(JSON.parse(JSON.stringify(json)), configPath);
      const extract = config.extracts[p.extract as "transactions" | "subscriptions"];
      expect(extract.file).toBe(p.file);
      expect(extract.filters.length).toBe(p.filter.length);
      for (const [column, value] of Object.entries(p.columns)) {
        const kind = typeof value === "string" ? "header" : "multiply" in value ? "multiply" : "header";
        expect(extract.columns[column].kind, `${path.basename(p.file)} ${column}`).toBe(kind);
      }
    }
  });

  it("applies no preset to a file that lacks a preset's required headers", () => {
    expect(matchPreset(["Customer ID", "Order Date", "Sales"])).toBeNull();
  });

  it("every preset has a row in data/README.md, section Presets", () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "../../data/README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Presets"));
    expect(readme).toContain("## Presets");
    for (const preset of PRESETS) expect(section).toContain(`| \`${preset.name}\``);
  });
});
