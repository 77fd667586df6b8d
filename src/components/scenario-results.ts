/**
 * Scenario results, shared by the workbench (/scenarios) and the executive pages of saved
 * scenarios (/scenarios/<name>): headline cards, five-year projection, change by segment and
 * by ABC class, most affected accounts, and the ledger with its reasons. Every function takes
 * a ScenarioReport (src/lib/scenarios/report.ts) and returns an element.
 */
import * as Plot from "@observablehq/plot";
import { tableFromIPC } from "apache-arrow";
import { html } from "htl";
import { notProvided } from "../lib/coverage.js";
import { withCode } from "./not-provided.js";
import { formatMoneyCompact, formatNumber, formatPercent, formatRatio } from "../lib/format.js";
import type { AccountArrays } from "../lib/scenarios/engine.js";
import { describeParams, describeSegment, leverLabel } from "../lib/scenarios/describe.js";
import type { Scenario } from "../lib/scenarios/model.js";
import { BREAKDOWN_LABELS, type ComparedRow, type ScenarioReport } from "../lib/scenarios/report.js";
import { aggregateOnlyNote } from "./aggregate-only.js";
import { csvDownload, setExportContext } from "./download.js";

/** Baseline and scenario colours, shared by every chart and legend. */
export const SERIES_COLORS = {
  domain: ["baseline", "scenario"],
  range: ["var(--theme-foreground-muted)", "var(--theme-foreground-focus)"],
};

interface ChartOptions {
  width?: number;
  height?: number;
}

/** The per-account stream written by src/data/scenario-accounts.arrows.ts. */
export function accountsFromIpc(buffer: ArrayBuffer): AccountArrays {
  const table = tableFromIPC(new Uint8Array(buffer));
  const col = <T>(name: string): T => {
    const child = table.getChild(name);
    if (!child) throw new Error(`scenario data: column ${name} is missing`);
    return child.toArray() as T;
  };
  return {
    length: table.numRows,
    accountId: Array.from(col<Iterable<string>>("accountId")),
    size: col("size"),
    industry: col("industry"),
    region: col("region"),
    tier: col("tier"),
    businessModel: col("businessModel"),
    abc: col("abc"),
    recent: col("recent"),
    products: col("products"),
    seats: col("seats"),
    group: col("group"),
    valueCents: col("valueCents"),
    p10Cents: col("p10Cents"),
    p90Cents: col("p90Cents"),
    probabilityAlive: col("probabilityAlive"),
    marginToDateCents: col("marginToDateCents"),
  };
}

/** Styles of the scenario pages (Framework theme variables only). */
export function scenarioStyles(): HTMLStyleElement {
  return html`<style>
    .scenario-message {
      border-left: 4px solid var(--theme-red, #d33);
      padding: 0.6rem 0.9rem;
      background: var(--theme-background-alt);
      margin: 1rem 0;
      max-width: none;
    }
    .scenario-kpi [data-value] {
      font-size: 1.7rem;
      font-weight: 600;
      display: block;
      line-height: 1.2;
    }
    .scenario-kpi small,
    .scenario-muted {
      color: var(--theme-foreground-muted);
    }
    .scenario-up {
      color: var(--theme-green, #2a7);
    }
    .scenario-down {
      color: var(--theme-red, #d33);
    }
    table.scenario-table {
      width: 100%;
      border-collapse: collapse;
      font-size: 0.85rem;
      max-width: none;
    }
    table.scenario-table th,
    table.scenario-table td {
      text-align: left;
      padding: 0.25rem 0.4rem;
      border-bottom: 1px solid var(--theme-foreground-faintest);
      vertical-align: top;
    }
    table.scenario-table td.num,
    table.scenario-table th.num {
      text-align: right;
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    table.scenario-table tr.selected {
      background: var(--theme-background-alt);
    }
    .scenario-scroll {
      overflow-x: auto;
      max-width: 100%;
    }
    .grid > .card {
      min-width: 0;
    }
    .scenario-editor label.field {
      display: grid;
      grid-template-columns: minmax(8rem, 12rem) 1fr 6rem;
      gap: 0.5rem;
      align-items: center;
      margin: 0.3rem 0;
      font-size: 0.85rem;
    }
    .scenario-editor label.field input[type="range"] {
      width: 100%;
    }
    .scenario-editor output {
      font-variant-numeric: tabular-nums;
      text-align: right;
    }
    .scenario-editor .segment {
      display: flex;
      flex-wrap: wrap;
      gap: 0.3rem 0.8rem;
      margin: 0.4rem 0;
      font-size: 0.85rem;
    }
    .scenario-editor details {
      border: 1px solid var(--theme-foreground-faintest);
      border-radius: 4px;
      padding: 0.1rem 0.4rem;
    }
    .scenario-editor details[open] {
      flex-basis: 100%;
    }
    .scenario-editor details label {
      display: inline-block;
      margin-right: 0.8rem;
      white-space: nowrap;
    }
    .scenario-editor textarea,
    .scenario-editor input[type="text"] {
      width: 100%;
      box-sizing: border-box;
      font: inherit;
    }
    .scenario-editor .meta {
      display: grid;
      grid-template-columns: 1fr 10rem;
      gap: 0.5rem;
      margin-top: 0.4rem;
    }
    .scenario-actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      align-items: center;
      margin: 0.5rem 0;
    }
    .scenario-actions button,
    .scenario-table button {
      font: inherit;
      font-size: 0.8rem;
      cursor: pointer;
    }
    .scenario-draft {
      color: var(--theme-red, #d33);
      font-style: italic;
    }
    @media (max-width: 640px) {
      .scenario-editor label.field {
        grid-template-columns: 1fr 5rem;
      }
      .scenario-editor label.field > span:first-child {
        grid-column: 1 / -1;
      }
      .scenario-editor .meta {
        grid-template-columns: 1fr;
      }
    }
  </style>` as HTMLStyleElement;
}

