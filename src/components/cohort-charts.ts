/**
 * The cohort page's charts and their table views, pure: (rows, options) → figure or table
 * spec, no state and no queries (components/cohorts.ts mounts them and runs the page).
 */
import * as Plot from "@observablehq/plot";
import type { TriangleCell } from "../lib/analysis/cohorts.js";
import { ALL_COHORTS } from "../lib/analysis/cohorts.js";
import { MOVEMENTS } from "../lib/analysis/mrr.js";
import type { MovementRow } from "../lib/shapes/analyst-summary.js";
import type { Grain } from "../lib/analysis/url-state.js";
import { formatMoneyCompact, formatPercent } from "../lib/format.js";
import type { PurchaseCell } from "../lib/metrics/purchases.js";
import { monthLabel } from "../lib/dates.js";
import { centsToDecimal, type TableSpec } from "./analyst-page.js";
import { CATEGORICAL, inkOn, MOVEMENT_COLORS } from "./palette.js";

export const METRICS = {
  logo: "Logo retention",
  grr: "Gross revenue retention",
  nrr: "Net revenue retention",
} as const;
export type Metric = keyof typeof METRICS;
/** Without contracts: what a purchase cohort cell can show. */
export const PURCHASE_MEASURES = {
  repeat: "Repeat-purchase retention",
  revenue: "Revenue retention (invoices)",
} as const;
export type PurchaseMeasure = keyof typeof PURCHASE_MEASURES;

const ALL_LABEL = "All cohorts";

export function cohortLabel(cohort: number, grain: Grain): string {
  if (cohort === ALL_COHORTS) return ALL_LABEL;
  const year = Math.floor(cohort / 12);
  if (grain === "year") return String(year);
  if (grain === "quarter") return `${year} Q${Math.floor((cohort % 12) / 3) + 1}`;
  return monthLabel(cohort);
}

export function triangleChart(
  cells: readonly TriangleCell[],
  { metric = "logo" as Metric, grain = "year" as Grain, width = 640 } = {},
) {
  return cohortCellChart(
    cells
      .filter((c) => c[metric] !== null)
      .map((c) => ({ cohort: c.cohort, period: c.period, size: c.size, value: c[metric] as number })),
    { label: METRICS[metric], grain, width },
  );
}

/** Repeat-purchase or revenue retention per purchase cohort and period (no contracts). */
export function purchaseTriangleChart(
  cells: readonly PurchaseCell[],
  { measure = "repeat" as PurchaseMeasure, grain = "year" as Grain, width = 640 } = {},
) {
  return cohortCellChart(
    cells
      .filter((c) => c[measure] !== null)
      .map((c) => ({ cohort: c.cohort, period: c.period, size: c.size, value: c[measure] as number })),
    { label: PURCHASE_MEASURES[measure], grain, width },
  );
}

/** Narrowest cell that holds its value ("100") legibly; the chart scrolls sideways below that. */
const MIN_CELL_WIDTH = 24;
const ROW_HEIGHT = 20;

/**
 * Cohort × period heatmap of a share (1 = 100%), its value written in every cell at every
 * grain (a chart too wide for the card scrolls sideways), a colour scale, and each cohort's
 * size on the right; the all-cohorts row (ALL_COHORTS) comes last.
 */
function cohortCellChart(
  cells: readonly { cohort: number; period: number; size: number; value: number }[],
  { label, grain, width }: { label: string; grain: Grain; width: number },
) {
  const data = cells.map((c) => ({ ...c, label: cohortLabel(c.cohort, grain) }));
  const cohorts = [...new Set(data.map((d) => d.label))].sort(
    (a, b) => Number(a === ALL_LABEL) - Number(b === ALL_LABEL),
  );
  const sizes = new Map(data.filter((d) => d.period === 0).map((d) => [d.label, d.size]));
  const periods = new Set(data.map((d) => d.period)).size;
  const marginLeft = 90;
  const marginRight = 70;
  const chartWidth = Math.max(width, marginLeft + marginRight + periods * MIN_CELL_WIDTH);
  const max = Math.max(1, ...data.map((d) => d.value));
  const color = {
    type: "linear",
    domain: [0, max],
    range: ["#fde7d4", "#08519c"],
  } as const;
  // The cell's own colour, to write its value in the ink that contrasts with it most.
  const fillOf = Plot.scale({ color }).apply as (v: number) => string;
  return Plot.plot({
    width: chartWidth,
    height: 70 + cohorts.length * ROW_HEIGHT,
    marginLeft,
    marginRight,
    padding: 0.04,
    x: { label: `${grain}s since acquisition →`, axis: "top" },
    y: { label: null, domain: cohorts },
    color: {
      ...color,
      legend: true,
      label: `${label} (pale = low, dark = high)`,
      tickFormat: "%",
    },
    marks: [
      Plot.cell(data, {
        x: "period",
        y: "label",
        fill: "value",
        tip: { format: { fill: false, x: true, y: true } },
        title: (d: (typeof data)[number]) =>
          `${d.cohort === ALL_COHORTS ? "all cohorts" : `cohort ${d.label}`}, ${grain} ${d.period}\n${label}: ${formatPercent(d.value)}\n${d.cohort === ALL_COHORTS ? "cohorts observed this long" : "cohort size"}: ${d.size} accounts`,
      }),
      Plot.text(data, {
        x: "period",
        y: "label",
        text: (d: (typeof data)[number]) => `${Math.round(d.value * 100)}`,
        // Black or white, whichever contrasts more with the cell (≥ 4.5 : 1 on every cell).
        fill: (d: (typeof data)[number]) => inkOn(fillOf(d.value)),
        fontSize: 10,
      }),
      // The cohort size column, right of the cells.
      Plot.text(cohorts, {
        y: (d: string) => d,
        frameAnchor: "right",
        dx: marginRight - 4,
        textAnchor: "end",
        text: (d: string) => (sizes.get(d) ?? "").toLocaleString("en-US"),
        fill: "currentColor",
      }),
      Plot.text(["accounts"], { frameAnchor: "top-right", dx: marginRight - 4, dy: -14, textAnchor: "end" }),
    ],
  });
}

