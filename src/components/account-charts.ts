/**
 * The account explorer's detail charts and their table views, pure: (rows, options) → figure
 * or table spec (components/accounts.ts runs the page).
 */
import * as Plot from "@observablehq/plot";
import { CLASSES } from "../lib/analysis/abc.js";
import { MOVEMENTS } from "../lib/analysis/mrr.js";
import { formatMoneyCompact } from "../lib/format.js";
import { monthLabel } from "../lib/dates.js";
import type { TableSpec } from "./analyst-page.js";
import { MOVEMENT_COLORS } from "./palette.js";

/** One account's row of `accounts_abc` with its id and name (sql.ts accountDetail). */
export type Detail = Record<string, number | string | null> & { idx: number; account_id: string; account_name: string };

export function historyChart(
  events: readonly { month: number; mrr_cents: number; movement: number }[],
  asOfMonth: number,
  { width = 640, currency = "USD" } = {},
) {
  const steps = events.map((e) => ({
    date: new Date(`${monthLabel(e.month)}-01T00:00:00Z`),
    mrr: e.mrr_cents / 100,
    kind: MOVEMENTS[e.movement - 1],
  }));
  const line = steps.length
    ? [...steps, { ...steps[steps.length - 1], date: new Date(`${monthLabel(asOfMonth + 1)}-01T00:00:00Z`) }]
    : [];
  return Plot.plot({
    width,
    height: 220,
    marginLeft: 56,
    x: { type: "utc", label: null },
    y: { label: "↑ MRR", tickFormat: "~s", grid: true },
    color: { domain: [...MOVEMENTS], range: MOVEMENT_COLORS, legend: true },
    marks: [
      Plot.line(line, { x: "date", y: "mrr", curve: "step-after", stroke: "currentColor" }),
      Plot.dot(steps, {
        x: "date",
        y: "mrr",
        fill: "kind",
        r: 4,
        tip: true,
        title: (d: (typeof steps)[number]) =>
          `${d.kind} in ${d.date.toISOString().slice(0, 7)}: MRR ${formatMoneyCompact(d.mrr * 100, currency)}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}

/** The account's four trailing-12-month windows, oldest first: revenue (currency units) and ABC class. */
function windowRows(detail: Detail, asOfMonth: number) {
  return [3, 2, 1, 0].map((k) => ({
    window: `12 m to ${monthLabel(asOfMonth - 12 * k)}`,
    revenue: (detail[`rev${k}`] as number) / 100,
    klass: CLASSES[detail[`c${k}`] as number],
  }));
}

/** The windows chart's numbers. */
export function windowsTable(
  detail: Detail,
  asOfMonth: number,
  currency = "USD",
): TableSpec<ReturnType<typeof windowRows>[number]> {
  return {
    name: `account-${detail.account_id}-windows`,
    rows: windowRows(detail, asOfMonth),
    columns: { window: "window", revenue: "net billed revenue", klass: "ABC class" },
    format: { revenue: ((v: number) => formatMoneyCompact(v * 100, currency)) as never },
    rowsShown: 4,
  };
}

export function windowsChart(detail: Detail, asOfMonth: number, { width = 640, currency = "USD" } = {}) {
  const data = windowRows(detail, asOfMonth);
  return Plot.plot({
    width,
    height: 220,
    marginLeft: 56,
    x: { label: null, domain: data.map((d) => d.window) },
    // An account without revenue still gets a readable (empty) axis.
    y: {
      label: "↑ revenue in the window",
      tickFormat: "~s",
      grid: true,
      nice: true,
      domain: [Math.min(0, ...data.map((d) => d.revenue)), Math.max(1, ...data.map((d) => d.revenue))],
    },
    marks: [
      Plot.barY(data, {
        x: "window",
        y: "revenue",
        fill: "var(--theme-foreground-focus)",
        fillOpacity: 0.7,
        tip: true,
        title: (d: (typeof data)[number]) =>
          `${d.window}: ${formatMoneyCompact(d.revenue * 100, currency)}, class ${d.klass}`,
      }),
      Plot.text(data, {
        x: "window",
        y: "revenue",
        text: (d: (typeof data)[number]) => `class ${d.klass}`,
        dy: -8,
        fill: "currentColor",
      }),
      Plot.ruleY([0]),
    ],
  });
}
