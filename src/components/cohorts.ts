/**
 * Cohort retention page: triangle heatmap (logo / gross / net revenue retention), survival
 * curves per acquisition year with the fitted sBG projection, MRR movements per month with a
 * drill-down to the accounts behind a bar. In an aggregate-only build the precomputed
 * triangle (yearly cohorts) and movements stay; the survival curves and the drill-down, which
 * need per-account rows, show the note instead. This module is the page's controller: its
 * charts and table views are pure functions in components/cohort-charts.ts.
 */
import { html } from "htl";
import { pooledRows, survivalFromAges, triangleCells, type TriangleRow } from "../lib/analysis/cohorts.js";
import { MOVEMENTS } from "../lib/analysis/mrr.js";
import * as Q from "../lib/analysis/sql.js";
import type { AnalystSummary, MovementRow } from "../lib/shapes/analyst-summary.js";
import type { Grain, PageState } from "../lib/analysis/url-state.js";
import { GRAINS } from "../lib/analysis/url-state.js";
import { formatMoneyCompact, formatPercent } from "../lib/format.js";
import { notProvided } from "../lib/coverage.js";
import { DEFINITIONS } from "../lib/metrics/definitions.js";
import { purchaseCells } from "../lib/metrics/purchases.js";
import { cardNotProvided, setCardText } from "./not-provided.js";
import type { SbgParams } from "../lib/models/sbg.js";
import { monthLabel } from "../lib/dates.js";
import { showAggregateOnly } from "./aggregate-only.js";
import { showBridgeStep } from "./mrr-bridge.js";
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
} from "./analyst-page.js";
import {
  cohortLabel,
  METRICS,
  movementsChart,
  movementsTable,
  PURCHASE_MEASURES,
  purchaseTriangleChart,
  survivalChart,
  survivalTable,
  triangleChart,
  type Metric,
  type PurchaseMeasure,
  type SurvivalSeries,
} from "./cohort-charts.js";

/** Quiet time after a filter change before the survival curves' sBG fits start. */
const FIT_DELAY_MS = 300;

type Fit = { params: SbgParams; projection: number[] } | null;

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
      page.keep({ drill: { month, movement }, step: null });
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
      // A step of the overview's MRR bridge (its link), else a movement bar.
      if (state.step) {
        await db.ensure("names", files.names);
        await showBridgeStep(
          slots.drill,
          db,
          codes,
          state.step,
          summary.currency,
          Object.values(state.filters).some((v) => v !== undefined),
        );
      } else if (state.drill) await drill(state, state.drill.month, state.drill.movement);
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
