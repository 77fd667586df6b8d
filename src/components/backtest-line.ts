/**
 * The overview's one line on the backtest (no Plot: the overview's first paint loads no chart code).
 */
import { html } from "htl";
import { formatMoneyCompact } from "../lib/format.js";
import type { BacktestData, BacktestMeasure, BacktestRun } from "../lib/shapes/backtest.js";
import type { OverviewData } from "../lib/shapes/overview-data.js";
import { formatPercent } from "../lib/format.js";

/** The most recent backtest (12 months before the as-of date), or null. */
export function latestRun(b: BacktestData): BacktestRun | null {
  return b.runs[0] ?? null;
}

export const portfolioRow = (run: BacktestRun, m: BacktestMeasure) =>
  run.rows.find((r) => r.dimension === "Portfolio" && r.measure === m) ?? null;

/** One line for the overview: last year's revenue forecast, its range and what happened. */
export function backtestLine(b: BacktestData): HTMLElement {
  const run = latestRun(b);
  if (!run)
    return html`<p class="reading" data-reading="backtest">
      No backtest: ${b.skipped.map((s) => s.reason).join("; ") || "no earlier as-of date to test"}.
    </p>` as HTMLElement;
  const r = portfolioRow(run, "revenue")!;
  const money = (c: number) => formatMoneyCompact(c, b.currency);
  const inside = r.actual >= r.band.p10 && r.actual <= r.band.p90;
  return html`<p class="reading" data-reading="backtest">
    Last year's forecast (as of ${run.cut}) of the next 12 months' revenue from the
    ${run.accounts.toLocaleString("en-US")} accounts then valued: <strong>${money(r.forecast)}</strong>, range
    ${money(r.band.p10)}–${money(r.band.p90)}; actual <strong>${money(r.actual)}</strong>
    (${inside ? "inside the range" : r.actual > r.band.p90 ? "above the range" : "below the range"}).
    <a href="./models#backtest">How well the models predicted</a>.
  </p>` as HTMLElement;
}

/**
 * Concentration honesty: how much of next year's expected margin the ten largest accounts carry,
 * and where the value's P10 falls if the single largest account churns.
 */
export function concentrationRisk(o: OverviewData): HTMLElement {
  const m = o.modelValue;
  if (!m) return html`<span></span>` as HTMLElement;
  const money = (c: number) => formatMoneyCompact(c, o.currency);
  const c = m.concentration;
  return html`<p class="reading" data-reading="concentration-risk">
    The ten largest accounts carry <strong>${formatPercent(c.top10MarginShare, 0)}</strong> of next year's expected
    margin. Customer value ${money(m.valueCents)} lands, 8 times in 10, between ${money(m.outcomeBand.p10)} and
    ${money(m.outcomeBand.p90)} (each account's own chance to renew or churn, buy or not, with the models' uncertainty);
    if the largest account (${money(c.largestValueCents)}) churns, the P10 falls to
    <strong>${money(c.p10WithoutLargest)}</strong>.
  </p>` as HTMLElement;
}
