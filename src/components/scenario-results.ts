/**
 * Scenario results, shared by the workbench (/scenarios) and the executive pages of saved
 * scenarios (/scenarios/<name>): headline cards, five-year projection, change by segment and
 * by ABC class, most affected accounts, and the ledger with its reasons. Every function takes
 * a ScenarioReport (src/lib/scenarios/report.ts) and returns an element.
 */
import { CATEGORICAL } from "./palette.js";
import * as Plot from "@observablehq/plot";
import { tableFromIPC } from "apache-arrow";
import { html } from "htl";
import { notProvided } from "../lib/coverage.js";
import { withCode } from "./not-provided.js";
import { formatMoneyCompact, formatNumber, formatPercent, formatRatio } from "../lib/format.js";
import type { AccountArrays } from "../lib/scenarios/engine.js";
import { BREAKDOWN_LABELS, type ComparedRow, type ScenarioReport } from "../lib/scenarios/report.js";
import { aggregateOnlyNote } from "./aggregate-only.js";
import { csvDownload, setExportContext } from "./download.js";

/** Baseline and scenario colours, shared by every chart and legend. */
export const SERIES_COLORS = {
  domain: ["baseline", "scenario"],
  // Palette colours: 3 : 1 against the card in both themes.
  range: [CATEGORICAL[9], CATEGORICAL[0]],
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
  const { baseline, scenario, newChannel, change } = r.portfolio;
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
      ${newChannel.accounts > 0 ? newChannelLine(r) : ""}
    </div>
    <div class="card scenario-kpi" data-kpi="change">
      <h2>Change</h2>
      <span data-value class=${changeClass(delta)} data-cents=${String(delta)}>${signedMoney(r, delta)}</span
      ><small>${signedPercent(baseline.valueCents > 0 ? delta / baseline.valueCents : null)} of today's value</small
      >${change.p10Cents === change.p90Cents ? "" : html`<small data-change-band>P10–P90 of the change ${signedMoney(r, change.p10Cents)} … ${signedMoney(r, change.p90Cents)}</small>`}
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
  const { change } = r.portfolio;
  const withinNoise = change.p10Cents <= 0 && change.p90Cents >= 0;
  return html`<p class="reading" data-reading="scenario">
    The customers valued today are worth <strong>${m(baseline.valueCents)}</strong> of margin over the next
    ${r.horizonMonths / 12} years (discounted at ${formatPercent(r.annualDiscountRate, 0)} a year); under this scenario
    <strong>${m(scenario.valueCents)}</strong>,
    ${delta === 0 ? "no change" : `${signedMoney(r, delta)} (${signedPercent(baseline.valueCents > 0 ? delta / baseline.valueCents : null)})`}.
    Billings in the coming year: ${m(y1("baseline"))} today, ${m(y1("scenario"))} under the scenario.
    ${delta === 0 ? "" : withinNoise ? `The change is smaller than the models' own uncertainty: its P10–P90 on the same parameter draws, ${signedMoney(r, change.p10Cents)} … ${signedMoney(r, change.p90Cents)}, includes zero.` : `The change is larger than the models' own uncertainty: its P10–P90 on the same parameter draws, ${signedMoney(r, change.p10Cents)} … ${signedMoney(r, change.p90Cents)}, does not include zero.`}
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
      // The band's outline carries its edges at full colour; the fill only shades between them.
      Plot.areaY(r.projection, {
        x: "year",
        y1: "p10Cents",
        y2: "p90Cents",
        fill: "series",
        fillOpacity: 0.18,
        stroke: "series",
        strokeDasharray: "3,3",
        strokeWidth: 1,
      }),
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

/** The projection's numbers as a table: the chart's text alternative. */
export function projectionTable(r: ScenarioReport): HTMLElement {
  const m = money(r);
  return html`<table class="scenario-table" data-table="projection">
    <thead>
      <tr>
        <th scope="col">Year</th>
        <th scope="col">Series</th>
        <th scope="col">Expected billings</th>
        <th scope="col">P10 – P90</th>
      </tr>
    </thead>
    <tbody>
      ${r.projection.map(
        (d) =>
          html`<tr>
            <td>Year ${d.year}</td>
            <td>${d.series}</td>
            <td>${m(d.revenueCents)}</td>
            <td>${m(d.p10Cents)} – ${m(d.p90Cents)}</td>
          </tr>`,
      )}
    </tbody>
  </table>` as HTMLElement;
}

const NO_LABEL = "(not in the data)";

/**
 * Change in value per row (segment or class), with the P10–P90 of the change on the same
 * parameter draws; a row whose change is certain (the baseline: exactly zero) has no whisker.
 */
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
    lo: row.change.p10Cents,
    hi: row.change.p90Cents,
  }));
  const whiskers = data.filter((d) => d.hi > d.lo);
  return Plot.plot({
    width,
    height: height ?? Math.max(120, 28 * data.length + 50),
    marginLeft: Math.min(180, 8 + 7 * Math.max(...data.map((d) => d.label.length), 4)),
    x: {
      label: "Change in value (bar) and its P10–P90 on the same parameter draws (line)",
      grid: true,
      tickFormat: (c: number) => m(c),
    },
    y: { label: null, domain: data.map((d) => d.label) },
    marks: [
      Plot.barX(data, {
        y: "label",
        x: "change",
        fill: (d: { change: number }) => (d.change < 0 ? CATEGORICAL[3] : CATEGORICAL[0]),
      }),
      Plot.ruleY(whiskers, {
        y: "label",
        x1: "lo",
        x2: "hi",
        stroke: "var(--theme-foreground)",
        strokeWidth: 1.5,
        className: "change-band",
      }),
      Plot.ruleX([0]),
      Plot.tip(
        data,
        Plot.pointerY({
          y: "label",
          x: "change",
          title: (d: { label: string; change: number; lo: number; hi: number }) =>
            `${d.label}: ${signedMoney(r, d.change)}${d.hi > d.lo ? ` (P10–P90 ${signedMoney(r, d.lo)} … ${signedMoney(r, d.hi)})` : ""}`,
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
              >${row.change.p10Cents === row.change.p90Cents ? "" : html`<br /><small class="scenario-muted scenario-band">${signedMoney(r, row.change.p10Cents)} … ${signedMoney(r, row.change.p90Cents)}</small>`}
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

/** The new channel's value net of its acquisition cost, with the gross beside it. */
function newChannelLine(r: ScenarioReport): HTMLElement {
  const m = money(r);
  const c = r.portfolio.newChannel;
  return html`<small data-new-channel data-net-cents=${String(c.netCents)} data-gross-cents=${String(c.grossCents)}
    >incl. a new channel's ${formatNumber(c.accounts)} accounts: net ${m(c.netCents)} (gross ${m(c.grossCents)} less
    ${m(c.cacCents)} CAC)</small
  >` as HTMLElement;
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
      ledger order. A new sales channel adds accounts worth the stated value each at acquisition, less the acquisition
      cost stated for each, both discounted to today: the scenario counts the channel net of that cost, and the gross
      value is shown beside it. The bridge applies the adjustments one after another in ledger order; each step is what
      that adjustment adds to those above it, and the steps add up to the change.
    </p>
    <p>
      P10–P90 bands show the models' parameter uncertainty carried through the scenario: each account's band moves with
      its value; accounts sharing a model move together, models are independent. They do not cover uncertainty about the
      scenario's own assumptions, nor the new channel's accounts. The change carries its own P10–P90: the difference
      scenario − baseline at the same parameter draws (each model's P10 draw and P90 draw), so it is zero when the
      ledger is empty, and the change is called smaller than the models' uncertainty only when that band includes
      zero.${spend ? " LTV : CAC compares the value (margin to date plus future value) of the last 12 months' new accounts, plus a year of any new channel, with what acquiring them cost." : ""}
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
      c: ComparedRow["change"],
    ) => ({
      dimension,
      segment,
      accounts,
      today: centsToDecimal(b.valueCents),
      scenario: centsToDecimal(s.valueCents),
      p10: centsToDecimal(s.p10Cents),
      p90: centsToDecimal(s.p90Cents),
      change: centsToDecimal(s.valueCents - b.valueCents),
      changeP10: centsToDecimal(c.p10Cents),
      changeP90: centsToDecimal(c.p90Cents),
      changeShare: b.valueCents > 0 ? (s.valueCents - b.valueCents) / b.valueCents : null,
    });
    return [
      line("portfolio", title, null, baseline, scenario, r.portfolio.change),
      ...r.breakdowns.flatMap((b) =>
        b.rows.map((row) =>
          line(
            BREAKDOWN_LABELS[b.dim],
            row.label ?? NO_LABEL,
            row.baseline.accounts,
            row.baseline,
            row.scenario,
            row.change,
          ),
        ),
      ),
      ...r.abc.map((row) =>
        line("ABC class", row.label ?? NO_LABEL, row.baseline.accounts, row.baseline, row.scenario, row.change),
      ),
    ];
  };
  const columns = [
    "dimension",
    "segment",
    "accounts",
    "today",
    "scenario",
    "p10",
    "p90",
    "change",
    "changeP10",
    "changeP90",
    "changeShare",
  ];
  const header = [
    "dimension",
    "segment",
    "accounts",
    "value today",
    "value under the scenario",
    "scenario P10",
    "scenario P90",
    "change",
    "change P10 (same draws)",
    "change P90 (same draws)",
    "change (share of today)",
  ];
  return csvDownload("results", rows, columns, header);
}
