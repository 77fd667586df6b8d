/**
 * The three business shapes the pages must handle, derived from the bundled sample into a
 * temporary folder (built with the sample config and `--data DIR`):
 *
 * - `mixed`: the sample as it is (subscription and transactional accounts, every extract);
 * - `transactional`: purchase histories only — every account transactional, no contract rows,
 *   no tier and no key-account manager, and header-only marketing spend, NPS answers, time
 *   entries and role rates (the extracts an orders export does not have);
 * - `subscription`: only the subscription accounts with their contracts, invoices, lines, NPS
 *   answers and time entries; spend, products and role rates as in the sample.
 *
 * The CSV is rewritten with a small reader of its own (quoted fields, no embedded newlines in
 * the sample), independent of the loaders.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO } from "./fixtures.js";

export type Shape = "mixed" | "transactional" | "subscription";
export const SHAPES: readonly Shape[] = ["mixed", "transactional", "subscription"];
export const SAMPLE_DIR = path.join(REPO, "data", "sample");

const FILES = ["accounts", "products", "contracts", "invoices", "invoice_lines", "marketing_spend", "nps_responses", "time_entries", "role_rates"] as const;
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
  const lines = readFileSync(path.join(dir, `${name}.csv`), "utf8").split(/\r?\n/).filter((l) => l.length > 0);
  return { header: parseLine(lines[0]), rows: lines.slice(1).map(parseLine) };
}

function write(dir: string, name: FileName, t: Table): void {
  writeFileSync(path.join(dir, `${name}.csv`), [t.header, ...t.rows].map((r) => r.map(quote).join(",")).join("\n") + "\n");
}

const col = (t: Table, name: string) => {
  const i = t.header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return i;
};
const headerOnly = (t: Table): Table => ({ header: t.header, rows: [] });

/** The tables of a shape, derived from the sample's. */
export function shapeTables(shape: Shape, source = SAMPLE_DIR): Record<FileName, Table> {
  const t = Object.fromEntries(FILES.map((f) => [f, read(source, f)])) as Record<FileName, Table>;
  if (shape === "mixed") return t;
  if (shape === "transactional") {
    const a = t.accounts;
    const [model, kam] = [col(a, "business_model"), col(a, "key_account_manager")];
    // Tier stays until saved scenarios belong to their data (the sample's name tiers).
    const accounts = { header: a.header, rows: a.rows.map((r) => r.map((c, i) => (i === model ? "transactional" : i === kam ? "" : c))) };
    return { ...t, accounts, contracts: headerOnly(t.contracts), marketing_spend: headerOnly(t.marketing_spend), nps_responses: headerOnly(t.nps_responses), time_entries: headerOnly(t.time_entries), role_rates: headerOnly(t.role_rates) };
  }
  const a = t.accounts;
  const keep = new Set(a.rows.filter((r) => r[col(a, "business_model")] === "subscription").map((r) => r[col(a, "account_id")]));
  const byAccount = (x: Table) => ({ header: x.header, rows: x.rows.filter((r) => keep.has(r[col(x, "account_id")])) });
  const invoices = byAccount(t.invoices);
  const invoiceIds = new Set(invoices.rows.map((r) => r[col(invoices, "invoice_id")]));
  const lines = { header: t.invoice_lines.header, rows: t.invoice_lines.rows.filter((r) => invoiceIds.has(r[col(t.invoice_lines, "invoice_id")])) };
  return { ...t, accounts: byAccount(a), contracts: byAccount(t.contracts), invoices, invoice_lines: lines, nps_responses: byAccount(t.nps_responses), time_entries: byAccount(t.time_entries) };
}

/** Writes the shape's extracts into a fresh temporary folder (the sample's own folder for `mixed`); returns it. */
export function shapeData(shape: Shape): string {
  if (shape === "mixed") return SAMPLE_DIR;
  const dir = mkdtempSync(path.join(os.tmpdir(), `atlas-shape-${shape}-`));
  const tables = shapeTables(shape);
  for (const f of FILES) write(dir, f, tables[f]);
  return dir;
}
