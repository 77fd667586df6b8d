/**
 * Cohort retention page: triangle heatmap (logo / gross / net revenue retention), survival
 * curves per acquisition year with the fitted sBG projection, MRR movements per month with a
 * drill-down to the accounts behind a bar. In an aggregate-only build the precomputed
 * triangle (yearly cohorts) and movements stay; the survival curves and the drill-down, which
 * need per-account rows, show the note instead.
 */
import * as Plot from "@observablehq/plot";
import { html } from "htl";
import {
  ALL_COHORTS,
  pooledRows,
  survivalFromAges,
  triangleCells,
  type TriangleCell,
  type TriangleRow,
} from "../lib/analysis/cohorts.js";
import { MOVEMENTS } from "../lib/analysis/mrr.js";
import * as Q from "../lib/analysis/sql.js";
import type { AnalystSummary, MovementRow } from "../lib/analysis/summary.js";
import type { Grain, PageState } from "../lib/analysis/url-state.js";
import { GRAINS } from "../lib/analysis/url-state.js";
import { formatMoneyCompact, formatPercent } from "../lib/format.js";
import { notProvided } from "../lib/coverage.js";
import { DEFINITIONS } from "../lib/metrics/definitions.js";
import { purchaseCells, type PurchaseCell } from "../lib/metrics/purchases.js";
import { cardNotProvided, setCardText } from "./not-provided.js";
import { CATEGORICAL, inkOn, MOVEMENT_COLORS } from "./palette.js";
import type { SbgParams } from "../lib/models/sbg.js";
import { monthLabel } from "../lib/months.js";
import { showAggregateOnly } from "./aggregate-only.js";
import { openAnalystDb, type AnalystDb, type ArrowFile } from "./analyst-db.js";
import { radio, select } from "./controls.js";
import {
  analystPage,
  centsToDecimal,
  filterCodes,
  goLiveWhenOpen,
  showChart,
  showTable,
  trackedWidth,
  type TableSpec,
} from "./analyst-page.js";

export const METRICS = {
  logo: "Logo retention",
  grr: "Gross revenue retention",
  nrr: "Net revenue retention",
} as const;
type Metric = keyof typeof METRICS;
/** Without contracts: what a purchase cohort cell can show. */
export const PURCHASE_MEASURES = {
  repeat: "Repeat-purchase retention",
  revenue: "Revenue retention (invoices)",
} as const;
type PurchaseMeasure = keyof typeof PURCHASE_MEASURES;
/** Quiet time after a filter change before the survival curves' sBG fits start. */
const FIT_DELAY_MS = 300;

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

type Fit = { params: SbgParams; projection: number[] } | null;

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

export interface CohortSlots {
  controls: HTMLElement;
  notes: HTMLElement;
  grain: HTMLElement;
  triangle: HTMLElement;
  triangleTable: HTMLElement;
  survival: HTMLElement;
  movements: HTMLElement;
  drill: HTMLElement;
  status: HTMLElement;
}

/** The page's opening sentence for what the data covers. */
export function cohortIntro(summary: AnalystSummary): string {
  return summary.coverage.contracts
    ? "How many accounts of each acquisition cohort still pay, and how their recurring revenue evolved."
    : "How many accounts of each acquisition cohort buy again, and how their billed revenue evolved.";
}

/**
 * Without contracts: repeat-purchase and revenue retention per purchase cohort, precomputed for
 * all accounts (yearly and quarterly cohorts; the loaders ship no account × month table, so
 * filters cannot narrow it); the contract charts say what adding contracts would show.
 */