export interface SurvivalSeries {
  readonly year: number;
  readonly alive: number[];
  /** sBG survival S(t), t = 0 … horizon, from the cohort's fit (null until fitted). */
  readonly projection: readonly number[] | null;
}

/** Survival per acquisition year, observed (solid) and sBG (dashed) to `horizon` months. */
export function survivalChart(series: readonly SurvivalSeries[], { width = 640, horizon = 60 } = {}) {
  const observed = series.flatMap((s) => s.alive.map((a, t) => ({ cohort: String(s.year), t, share: a / s.alive[0] })));
  const projected = series.flatMap((s) =>
    s.projection ? s.projection.slice(0, horizon + 1).map((share, t) => ({ cohort: String(s.year), t, share })) : [],
  );
  return Plot.plot({
    width,
    height: 300,
    x: { label: "months since acquisition →", domain: [0, horizon] },
    y: { label: "↑ share never churned", domain: [0, 1], tickFormat: "%", grid: true },
    color: { legend: true, type: "ordinal", range: CATEGORICAL },
    marks: [
      Plot.line(projected, { x: "t", y: "share", stroke: "cohort", strokeDasharray: "4,3" }),
      Plot.line(observed, {
        x: "t",
        y: "share",
        stroke: "cohort",
        strokeWidth: 2,
        tip: true,
        title: (d: (typeof observed)[number]) =>
          `cohort ${d.cohort}, month ${d.t}: ${formatPercent(d.share)} never churned`,
      }),
    ],
  });
}

export function movementsChart(rows: readonly MovementRow[], { width = 640, currency = "USD" } = {}) {
  const data = rows.map((r) => ({
    ...r,
    date: new Date(`${monthLabel(r.month)}-01T00:00:00Z`),
    kind: MOVEMENTS[r.movement - 1],
    value: r.delta_cents / 100,
  }));
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 60,
    x: { type: "utc", label: null },
    y: { label: "↑ MRR change per month", grid: true, tickFormat: "~s" },
    color: { domain: [...MOVEMENTS], range: MOVEMENT_COLORS, legend: true },
    marks: [
      Plot.rectY(data, {
        x: "date",
        interval: "month",
        y: "value",
        fill: "kind",
        tip: true,
        title: (d: (typeof data)[number]) =>
          `${monthLabel(d.month)} ${d.kind}: ${formatMoneyCompact(d.delta_cents, currency)} (${d.accounts} accounts)\nclick for the accounts`,
      }),
      Plot.ruleY([0]),
    ],
  });
}

const SURVIVAL_MONTHS = [12, 24, 36, 48, 60];

/** The survival chart's numbers: per cohort, the share never churned after each full year, observed and by the sBG. */
export function survivalTable(series: readonly SurvivalSeries[]): TableSpec<Record<string, number | string | null>> {
  const share = (values: readonly number[] | null, t: number, base: number) =>
    values && t < values.length ? values[t] / base : null;
  const columns: Record<string, string> = { cohort: "cohort", accounts: "accounts" };
  for (const t of SURVIVAL_MONTHS) columns[`m${t}`] = `after ${t} months`;
  columns.sbg60 = "sBG, after 60 months";
  const rows = series.map((s) => ({
    cohort: String(s.year),
    accounts: s.alive[0],
    ...Object.fromEntries(SURVIVAL_MONTHS.map((t) => [`m${t}`, share(s.alive, t, s.alive[0])])),
    sbg60: share(s.projection, 60, 1),
  }));
  const percent = ((v: number | null) => (v === null ? "—" : formatPercent(v))) as never;
  return {
    name: "cohort-survival",
    rows,
    columns,
    format: Object.fromEntries([...SURVIVAL_MONTHS.map((t) => `m${t}`), "sbg60"].map((k) => [k, percent])),
    rowsShown: 8,
  };
}

/** The movements chart's numbers: per month (newest first) and kind, the MRR change and the accounts behind it. */
export function movementsTable(
  rows: readonly MovementRow[],
  currency: string,
): TableSpec<MovementRow & { kind: string; label: string }> {
  return {
    name: "mrr-movements",
    rows: [...rows]
      .sort((a, b) => b.month - a.month || a.movement - b.movement)
      .map((r) => ({ ...r, kind: MOVEMENTS[r.movement - 1], label: monthLabel(r.month) })),
    columns: { label: "month", kind: "movement", delta_cents: "MRR change", accounts: "accounts" },
    format: { delta_cents: ((c: number) => formatMoneyCompact(c, currency)) as never },
    csv: { delta_cents: (r) => centsToDecimal(r.delta_cents) },
    rowsShown: 8,
  };
}