const money = (r: { currency: string }) => (c: number | null) => formatMoneyCompact(c, r.currency);
const changeClass = (d: number) => (d > 0.5 ? "scenario-up" : d < -0.5 ? "scenario-down" : "");
const signedMoney = (r: { currency: string }, d: number) =>
  `${d > 0 ? "+" : d < 0 ? "−" : "±"}${formatMoneyCompact(Math.abs(d), r.currency)}`;
const signedPercent = (x: number | null) =>
  x === null || !Number.isFinite(x) ? "—" : `${x > 0 ? "+" : ""}${formatPercent(x)}`;

/** The scenario page's opening sentence: LTV : CAC only when marketing spend was provided. */
export function scenarioIntro(base: { economics: { spendProvided?: boolean } }): string {
  return `Add adjustments to the ledger (a lever, the segment it hits, its size and the reason), and the value of the customer base${base.economics.spendProvided === false ? " and its five-year billings follow" : ", its five-year billings and LTV : CAC follow"} at once. The link in the address bar restores exactly this scenario.`;
}

/** Four headline cards: value today, under the scenario, the change, LTV : CAC. */
export function scenarioKpis(r: ScenarioReport): HTMLElement {
  const m = money(r);
  const { baseline, scenario, newChannel } = r.portfolio;
  const delta = scenario.valueCents - baseline.valueCents;
  const band = (a: { p10Cents: number; p90Cents: number }) =>
    html`<small>P10–P90 ${m(a.p10Cents)} – ${m(a.p90Cents)}</small>`;
  return html`<div class="grid grid-cols-4">
    <div class="card scenario-kpi" data-kpi="baseline">
      <h2>Customer value today</h2>
      <span data-value data-metric="customer-value" data-cents=${String(baseline.valueCents)}
        >${m(baseline.valueCents)}</span
      >${band(baseline)}
    </div>
    <div class="card scenario-kpi" data-kpi="scenario">
      <h2>Under this scenario</h2>
      <span data-value data-cents=${String(scenario.valueCents)}>${m(scenario.valueCents)}</span>${band(scenario)}
      ${newChannel.accounts > 0 ? html`<small>incl. ${m(newChannel.valueCents)} from ${formatNumber(newChannel.accounts)} new-channel accounts (costing ${m(newChannel.costCents)})</small>` : ""}
    </div>
    <div class="card scenario-kpi" data-kpi="change">
      <h2>Change</h2>
      <span data-value class=${changeClass(delta)} data-cents=${String(delta)}>${signedMoney(r, delta)}</span
      ><small>${signedPercent(baseline.valueCents > 0 ? delta / baseline.valueCents : null)} of today's value</small>
    </div>
    ${
      r.ltvCac.provided
        ? html`<div class="card scenario-kpi" data-kpi="ltv-cac">
            <h2>LTV : CAC, model value</h2>
            <span data-value>${formatRatio(r.ltvCac.scenario.ratio)}</span
            ><small
              >today <span data-metric="ltv-to-cac-model">${formatRatio(r.ltvCac.baseline.ratio)}</span>; LTV
              ${m(r.ltvCac.scenario.ltvCents)}, CAC ${m(r.ltvCac.scenario.cacCents)}</small
            >
          </div>`
        : html`<div class="card scenario-kpi" data-kpi="ltv-cac" data-not-provided>
            <h2>LTV : CAC</h2>
            <p class="not-provided">${withCode(notProvided("marketing_spend"))}</p>
          </div>`
    }
  </div>` as HTMLElement;
}

