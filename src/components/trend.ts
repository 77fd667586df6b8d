/**
 * Monthly trend charts for the overview: billed revenue per month (bars), ARR at month end
 * (line) or orders per month (bars), and active accounts, from `data/overview.json`.
 */
import * as Plot from "@observablehq/plot";
import type { OverviewData } from "../lib/shapes/overview-data.js";

interface ChartOptions {
  width?: number;
  height?: number;
}

function rows(trend: OverviewData["trend"]) {
  return trend.month.map((month, i) => ({
    date: new Date(`${month}-01T00:00:00Z`),
    revenue: trend.revenueCents[i] / 100,
    arr: trend.arrCents[i] / 100,
    active: trend.activeAccounts[i],
    orders: trend.orders[i],
  }));
}

const MIN_BAR_CHART_WIDTH = 240;

export function revenueChart(
  trend: OverviewData["trend"],
  { width = 640, height = 260, ...options }: ChartOptions = {},
) {
  return Plot.plot({
    // A resize can report a few pixels while the grid lays out: one bar a month then gets a
    // negative width (a console error); the chart is drawn at least MIN_BAR_CHART_WIDTH wide.
    width: Math.max(MIN_BAR_CHART_WIDTH, width),
    height,
    marginLeft: 56,
    x: { type: "utc", label: null },
    y: { grid: true, label: "Revenue per month", tickFormat: "~s" },
    marks: [
      Plot.rectY(rows(trend), {
        x: "date",
        interval: "month",
        y: "revenue",
        fill: "var(--theme-foreground-focus)",
        fillOpacity: 0.75,
        tip: true,
      }),
      Plot.ruleY([0]),
    ],
    ...options,
  });
}

export function arrChart(trend: OverviewData["trend"], { width = 640, height = 260, ...options }: ChartOptions = {}) {
  return Plot.plot({
    width,
    height,
    marginLeft: 56,
    x: { type: "utc", label: null },
    y: { grid: true, label: "ARR at month end", tickFormat: "~s" },
    marks: [
      Plot.lineY(rows(trend), {
        x: "date",
        y: "arr",
        stroke: "var(--theme-foreground-focus)",
        strokeWidth: 2,
        tip: true,
      }),
      Plot.ruleY([0]),
    ],
    ...options,
  });
}

export function ordersChart(
  trend: OverviewData["trend"],
  { width = 640, height = 260, ...options }: ChartOptions = {},
) {
  return Plot.plot({
    // A resize can report a few pixels while the grid lays out: one bar a month then gets a
    // negative width (a console error); the chart is drawn at least MIN_BAR_CHART_WIDTH wide.
    width: Math.max(MIN_BAR_CHART_WIDTH, width),
    height,
    marginLeft: 56,
    x: { type: "utc", label: null },
    y: { grid: true, label: "Orders per month", tickFormat: "~s" },
    marks: [
      Plot.rectY(rows(trend), {
        x: "date",
        interval: "month",
        y: "orders",
        fill: "var(--theme-foreground-focus)",
        fillOpacity: 0.75,
        tip: true,
      }),
      Plot.ruleY([0]),
    ],
    ...options,
  });
}

export function activeAccountsChart(
  trend: OverviewData["trend"],
  { width = 640, height = 200, ...options }: ChartOptions = {},
) {
  return Plot.plot({
    width,
    height,
    marginLeft: 56,
    x: { type: "utc", label: null },
    y: { grid: true, label: "Active accounts" },
    marks: [
      // Half opacity: the band keeps 3 : 1 against the card in both themes (0.3 did not).
      Plot.areaY(rows(trend), { x: "date", y: "active", fillOpacity: 0.5 }),
      Plot.lineY(rows(trend), { x: "date", y: "active", tip: true }),
      Plot.ruleY([0]),
    ],
    ...options,
  });
}
