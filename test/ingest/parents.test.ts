/**
 * Children follow their parent: when a parent row is quarantined, every row that references
 * its key is quarantined as `parent_quarantined`, naming the parent's line — never attached
 * to another record that shares the key (a duplicate whose first line was accepted). One case
 * per parent–child pair of the schema.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../loaders/config.js";
import { openDb } from "../../loaders/db.js";
import { ingest } from "../../loaders/ingest/index.js";
import { copyFixture, writeConfig } from "../support/fixtures.js";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

interface Quarantined {
  extract: string;
  line: number;
  code: string;
  column: string | null;
  message: string;
}

async function quarantineOf(dir: string, config: Record<string, unknown> = {}): Promise<Quarantined[]> {
  const db = await openDb();
  try {
    await ingest(db, loadConfig(writeConfig(dir, config)));
    const rows = await db.all<{
      extract: string;
      line: string;
      code: string;
      column_name: string | null;
      message: string;
    }>("SELECT extract, line, code, column_name, message FROM quarantine ORDER BY extract, line");
    return rows.map((r) => ({
      extract: r.extract,
      line: Number(r.line),
      code: r.code,
      column: r.column_name,
      message: r.message,
    }));
  } finally {
    db.close();
  }
}

/** Rewrites one data line (1-based physical line) of a fixture file. */
function editLine(dir: string, file: string, line: number, edit: (text: string) => string): void {
  const full = path.join(dir, file);
  const lines = readFileSync(full, "utf8").split("\n");
  lines[line - 1] = edit(lines[line - 1]);
  writeFileSync(full, lines.join("\n"));
}

/** Lines (physical) of a fixture file whose `column` equals `value`, found by reading the file here. */
function linesWith(dir: string, file: string, column: string, value: string): number[] {
  const [header, ...rows] = readFileSync(path.join(dir, file), "utf8").split("\n");
  const index = header.split(",").indexOf(column);
  return rows.flatMap((row, i) => (row.split(",")[index] === value ? [i + 2] : []));
}

function fresh(): string {
  const dir = copyFixture();
  made.push(dir);
  return dir;
}

// parent extract, its key column, the value to break, and each child (extract, referencing column).
const PAIRS = [
  {
    parent: "accounts",
    key: "account_id",
    value: "A1",
    children: [
      ["contracts", "account_id"],
      ["invoices", "account_id"],
      ["nps_responses", "account_id"],
      ["time_entries", "account_id"],
    ],
  },
  {
    parent: "products",
    key: "product_id",
    value: "P-PRO",
    children: [
      ["contracts", "product_id"],
      ["invoice_lines", "product_id"],
    ],
  },
  { parent: "invoices", key: "invoice_id", value: "I02", children: [["invoice_lines", "invoice_id"]] },
  { parent: "role_rates", key: "role", value: "Support Engineer", children: [["time_entries", "role"]] },
] as const;

describe("a quarantined parent takes its children with it", () => {
  for (const pair of PAIRS) {
    for (const [child, column] of pair.children) {
      it(`${pair.parent} → ${child}.${column}`, async () => {
        const dir = fresh();
        const parentFile = `${pair.parent}.csv`;
        const [parentLine] = linesWith(dir, parentFile, pair.key, pair.value);
        // A repeat of the key with the first row made invalid: the repeat would be accepted and
        // the children would join it; both rows are now the parent of nobody.
        const original = readFileSync(path.join(dir, parentFile), "utf8").split("\n")[parentLine - 1];
        editLine(dir, parentFile, parentLine, (text) =>
          text.replace(/,USD(,|$)/, ",EUR$1").replace(/,2023-01-15,/, ",not a date,"),
        );
        writeFileSync(
          path.join(dir, parentFile),
          readFileSync(path.join(dir, parentFile), "utf8").replace(/\n?$/, "\n") + original + "\n",
        );
        const childLines = linesWith(dir, `${child}.csv`, column, pair.value);
        expect(childLines.length, "the fixture has children of this parent").toBeGreaterThan(0);

        const quarantine = await quarantineOf(dir);
        const parentRows = quarantine.filter((q) => q.extract === pair.parent);
        expect(parentRows.map((q) => q.line)).toContain(parentLine);
        for (const line of childLines) {
          const row = quarantine.find((q) => q.extract === child && q.line === line);
          expect(row, `${child} line ${line}`).toMatchObject({ code: "parent_quarantined", column });
          expect(row!.message).toContain(`its ${pair.parent} row on line ${parentLine} was quarantined`);
        }
      });
    }
  }

  it("cascades: the invoices of a quarantined account take their lines with them", async () => {
    const dir = fresh();
    const [line] = linesWith(dir, "accounts.csv", "account_id", "A1");
    editLine(dir, "accounts.csv", line, (text) => text.replace(",2023-01-15,", ",not a date,"));
    const quarantine = await quarantineOf(dir);
    const invoices = linesWith(dir, "invoices.csv", "account_id", "A1");
    const invoiceIds = readFileSync(path.join(dir, "invoices.csv"), "utf8")
      .split("\n")
      .filter((_, i) => invoices.includes(i + 1))
      .map((r) => r.split(",")[0]);
    const lines = invoiceIds.flatMap((id) => linesWith(dir, "invoice_lines.csv", "invoice_id", id));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines)
      expect(quarantine.find((q) => q.extract === "invoice_lines" && q.line === l)?.code).toBe("parent_quarantined");
  });
});

