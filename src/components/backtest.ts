/**
 * "How well did we predict last year?": the forecast made at an earlier as-of date from the
 * data known then, against what happened, in words, a chart and a table (backtest.json).
 */
import * as Plot from "@observablehq/plot";
import { html } from "htl";
import { formatMoneyCompact, formatNumber, formatPercent } from "../lib/format.js";
import type { BacktestData, BacktestMeasure, BacktestRow, BacktestRun } from "../lib/shapes/backtest.js";
import { latestRun } from "./backtest-line.js";
import { CATEGORICAL } from "./palette.js";

export { latestRun };

export const MEASURE_LABELS: Readonly<Record<BacktestMeasure, string>> = {
  revenue: "Revenue",
  margin: "Margin",
  active: "Active accounts",
  churned: "Churned accounts",
};

const isMoney = (m: BacktestMeasure) => m === "revenue" || m === "margin";
const valueOf = (m: BacktestMeasure, v: number, currency: string) =>
  isMoney(m) ? formatMoneyCompact(v, currency) : formatNumber(v);

/** The backtest in plain words: coverage and error against the naive forecast, per measure. */
export function backtestReading(b: BacktestData): HTMLElement {
  const run = latestRun(b);
  if (!run)
    return html`<p class="reading">
      The models could not be tested on an earlier year:
      ${b.skipped.map((s) => `${s.cut}: ${s.reason}`).join("; ") || "no earlier as-of date"}.
    </p>` as HTMLElement;
  const items = run.summary.map((s) => {
    const label = MEASURE_LABELS[s.measure];
    if (s.segmentCoverage === null) return html`<li>${label}: no segment large enough to score.</li>`;
    const beats = s.mape !== null && s.naiveMape !== null ? s.mape < s.naiveMape : null;
    return html`<li>
      <strong>${label}</strong>: the actual lay inside the 80% range in
      <strong>${formatPercent(s.segmentCoverage, 0)}</strong> of ${s.segments} segments
      ${s.segmentCoverage < 0.7 ? "— too often outside: the ranges are too narrow" : s.segmentCoverage > 0.9 ? "— more often than 80%: the ranges are wider than needed" : "— about as often as an honest 80% range should"};
      the forecast missed by ${s.mape === null ? "—" : formatPercent(s.mape)} on
      average${beats === null ? "" : beats ? html`, better than the naive forecast (${formatPercent(s.naiveMape!)})` : html`, <strong>no better than the naive forecast</strong> (${formatPercent(s.naiveMape!)})`}.
    </li>`;
  });
  return html`<div class="reading" data-reading="backtest-summary">
    <p>
      As of <strong>${run.cut}</strong>, using only the data known then, the models forecast the 12 months to
      ${run.windowEnd} for the ${run.accounts.toLocaleString("en-US")} accounts they valued
      (${run.excluded.notForecast.toLocaleString("en-US")} other accounts existed then with no running contract or no
      model value; ${run.excluded.acquiredAfter.toLocaleString("en-US")} accounts acquired during the year brought
      ${formatMoneyCompact(run.excluded.acquiredAfterRevenue, b.currency)} of billed revenue, which no customer-value
      model forecasts). Segments of at least 10 accounts, over six dimensions:
    </p>
    <ul>
      ${items}
    </ul>
    <p>
      ${run.rows.some((r) => r.measure === "churned") ? "The models hold each running contract at its current MRR and each buyer at its own spend" : "The models hold each buyer at its own spend"}:
      expansion, contraction and price changes of existing accounts are not forecast, so a year of net expansion lands
      above the range.
    </p>
    ${
      run.accountCoverage === null
        ? ""
        : html`<p>
            Account by account, the actual revenue lay inside the account's own 80% range for
            ${formatPercent(run.accountCoverage, 0)} of the accounts.
          </p>`
    }
    ${b.runs
      .slice(1)
      .map(
        (r) =>
          html`<p>
            The same test as of ${r.cut}: revenue inside the range in
            ${formatPercent(r.summary.find((s) => s.measure === "revenue")?.segmentCoverage ?? null, 0)} of segments,
            error ${formatPercent(r.summary.find((s) => s.measure === "revenue")?.mape ?? null)} (naive
            ${formatPercent(r.summary.find((s) => s.measure === "revenue")?.naiveMape ?? null)}).
          </p>`,
      )}
  </div>` as HTMLElement;
}

