/** Shared helpers for the sample-generator tests: run the generator into a temp dir, read CSVs. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSample, type SampleOptions } from "../../loaders/sample/generate.js";

export const FILES = [
  "accounts.csv",
  "products.csv",
  "contracts.csv",
  "invoices.csv",
  "invoice_lines.csv",
  "marketing_spend.csv",
  "nps_responses.csv",
  "time_entries.csv",
  "role_rates.csv",
] as const;

/** Runs the generator into a fresh temp directory; returns the directory. */
export function generateTo(options: Partial<Omit<SampleOptions, "out">>): string {
  const out = mkdtempSync(join(tmpdir(), "ltv-sample-"));
  generateSample({ accounts: 60, years: 2, seed: 42, asOf: "2026-09-30", ...options, out });
  return out;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** RFC-4180 parser (comma, double-quote, `\n` records); returns header and rows. */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...rows] = records;
  return { header, rows };
}

export type Table = Record<string, string>[];

/** Reads a CSV as objects keyed by header. */
export function readTable(dir: string, file: string): Table {
  const { header, rows } = parseCsv(readFileSync(join(dir, file), "utf8"));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** "12.34" / "-0.05" → integer cents, without floating point. */
export function cents(text: string): number {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a two-decimal amount: ${text}`);
  const v = Number(m[2]) * 100 + Number(m[3]);
  return m[1] ? -v : v;
}
