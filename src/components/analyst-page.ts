/**
 * What the four analyst pages share: the page state (filters, grain, thresholds, selected
 * account) kept in the URL, the segment filter bar, a visible note when a link's value was
 * invalid, slots that show a chart or table with its downloads, and the render loop that
 * records how long each re-render took (read by scripts/bench-pages.ts and the tests).
 *
 * In an aggregate-only build (`summary.aggregateOnly`) the per-account tables are empty: a
 * page shows its precomputed view for all accounts, the filter bar becomes a note saying why,
 * and the page never goes live (`data-analyst-ready="aggregate-only"` once it is drawn).
 */
import { html } from "htl";
import { CLASSES } from "../lib/analysis/abc.js";
import type { CsvValue } from "../lib/csv.js";
import { NO_FILTERS, type FilterCodes } from "../lib/analysis/sql.js";
import type { AnalystSummary } from "../lib/shapes/analyst-summary.js";
import {
  decodeState,
  encodeState,
  FILTER_DIMS,
  breakdownDimsOf,
  filterEntries,
  filterOf,
  STATE_VERSION,
  type FilterDim,
  type PageState,
  type StateDomain,
} from "../lib/analysis/url-state.js";
import { aggregateOnlyNote } from "./aggregate-only.js";
import type { AnalystDb } from "./analyst-db.js";
import { dataTable, multiSelect } from "./controls.js";
import { chartDownloads, csvDownload, setExportContext } from "./download.js";
import { savedViewsControl } from "./saved-views.js";
import { markFirstChart, timings } from "./timings.js";

export const DIM_LABELS: Readonly<Record<FilterDim | "key_account", string>> = {
  industry: "Industry",
  size: "Size",
  region: "Region",
  tier: "Tier",
  channel: "Channel",
  class: "ABC class",
  key_account: "Key account",
};
const ALL = "All";

export function domainOf(summary: AnalystSummary, accountExists?: (id: string) => boolean): StateDomain {
  return {
    values: summary.dictionaries,
    defaults: {
      grain: "year",
      abc: [Math.round(summary.thresholds[0] * 100), Math.round(summary.thresholds[1] * 100)],
      by: summary.defaultBy,
    },
    breakdownDims: breakdownDimsOf(summary.coverage.attributes),
    accountExists,
  };
}

/** Label of a segment code (−1 or out of range → "—"). */
export function labelOf(summary: AnalystSummary, dim: FilterDim | "key_account", code: number): string {
  if (dim === "class") return CLASSES[code] ?? "—";
  if (dim === "key_account") return code === 1 ? "key account manager" : "no key account manager";
  return summary.dictionaries[dim][code] ?? "—";
}

export function filterCodes(summary: AnalystSummary, state: PageState): FilterCodes {
  const out: Record<FilterDim, readonly number[]> = { ...NO_FILTERS };
  for (const dim of FILTER_DIMS) {
    const values: readonly string[] = dim === "class" ? CLASSES : summary.dictionaries[dim];
    out[dim] = (state.filters[dim] ?? []).map((v) => values.indexOf(v)).filter((c) => c >= 0);
  }
  return out;
}

/** The filters in force as text, "channel = Inbound; industry = Retail, Software" ("" = none). */
export function filterSummary(state: PageState): string {
  return FILTER_DIMS.filter((d) => state.filters[d] !== undefined)
    .map((d) => `${d} = ${state.filters[d]!.join(", ")}`)
    .join("; ");
}

export interface PageOptions {
  readonly summary: AnalystSummary;
  /** Where the filter bar and the state note go. */
  readonly controls: HTMLElement;
  readonly notes: HTMLElement;
  /** Draws the page for a state; `live` is false for the precomputed first render. */
  readonly render: (state: PageState, live: boolean) => Promise<void> | void;
}

export interface Page {
  state: PageState;
  /** Changes the state, writes it to the URL and re-renders (only when something changed, unless `force`). */
  set(patch: Partial<PageState>, force?: boolean): void;
  /** Changes the state and writes it to the URL without a re-render (the caller redraws what changed). */
  keep(patch: Partial<PageState>): void;
  /** Switches from precomputed to live rendering once the engine is ready. */
  goLive(): Promise<void>;
  note(text: string): void;
}