/** One sentence that says what the numbers say. */
export function scenarioReading(r: ScenarioReport): HTMLElement {
  const m = money(r);
  const { baseline, scenario } = r.portfolio;
  const delta = scenario.valueCents - baseline.valueCents;
  const y1 = (s: string) => r.projection.find((p) => p.year === 1 && p.series === s)?.revenueCents ?? 0;
  const overlap = scenario.p10Cents <= baseline.p90Cents && scenario.p90Cents >= baseline.p10Cents;
  return html`<p class="reading" data-reading="scenario">
    The customers valued today are worth <strong>${m(baseline.valueCents)}</strong> of margin over the next
    ${r.horizonMonths / 12} years (discounted at ${formatPercent(r.annualDiscountRate, 0)} a year); under this scenario
    <strong>${m(scenario.valueCents)}</strong>,
    ${delta === 0 ? "no change" : `${signedMoney(r, delta)} (${signedPercent(baseline.valueCents > 0 ? delta / baseline.valueCents : null)})`}.
    Billings in the coming year: ${m(y1("baseline"))} today, ${m(y1("scenario"))} under the scenario.
    ${delta === 0 ? "" : overlap ? "The change is smaller than the models' own uncertainty (the P10–P90 ranges overlap)." : "The change is larger than the models' own uncertainty (the P10–P90 ranges do not overlap)."}
  </p>` as HTMLElement;
}

/** Expected billings per year, baseline and scenario, with their P10–P90 bands. */
export function projectionChart(r: ScenarioReport, { width = 640, height = 260 }: ChartOptions = {}) {
  const m = money(r);
  return Plot.plot({
    width,
    height,
    marginLeft: 60,
    x: { label: "Year from the as-of date", ticks: [1, 2, 3, 4, 5], tickFormat: (d: number) => `Year ${d}` },
    y: { label: "Expected billings", grid: true, zero: true, tickFormat: (c: number) => m(c) },
    color: { ...SERIES_COLORS, legend: true },
    marks: [
      Plot.areaY(r.projection, { x: "year", y1: "p10Cents", y2: "p90Cents", fill: "series", fillOpacity: 0.18 }),
      Plot.line(r.projection, { x: "year", y: "revenueCents", stroke: "series", strokeWidth: 2, marker: "circle" }),
      Plot.tip(
        r.projection,
        Plot.pointerX({
          x: "year",
          y: "revenueCents",
          title: (d: ScenarioReport["projection"][number]) =>
            `${d.series}, year ${d.year}: ${m(d.revenueCents)} (P10–P90 ${m(d.p10Cents)} – ${m(d.p90Cents)})`,
        }),
      ),
    ],
  });
}

const NO_LABEL = "(not in the data)";

