/**
 * The config is checked before anything is read: every malformed mapping, unknown key or
 * impossible combination stops with the config path and the key at fault.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../loaders/config.js";
import { AtlasError } from "../../loaders/errors.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-config-"));
writeFileSync(path.join(dir, "orders.csv"), "Customer,Date,Amount\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CONFIG = path.join(dir, "atlas.config.json");

const orders = (columns: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  extracts: {
    transactions: {
      file: "orders.csv",
      columns: { account_id: "Customer", date: "Date", amount: "Amount", ...columns },
      ...extra,
    },
  },
});

function error(raw: unknown): string {
  try {
    parseConfig(raw, CONFIG);
  } catch (e) {
    expect(e).toBeInstanceOf(AtlasError);
    return (e as Error).message;
  }
  throw new Error("expected a configuration error");
}

describe("config keys", () => {
  it.each([
    [{ pubish: { pseudonymize: true }, ...orders() }, /"pubish" is not a configuration key; did you mean "publish"\?/],
    [
      { format: { decimalSeperator: "," }, ...orders() },
      /"format\.decimalSeperator" is not a configuration key; did you mean "format\.decimalSeparator"\?/,
    ],
    [
      { valuation: { horizonMonth: 12 }, ...orders() },
      /"valuation\.horizonMonth" .*did you mean "valuation\.horizonMonths"\?/,
    ],
    [
      { extracts: { transactions: { fiel: "orders.csv" } } },
      /"extracts\.transactions\.fiel" .*did you mean "extracts\.transactions\.file"\?/,
    ],
    [
      { extracts: { transaction: { file: "orders.csv" } } },
      /"extracts\.transaction" is not an extract LTV Atlas knows; did you mean "extracts\.transactions"\?/,
    ],
    [orders({ custmer: "Customer" }), /"extracts\.transactions\.columns\.custmer" is not a column of transactions/],
  ])("rejects a misspelt key: %j", (raw, message) => {
    expect(error(raw)).toMatch(message);
  });

  it("ignores keys starting with $ (comments, such as the ones npm run init writes)", () => {
    const config = parseConfig({ $comments: { "format.dateFormat": "ISO" }, ...orders({ $why: "x" }) }, CONFIG);
    expect(config.extracts.transactions.provided).toBe(true);
  });
});

describe("column mapping", () => {
  it("reads the four forms", () => {
    const config = parseConfig(
      {
        format: { moneyDecimals: 4 },
        ...orders({
          currency: { value: "USD" },
          deal_type: { header: "Type", map: { "New Business": "new" } },
          order_id: { generate: "sequence" },
          amount: { multiply: ["quantity", "unit_price"] },
        }),
      },
      CONFIG,
    );
    const c = config.extracts.transactions.columns;
    expect(c.currency).toEqual({ kind: "value", value: "USD" });
    expect(c.deal_type).toEqual({ kind: "header", header: "Type", map: { "new business": "new" } });
    expect(c.order_id).toEqual({ kind: "sequence" });
    expect(c.amount).toEqual({ kind: "multiply", factors: ["quantity", "unit_price"] });
    expect(config.extracts.transactions.format.moneyDecimals).toBe(4);
  });

  it.each([
    [
      orders({ tier: "Customer" }),
      /"extracts\.transactions\.columns\.tier" maps the header "Customer" that extracts\.transactions\.columns\.account_id already maps/,
    ],
    [
      orders({ deal_type: { header: "Type", map: { Won: "closed" } } }),
      /columns\.deal_type\.map\.Won" maps to "closed", which is not one of new, renewal, expansion, other/,
    ],
    [orders({ deal_type: { value: "maybe" } }), /columns\.deal_type\.value" must be one of/],
    [orders({ date: { header: "Date", value: "2024-01-01" } }), /columns\.date" must have exactly one of/],
    [orders({ date: { multiply: ["quantity", "unit_price"] } }), /columns\.date\.multiply" is only for amount/],
    [
      orders({ amount: { multiply: ["quantity", "price"] } }),
      /columns\.amount\.multiply" must name two other columns of this extract/,
    ],
    [orders({ date: { generate: "sequence" } }), /columns\.date\.generate" is only for line_no and id columns/],
    [orders({ date: { header: "Date", map: {} } }), /columns\.date\.map" must map values/],
    [orders({ date: 3 }), /columns\.date" must be a header, or an object/],
  ])("rejects a malformed mapping: %j", (raw, message) => {
    expect(error(raw)).toMatch(message);
  });

  it.each([
    [orders({}, { filter: { header: "Stage", in: ["Won"] } }), /"extracts\.transactions\.filter" must be a list/],
    [orders({}, { filter: [{ header: "Stage", in: [] }] }), /filter\[0\]\.in" must be a non-empty list/],
    [orders({}, { filter: [{ column: "Stage", in: ["Won"] }] }), /filter\[0\]\.column" is not a configuration key/],
  ])("rejects a malformed filter: %j", (raw, message) => {
    expect(error(raw)).toMatch(message);
  });
});

describe("extracts", () => {
  it("needs at least one extract with customer activity", () => {
    expect(error({ extracts: { nps_responses: { file: "nps.csv" } } })).toMatch(
      /names no extract with customer activity/,
    );
  });

  it("refuses transactions beside invoices, and subscriptions beside contracts", () => {
    expect(error({ extracts: { ...orders().extracts, invoices: { file: "i.csv" } } })).toMatch(
      /"extracts\.transactions" and extracts\.invoices cannot both be given/,
    );
    expect(error({ extracts: { subscriptions: { file: "s.csv" }, contracts: { file: "c.csv" } } })).toMatch(
      /extracts\.subscriptions" and extracts\.contracts cannot both be given/,
    );
  });

  it("reads exactly the files a config on an export names: a stray <name>.csv beside it is not picked up", () => {
    writeFileSync(path.join(dir, "subscriptions.csv"), "account_id,start_date,amount,interval\n");
    writeFileSync(path.join(dir, "nps_responses.csv"), "response_id,account_id,responded_on,score\n");
    try {
      const config = parseConfig(orders(), CONFIG);
      expect(
        Object.entries(config.extracts)
          .filter(([, e]) => e.provided)
          .map(([n]) => n),
      ).toEqual(["transactions"]);
      // Without a source extract (the canonical shape), files named like an extract are read by name.
      writeFileSync(path.join(dir, "invoices.csv"), "invoice_id,account_id,invoice_date,currency,document_type\n");
      const canonical = parseConfig({ extracts: { invoices: {} } }, CONFIG);
      expect(
        Object.entries(canonical.extracts)
          .filter(([, e]) => e.provided)
          .map(([n]) => n),
      ).toEqual(["subscriptions", "invoices", "nps_responses"]);
    } finally {
      for (const f of ["subscriptions.csv", "nps_responses.csv", "invoices.csv"])
        rmSync(path.join(dir, f), { force: true });
    }
  });

  it("reads the strict-build limit and the scenarios folder", () => {
    const config = parseConfig({ ...orders(), quarantineLimit: { rows: 0.05 }, scenarios: "my-scenarios" }, CONFIG);
    expect(config.quarantineLimit).toEqual({ rows: 0.05, money: 0.01 });
    expect(config.scenariosDir).toBe(path.join(dir, "my-scenarios"));
    expect(parseConfig(orders(), CONFIG).scenariosDir).toBeNull();
    expect(error({ ...orders(), quarantineLimit: { rows: 2 } })).toMatch(
      /quarantineLimit\.rows" must be a share from 0 to 1/,
    );
  });
});

describe("format", () => {
  it.each([
    [{ moneyDecimals: 6 }, /format\.moneyDecimals" must be 2, 3 or 4/],
    [{ delimiter: '"' }, /format\.delimiter" cannot be a quote/],
    [{ delimiter: ",", decimalSeparator: "," }, /format\.delimiter" cannot be the decimal separator/],
    [{ dateFormat: "%H:%M" }, /format\.dateFormat" "%H:%M" must name a year/],
  ])("rejects %j", (format, message) => {
    expect(error({ format, ...orders() })).toMatch(message);
  });

  it.each(["%-m/%-d/%Y", "%d/%m/%y %H:%M", "%Y-%m-%dT%H:%M:%SZ", "%d %b %Y"])(
    "accepts the date format %s",
    (dateFormat) => {
      expect(parseConfig({ format: { dateFormat }, ...orders() }, CONFIG).extracts.transactions.format.dateFormat).toBe(
        dateFormat,
      );
    },
  );
});