export function analystPage({ summary, controls, notes, render }: PageOptions): Page {
  const { state: initial, notes: decodeNotes } = decodeState(location.search, domainOf(summary));
  let live = false;
  let running: Promise<void> | null = null;
  let pending = false;
  const page: Page = {
    state: initial,
    set(patch, force = false) {
      if (!write(patch) && !force) return;
      void rerender();
    },
    keep(patch) {
      write(patch);
    },
    async goLive() {
      live = true;
      const start = performance.now();
      await rerender();
      performance.measure("atlas: first live render", { start, end: performance.now() });
      timings().interactive ??= performance.now();
      document.body.dataset.analystReady = "true";
    },
    note(text) {
      notes.append(html`<p class="note-box state-note" data-state-note>${text}</p>`);
    },
  };
  for (const n of decodeNotes) page.note(n);
  setExportContext({
    page: location.pathname.split("/").filter(Boolean).at(-1) ?? "page",
    asOf: summary.asOf,
    filters: () => filterSummary(page.state),
  });
  /** Applies a patch; writes the URL and returns true when that changed it. */
  function write(patch: Partial<PageState>): boolean {
    const before = encodeState(page.state, domainOf(summary));
    page.state = { ...page.state, ...patch };
    const search = encodeState(page.state, domainOf(summary));
    if (search === before) return false;
    history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
    carryFilters(page.state);
    return true;
  }
  carryFilters(page.state);

  async function rerender(): Promise<void> {
    if (running) {
      pending = true;
      return running;
    }
    const started = performance.now();
    document.body.dataset.analystBusy = "true";
    running = (async () => {
      try {
        await render(page.state, live);
      } catch (error) {
        page.note(`Could not update the page: ${(error as Error).message}`);
        console.warn(error);
      }
    })();
    await running;
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    running = null;
    const t = timings();
    if (live) {
      t.renders.push(performance.now() - started);
      t.answers.push(t.lastAnswer !== undefined && t.lastAnswer > started ? t.lastAnswer - started : 0);
      t.seq++;
      document.body.dataset.analystRender = String(t.seq);
    }
    if (pending) {
      pending = false;
      await rerender();
    } else document.body.dataset.analystBusy = "false";
  }

  if (summary.aggregateOnly) {
    controls.replaceChildren(
      aggregateOnlyNote(
        "This page shows all accounts, as computed when the site was built: filters, drill-downs and account lists need those rows.",
      ),
    );
    void rerender().then(() => {
      document.body.dataset.analystReady = "aggregate-only";
    });
    return page;
  }
  // Only dimensions the data has values for (ABC classes need billed revenue).
  const dims = FILTER_DIMS.filter((dim) =>
    dim === "class"
      ? summary.coverage.invoices
      : summary.coverage.attributes[dim] && summary.dictionaries[dim].length > 0,
  );
  const domain = domainOf(summary);
  const selects = dims.map((dim) => {
    const values = dim === "class" ? [...CLASSES] : summary.dictionaries[dim];
    const input = multiSelect(values, { label: DIM_LABELS[dim], all: ALL, value: initial.filters[dim] ?? [] });
    input.dataset.filter = dim;
    input.addEventListener("input", () =>
      page.set({ filters: { ...page.state.filters, [dim]: filterOf(dim, input.value, domain) } }),
    );
    return input;
  });
  controls.replaceChildren(
    html`<div class="filter-bar" data-filters>${selects}</div>`,
    html`<p class="filter-hint">
      Ctrl-click (⌘-click on a Mac) or Shift + arrow keys to choose several values of a filter.
    </p>`,
    savedViewsControl(),
  );
  void rerender();
  return page;
}

const ANALYST_PAGES = ["cohorts", "pareto", "segments", "accounts"];

/**
 * The sidebar's links to the other analyst pages carry this page's filters (and only them:
 * a grain or a selected account belongs to its page), so moving between pages keeps the
 * segment the reader is looking at.
 */
function carryFilters(state: PageState): void {
  const p = new URLSearchParams(filterEntries(state.filters));
  const query = [...p.keys()].length > 0 ? `?v=${STATE_VERSION}&${p}` : "";
  for (const a of document.querySelectorAll<HTMLAnchorElement>("#observablehq-sidebar a[href]")) {
    const href = a.getAttribute("href")!;
    const path = href.split("?")[0];
    if (ANALYST_PAGES.some((name) => path.endsWith(`/${name}`) || path === name)) a.setAttribute("href", path + query);
  }
}

