/**
 * The scenario workbench: the ledger (./scenario-ledger.ts: add / edit / remove / reorder
 * adjustments), the entry editor (./scenario-editor.ts), live results, the scenario in the URL
 * and its export as a file for data/scenarios/. State lives in ./scenario-state.ts. Results are
 * recomputed synchronously on every input event (src/lib/scenarios/engine.ts keeps that within
 * a frame); the element carries `data-updates` (a counter) and `data-update-ms` (the last
 * update's duration) for the benchmark and the tests. An aggregate-only build ships no
 * per-account rows to evaluate: the workbench is then the note saying so, with links to the
 * saved scenarios (computed at build time).
 */
import { html } from "htl";
import {
  ScenarioEvaluator,
  type AccountArrays,
  type BreakdownDim,
  type Evaluation,
  type ScenarioBase,
} from "../lib/scenarios/engine.js";
import { ScenarioError, validateScenario, type Scenario } from "../lib/scenarios/ledger.js";
import { LEVERS, leverInfo, type Lever } from "../lib/scenarios/levers.js";
import { BREAKDOWN_LABELS, scenarioReport, type ScenarioReport } from "../lib/scenarios/report.js";
import { decodeScenarioSearch, encodeScenarioSearch } from "../lib/scenarios/url.js";
import { aggregateOnlyNote } from "./aggregate-only.js";
import { BRIDGE_CAPTION, bridgeChart, bridgeTable } from "./scenario-bridge.js";
import { entryEditor } from "./scenario-editor.js";
import { ledgerView } from "./scenario-ledger.js";
import {
  affectedTable,
  breakdownTitle,
  changeChart,
  comparisonTable,
  methodNote,
  projectionChart,
  projectionTable,
  scenarioKpis,
  scenarioReading,
} from "./scenario-results.js";
import { WorkbenchState } from "./scenario-state.js";

export interface WorkbenchOptions {
  readonly base: ScenarioBase;
  readonly accounts: AccountArrays;
  /** location.search of the page. */
  readonly search: string;
  /** Default date of a new entry (ISO). */
  readonly today: string;
  /** Saved scenarios, linked at the top. */
  readonly saved?: ReadonlyArray<{ readonly name: string; readonly scenario: Scenario }>;
}

const BREAKDOWNS: BreakdownDim[] = ["industry", "size", "region", "tier", "businessModel"];

