/**
 * The Models page: parameter tables, fitted vs actual survival, the holdout check of the
 * purchase model and the P(alive) map, each with a plain-language reading built from the
 * numbers (so the words never disagree with the charts).
 */
import * as Plot from "@observablehq/plot";
import { html } from "htl";
import { select } from "./controls.js";
import { formatMoneyCompact, formatNumber, formatPercent } from "../lib/format.js";
import { tableView } from "./analyst-page.js";
import { CATEGORICAL } from "./palette.js";
import type {
  ContractFit,
  HistoryCheck,
  ModelsData,
  PurchaseDiagnostics,
  PurchaseFitSummary,
  PurchaseModelSummary,
} from "../lib/shapes/models-data.js";

interface ChartOptions {
  width?: number;
  height?: number;
}

const plusMinus = (value: number, se: number | undefined | null, digits = 3) =>
  se == null ? value.toFixed(digits) : `${value.toFixed(digits)} ± ${se.toFixed(digits)}`;

/** Portfolio value and its band, in one sentence. */
/** `marginKnown` false: no cost was provided, so the value is of billings, and the reading says so. */
export function portfolioReading(m: ModelsData, marginKnown = true): HTMLElement {
  const money = (c: number) => formatMoneyCompact(c, m.currency);
  return html`<p class="reading" data-reading="portfolio">
    The models value the current customers at
    <strong data-value data-metric="customer-value">${money(m.portfolio.valueCents)}</strong>
    ${marginKnown ? "of margin" : "of billings (no cost was provided, so not of margin)"} over the next
    ${m.horizonMonths / 12} years, discounted at ${formatPercent(m.annualDiscountRate, 0)} a year (P10–P90:
    ${money(m.portfolio.band.p10)} – ${money(m.portfolio.band.p90)}). That range is the <em>parameter band</em>: how
    sure the models are of the average. Where the value may actually land, with each account's own chance to renew or
    churn, buy or not:
    <strong>${money(m.portfolio.outcomeBand.p10)} – ${money(m.portfolio.outcomeBand.p90)}</strong> (the
    <em>outcome band</em>, P10–P90).
    <span data-metric="accounts-valued">${m.portfolio.activeAccountsValued.toLocaleString("en-US")}</span> accounts
    carry value; churned accounts count zero.
    ${m.historical ? html`<br /><strong>${formatPercent(m.historical.shareOfValue)}</strong> of it (${money(m.historical.valueCents)}, ${m.historical.accounts.toLocaleString("en-US")} accounts) is a <em>historical value</em>, not a model forecast: ${m.historical.method}.` : ""}
    ${m.notes.length ? html`<br /><strong>Note:</strong> ${m.notes.join(" ")}` : ""}
  </p>` as HTMLElement;
}