/** Change in value per row (segment or class), with the scenario's P10–P90 around it. */
export function changeChart(
  r: ScenarioReport,
  rows: readonly ComparedRow[],
  { width = 640, height }: ChartOptions = {},
) {
  const m = money(r);
  const data = rows.map((row) => ({
    // A segment of an attribute the data does not have has no label.
    label: row.label ?? NO_LABEL,
    change: row.scenario.valueCents - row.baseline.valueCents,
    lo: row.scenario.p10Cents - row.baseline.valueCents,
    hi: row.scenario.p90Cents - row.baseline.valueCents,
  }));
  return Plot.plot({
    width,
    height: height ?? Math.max(120, 28 * data.length + 50),
    marginLeft: Math.min(180, 8 + 7 * Math.max(...data.map((d) => d.label.length), 4)),
    x: {
      label: "Change in value (bar) and the scenario's P10–P90 (line)",
      grid: true,
      tickFormat: (c: number) => m(c),
    },
    y: { label: null, domain: data.map((d) => d.label) },
    marks: [
      Plot.barX(data, {
        y: "label",
        x: "change",
        fill: (d: { change: number }) => (d.change < 0 ? "var(--theme-red, #d33)" : "var(--theme-foreground-focus)"),
        fillOpacity: 0.7,
      }),
      Plot.ruleY(data, { y: "label", x1: "lo", x2: "hi", stroke: "var(--theme-foreground)", strokeWidth: 1.5 }),
      Plot.ruleX([0]),
      Plot.tip(
        data,
        Plot.pointerY({
          y: "label",
          x: "change",
          title: (d: { label: string; change: number; lo: number; hi: number }) =>
            `${d.label}: ${signedMoney(r, d.change)} (P10–P90 ${signedMoney(r, d.lo)} … ${signedMoney(r, d.hi)})`,
        }),
      ),
    ],
  });
}