/**
 * Takes a page live once its engine has opened: `onOpen` keeps the engine for the page's own
 * queries, the page re-renders from it and `status` says `live`. If the engine cannot start,
 * the precomputed view stays and `status` gives the reason and `fallback`.
 */
export function goLiveWhenOpen(
  engine: Promise<AnalystDb>,
  page: Page,
  status: HTMLElement,
  onOpen: (db: AnalystDb) => void,
  text: { live: string; fallback: string },
): void {
  engine
    .then(async (db) => {
      onOpen(db);
      await page.goLive();
      status.textContent = text.live;
    })
    .catch((error: unknown) => {
      status.textContent = `The query engine could not start: ${(error as Error).message}. ${text.fallback}`;
    });
}

/**
 * A slot's width for charts. Reading `clientWidth` after the page changed forces the browser
 * to lay it out there and then (a quarter of a cohort re-render went to that): the width is
 * read once and kept current by a ResizeObserver instead.
 */
export function trackedWidth(slot: HTMLElement, min = 300): () => number {
  let width = slot.clientWidth;
  new ResizeObserver(([entry]) => {
    width = entry.contentRect.width;
  }).observe(slot);
  return () => Math.max(min, width || 640);
}

/**
 * Replaces a slot's content with a chart and its PNG / SVG downloads, and, given `table`, a
 * "Table view" of the chart's numbers below it: what the tooltips say, for the keyboard and
 * screen readers (a <details>, open again after a redraw if the reader had opened it).
 */
export function showChart<T extends object>(
  slot: HTMLElement,
  figure: Element,
  name: string,
  table?: TableSpec<T>,
): void {
  const wasOpen = slot.querySelector<HTMLDetailsElement>(":scope > details[data-table-view]")?.open ?? false;
  slot.replaceChildren(figure, chartDownloads(figure, name));
  if (table) slot.append(tableView(table, wasOpen));
  markFirstChart();
}

/** A folded table of a chart's numbers, with its CSV download. */
export function tableView<T extends object>(spec: TableSpec<T>, open = false): HTMLDetailsElement {
  const body = document.createElement("div");
  showTable(body, spec);
  const details = html`<details class="table-view" data-table-view>
    <summary>Table view</summary>
    ${body}
  </details>` as HTMLDetailsElement;
  details.open = open;
  return details;
}

export interface TableSpec<T> {
  readonly name: string;
  readonly rows: readonly T[];
  /** Column key → header, in order. */
  readonly columns: Readonly<Record<string, string>>;
  /** Display format per column (CSV gets the raw value from `csv`, or the row's value). */
  readonly format?: Readonly<Record<string, (v: never) => string>>;
  /** CSV value per column when it differs from the row's value (e.g. cents → decimal string). */
  readonly csv?: Readonly<Record<string, (row: T) => CsvValue>>;
  readonly rowsShown?: number;
  readonly onSelect?: (row: T) => void;
}

/** Replaces a slot's content with a table and its CSV download. */
export function showTable<T extends object>(slot: HTMLElement, spec: TableSpec<T>): void {
  const columns = Object.keys(spec.columns);
  const table = dataTable(spec.rows, {
    columns: spec.columns,
    format: spec.format,
    rowsShown: spec.rowsShown,
    onSelect: spec.onSelect,
  });
  const csvRows = () =>
    spec.rows.map((r) =>
      Object.fromEntries(
        columns.map((c) => [c, spec.csv?.[c] ? spec.csv[c](r) : ((r as Record<string, CsvValue>)[c] ?? null)]),
      ),
    );
  slot.replaceChildren(
    table,
    csvDownload(
      spec.name,
      csvRows,
      columns,
      columns.map((c) => spec.columns[c]),
    ),
  );
}

/**
 * Cents → currency units as a number for CSV (1234.5): for integer cents the shortest
 * decimal form of c / 100 is the exact amount. A number, so it is never formula-escaped.
 */
export function centsToDecimal(cents: number | null | undefined): number | null {
  if (cents === null || cents === undefined || !Number.isFinite(cents)) return null;
  return Math.round(cents) / 100;
}