function mountPurchaseCohorts(summary: AnalystSummary, slots: CohortSlots): void {
  cardNotProvided(slots.survival, notProvided("contracts"));
  cardNotProvided(slots.movements, notProvided("contracts"));
  const cohorts = summary.purchaseCohorts;
  if (!cohorts || !summary.coverage.invoices) {
    cardNotProvided(slots.triangle, notProvided("invoices"));
    document.body.dataset.analystReady = "precomputed";
    return;
  }
  slots.controls.replaceChildren(
    html`<p class="note-box" data-filters-note>
      Without contracts, cohorts come from purchase histories, computed for all accounts when the site was built:
      filters do not apply to them.
    </p>`,
  );
  setCardText(slots.triangle, `${DEFINITIONS.purchaseRetention.text} From invoices.`);
  // The contract wording of period 0 (MRR at the end of the year) does not apply to purchase cohorts.
  const periodZero = slots.triangle.closest(".card")?.querySelector("[data-period-zero]");
  if (periodZero)
    periodZero.textContent =
      "Period 0 is the acquisition period itself; period 1 is the next full year or quarter, and so on: each cell is the share of the cohort that ordered in that period (or its revenue then ÷ its revenue in period 0).";
  const width = trackedWidth(slots.triangle);
  const grains = ["quarter", "year"] as const;
  let grain: (typeof grains)[number] = "year";
  let measure: PurchaseMeasure = "repeat";
  const grainInput = radio([...grains], { label: "Cohort grain", value: grain });
  const measureInput = radio(Object.keys(PURCHASE_MEASURES) as PurchaseMeasure[], {
    label: "Measure",
    value: measure,
    format: (m) => PURCHASE_MEASURES[m],
  });
  grainInput.dataset.input = "grain";
  measureInput.dataset.input = "metric";
  slots.grain.replaceChildren(grainInput, measureInput);
  const draw = () => {
    const cells = purchaseCells(cohorts[grain]);
    showChart(
      slots.triangle,
      purchaseTriangleChart(cells, { measure, grain, width: width() }),
      `purchase-cohort-${measure}-${grain}`,
    );
    showTable(slots.triangleTable, {
      name: `purchase-cohorts-${grain}`,
      rows: cells.map((c) => ({ ...c, label: cohortLabel(c.cohort, grain) })),
      columns: {
        label: "cohort",
        period: `${grain}s since`,
        size: "cohort size",
        repeat: "repeat-purchase retention",
        revenue: "revenue retention",
      },
      format: {
        repeat: ((v: number | null) => formatPercent(v)) as never,
        revenue: ((v: number | null) => formatPercent(v)) as never,
      },
      rowsShown: 6,
    });
  };
  grainInput.addEventListener("input", () => {
    grain = grainInput.value;
    draw();
  });
  measureInput.addEventListener("input", () => {
    measure = measureInput.value;
    draw();
  });
  draw();
  document.body.dataset.analystReady = "precomputed";
}