/** Rows of one measure and dimension (the portfolio first). */
export function backtestRows(run: BacktestRun, measure: BacktestMeasure, dimension: string): BacktestRow[] {
  return run.rows.filter((r) => r.measure === measure && (r.dimension === dimension || r.dimension === "Portfolio"));
}

/** Forecast range (bar), point forecast (tick) and actual (dot) per segment (the portfolio row is left to the table). */
export function backtestChart(rows: readonly BacktestRow[], currency: string, { width = 640 } = {}) {
  const m = rows[0]?.measure ?? "revenue";
  const scale = isMoney(m) ? 100 : 1;
  // The portfolio sits in the table: on the chart it would squeeze every segment to a sliver.
  const data = rows
    .filter((r) => r.dimension !== "Portfolio")
    .map((r) => ({
      segment: r.segment,
      p10: r.band.p10 / scale,
      p90: r.band.p90 / scale,
      forecast: r.forecast / scale,
      actual: r.actual / scale,
    }));
  return Plot.plot({
    width,
    height: 40 + 28 * data.length,
    marginLeft: 150,
    x: {
      label: isMoney(m) ? `${MEASURE_LABELS[m]} (${currency})` : MEASURE_LABELS[m],
      grid: true,
      nice: true,
      tickFormat: isMoney(m) ? (d: number) => formatMoneyCompact(d * 100, currency) : undefined,
    },
    y: { label: null, domain: data.map((d) => d.segment) },
    marks: [
      Plot.barX(data, {
        y: "segment",
        x1: "p10",
        x2: "p90",
        fill: CATEGORICAL[9],
        insetTop: 6,
        insetBottom: 6,
      }),
      Plot.tickX(data, { y: "segment", x: "forecast", stroke: CATEGORICAL[0], strokeWidth: 2 }),
      Plot.dot(data, { y: "segment", x: "actual", fill: CATEGORICAL[1], r: 5, symbol: "diamond" }),
      Plot.tip(
        data,
        Plot.pointerY({
          y: "segment",
          x: "actual",
          title: (d) =>
            `${d.segment}\nforecast ${valueOf(m, d.forecast * scale, currency)} (${valueOf(m, d.p10 * scale, currency)}–${valueOf(m, d.p90 * scale, currency)})\nactual ${valueOf(m, d.actual * scale, currency)}`,
        }),
      ),
    ],
    ariaLabel: `Chart: ${MEASURE_LABELS[m]}, forecast range, forecast and actual per segment`,
  });
}

/** The same figures as a table (the chart's text alternative). */
export function backtestTable(rows: readonly BacktestRow[], currency: string): HTMLElement {
  const m = rows[0]?.measure ?? "revenue";
  const v = (x: number) => valueOf(m, x, currency);
  return html`<table class="backtest-table">
    <thead>
      <tr>
        <th scope="col">Segment</th>
        <th scope="col">Accounts</th>
        <th scope="col">Forecast</th>
        <th scope="col">80% range</th>
        <th scope="col">Actual</th>
        <th scope="col">Inside?</th>
        <th scope="col">Naive</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            <th scope="row">${r.segment}</th>
            <td>${r.accounts.toLocaleString("en-US")}</td>
            <td>${v(r.forecast)}</td>
            <td>${v(r.band.p10)} – ${v(r.band.p90)}</td>
            <td>${v(r.actual)}</td>
            <td>
              ${r.actual >= r.band.p10 && r.actual <= r.band.p90 ? "yes" : r.actual > r.band.p90 ? "above" : "below"}
            </td>
            <td>${v(r.naive)}</td>
          </tr>`,
      )}
    </tbody>
  </table>` as HTMLElement;
}