describe("source extracts", () => {
  function ordersDir(rows: string): string {
    const dir = fresh();
    for (const f of [
      "accounts",
      "products",
      "contracts",
      "invoices",
      "invoice_lines",
      "nps_responses",
      "time_entries",
      "role_rates",
      "marketing_spend",
    ])
      rmSync(path.join(dir, `${f}.csv`));
    writeFileSync(path.join(dir, "orders.csv"), `Customer,Date,Amount,Product\n${rows}`);
    return dir;
  }
  const columns = { account_id: "Customer", date: "Date", amount: "Amount", product_id: "Product" };

  it("transactions → a quarantined product makes its lines parent_quarantined", async () => {
    const dir = ordersDir("C1,2024-01-02,10.00,P1\nC2,2024-01-03,5.00,P2\n");
    writeFileSync(
      path.join(dir, "products.csv"),
      "product_id,product_name,category,list_price,unit_cost,currency,launched_on,withdrawn_on\nP1,One,product,10.00,-1.00,USD,2020-01-01,\nP2,Two,product,5.00,1.00,USD,2020-01-01,\n",
    );
    const quarantine = await quarantineOf(dir, {
      extracts: { transactions: { file: "orders.csv", columns }, products: { file: "products.csv" } },
    });
    expect(quarantine.map((q) => [q.extract, q.line, q.code])).toEqual([
      ["products", 2, "negative_amount"],
      ["transactions", 2, "parent_quarantined"],
    ]);
  });

  it("transactions → a quarantined account makes its rows parent_quarantined", async () => {
    const dir = ordersDir("C1,2024-01-02,10.00,P1\nC2,2024-01-03,5.00,P2\n");
    writeFileSync(
      path.join(dir, "customers.csv"),
      "account_id,account_name,industry,employees,seats,region,tier,business_model,acquisition_channel,acquired_on\nC1,One,Retail,5,0,EMEA,,transactional,Web,not a date\nC2,Two,Retail,5,0,EMEA,,transactional,Web,2023-01-01\n",
    );
    const quarantine = await quarantineOf(dir, {
      extracts: { transactions: { file: "orders.csv", columns }, accounts: { file: "customers.csv" } },
    });
    expect(quarantine.map((q) => [q.extract, q.line, q.code])).toEqual([
      ["accounts", 2, "invalid_date"],
      ["transactions", 2, "parent_quarantined"],
    ]);
  });

  it("subscriptions → a quarantined account makes its subscriptions parent_quarantined", async () => {
    const dir = ordersDir("");
    writeFileSync(
      path.join(dir, "subs.csv"),
      "Customer,Start,Amount,Interval\nC1,2024-01-01,100.00,month\nC2,2024-01-01,1200.00,year\n",
    );
    writeFileSync(
      path.join(dir, "customers.csv"),
      "account_id,account_name,industry,employees,seats,region,tier,business_model,acquisition_channel,acquired_on\nC1,One,Retail,5,0,EMEA,,subscription,Web,2023-01-01\nC1,One again,Retail,5,0,EMEA,,subscription,Web,2023-01-01\nC2,Two,Retail,5,0,EMEA,,subscription,Web,2023-01-01\n",
    );
    rmSync(path.join(dir, "orders.csv"));
    const quarantine = await quarantineOf(dir, {
      extracts: {
        subscriptions: {
          file: "subs.csv",
          columns: {
            account_id: "Customer",
            start_date: "Start",
            amount: "Amount",
            interval: { header: "Interval", map: { month: "monthly", year: "annual" } },
          },
        },
        accounts: { file: "customers.csv" },
      },
    });
    expect(quarantine.map((q) => [q.extract, q.line, q.code])).toEqual([
      ["accounts", 3, "duplicate_key"],
      ["subscriptions", 2, "parent_quarantined"],
    ]);
  });
});
