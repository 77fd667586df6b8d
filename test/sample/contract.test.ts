/**
 * The generated sample honours the data contract of data/README.md: canonical headers,
 * unique ids, resolving references, exact money, signs, dates and ranges.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FILES, cents, generateTo, readTable, removeDir, type Table } from "./helpers.js";

/** Canonical columns, in order, copied from data/README.md. */
const CANONICAL: Record<(typeof FILES)[number], string[]> = {
  "accounts.csv": [
    "account_id",
    "account_name",
    "industry",
    "employees",
    "seats",
    "region",
    "tier",
    "business_model",
    "acquisition_channel",
    "acquired_on",
    "key_account_manager",
    "contact_name",
    "contact_email",
    "contact_phone",
    "notes",
  ],
  "products.csv": [
    "product_id",
    "product_name",
    "category",
    "list_price",
    "unit_cost",
    "currency",
    "launched_on",
    "withdrawn_on",
  ],
  "contracts.csv": [
    "contract_id",
    "account_id",
    "product_id",
    "billing_term",
    "start_date",
    "end_date",
    "seats",
    "mrr",
    "currency",
    "change_type",
  ],
  "invoices.csv": ["invoice_id", "account_id", "invoice_date", "currency", "document_type"],
  "invoice_lines.csv": ["invoice_id", "line_no", "product_id", "quantity", "unit_price", "amount", "line_type"],
  "marketing_spend.csv": ["month", "channel", "category", "amount", "currency"],
  "nps_responses.csv": ["response_id", "account_id", "responded_on", "score", "comment"],
  "time_entries.csv": ["entry_id", "account_id", "work_date", "role", "hours", "activity"],
  "role_rates.csv": ["role", "hourly_cost", "currency"],
};

const START = "2021-10-01";
const AS_OF = "2026-09-30";
const ISO = /^\d{4}-\d{2}-\d{2}$/;
const MONEY = /^-?\d+\.\d{2}$/;

let dir: string;
const t: Record<string, Table> = {};

beforeAll(() => {
  dir = generateTo({ accounts: 400, years: 5, seed: 11, asOf: AS_OF });
  for (const f of FILES) t[f.replace(".csv", "")] = readTable(dir, f);
});
afterAll(() => removeDir(dir));

function unique(table: Table, key: (r: Record<string, string>) => string): boolean {
  return new Set(table.map(key)).size === table.length;
}

/** The first few rows that break `ok` (an empty list when all rows pass). */
function none(table: Table, ok: (r: Record<string, string>) => boolean): Record<string, string>[] {
  return table.filter((r) => !ok(r)).slice(0, 5);
}

function inWindow(date: string, from = START): boolean {
  return ISO.test(date) && date >= from && date <= AS_OF;
}

