/**
 * Tables of the data-quality page, from `data/quality.json`. CRM values (file names,
 * examples) are data: htl escapes them.
 */
import { html } from "htl";
import { formatMoneyDecimal, formatNumber, formatPercent } from "../lib/format.js";
import type { ExtractReport, IngestReport } from "../lib/shapes/ingest-report.js";
import { extractStatuses, marginBasis, pageCoverage } from "../lib/page-coverage.js";
import { aggregateOnlyNote } from "./aggregate-only.js";
import { withCode } from "./not-provided.js";

/**
 * Each extract as provided, derived from another, or not provided with what adding it would
 * show; then where the gross margin comes from. From the report's coverage (src/lib/page-coverage.ts).
 */
export function coverageTable(report: IngestReport): HTMLElement {
  const coverage = pageCoverage(report);
  const shape = {
    mixed: "subscription and transactional accounts",
    subscription: "subscription accounts only",
    transactional: "transactional accounts only (purchase histories)",
  }[coverage.shape];
  return html`<div data-coverage=${coverage.shape}>
    <p>
      This data has <strong>${shape}</strong>; gross margin
      ${coverage.margin === null ? html`<span class="not-provided" data-not-provided>${withCode(marginBasis(coverage))}</span>` : marginBasis(coverage)}.
    </p>
    <table class="quality" data-table="coverage">
      <thead>
        <tr>
          <th>Extract</th>
          <th>Status</th>
          <th>Adding it would show</th>
        </tr>
      </thead>
      <tbody>
        ${extractStatuses(report).map(
          (s) =>
            html`<tr data-extract=${s.extract} data-status=${s.state}>
              <td>${s.extract}</td>
              <td class=${s.state === "provided" || s.state === "derived" ? "status-ok" : ""}>${s.label}</td>
              <td>
                ${s.gain === null ? "—" : html`<span class="not-provided" data-not-provided>${withCode(s.gain)}</span>`}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>` as HTMLElement;
}

/** Rows read, accepted and quarantined per extract that was read or derived (the missing ones are in `coverageTable`). */
export function extractTable(report: IngestReport): HTMLElement {
  return html`<table class="quality" data-table="extracts">
    <thead>
      <tr>
        <th>Extract</th>
        <th>File</th>
        <th>Rows read</th>
        <th>Left out by a filter</th>
        <th>Accepted</th>
        <th>Quarantined</th>
        <th>Dates covered</th>
        <th>Ignored columns</th>
      </tr>
    </thead>
    <tbody>
      ${report.extracts
        .filter((e) => e.provided !== false || e.derivedFrom)
        .map(
          (e) =>
            html`<tr data-extract=${e.extract}>
              <td>${e.extract}</td>
              <td>${e.file ? html`<code>${e.file}</code>` : `derived from ${e.derivedFrom}`}</td>
              <td data-rows-read>${e.provided === false ? "—" : formatNumber(e.rowsRead)}</td>
              <td data-filtered>${filteredCell(e)}</td>
              <td data-accepted>${formatNumber(e.accepted)}${acceptedShare(e)}</td>
              <td data-quarantined class=${e.quarantined ? "status-bad" : ""}>${formatNumber(e.quarantined)}</td>
              <td>${coverage(e)}</td>
              <td>${e.ignoredHeaders.join(", ") || "—"}</td>
            </tr>`,
        )}
    </tbody>
  </table>` as HTMLElement;
}

/** Rows each configured filter left out (counted, never quarantined). */
function filteredCell(e: ExtractReport) {
  const rules = (e.filtered ?? []).filter((f) => f.count > 0);
  if (rules.length === 0) return "—";
  return rules.map((f, i) => html`${i ? html`<br />` : ""}${formatNumber(f.count)} (keep ${f.rule})`);
}

/** " (98.7%)": accepted as a share of the rows no filter left out. */
function acceptedShare(e: ExtractReport): string {
  const considered = e.rowsRead - (e.filtered ?? []).reduce((n, f) => n + f.count, 0);
  return e.provided === false || considered <= 0 ? "" : ` (${formatPercent(e.accepted / considered)})`;
}

function coverage(e: ExtractReport) {
  const ranges = e.dateCoverage.filter((d) => d.min !== null);
  if (ranges.length === 0) return "—";
  return ranges.map((d, i) => html`${i ? html`<br />` : ""}${d.column}: ${d.min} → ${d.max}`);
}

export function reconciliationTable(report: IngestReport, currency = report.currency): HTMLElement {
  const rows = report.extracts.filter((e) => e.money !== null);
  return html`<table class="quality" data-table="money">
    <thead>
      <tr>
        <th>Extract</th>
        <th>Column</th>
        <th>Source total</th>
        <th>Accepted</th>
        <th>Quarantined</th>
        <th>Unreadable amounts</th>
        <th>Status</th>
        <th>Rounded to cents for the pages</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map((e) => {
        const m = e.money!;
        return html`<tr data-extract=${e.extract}>
          <td>${e.extract}</td>
          <td>${m.column}</td>
          <td data-source-total>${formatMoneyDecimal(m.sourceTotal, currency)}</td>
          <td data-accepted-total>
            ${formatMoneyDecimal(m.acceptedTotal, currency)}${moneyShare(m.acceptedTotal, m.sourceTotal)}
          </td>
          <td>${formatMoneyDecimal(m.quarantinedTotal, currency)}</td>
          <td>${formatNumber(m.unreadableRows)}</td>
          <td class=${m.balanced ? "status-ok" : "status-bad"}>${m.balanced ? "reconciles" : "does not reconcile"}</td>
          <td data-rounding>
            ${e.rounding ? html`read with ${e.rounding.decimals} decimals; each accepted amount rounded to the cent changes the total by ${formatMoneyDecimal(e.rounding.differenceTotal, currency)}` : "— (read in cents)"}
          </td>
        </tr>`;
      })}
    </tbody>
  </table>` as HTMLElement;
}

/** " (99.2%)": the accepted amount as a share of the source total, from the exact decimals. */
function moneyShare(accepted: string, source: string): string {
  const units = (d: string) => {
    const negative = d.startsWith("-");
    const [whole, fraction = ""] = d.replace("-", "").split(".");
    const u = BigInt(whole || "0") * 10000n + BigInt((fraction + "0000").slice(0, 4));
    return negative ? -u : u;
  };
  const s = units(source);
  return s === 0n ? "" : ` (${formatPercent(Number((units(accepted) * 1_000_000n) / s) / 1_000_000)})`;
}

/** Reasons per extract with their counts and examples; an aggregate-only build ships no example, and says so. */
export function reasonsList(
  report: IngestReport & { readonly publish?: { readonly aggregateOnly: boolean } },
): HTMLElement {
  const withReasons = report.extracts.filter((e) => e.reasons.length > 0);
  if (withReasons.length === 0)
    return html`<p data-reasons="none">
      No row was quarantined: every row of every extract passed validation.
    </p>` as HTMLElement;
  const examples = !report.publish?.aggregateOnly;
  return html`<div data-reasons>
    ${withReasons.map(
      (e) =>
        html`<h3>${e.extract} <small>(${e.file})</small></h3>
          <table class="quality">
            <thead>
              <tr>
                <th>Reason</th>
                <th>Column</th>
                <th>Rows</th>
                ${examples ? html`<th>Examples (line: message)</th>` : ""}
              </tr>
            </thead>
            <tbody>
              ${e.reasons.map(
                (r) =>
                  html`<tr>
                    <td><code>${r.code}</code></td>
                    <td>${r.column ?? "—"}</td>
                    <td>${formatNumber(r.count)}</td>
                    ${examples ? html`<td>${r.examples.map((x, i) => html`${i ? html`<br />` : ""}line ${x.line}: ${x.message}`)}</td>` : ""}
                  </tr>`,
              )}
            </tbody>
          </table>`,
    )}${examples ? "" : aggregateOnlyNote("Example rows are not shown; the counts above are complete.")}
  </div>` as HTMLElement;
}