/** Baseline against scenario per row, with accounts and the change. */
export function comparisonTable(
  r: ScenarioReport,
  rows: readonly ComparedRow[],
  { label = "Segment", name = "segment" }: { label?: string; name?: string } = {},
): HTMLElement {
  const m = money(r);
  return html`<div class="scenario-scroll">
    <table class="scenario-table" data-table=${name}>
      <thead>
        <tr>
          <th>${label}</th>
          <th class="num">Accounts</th>
          <th class="num">Today → scenario</th>
          <th class="num">Change</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map((row) => {
          const d = row.scenario.valueCents - row.baseline.valueCents;
          return html`<tr>
            <td>${row.label ?? NO_LABEL}</td>
            <td class="num">${formatNumber(row.baseline.accounts)}</td>
            <td class="num">
              ${m(row.baseline.valueCents)} → ${m(row.scenario.valueCents)}<br /><small class="scenario-muted"
                >${m(row.scenario.p10Cents)} – ${m(row.scenario.p90Cents)}</small
              >
            </td>
            <td class="num ${changeClass(d)}" data-cents=${String(d)}>
              ${signedMoney(r, d)}<br /><small
                >${signedPercent(row.baseline.valueCents > 0 ? d / row.baseline.valueCents : null)}</small
              >
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>` as HTMLElement;
}

export function breakdownTitle(dim: keyof typeof BREAKDOWN_LABELS): string {
  return `Change by ${BREAKDOWN_LABELS[dim].toLowerCase()}`;
}

/**
 * The accounts whose value moves most (ids only: no customer names on shared pages); the
 * aggregate-only note instead when the build withheld them.
 */
export function affectedTable(
  r: ScenarioReport,
  { aggregateOnly = false }: { aggregateOnly?: boolean } = {},
): HTMLElement {
  if (aggregateOnly) return aggregateOnlyNote("The accounts this scenario moves most are not listed.");
  const m = money(r);
  if (r.mostAffected.length === 0)
    return html`<p class="scenario-muted" data-table="affected">
      No account changes under this scenario.
    </p>` as HTMLElement;
  return html`<div class="scenario-scroll">
    <table class="scenario-table" data-table="affected">
      <thead>
        <tr>
          <th>Account</th>
          <th>Tier · size · industry · region</th>
          <th class="num">Today</th>
          <th class="num">Scenario</th>
          <th class="num">Change</th>
        </tr>
      </thead>
      <tbody>
        ${r.mostAffected.map(
          (a) =>
            html`<tr>
              <td>${a.accountId}</td>
              <td>${a.segment}</td>
              <td class="num">${m(a.baselineCents)}</td>
              <td class="num">${m(a.scenarioCents)}</td>
              <td class="num ${changeClass(a.changeCents)}">
                ${signedMoney(r, a.changeCents)}
                <small>${signedPercent(a.baselineCents > 0 ? a.changeCents / a.baselineCents : null)}</small>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>` as HTMLElement;
}

/** The ledger, read-only: what was assumed, for whom, by whom and why. */
export function ledgerTable(scenario: Scenario, r: ScenarioReport): HTMLElement {
  if (scenario.ledger.length === 0)
    return html`<p class="scenario-muted">No adjustments: this is the baseline.</p>` as HTMLElement;
  return html`<div class="scenario-scroll">
    <table class="scenario-table" data-table="ledger">
      <thead>
        <tr>
          <th>#</th>
          <th>Lever</th>
          <th>Segment</th>
          <th>Size</th>
          <th class="num">Accounts</th>
          <th>Reason</th>
          <th>Author, date</th>
        </tr>
      </thead>
      <tbody>
        ${scenario.ledger.map(
          (e, i) =>
            html`<tr data-entry=${String(i)}>
              <td>${i + 1}</td>
              <td>${leverLabel(e)}</td>
              <td>${e.lever === "newChannel" ? "New accounts" : describeSegment(e.segment)}</td>
              <td>${describeParams(e, r.currency)}</td>
              <td class="num">${e.lever === "newChannel" ? "—" : formatNumber(r.entries[i]?.valued ?? 0)}</td>
              <td data-reason>${e.reason}</td>
              <td>${e.author}${e.author && e.date ? ", " : ""}${e.date}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>` as HTMLElement;
}

/** What the bands cover and how the levers act, for the foot of both pages. */
export function methodNote({ spend = true }: { spend?: boolean } = {}): HTMLElement {
  return html`<details class="scenario-muted">
    <summary>How scenarios are computed</summary>
    <p>
      Each adjustment applies to every account in its segment. Churn levers multiply each renewal's churn probability in
      the sBG model of the account's segment (for transactional accounts, a constant monthly churn derived from the
      purchase model), and value follows the model; revenue levers multiply billings; a discount-rate change revalues
      the future; a mass adjustment raises or lowers the resulting value by a percent, or by an amount weighted by the
      probability the account is still active. Adjustments that change the model commute; mass adjustments apply in
      ledger order. A new sales channel adds accounts worth the stated value each, discounted to today, at the stated
      acquisition cost.
    </p>
    <p>
      P10–P90 bands show the models' parameter uncertainty carried through the scenario: each account's band moves with
      its value; accounts sharing a model move together, models are independent. They do not cover uncertainty about the
      scenario's own assumptions, nor the new channel's
      accounts.${spend ? " LTV : CAC compares the value (margin to date plus future value) of the last 12 months' new accounts, plus a year of any new channel, with what acquiring them cost." : ""}
    </p>
  </details>` as HTMLElement;
}

/**
 * The scenario's results as one CSV: the portfolio, then every breakdown row (industry, size,
 * tier, ABC class) with today's and the scenario's value, its P10–P90 and the change, in
 * currency units to the cent. Sets the export context (the scenario's name, its as-of date).
 */
export function resultsDownload(r: ScenarioReport, name: string, title: string): HTMLElement {
  // Integer cents → currency units (the shortest decimal form of c / 100 is exact).
  const centsToDecimal = (cents: number) => Math.round(cents) / 100;
  setExportContext({ page: `scenario ${name}`, asOf: r.asOf, filters: () => "" });
  const rows = () => {
    const { baseline, scenario } = r.portfolio;
    const line = (
      dimension: string,
      segment: string,
      accounts: number | null,
      b: ComparedRow["baseline"] | typeof baseline,
      s: ComparedRow["scenario"] | typeof scenario,
    ) => ({
      dimension,
      segment,
      accounts,
      today: centsToDecimal(b.valueCents),
      scenario: centsToDecimal(s.valueCents),
      p10: centsToDecimal(s.p10Cents),
      p90: centsToDecimal(s.p90Cents),
      change: centsToDecimal(s.valueCents - b.valueCents),
      changeShare: b.valueCents > 0 ? (s.valueCents - b.valueCents) / b.valueCents : null,
    });
    return [
      line("portfolio", title, null, baseline, scenario),
      ...r.breakdowns.flatMap((b) =>
        b.rows.map((row) =>
          line(BREAKDOWN_LABELS[b.dim], row.label ?? NO_LABEL, row.baseline.accounts, row.baseline, row.scenario),
        ),
      ),
      ...r.abc.map((row) =>
        line("ABC class", row.label ?? NO_LABEL, row.baseline.accounts, row.baseline, row.scenario),
      ),
    ];
  };
  const columns = ["dimension", "segment", "accounts", "today", "scenario", "p10", "p90", "change", "changeShare"];
  const header = [
    "dimension",
    "segment",
    "accounts",
    "value today",
    "value under the scenario",
    "scenario P10",
    "scenario P90",
    "change",
    "change (share of today)",
  ];
  return csvDownload("results", rows, columns, header);
}