describe("the generated sample", () => {
  it("starts every file with exactly the canonical header, in UTF-8 with \\n line endings", () => {
    for (const f of FILES) {
      const bytes = readFileSync(join(dir, f));
      const text = bytes.toString("utf8");
      expect(Buffer.from(text, "utf8").equals(bytes), f).toBe(true);
      expect(text.charCodeAt(0), f).not.toBe(0xfeff);
      expect(text.includes("\r"), f).toBe(false);
      expect(text.endsWith("\n"), f).toBe(true);
      expect(text.slice(0, text.indexOf("\n")), f).toBe(CANONICAL[f].join(","));
    }
  });

  it("has rows in every file", () => {
    for (const [name, rows] of Object.entries(t)) expect(rows.length, name).toBeGreaterThan(0);
  });

  it("has unique ids and keys", () => {
    expect(unique(t.accounts, (r) => r.account_id)).toBe(true);
    expect(unique(t.accounts, (r) => r.account_name)).toBe(true);
    expect(unique(t.products, (r) => r.product_id)).toBe(true);
    expect(unique(t.contracts, (r) => r.contract_id)).toBe(true);
    expect(unique(t.invoices, (r) => r.invoice_id)).toBe(true);
    expect(unique(t.invoice_lines, (r) => `${r.invoice_id}/${r.line_no}`)).toBe(true);
    expect(unique(t.marketing_spend, (r) => `${r.month}/${r.channel}/${r.category}`)).toBe(true);
    expect(unique(t.nps_responses, (r) => r.response_id)).toBe(true);
    expect(unique(t.time_entries, (r) => r.entry_id)).toBe(true);
    expect(unique(t.role_rates, (r) => r.role)).toBe(true);
  });

  it("has only references that resolve", () => {
    const accounts = new Set(t.accounts.map((r) => r.account_id));
    const products = new Set(t.products.map((r) => r.product_id));
    const invoices = new Set(t.invoices.map((r) => r.invoice_id));
    const roles = new Set(t.role_rates.map((r) => r.role));
    const channels = new Set(t.accounts.map((r) => r.acquisition_channel));
    expect(none(t.contracts, (r) => accounts.has(r.account_id) && products.has(r.product_id))).toEqual([]);
    expect(none(t.invoices, (r) => accounts.has(r.account_id))).toEqual([]);
    expect(none(t.invoice_lines, (r) => invoices.has(r.invoice_id) && products.has(r.product_id))).toEqual([]);
    expect(none(t.nps_responses, (r) => accounts.has(r.account_id))).toEqual([]);
    expect(none(t.time_entries, (r) => accounts.has(r.account_id) && roles.has(r.role))).toEqual([]);
    expect(none(t.marketing_spend, (r) => channels.has(r.channel))).toEqual([]);
  });

  it("numbers the lines of every invoice 1..n and leaves no invoice without lines", () => {
    const lines = new Map<string, number[]>();
    for (const r of t.invoice_lines) lines.set(r.invoice_id, [...(lines.get(r.invoice_id) ?? []), Number(r.line_no)]);
    expect(
      none(t.invoices, (inv) => {
        const nos = lines.get(inv.invoice_id) ?? [];
        return nos.length > 0 && nos.every((n, i) => n === i + 1);
      }),
    ).toEqual([]);
  });

  it("writes money with exactly two decimals and amount = quantity × unit price to the cent", () => {
    expect(
      none(
        t.invoice_lines,
        (r) =>
          MONEY.test(r.unit_price) &&
          MONEY.test(r.amount) &&
          /^-?\d+$/.test(r.quantity) &&
          cents(r.amount) === Number(r.quantity) * cents(r.unit_price),
      ),
    ).toEqual([]);
    expect(none(t.contracts, (r) => MONEY.test(r.mrr) && cents(r.mrr) % Number(r.seats) === 0)).toEqual([]);
    expect(none(t.products, (r) => MONEY.test(r.list_price) && MONEY.test(r.unit_cost))).toEqual([]);
    expect(none([...t.marketing_spend, ...t.role_rates], (r) => MONEY.test(r.amount ?? r.hourly_cost))).toEqual([]);
  });

  it("uses USD everywhere", () => {
    for (const name of ["products", "contracts", "invoices", "marketing_spend", "role_rates"])
      expect(none(t[name], (r) => r.currency === "USD")).toEqual([]);
  });

  it("makes credit-note lines negative and invoice lines non-negative, at about 0.5% of documents", () => {
    const type = new Map(t.invoices.map((r) => [r.invoice_id, r.document_type]));
    expect(
      none(t.invoice_lines, (r) =>
        type.get(r.invoice_id) === "credit_note" ? cents(r.amount) < 0 : cents(r.amount) >= 0,
      ),
    ).toEqual([]);
    const credits = t.invoices.filter((r) => r.document_type === "credit_note").length;
    expect(credits).toBeGreaterThan(0);
    expect(credits / t.invoices.length).toBeLessThan(0.012);
    expect(new Set(t.invoices.map((r) => r.document_type))).toEqual(new Set(["invoice", "credit_note"]));
  });

  it("keeps every dated event between the start of the history and the as-of date", () => {
    expect(none(t.accounts, (r) => inWindow(r.acquired_on))).toEqual([]);
    expect(none(t.invoices, (r) => inWindow(r.invoice_date))).toEqual([]);
    expect(none(t.nps_responses, (r) => inWindow(r.responded_on))).toEqual([]);
    expect(none(t.time_entries, (r) => inWindow(r.work_date))).toEqual([]);
    expect(none(t.marketing_spend, (r) => inWindow(r.month) && r.month.endsWith("-01"))).toEqual([]);
    for (const r of t.products) {
      expect(inWindow(r.launched_on, "1990-01-01"), r.product_id).toBe(true);
      if (r.withdrawn_on) expect(inWindow(r.withdrawn_on) && r.withdrawn_on >= r.launched_on, r.product_id).toBe(true);
    }
  });

  it("starts contracts no earlier than acquisition, ends them no earlier than they start, and never overlaps a product line", () => {
    const acquired = new Map(t.accounts.map((r) => [r.account_id, r.acquired_on]));
    const byLine = new Map<string, Record<string, string>[]>();
    expect(none(t.contracts, (r) => inWindow(r.start_date) && r.start_date >= acquired.get(r.account_id)!)).toEqual([]);
    expect(none(t.contracts, (r) => r.end_date === "" || (inWindow(r.end_date) && r.end_date >= r.start_date))).toEqual(
      [],
    );
    for (const r of t.contracts) {
      const line = `${r.account_id}/${r.product_id.startsWith("PLN-") ? "plan" : r.product_id}`;
      byLine.set(line, [...(byLine.get(line) ?? []), r]);
    }
    const overlaps: string[] = [];
    for (const [line, rows] of byLine) {
      rows.sort((a, b) => a.start_date.localeCompare(b.start_date));
      for (let i = 1; i < rows.length; i++)
        if (rows[i - 1].end_date === "" || rows[i - 1].end_date >= rows[i].start_date) overlaps.push(line);
      if (!/^(new|addon)$/.test(rows[0].change_type)) overlaps.push(`${line} starts with ${rows[0].change_type}`);
    }
    expect(overlaps).toEqual([]);
  });

  it("uses only the documented categories and codes", () => {
    expect(new Set(t.accounts.map((r) => r.business_model))).toEqual(new Set(["subscription", "transactional"]));
    expect(
      none(t.accounts, (r) =>
        r.business_model === "transactional" ? r.tier === "" : ["Starter", "Pro", "Enterprise"].includes(r.tier),
      ),
    ).toEqual([]);
    expect(none(t.accounts, (r) => /^\d+$/.test(r.employees) && /^\d+$/.test(r.seats) && Number(r.seats) >= 1)).toEqual(
      [],
    );
    expect(new Set(t.contracts.map((r) => r.billing_term))).toEqual(new Set(["monthly", "annual"]));
    expect(new Set(t.contracts.map((r) => r.change_type))).toEqual(
      new Set(["new", "renewal", "upgrade", "downgrade", "price_increase", "addon", "reactivation"]),
    );
    expect(new Set(t.products.map((r) => r.category))).toEqual(new Set(["subscription", "service", "product"]));
    expect(new Set(t.invoice_lines.map((r) => r.line_type))).toEqual(new Set(["subscription", "service", "product"]));
    expect(new Set(t.marketing_spend.map((r) => r.category))).toEqual(new Set(["sales", "marketing"]));
  });

  it("bills contracts only to subscription accounts and products only to transactional ones", () => {
    const model = new Map(t.accounts.map((r) => [r.account_id, r.business_model]));
    const account = new Map(t.invoices.map((r) => [r.invoice_id, r.account_id]));
    expect(none(t.contracts, (r) => model.get(r.account_id) === "subscription")).toEqual([]);
    expect(
      none(
        t.invoice_lines,
        (r) => model.get(account.get(r.invoice_id)!) === (r.line_type === "product" ? "transactional" : "subscription"),
      ),
    ).toEqual([]);
  });

  it("records NPS scores as integers from 0 to 10 and positive hours", () => {
    expect(none(t.nps_responses, (r) => /^(10|[0-9])$/.test(r.score))).toEqual([]);
    expect(none(t.time_entries, (r) => /^\d+(\.\d+)?$/.test(r.hours) && Number(r.hours) > 0)).toEqual([]);
  });

  it("exercises CSV quoting and UTF-8 with a few names and comments holding commas, quotes or accents", () => {
    const text = ["accounts.csv", "nps_responses.csv"].map((f) => readFileSync(join(dir, f), "utf8")).join("");
    expect(text).toMatch(/""/);
    expect(text).toMatch(/"[^"\n]*,[^"\n]*"/);
    expect(text).toMatch(/[À-ž]/);
  });
});