/** Segments no model could value, with the reason in words (empty when every segment is valued). */
export function notValuedTable(m: ModelsData): HTMLElement {
  const list = m.notValued ?? [];
  if (list.length === 0)
    return html`<p class="reading" data-not-valued="none">Every segment is valued by a model.</p>` as HTMLElement;
  return html`<table class="quality" data-table="not-valued">
      <thead>
        <tr>
          <th>Segment</th>
          <th>Model</th>
          <th>Accounts</th>
          <th>Why it is not valued</th>
        </tr>
      </thead>
      <tbody>
        ${list.map(
          (n) =>
            html`<tr>
              <td>${n.segment}</td>
              <td>${n.model === "sbg" ? "sBG" : "purchase models"}</td>
              <td>${formatNumber(n.accounts)}</td>
              <td>${n.reason}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="chart-caption">
      These accounts carry the historical value (trailing-12-month margin × observed retention) instead of a forecast.
    </p>` as HTMLElement;
}

/** Accounts whose model value is near zero while their recent activity is large, with both figures. */
export function disagreementTable(m: ModelsData): HTMLElement {
  const d = m.disagreements;
  if (!d || d.count === 0)
    return html`<p class="reading" data-disagreements="none">
      No account has a model value near zero while its recent activity is large (${d?.rule ?? ""}).
    </p>` as HTMLElement;
  const money = (c: number) => formatMoneyCompact(c, m.currency);
  if (d.accounts.length === 0)
    return html`<p class="reading" data-disagreements="count">
      ${formatNumber(d.count)} accounts: ${d.rule}. They are not listed in an aggregate-only build.
    </p>` as HTMLElement;
  return html`<p class="reading">
      ${formatNumber(d.count)} accounts:
      ${d.rule}.${d.count > d.accounts.length ? ` The ${d.accounts.length} with the most revenue are listed.` : ""}
    </p>
    <table class="quality" data-table="disagreements">
      <thead>
        <tr>
          <th>Account</th>
          <th>Model value (P(alive))</th>
          <th>Revenue, last 12 months (margin)</th>
          <th>Last purchase</th>
          <th>Usual gap</th>
          <th>Why listed</th>
        </tr>
      </thead>
      <tbody>
        ${d.accounts.map(
          (a) =>
            html`<tr>
              <td>${a.accountId}</td>
              <td>${money(a.valueCents)} (${formatPercent(a.probabilityAlive, 0)}, ${a.model})</td>
              <td>${money(a.t12mRevenueCents)} (${money(a.t12mMarginCents)})</td>
              <td>
                ${a.lastPurchase ?? (a.runningContract ? "contract running" : "—")}${a.daysSinceLastPurchase === null ? "" : ` (${a.daysSinceLastPurchase === 1 ? "1 day" : `${a.daysSinceLastPurchase} days`} ago)`}
              </td>
              <td>${a.medianGapDays === null ? "—" : a.medianGapDays === 1 ? "1 day" : `${a.medianGapDays} days`}</td>
              <td>${a.why}</td>
            </tr>`,
        )}
      </tbody>
    </table>` as HTMLElement;
}

/** "found of needed" for each minimum-history check, failed ones marked. */
export function checksText(checks: readonly HistoryCheck[] | undefined): string {
  return (checks ?? [])
    .map((c) => `${c.what}: ${formatNumber(c.found)} (${c.needed} needed)${c.ok ? "" : " ✗"}`)
    .join("; ");
}

export function contractTable(m: ModelsData): HTMLElement {
  const money = (c: number) => formatMoneyCompact(c, m.currency);
  const borrowed = m.contractFits.some((f) => f.pooledAt !== "segment");
  return html`<table class="quality" data-table="sbg">
      <thead>
        <tr>
          <th>Segment (term · tier · size)</th>
          <th>Accounts (churned)</th>
          <th>γ ± SE</th>
          <th>δ ± SE</th>
          <th>Churn, 1st period</th>
          <th>Value, P10–P90</th>
        </tr>
      </thead>
      <tbody>
        ${m.contractFits.map(
          (f) =>
            html`<tr>
              <td>
                ${f.key}${f.pooledAt === "segment" ? "" : html`<sup title="parameters from the broader ${f.pooledAt === "tier" ? "term × tier" : "term"} pool">†</sup>`}
                ${
                  f.fallback || f.warnings?.length
                    ? html`<details class="fit-warning" data-warning=${f.key}>
                        <summary>${f.warnings?.length ? "weakly identified" : "why pooled"}</summary>
                        <small
                          >${f.fallback ?? ""}
                          ${f.warnings?.length ? html`<strong>Weakly identified:</strong> ${f.warnings.join(" ")}` : ""}
                          <em>(${checksText(f.checks)})</em></small
                        >
                      </details>`
                    : ""
                }
              </td>
              <td>${formatNumber(f.accounts)} (${formatNumber(f.churned)})</td>
              <td>${plusMinus(f.gamma, f.se?.gamma, 2)}</td>
              <td>${plusMinus(f.delta, f.se?.delta, 2)}</td>
              <td>${formatPercent(f.gamma / (f.gamma + f.delta))}</td>
              <td>${money(f.valueCents)} <small>(${money(f.band.p10)} – ${money(f.band.p90)})</small></td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${borrowed ? html`<p class="chart-caption">† Too few accounts (or no churn yet) to fit the segment alone: its parameters come from the broader term × tier or term pool.</p>` : ""}` as HTMLElement;
}

/** A select of the contract segments, the largest first. */
export function segmentPicker(m: ModelsData): HTMLElement & { value: ContractFit } {
  const fits = [...m.contractFits].sort((a, b) => b.accounts - a.accounts);
  // Plain-DOM select (./controls.ts): Observable Inputs' inline handlers break the site's CSP.
  const picker = select(
    fits.map((_, i) => i),
    { label: "Segment", format: (i: number) => `${fits[i].key} (${fits[i].accounts} accounts)` },
  );
  const view = document.createElement("div") as unknown as HTMLElement & { value: ContractFit };
  view.append(picker);
  Object.defineProperty(view, "value", { get: () => fits[picker.value] });
  // `view()` listens for input events on the element it is given.
  picker.addEventListener("input", (event) => {
    event.stopPropagation();
    view.dispatchEvent(new Event("input"));
  });
  return view;
}

export function survivalChart(fit: ContractFit, { width = 640, height = 300 }: ChartOptions = {}) {
  const unit = fit.billingTerm === "monthly" ? "months" : "years";
  const actual = fit.survival.t.flatMap((t, i) =>
    fit.survival.actual[i] === null ? [] : [{ t, share: fit.survival.actual[i]!, atRisk: fit.survival.atRisk[i] }],
  );
  const fitted = fit.survival.t.map((t, i) => ({ t, share: fit.survival.fitted[i] }));
  return Plot.plot({
    width,
    height,
    x: { label: `${unit} since start` },
    y: { label: "Share still active", domain: [0, 1], grid: true, tickFormat: "%" },
    color: {
      legend: true,
      domain: ["actual (Kaplan–Meier)", "sBG fit"],
      range: ["var(--theme-foreground)", "var(--theme-foreground-focus)"],
    },
    marks: [
      Plot.line(fitted, { x: "t", y: "share", stroke: () => "sBG fit", strokeWidth: 2 }),
      Plot.dot(actual, {
        x: "t",
        y: "share",
        r: 3,
        fill: () => "actual (Kaplan–Meier)",
        tip: true,
        title: (d: { t: number; share: number; atRisk: number }) =>
          `${d.t} ${unit}: ${formatPercent(d.share)} still active (${d.atRisk} at risk)`,
      }),
    ],
  });
}

export function survivalReading(fit: ContractFit): HTMLElement {
  const unit = fit.billingTerm === "monthly" ? "month" : "year";
  const last = fit.survival.actual.reduce<number>((k, v, i) => (v === null ? k : i), 0);
  const gap = fit.survival.actual[last]! - fit.survival.fitted[last];
  return html`<p class="reading">
    Of the ${fit.accounts} accounts in <em>${fit.key}</em>, ${formatPercent(fit.survival.actual[last]!, 0)} were still
    active after ${last} ${unit}s; the model says ${formatPercent(fit.survival.fitted[last], 0)}
    (${Math.abs(gap) < 0.05 ? "a close fit" : gap > 0 ? "the model is more pessimistic than the data" : "the model is more optimistic than the data"}).
    Churn is highest in the first ${unit}s and falls later, because the accounts most likely to leave leave first: the
    model expects ${formatPercent(fit.gamma / (fit.gamma + fit.delta))} to leave in the first ${unit}
    ${fit.pooledAt === "segment" ? "" : `(parameters borrowed from the broader ${fit.pooledAt === "tier" ? "term × tier" : "billing-term"} pool because the segment alone is too small)`}.
  </p>` as HTMLElement;
}

export function purchaseTable(p: PurchaseModelSummary): HTMLElement {
  const gg = p.gammaGamma;
  const params = (f: PurchaseFitSummary) =>
    Object.entries(f.params)
      .map(([k, v]) => `${f.symbols[k] ?? k} ${plusMinus(v, f.se?.[k])}`)
      .join(", ");
  return html`<table class="quality" data-table="purchase-fits">
      <thead>
        <tr>
          <th>Model</th>
          <th>Parameters ± SE</th>
          <th>Log-likelihood</th>
          <th>Accounts</th>
        </tr>
      </thead>
      <tbody>
        ${p.fits.map(
          (f) =>
            html`<tr data-model=${f.model} data-used=${f.used ? "yes" : "no"}>
              <td>${f.label} (purchases, weeks)${f.used ? html` — <strong>values the accounts</strong>` : ""}</td>
              <td>
                ${params(f)}
                ${f.warnings.length ? html`<br /><small class="fit-warning"><strong>${f.used ? "Weakly identified" : "Not used, not identified"}:</strong> ${f.warnings.join(" ")}</small>` : ""}
              </td>
              <td>${f.logLik.toFixed(1)}</td>
              <td>${formatNumber(p.accounts)}</td>
            </tr>`,
        )}
        ${
          gg
            ? html`<tr>
                <td>Gamma-Gamma (order value, cents)</td>
                <td>
                  p ${plusMinus(gg.p, gg.se?.p)}, q ${plusMinus(gg.q, gg.se?.q)}, γ
                  ${plusMinus(gg.gamma, gg.se?.gamma, 0)}
                  ${p.warnings?.gammaGamma.length ? html`<br /><small class="fit-warning"><strong>Weakly identified:</strong> ${p.warnings.gammaGamma.join(" ")}</small>` : ""}
                </td>
                <td>${gg.logLik.toFixed(1)}</td>
                <td>${formatNumber(p.repeatCustomers)} repeat buyers</td>
              </tr>`
            : html`<tr>
                <td>Spend</td>
                <td colspan="3">each account's own mean spend per purchase day (Gamma-Gamma not used)</td>
              </tr>`
        }
      </tbody>
    </table>
    <p class="chart-caption">
      History:
      ${checksText(p.checks)}.${p.fallback ? ` ${p.fallback}` : ""}${p.rejectedDraws ? ` ${p.rejectedDraws} parameter draws outside the valid region were replaced.` : ""}
    </p>` as HTMLElement;
}

/** The purchase models side by side on the holdout year, and which one values the accounts and why. */
export function comparisonTable(p: PurchaseModelSummary): HTMLElement {
  const c = p.comparison;
  if (!c) return html`<p class="reading" data-reading="model-choice">${p.choice}</p>` as HTMLElement;
  const error = (v: number | null) => (v === null ? "—" : v.toFixed(2));
  return html`<table class="quality" data-table="model-comparison">
      <caption>
        Fitted on purchases up to ${c.calibrationEnd}, scored on the ${formatNumber(c.holdoutLength)} weeks after it
        (${formatNumber(c.accounts)} accounts, ${formatNumber(c.actualTotal)} purchase days happened)
      </caption>
      <thead>
        <tr>
          <th>Model</th>
          <th>Customers leave</th>
          <th>Mean absolute error per account</th>
          <th>Forecast total</th>
          <th>Log-likelihood (calibration)</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        ${c.rows.map(
          (r) =>
            html`<tr data-model=${r.model} data-chosen=${r.model === c.chosen ? "yes" : "no"}>
              <td>${r.model === c.chosen ? html`<strong>${r.label}</strong>` : r.label}</td>
              <td>${r.dropout}</td>
              <td>${error(r.meanAbsoluteError)}</td>
              <td>${r.expectedTotal === null ? "—" : formatNumber(r.expectedTotal)}</td>
              <td>${r.logLik === null ? "—" : r.logLik.toFixed(1)}</td>
              <td>
                ${r.model === c.chosen ? "chosen" : r.status}${r.note ? html`<br /><small>${r.note}</small>` : ""}
              </td>
            </tr>`,
        )}
        <tr data-model="naive">
          <td>Naive: each account keeps its past rate</td>
          <td>—</td>
          <td>${error(c.naive.meanAbsoluteError)}</td>
          <td>${formatNumber(c.naive.expectedTotal)}</td>
          <td>—</td>
          <td>reference</td>
        </tr>
      </tbody>
    </table>
    <p class="reading" data-reading="model-choice">Measure: ${c.measure}. ${p.choice}</p>` as HTMLElement;
}

export function holdoutChart(h: PurchaseDiagnostics, { width = 640, height = 280 }: ChartOptions = {}) {
  const rows = h.weekly.week.flatMap((week, i) => [
    { week, purchases: h.weekly.actual[i], series: "actual" },
    { week, purchases: h.weekly.expected[i], series: "expected by the model" },
  ]);
  return Plot.plot({
    width,
    height,
    x: { label: `weeks after ${h.calibrationEnd}` },
    y: { label: "Cumulative repeat purchases", grid: true },
    color: { legend: true, domain: ["actual", "expected by the model"], range: [CATEGORICAL[0], CATEGORICAL[1]] },
    marks: [
      Plot.line(rows, { x: "week", y: "purchases", stroke: "series", strokeWidth: 2, tip: true }),
      Plot.ruleY([0]),
    ],
  });
}

/** The holdout chart's numbers, week by week. */
export function holdoutTable(h: PurchaseDiagnostics): HTMLDetailsElement {
  return tableView({
    name: "holdout-weekly",
    rows: h.weekly.week.map((week, i) => ({ week, actual: h.weekly.actual[i], expected: h.weekly.expected[i] })),
    columns: { week: `weeks after ${h.calibrationEnd}`, actual: "actual", expected: "expected by the model" },
    format: { expected: ((v: number) => formatNumber(v, 1)) as never },
    rowsShown: 8,
  });
}

/** The frequency chart's numbers: per repeat purchases before the holdout year, actual and expected. */
export function frequencyTable(h: PurchaseDiagnostics): HTMLDetailsElement {
  const two = ((v: number) => formatNumber(v, 2)) as never;
  return tableView({
    name: "holdout-by-frequency",
    rows: h.byFrequency,
    columns: { frequency: "repeat purchases before", customers: "accounts", actual: "actual", expected: "expected" },
    format: { actual: two, expected: two },
    rowsShown: 8,
  });
}

export function frequencyChart(h: PurchaseDiagnostics, { width = 640, height = 260 }: ChartOptions = {}) {
  const rows = h.byFrequency.flatMap((g) => [
    { frequency: g.frequency, value: g.actual, series: "actual", customers: g.customers },
    { frequency: g.frequency, value: g.expected, series: "expected", customers: g.customers },
  ]);
  return Plot.plot({
    width,
    height,
    fx: { label: "Repeat purchases before the holdout year", domain: h.byFrequency.map((g) => g.frequency) },
    x: { axis: null, domain: ["actual", "expected"] },
    y: { label: "Purchases per account in the holdout year", grid: true },
    color: { legend: true, domain: ["actual", "expected"], range: [CATEGORICAL[0], CATEGORICAL[1]] },
    marks: [
      Plot.barY(rows, {
        fx: "frequency",
        x: "series",
        y: "value",
        fill: "series",
        tip: true,
        title: (d: { series: string; value: number; customers: number }) =>
          `${d.series}: ${d.value.toFixed(2)} (${d.customers} accounts)`,
      }),
      Plot.ruleY([0]),
    ],
  });
}

export function holdoutReading(h: PurchaseDiagnostics): HTMLElement {
  const actual = h.weekly.actual.at(-1) ?? 0;
  const expected = h.weekly.expected.at(-1) ?? 0;
  const error = actual > 0 ? expected / actual - 1 : null;
  return html`<p class="reading" data-reading="holdout">
    To test the purchase model (${h.label}), it was fitted again on the history up to ${h.calibrationEnd} only and asked
    to forecast the following ${h.holdoutWeeks} weeks. It expected ${formatNumber(expected)} repeat purchases;
    ${formatNumber(actual)} happened
    (${error === null ? "no purchases to compare" : `${error >= 0 ? "+" : ""}${formatPercent(error)}`}). The bars
    compare the forecast with what happened for accounts grouped by how often they had bought before: a good model
    tracks both the frequent and the occasional buyers.
  </p>` as HTMLElement;
}

export function aliveHeatmap(
  grid: PurchaseModelSummary["aliveGrid"],
  { width = 640, height = 320 }: ChartOptions = {},
) {
  const cells = grid.frequency.flatMap((x, i) =>
    grid.recency.flatMap((tx, j) => (grid.p[i][j] === null ? [] : [{ x, tx, p: grid.p[i][j]! }])),
  );
  return Plot.plot({
    width,
    height,
    marginLeft: 50,
    x: {
      label: `Weeks from first to last purchase (account first seen ${grid.T} weeks ago)`,
      type: "band",
      // Recency steps are fractional weeks (T / 20): label about eight bands, rounded to whole weeks.
      tickFormat: (d: number) => {
        const i = grid.recency.indexOf(d);
        return i % Math.max(1, Math.ceil(grid.recency.length / 8)) === 0 ? String(Math.round(d)) : "";
      },
    },
    y: { label: "Repeat purchases", type: "band", reverse: true },
    color: { type: "linear", domain: [0, 1], scheme: "blues", legend: true, label: "P(alive)", tickFormat: "%" },
    marks: [
      Plot.cell(cells, {
        x: "tx",
        y: "x",
        fill: "p",
        inset: 0.5,
        tip: true,
        title: (d: { x: number; tx: number; p: number }) =>
          `${d.x} repeat purchases, last at week ${d.tx}: ${formatPercent(d.p, 0)} likely still active`,
      }),
    ],
  });
}

export function aliveReading(grid: PurchaseModelSummary["aliveGrid"]): HTMLElement {
  return html`<p class="reading">
    For an account first seen ${grid.T} weeks ago, the chance it still buys from us depends on how often it bought and
    how recently. Frequent buyers who have gone quiet (top left) are probably lost; an account that bought rarely but
    recently (bottom right) may simply not need to buy yet. Sales can use this to choose whom to call.
  </p>` as HTMLElement;
}