export function scenarioWorkbench({ base, accounts, search, today, saved = [] }: WorkbenchOptions): HTMLElement {
  if (base.aggregateOnly) {
    const note = aggregateOnlyNote(
      "The workbench values every account in your browser, so it cannot run in this build; the saved scenarios were computed when the site was built.",
    );
    return html`<div data-workbench="aggregate-only">${note}${savedLinks(saved)}</div>` as HTMLElement;
  }
  const evaluator = new ScenarioEvaluator(base, accounts);
  const baselineCache = new Map<BreakdownDim, Evaluation>();
  const decoded = decodeScenarioSearch(search, base.dictionary);
  const state = new WorkbenchState(decoded.scenario);
  let report: ScenarioReport;
  let updates = 0;

  const message = html`<div class="scenario-message" role="alert" data-scenario-message>
    ${decoded.message ?? ""}
  </div>` as HTMLElement;
  message.hidden = decoded.message === null;
  const kpis = html`<div></div>` as HTMLElement;
  const reading = html`<div></div>` as HTMLElement;
  const ledgerBox = html`<div></div>` as HTMLElement;
  const editorBox = html`<div class="scenario-editor"></div>` as HTMLElement;
  const projectionBox = html`<div></div>` as HTMLElement;
  const byChartBox = html`<div></div>` as HTMLElement;
  const byTableBox = html`<div></div>` as HTMLElement;
  const abcBox = html`<div></div>` as HTMLElement;
  const bridgeBox = html`<div></div>` as HTMLElement;
  const affectedBox = html`<div></div>` as HTMLElement;
  const status = html`<span class="scenario-muted" data-export-status></span>` as HTMLElement;
  const byTitle = html`<h2></h2>` as HTMLElement;

  const title = html`<input
    type="text"
    name="title"
    aria-label="Scenario title"
    maxlength="200"
  />` as HTMLInputElement;
  title.value = state.scenario.title;
  title.oninput = () => {
    state.setTitle(title.value);
    update({ ledger: false });
  };
  const bySelect = html`<select name="breakdown" aria-label="Break down by">
    ${BREAKDOWNS.map((d) => html`<option value=${d}>${BREAKDOWN_LABELS[d]}</option>`)}
  </select>` as HTMLSelectElement;
  bySelect.value = state.by;
  bySelect.onchange = () => {
    state.by = bySelect.value as BreakdownDim;
    update({ ledger: false });
  };
  const leverSelect = html`<select name="lever" aria-label="Lever">
    ${LEVERS.map((l) => html`<option value=${l}>${leverInfo(l).label}</option>`)}
  </select>` as HTMLSelectElement;
  const addButton = html`<button type="button" data-action="add">Add adjustment</button>` as HTMLButtonElement;
  addButton.onclick = () => {
    state.add(leverSelect.value as Lever, today);
    update({ editor: true });
  };
  const copyButton = html`<button type="button" data-action="copy-link">Copy link</button>` as HTMLButtonElement;
  copyButton.onclick = async () => {
    writeUrl();
    try {
      await navigator.clipboard.writeText(location.href);
      status.textContent = "Link copied.";
    } catch {
      status.textContent = "Copy the address from the browser's address bar.";
    }
  };
  const exportButton = html`<button type="button" data-action="export">Export as file</button>` as HTMLButtonElement;
  exportButton.onclick = () => {
    try {
      const checked = validateScenario(JSON.parse(JSON.stringify(state.scenario)), {
        dictionary: base.dictionary,
        requireReasons: true,
      });
      const blob = new Blob([`${JSON.stringify(checked, null, 2)}\n`], { type: "application/json" });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = `${slug(checked.title)}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      status.textContent = `Saved ${a.download}: put it in data/scenarios/ to publish it as its own page.`;
    } catch (error) {
      status.textContent =
        error instanceof ScenarioError
          ? `Cannot export yet: ${error.message.replace(/^ledger\[(\d+)\]/, (_, i) => `adjustment ${Number(i) + 1}`)}`
          : String(error);
    }
  };
  const resetButton = html`<button type="button" data-action="reset">Back to baseline</button>` as HTMLButtonElement;
  resetButton.onclick = () => {
    state.reset();
    title.value = state.scenario.title;
    message.hidden = true;
    update({ editor: true });
  };

  function renderLedger(): void {
    ledgerBox.replaceChildren(
      ledgerView(state.scenario, {
        currency: base.currency,
        entries: report?.entries,
        actions: {
          selected: state.selected,
          edit: (i) => {
            state.selected = i;
            update({ editor: true, results: false });
          },
          move: (i, step) => {
            state.move(i, step);
            update({ editor: true });
          },
          remove: (i) => {
            state.remove(i);
            update({ editor: true });
          },
        },
      }),
    );
  }

  function renderEditor(): void {
    const index = state.entry === null ? null : state.selected;
    editorBox.replaceChildren(
      entryEditor(
        index,
        index === null
          ? null
          : {
              base,
              current: () => state.scenario.ledger[index],
              change: (change, redraw = false) => {
                state.setEntry(change);
                update({ editor: redraw });
              },
            },
      ),
    );
  }

  function renderResults(): void {
    const { scenario, by } = state;
    report = scenarioReport(evaluator, scenario, [by], { baseline: baselineCache });
    const width = (el: HTMLElement) => Math.max(280, el.clientWidth || 640);
    kpis.replaceChildren(scenarioKpis(report));
    reading.replaceChildren(scenarioReading(report));
    projectionBox.replaceChildren(
      projectionChart(report, { width: width(projectionBox) }),
      html`<details class="table-view">
        <summary>Table view</summary>
        ${projectionTable(report)}
      </details>`,
    );
    bridgeBox.replaceChildren(
      ...(scenario.ledger.length === 0
        ? [html`<p class="scenario-muted">No adjustments: the scenario is the baseline.</p>` as HTMLElement]
        : [bridgeChart(scenario, report, { width: width(bridgeBox) }), bridgeTable(scenario, report)]),
    );
    const rows = report.breakdowns[0].rows;
    byTitle.textContent = breakdownTitle(by);
    byChartBox.replaceChildren(changeChart(report, rows, { width: width(byChartBox) }));
    byTableBox.replaceChildren(comparisonTable(report, rows, { label: BREAKDOWN_LABELS[by], name: "by-segment" }));
    abcBox.replaceChildren(comparisonTable(report, report.abc, { label: "Class", name: "by-abc" }));
    affectedBox.replaceChildren(affectedTable(report));
  }

  function update({
    editor = false,
    results = true,
    ledger = true,
  }: { editor?: boolean; results?: boolean; ledger?: boolean } = {}): void {
    const t0 = performance.now();
    if (results) renderResults();
    if (ledger) renderLedger();
    if (editor) renderEditor();
    scheduleUrl();
    updates++;
    root.dataset.updates = String(updates);
    root.dataset.updateMs = (performance.now() - t0).toFixed(2);
  }

  // The URL follows the scenario once a slider rests: history.replaceState costs 5–20 ms in
  // Chromium, too much for every input event. `data-url-pending` is "0" when the URL is current.
  let urlTimer: ReturnType<typeof setTimeout> | null = null;
  function writeUrl(): void {
    if (urlTimer !== null) clearTimeout(urlTimer);
    urlTimer = null;
    const query = encodeScenarioSearch(state.scenario);
    if (location.search !== query)
      history.replaceState(history.state, "", `${location.pathname}${query}${location.hash}`);
    root.dataset.urlPending = "0";
  }
  function scheduleUrl(): void {
    if (urlTimer !== null) clearTimeout(urlTimer);
    root.dataset.urlPending = "1";
    urlTimer = setTimeout(writeUrl, 150);
  }

  const card = (heading: string | Node, ...body: Array<Node | string>) =>
    html`<div class="card">${typeof heading === "string" ? html`<h2>${heading}</h2>` : heading}${body}</div>`;
  const root = html`<div data-workbench>
    ${message} ${savedLinks(saved)} ${kpis} ${reading}
    <div class="grid grid-cols-2">
      ${card(
        html`<h2 data-card-ledger>Ledger <small class="scenario-muted">— applied in this order</small></h2>`,
        html`<label style="display:block; margin-bottom: 0.4rem">Title ${title}</label>`,
        ledgerBox,
        html`<div class="scenario-actions">${leverSelect} ${addButton}</div>`,
        html`<div class="scenario-actions">${copyButton} ${exportButton} ${resetButton} ${status}</div>`,
      )}
      ${card("Adjustment", editorBox)}
    </div>
    ${card("From today's value to the scenario", html`<p class="chart-caption">${BRIDGE_CAPTION}</p>`, bridgeBox)}
    ${card("Expected billings, next five years", html`<p class="chart-caption">Baseline and scenario, with P10–P90 of the models' parameters. From contracts (sBG) and invoices (the purchase model).</p>`, projectionBox)}
    <div class="grid grid-cols-2">
      ${card(html`<div class="scenario-actions">${byTitle} ${bySelect}</div>`, byChartBox, byTableBox)}
      ${card("Change by ABC class", html`<p class="chart-caption">Classes by trailing-12-month revenue today (A: first 80%, B: next 15%).</p>`, abcBox)}
    </div>
    ${card("Most affected accounts", affectedBox)} ${methodNote({ spend: base.economics.spendProvided !== false })}
  </div>` as HTMLElement;

  update({ editor: true });
  // Charts follow the page width.
  let lastWidth = 0;
  new ResizeObserver(() => {
    const w = projectionBox.clientWidth;
    if (Math.abs(w - lastWidth) > 8) {
      lastWidth = w;
      renderResults();
    }
  }).observe(projectionBox);
  return root;
}

function savedLinks(saved: NonNullable<WorkbenchOptions["saved"]>): HTMLElement | string {
  if (saved.length === 0) return "";
  return html`<p class="scenario-muted">
    Saved scenarios:
    ${saved.map((s, i) => html`${i ? " · " : ""}<a href=${`../scenarios/${s.name}`} data-saved=${s.name}>${s.scenario.title}</a>`)}
  </p>` as HTMLElement;
}

function slug(title: string): string {
  return (
    title
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "scenario"
  );
}