export function mountCohorts({
  summary,
  files,
  slots,
}: {
  summary: AnalystSummary;
  files: Record<"accounts" | "mrr" | "names", ArrowFile>;
  slots: CohortSlots;
}): void {
  if (!summary.coverage.contracts) return mountPurchaseCohorts(summary, slots);
  let db: AnalystDb | null = null;
  const metricOf = (state: PageState): Metric =>
    state.measure !== null && state.measure in METRICS ? (state.measure as Metric) : "logo";
  let metric: Metric = "logo";
  let lastTriangle: TriangleRow[] = summary.first.triangle;
  let lastGrain: Grain = "year";
  // sBG fits per survivor series: a filter often leaves a cohort unchanged.
  const fits = new Map<string, Fit>();
  // The model library loads after the first chart (it is not needed to draw it).
  let sbg: Promise<typeof import("../lib/models/sbg.js")> | null = null;
  let fitGeneration = 0;
  const width = trackedWidth(slots.triangle);
  const grainInput = radio([...GRAINS], { label: "Cohort grain", value: "year" });
  const metricInput = radio(Object.keys(METRICS) as Metric[], {
    label: "Measure",
    value: metric,
    format: (m) => METRICS[m],
  });
  grainInput.dataset.input = "grain";
  metricInput.dataset.input = "metric";
  slots.grain.replaceChildren(grainInput, metricInput);

  const drawTriangle = (rows: TriangleRow[], grain: Grain) => {
    lastTriangle = rows;
    lastGrain = grain;
    const cells = triangleCells([...rows, ...pooledRows(rows)]);
    showChart(slots.triangle, triangleChart(cells, { metric, grain, width: width() }), `cohort-${metric}-${grain}`);
    showTable(slots.triangleTable, {
      name: `cohort-retention-${grain}`,
      rows: cells.map((c) => ({ ...c, label: cohortLabel(c.cohort, grain) })),
      columns: {
        label: "cohort",
        period: `${grain}s since`,
        size: "cohort size",
        logo: "logo retention",
        grr: "GRR",
        nrr: "NRR",
      },
      format: {
        logo: ((v: number | null) => formatPercent(v)) as never,
        grr: ((v: number | null) => formatPercent(v)) as never,
        nrr: ((v: number | null) => formatPercent(v)) as never,
      },
      rowsShown: 6,
    });
  };
  const drawMovements = (rows: MovementRow[], state: PageState) => {
    const chart = movementsChart(rows, { width: width(), currency: summary.currency });
    const open = (month: number, movement: number) => {
      page.keep({ drill: { month, movement } });
      void drill(page.state, month, movement);
    };
    chart.addEventListener("click", () => {
      const d = (chart as unknown as { value: { month: number; movement: number } | null }).value;
      if (d) open(d.month, d.movement);
    });
    showChart(slots.movements, chart, "mrr-movements", movementsTable(rows, summary.currency));
    if (summary.aggregateOnly || rows.length === 0) return;
    // The same drill-down without a mouse: pick a month and a kind of movement.
    const months = [...new Set(rows.map((r) => r.month))].sort((a, b) => b - a);
    const monthInput = select(months, { label: "Month", value: state.drill?.month ?? months[0], format: monthLabel });
    const kinds = MOVEMENTS.map((_, i) => i + 1);
    const kindInput = select(kinds, {
      label: "Movement",
      value: state.drill?.movement ?? 4,
      format: (k) => MOVEMENTS[k - 1],
    });
    const button = html`<button type="button" data-drill-open>List the accounts</button>` as HTMLButtonElement;
    button.onclick = () => open(monthInput.value, kindInput.value);
    slots.movements.append(html`<div class="drill-picker" data-drill-picker>${monthInput}${kindInput}${button}</div>`);
  };
  async function drill(state: PageState, month: number, movement: number): Promise<void> {
    if (summary.aggregateOnly) return;
    if (!db) {
      slots.drill.replaceChildren(
        html`<p class="chart-caption">The query engine is still starting; try again in a moment.</p>`,
      );
      return;
    }
    slots.drill.replaceChildren(html`<p class="chart-caption">Loading the accounts…</p>`);
    await db.ensure("names", files.names);
    const rows = await db.query<{ account_id: string; account_name: string; delta_cents: number; mrr_cents: number }>(
      Q.movementAccounts(filterCodes(summary, state), month, movement),
    );
    const kind = MOVEMENTS[movement - 1];
    slots.drill.replaceChildren(
      html`<h3 data-drill-title>${kind} in ${monthLabel(month)}: ${rows.length} accounts</h3>`,
      html`<div></div>`,
    );
    showTable(slots.drill.lastElementChild as HTMLElement, {
      name: `mrr-${kind}-${monthLabel(month)}`,
      rows,
      columns: { account_id: "account", account_name: "name", delta_cents: "MRR change", mrr_cents: "MRR after" },
      format: {
        delta_cents: ((c: number) => formatMoneyCompact(c, summary.currency)) as never,
        mrr_cents: ((c: number) => formatMoneyCompact(c, summary.currency)) as never,
      },
      csv: { delta_cents: (r) => centsToDecimal(r.delta_cents), mrr_cents: (r) => centsToDecimal(r.mrr_cents) },
      rowsShown: 8,
    });
  }

  // The engine starts before the first chart is drawn: its worker fetches and compiles it meanwhile.
  const engine = summary.aggregateOnly
    ? null
    : openAnalystDb({ accounts: files.accounts, mrr: files.mrr }, summary.thresholds);
  const page = analystPage({
    summary,
    controls: slots.controls,
    notes: slots.notes,
    async render(state, live) {
      if (grainInput.value !== state.grain) grainInput.value = state.grain;
      metric = metricOf(state);
      if (metricInput.value !== metric) metricInput.value = metric;
      if (!live || !db) {
        // Precomputed (all accounts, yearly cohorts) until the engine is ready.
        drawTriangle(summary.first.triangle, "year");
        drawMovements(summary.first.movements, state);
        return;
      }
      // Fits still queued for the previous state would run between this render's steps.
      const generation = ++fitGeneration;
      const codes = filterCodes(summary, state);
      // All queries go out at once; each chart is drawn while the engine computes the next.
      const tri = db.query<TriangleRow>(Q.cohortTriangle(codes, state.grain, summary.asOfMonth));
      const moves = db.query<MovementRow>(Q.movements(codes));
      const ages = db.query<{ year: number; age: number | null; n: number }>(Q.churnAges(codes));
      drawTriangle(await tri, state.grain);
      drawMovements(await moves, state);
      const alive = survivalFromAges(await ages, (year) => Math.min(60, summary.asOfMonth - (year * 12 + 11)));
      const observed = [...alive].filter(([, a]) => a.length >= 2 && a[0] >= 10);
      const draw = () => {
        const series: SurvivalSeries[] = observed.map(([year, a]) => ({
          year,
          alive: a,
          projection: fits.get(a.join(","))?.projection ?? null,
        }));
        showChart(slots.survival, survivalChart(series, { width: width() }), "cohort-survival", survivalTable(series));
      };
      // The sBG fits (tens of ms each, one cohort per task) start once the filters have been
      // left alone for FIT_DELAY_MS: a filter change shows its numbers at once and the dashed
      // projections follow, and a reader stepping through filter values does not pay for
      // fitting every state on the way (that competed with the next change's queries).
      const todo = observed.map(([, a]) => a).filter((a) => !fits.has(a.join(",")));
      const fitNext = async () => {
        if (generation !== fitGeneration) return;
        const a = todo.shift();
        if (!a) return draw();
        sbg ??= import("../lib/models/sbg.js");
        const { fitSbg, sbgSurvival } = await sbg;
        let fit: Fit = null;
        try {
          if (a[a.length - 1] < a[0]) {
            const params = fitSbg(a, { standardErrors: false, starts: [[1, 1]] });
            fit = { params, projection: Array.from({ length: 61 }, (_, t) => sbgSurvival(params, t)) };
          }
        } catch {
          fit = null;
        }
        fits.set(a.join(","), fit);
        setTimeout(() => void fitNext(), 0);
      };
      if (todo.length > 0) setTimeout(() => void fitNext(), FIT_DELAY_MS);
      draw();
      if (state.drill) await drill(state, state.drill.month, state.drill.movement);
      else
        slots.drill.replaceChildren(
          html`<p class="chart-caption">
            Click a bar above, or pick a month and movement, to list the accounts behind it.
          </p>`,
        );
    },
  });
  grainInput.addEventListener("input", () => page.set({ grain: grainInput.value }));
  metricInput.addEventListener("input", () => {
    metric = metricInput.value;
    page.keep({ measure: metric === "logo" ? null : metric });
    drawTriangle(lastTriangle, lastGrain);
  });
  if (summary.aggregateOnly) {
    // Only the yearly grain is precomputed; the measure switch redraws the same cells.
    grainInput.remove();
    showAggregateOnly(slots.survival, "The survival curves are computed in your browser from them.");
    showAggregateOnly(slots.drill, "The accounts behind a bar are not listed.");
    return;
  }
  slots.survival.replaceChildren(html`<p class="chart-caption">Drawn when the query engine is ready…</p>`);
  slots.status.textContent = "Starting the query engine (DuckDB-WASM) for filters and drill-downs…";
  // Names are needed only for a drill-down: loaded on the first click.
  goLiveWhenOpen(engine!, page, slots.status, (opened) => (db = opened), {
    live: "Interactive: filters, grain and drill-downs query your data in the browser.",
    fallback: "Showing the precomputed view for all accounts.",
  });
}
