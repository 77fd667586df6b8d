/**
 * loaders/init/propose.ts: a file's proposal end to end from its bytes (delimiter, encoding,
 * decimal comma, money scale), and the config of several files: paths relative to the config,
 * per-extract format overrides, `$comments` for every choice, clear refusals.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../loaders/config.js";
import { proposeConfig, proposeFile } from "../../loaders/init/propose.js";
import { sampleFile } from "../../loaders/init/sample.js";
import { EXTRACT_NAMES } from "../../loaders/ingest/schema.js";
import { csv, tempDir, type TempDir } from "./helpers.js";

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.remove());

const propose = (file: string) => proposeFile(sampleFile(file));

describe("a file", () => {
  it("`;` with a decimal comma, latin-1, day-first: every decision and its evidence", () => {
    const bytes = Buffer.concat([
      Buffer.from("Customer ID;Customer Name;Invoice Date;Revenue\n"),
      Buffer.from("K-1;M"),
      Buffer.from([0xfc]),
      Buffer.from("ller GmbH;15.01.2024;1.234,56\n"),
      Buffer.from("K-2;Acme;03.02.2024;99,5\n"),
      Buffer.from("K-1;M"),
      Buffer.from([0xfc]),
      Buffer.from("ller GmbH;28.02.2024;12,3456\n"),
    ]);
    const p = propose(tmp.write("umsatz.csv", bytes));
    const offset = bytes.indexOf(0xfc);
    expect(p.extract).toBe("transactions");
    expect(p.columns).toEqual({
      account_id: "Customer ID",
      account_name: "Customer Name",
      date: "Invoice Date",
      amount: "Revenue",
    });
    expect(p.delimiter.value).toBe(";");
    expect(p.encoding.value).toBe("latin-1");
    expect(p.encoding.evidence).toBe(
      `byte 0xFC at offset ${offset} (line 2) is not valid UTF-8: read as latin-1 (Windows-1252)`,
    );
    expect(p.decimalSeparator.value).toBe(",");
    expect(p.decimalSeparator.evidence).toBe(
      "decimal comma: 3 numbers are written with one (e.g. 1.234,56), none with a decimal point",
    );
    expect(p.moneyDecimals.value).toBe(4);
    expect(p.dateFormat?.value).toBe("%d.%m.%Y");
    expect(p.dateFormat?.evidence).toBe("day-first: 2 of 3 dates have a first field above 12");
    expect(p.reason).toBe(
      "recognised as transactions from its headers (account_id ← Customer ID, date ← Invoice Date, amount ← Revenue)",
    );
  });

  it("amount as quantity × unit price when the export has no amount", () => {
    const p = propose(tmp.write("lines.csv", csv("CustomerID,Date,Qty,Unit Price", "C1,2024-01-01,3,1.25")));
    expect(p.columns.amount).toEqual({ multiply: ["quantity", "unit_price"] });
    expect(p.columnNotes.amount).toBe("Qty × Unit Price: the export has no total amount");
  });

  it("recognises a subscriptions export by its interval and start date and maps the intervals", () => {
    const p = propose(
      tmp.write(
        "subs.csv",
        csv(
          "Customer,Plan,Billing Period,Start Date,End Date,Price",
          "C1,Pro,Monthly,2024-01-01,,49.00",
          "C2,Pro,Annually,2024-02-01,2025-01-31,490.00",
          "C3,Pro,Quarterly,2024-02-01,,130.00",
        ),
      ),
    );
    expect(p.extract).toBe("subscriptions");
    // Monthly and Quarterly already are enum values (enums compare ignoring case): only Annually needs mapping.
    expect(p.columns.interval).toEqual({ header: "Billing Period", map: { Annually: "annual" } });
    expect(p.dateFormat?.headers).toEqual(["Start Date", "End Date"]);
  });

  it("a generic CRM export with a stage column keeps closed-won rows", () => {
    const p = propose(
      tmp.write(
        "crm.csv",
        csv("Company,Close Date,Amount,Stage", "A,2024-01-01,10,Closed Won", "B,2024-01-02,20,Negotiation"),
      ),
    );
    expect(p.preset).toBeNull();
    expect(p.filter).toEqual([{ header: "Stage", in: ["Closed Won"] }]);
  });

  it("no customer column: names the headers seen and what was looked for", () => {
    const file = tmp.write("nocustomer.csv", csv("Order Date,Sales,Region", "2024-01-01,10,West"));
    expect(() => propose(file)).toThrow(
      /nocustomer\.csv: no customer column found; init needs a customer column \(looked for: Customer ID, .*\)\. Headers seen: Order Date, Sales, Region\./,
    );
  });

  it("no date column: says which", () => {
    const file = tmp.write("nodate.csv", csv("Customer ID,Sales", "C1,10"));
    expect(() => propose(file)).toThrow(
      /no date column found; init needs a date column \(looked for: Order Date, InvoiceDate/,
    );
  });
});

describe("the config", () => {
  it("for the bundled sample: the nine canonical extracts, a config today's parser reads, files resolving to the sample", () => {
    const sample = path.resolve(import.meta.dirname, "../../data/sample");
    const names = EXTRACT_NAMES.filter((name) => existsSync(path.join(sample, `${name}.csv`)));
    const proposals = names.map((name) => propose(path.join(sample, `${name}.csv`)));
    const configPath = path.join(tmp.dir, "sample.config.json");
    const { json } = proposeConfig(proposals, configPath);
    expect(Object.keys(json.extracts as object).sort()).toEqual([...names].sort());
    expect(json.format).toEqual({
      dateFormat: "%Y-%m-%d",
      decimalSeparator: ".",
      delimiter: ",",
      encoding: "utf-8",
      moneyDecimals: 2,
    });
    expect(json.currency).toBe("USD");
    const parsed = parseConfig(JSON.parse(JSON.stringify(json)), configPath);
    for (const name of names) expect(parsed.extracts[name].file).toBe(path.join(sample, `${name}.csv`));
  });

  it("writes paths relative to the config, per-extract overrides, the largest money scale and a comment per choice", () => {
    const dir = path.join("exports");
    const orders = tmp.write(
      `${dir}-orders.csv`,
      csv("Customer ID,Order Date,Sales", "C1,13/01/2024,10.125", "C2,14/01/2024,3.5"),
    );
    const subs = tmp.write(
      `${dir}-subs.csv`,
      csv("Customer ID;Interval;Start Date;Amount", "C1;month;2024-01-01;49,00"),
    );
    const configPath = path.join(tmp.dir, "conf", "atlas.config.json");
    const { json, comments } = proposeConfig([propose(orders), propose(subs)], configPath);
    expect(json.sourceDir).toBe("..");
    expect(json.format).toEqual({
      dateFormat: "%d/%m/%Y",
      decimalSeparator: ".",
      delimiter: ",",
      encoding: "utf-8",
      moneyDecimals: 3,
    });
    const extracts = json.extracts as Record<string, Record<string, unknown>>;
    expect(extracts.transactions.file).toBe("exports-orders.csv");
    expect(extracts.subscriptions.format).toEqual({ dateFormat: "%Y-%m-%d", decimalSeparator: ",", delimiter: ";" });
    expect(comments["format.dateFormat"]).toBe(
      "exports-orders.csv, Order Date: day-first: 2 of 2 dates have a first field above 12",
    );
    expect(comments["format.moneyDecimals"]).toMatch(
      /^exports-orders\.csv: 3 decimals: 1 of 2 sampled money values \(Sales\)/,
    );
    expect(comments["extracts.transactions.columns.amount"]).toBe("header Sales");
    expect(comments["extracts.subscriptions.format.delimiter"]).toMatch(/^exports-subs\.csv: ";" splits/);
    expect(comments.currency).toMatch(/USD assumed/);
    expect(json.$comments).toBe(comments);
    for (const key of Object.keys(comments))
      expect(key === "sourceDir" || key === "currency" || /^(format|extracts)\./.test(key)).toBe(true);
  });

  it("raises the strict limit for rows without a customer id, measured over the whole file, not only the sample", () => {
    // 10,000 lines: 1 in 100 of the first 5,000 lack a customer, 1 in 2 of the last 5,000; amounts 2 × 1.5 = 3 each.
    const lines = ["Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country"];
    for (let i = 0; i < 10_000; i++) {
      const guest = i < 5000 ? i % 100 === 0 : i % 2 === 0;
      lines.push(`${500000 + i},S${i % 7},Item,2,2010-01-01 10:00:00,1.5,${guest ? "" : `C${i % 300}`},UK`);
    }
    const p = propose(tmp.write("guests.csv", csv(...lines)));
    // Missing: 50 in the first half + 2,500 in the second = 2,550 of 10,000 rows; all rows carry the same amount.
    expect(p.missingCustomer).toEqual({ rows: 2550, of: 10_000, rowShare: 0.255, moneyShare: 2550 / 10_000 });
    const { json, comments } = proposeConfig([p], path.join(tmp.dir, "guests.json"));
    // 25.5% + 2 points = 27.5%, rounded up to the whole percent.
    expect(json.quarantineLimit).toEqual({ rows: 0.28, money: 0.28 });
    expect(comments.quarantineLimit).toMatch(
      /^guests\.csv: 2,550 of 10,000 rows \(25\.5% of rows, 25\.5% of money\) have no customer id/,
    );
  });

  it("keeps the default strict limit when rows without a customer are rare", () => {
    const lines = ["Customer ID,Order Date,Sales"];
    for (let i = 0; i < 1000; i++) lines.push(`${i === 0 ? "" : `C${i}`},2024-01-01,10.00`);
    const p = propose(tmp.write("rare.csv", csv(...lines)));
    expect(p.missingCustomer?.rowShare).toBe(0.001);
    expect(proposeConfig([p], path.join(tmp.dir, "rare.json")).json.quarantineLimit).toBeUndefined();
  });

  it("refuses a source extract with the extract derived from it", () => {
    const sample = path.resolve(import.meta.dirname, "../../data/sample");
    const orders = propose(tmp.write("o.csv", csv("Customer ID,Order Date,Sales", "C1,2024-01-01,1")));
    expect(() =>
      proposeConfig([orders, propose(path.join(sample, "invoices.csv"))], path.join(tmp.dir, "z.json")),
    ).toThrow(
      /o\.csv is transactions and .*invoices\.csv is invoices: invoices are derived from transactions, so a config takes one or the other/,
    );
  });

  it("warns about a file the build would read by its name although init was not given it", () => {
    const dir = path.join(tmp.dir, "stray");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "orders.csv"), csv("Customer ID,Order Date,Sales", "C1,2024-01-01,1"));
    writeFileSync(path.join(dir, "accounts.csv"), csv("id,name", "1,x"));
    // invoices.csv is derived from the transactions: the build ignores it, so no warning.
    writeFileSync(path.join(dir, "invoices.csv"), csv("id", "1"));
    const { warnings } = proposeConfig([propose(path.join(dir, "orders.csv"))], path.join(dir, "atlas.config.json"));
    expect(warnings).toEqual([
      `${path.join(dir, "accounts.csv")} is in the source folder: the build reads it as the accounts extract (by its name) though init was not given it; run init with it too, or move it`,
    ]);
  });

  it("refuses two files of the same extract", () => {
    const a = propose(tmp.write("a.csv", csv("Customer ID,Order Date,Sales", "C1,2024-01-01,1")));
    const b = propose(tmp.write("b.csv", csv("Customer ID,Order Date,Sales", "C1,2024-01-01,1")));
    expect(() => proposeConfig([a, b], path.join(tmp.dir, "x.json"))).toThrow(
      /a\.csv and .*b\.csv are both transactions extracts/,
    );
  });

  it("refuses files that cannot value a customer on their own", () => {
    const sample = path.resolve(import.meta.dirname, "../../data/sample");
    const accounts = propose(path.join(sample, "accounts.csv"));
    expect(() => proposeConfig([accounts], path.join(tmp.dir, "y.json"))).toThrow(
      /is a transactions, subscriptions or contracts export, or invoices with invoice_lines/,
    );
  });
});
