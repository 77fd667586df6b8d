/**
 * What `npm run init` prints: per file the extract chosen and why, each mapped column, the
 * headers left unmapped, every format decision with its evidence and what the sample showed;
 * then what the pages can show with these extracts, what each missing one would add (in the
 * pages' own words, MISSING_GAINS), and the next command.
 */
import path from "node:path";
import { MISSING_GAINS, type AttributeName, type DataCoverage, type MissingGain } from "../../src/lib/coverage.js";
import type { ConfigExtract, FileProposal } from "./propose.js";
import { count, delimiterName } from "./sniff.js";

/** What the pages will have to work with, predicted from the extracts and columns configured. */
export function predictCoverage(proposals: readonly FileProposal[]): DataCoverage {
  const of = (e: ConfigExtract) => proposals.find((p) => p.extract === e);
  const has = (e: ConfigExtract) => of(e) !== undefined;
  const contracts = has("subscriptions") || has("contracts");
  const invoices = has("transactions") || (has("invoices") && has("invoice_lines"));
  const transactions = of("transactions");
  const lineCost =
    transactions !== undefined &&
    (transactions.columns.profit !== undefined || transactions.columns.cost !== undefined);
  const mapped = (column: string) =>
    proposals.some(
      (p) => (p.extract === "transactions" || p.extract === "subscriptions") && p.columns[column] !== undefined,
    );
  const accounts = of("accounts");
  const attribute = (source: string, account: string) => mapped(source) || accounts?.present[account] !== undefined;
  const attributes: Record<AttributeName, boolean> = {
    industry: attribute("industry", "industry"),
    region: attribute("region", "region"),
    size: attribute("employees", "employees"),
    tier: attribute("tier", "tier"),
    channel: attribute("acquisition_channel", "acquisition_channel"),
    key_account: attribute("key_account_manager", "key_account_manager"),
  };
  return {
    shape: contracts && invoices ? "mixed" : contracts ? "subscription" : "transactional",
    contracts,
    invoices,
    spend: has("marketing_spend"),
    nps: has("nps_responses"),
    timeEntries: has("time_entries") && has("role_rates"),
    margin: lineCost ? "line_cost" : has("products") ? "product_cost" : null,
    attributes,
  };
}

/** One line per page of what it will show. */
export function pageSupport(c: DataCoverage): string[] {
  const attrs = (Object.keys(c.attributes) as AttributeName[]).filter((a) => c.attributes[a]);
  const lines: string[] = [];
  const business =
    c.shape === "mixed" ? "subscription and purchase" : c.shape === "subscription" ? "subscription" : "purchase";
  lines.push(
    `Overview: customer value for a ${business} business${c.contracts ? ", MRR and ARR" : ""}${c.invoices ? ", billed revenue" : ""}`,
  );
  lines.push(
    `Models: ${[c.contracts ? "renewal (sBG) models" : null, c.invoices ? "purchase models" : null].filter(Boolean).join(" and ")}`,
  );
  lines.push(
    `Cohort retention: ${c.contracts ? "contract cohorts" : "repeat-purchase retention by acquisition cohort"}`,
  );
  if (c.invoices) lines.push("Pareto / ABC: revenue concentration and ABC classes");
  lines.push(
    `Segment economics: ${attrs.length > 0 ? `by ${attrs.join(", ")}` : "overall only (no segment column mapped)"}; margin ${c.margin === "line_cost" ? "from the lines' cost or profit" : c.margin === "product_cost" ? "from product unit cost" : "not provided"}`,
  );
  lines.push("Account explorer, Scenarios and Data quality");
  return lines;
}

export function missingGains(c: DataCoverage): string[] {
  const gains: MissingGain[] = [];
  if (!c.contracts) gains.push("contracts");
  if (!c.invoices) gains.push("invoices");
  if (!c.spend) gains.push("marketing_spend");
  if (!c.nps) gains.push("nps_responses");
  if (!c.timeEntries) gains.push("time_entries");
  if (c.margin === null) gains.push("cost");
  return gains.map((g) => MISSING_GAINS[g]);
}

function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

function describeValue(value: FileProposal["columns"][string]): string {
  if (typeof value === "string") return value;
  if ("map" in value)
    return `${value.header}  (${Object.entries(value.map)
      .map(([a, b]) => `${a} → ${b}`)
      .join(", ")})`;
  if ("multiply" in value) return `${value.multiply[0]} × ${value.multiply[1]}`;
  if ("value" in value) return `"${value.value}" on every row`;
  return "generated sequence";
}

export function renderReport(
  proposals: readonly FileProposal[],
  configPath: string,
  warnings: readonly string[] = [],
  limit?: { rows: number; money: number; why: string },
): string {
  const out: string[] = [];
  for (const p of proposals) {
    const sampled = p.complete ? `all ${count(p.rowsSampled)} rows` : `first ${count(p.rowsSampled)} rows`;
    out.push(`${shown(p.file)} → ${p.extract} (${sampled} read)`);
    out.push(`  why: ${p.reason}`);
    const width = Math.max(0, ...Object.keys(p.columns).map((k) => k.length));
    for (const [column, value] of Object.entries(p.columns))
      out.push(`  ${column.padEnd(width)} ← ${describeValue(value)}`);
    if (p.filter.length > 0) for (const note of p.filterNotes) out.push(`  filter: ${note}`);
    out.push(`  unmapped: ${p.unmapped.length > 0 ? p.unmapped.join(", ") : "none"}`);
    out.push(`  encoding ${p.encoding.value}: ${p.encoding.evidence}`);
    out.push(`  delimiter ${delimiterName(p.delimiter.value)}: ${p.delimiter.evidence}`);
    out.push(`  decimal separator "${p.decimalSeparator.value}": ${p.decimalSeparator.evidence}`);
    out.push(`  money decimals ${p.moneyDecimals.value}: ${p.moneyDecimals.evidence}`);
    if (p.dateFormat !== null)
      out.push(`  date format ${p.dateFormat.value} (${p.dateFormat.headers.join(", ")}): ${p.dateFormat.evidence}`);
    if (p.currency !== null) out.push(`  currency ${p.currency.value}: ${p.currency.evidence}`);
    for (const note of p.notes) out.push(`  note: ${note}`);
    out.push("");
  }
  const coverage = predictCoverage(proposals);
  out.push("The pages will show:");
  for (const line of pageSupport(coverage)) out.push(`  ${line}`);
  const gains = missingGains(coverage);
  if (gains.length > 0) {
    out.push("Not provided:");
    for (const gain of gains) out.push(`  ${gain}`);
  }
  for (const warning of warnings) out.push(`warning: ${warning}`);
  if (limit !== undefined) out.push(`quarantineLimit ${limit.rows} of rows / ${limit.money} of money: ${limit.why}`);
  out.push("");
  out.push(`Wrote ${shown(configPath)}. Next: npm run build -- --config ${shown(configPath)}`);
  return `${out.join("\n")}\n`;
}
