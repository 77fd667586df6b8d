/**
 * The scenario workbench: the ledger editor (add / edit / remove / reorder adjustments, each
 * with segment, size, reason, author and date), live results, the scenario in the URL and
 * its export as a file for data/scenarios/. Results are recomputed synchronously on every
 * input event (src/lib/scenarios/engine.ts keeps that within a frame); the element carries
 * `data-updates` (a counter) and `data-update-ms` (the last update's duration) for the
 * benchmark and the tests. An aggregate-only build ships no per-account rows to evaluate: the
 * workbench is then the note saying so, with links to the saved scenarios (computed at build
 * time).
 */
import { html } from "htl";
import { formatNumber } from "../lib/format.js";
import { describeParams, describeSegment, DIM_LABELS } from "../lib/scenarios/describe.js";
import {
  ScenarioEvaluator,
  type AccountArrays,
  type BreakdownDim,
  type Evaluation,
  type ScenarioBase,
} from "../lib/scenarios/engine.js";
import {
  defaultParams,
  emptyScenario,
  LEVERS,
  leverInfo,
  newEntry,
  ScenarioError,
  SEGMENT_DIMS,
  validateScenario,
  type LedgerEntry,
  type Lever,
  type Scenario,
  type SegmentDim,
} from "../lib/scenarios/model.js";
import { BREAKDOWN_LABELS, scenarioReport, type ScenarioReport } from "../lib/scenarios/report.js";
import { decodeScenarioSearch, encodeScenarioSearch } from "../lib/scenarios/url.js";
import { aggregateOnlyNote } from "./aggregate-only.js";
import {
  affectedTable,
  breakdownTitle,
  changeChart,
  comparisonTable,
  methodNote,
  projectionChart,
  scenarioKpis,
  scenarioReading,
} from "./scenario-results.js";

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
  let scenario: Scenario = decoded.scenario;
  let selected: number | null = null;
  let by: BreakdownDim = "industry";
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
  const affectedBox = html`<div></div>` as HTMLElement;
  const status = html`<span class="scenario-muted" data-export-status></span>` as HTMLElement;
  const byTitle = html`<h2></h2>` as HTMLElement;

  const title = html`<input
    type="text"
    name="title"
    aria-label="Scenario title"
    maxlength="200"
  />` as HTMLInputElement;
  title.value = scenario.title;
  title.oninput = () => {
    scenario = { ...scenario, title: title.value };
    update({ ledger: false });
  };
  const bySelect = html`<select name="breakdown" aria-label="Break down by">
    ${BREAKDOWNS.map((d) => html`<option value=${d}>${BREAKDOWN_LABELS[d]}</option>`)}
  </select>` as HTMLSelectElement;
  bySelect.value = by;
  bySelect.onchange = () => {
    by = bySelect.value as BreakdownDim;
    update({ ledger: false });
  };
  const leverSelect = html`<select name="lever" aria-label="Lever">
    ${LEVERS.map((l) => html`<option value=${l}>${leverInfo(l).label}</option>`)}
  </select>` as HTMLSelectElement;
  const addButton = html`<button type="button" data-action="add">Add adjustment</button>` as HTMLButtonElement;
  addButton.onclick = () => {
    scenario = { ...scenario, ledger: [...scenario.ledger, newEntry(leverSelect.value as Lever, today)] };
    selected = scenario.ledger.length - 1;
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
      const checked = validateScenario(JSON.parse(JSON.stringify(scenario)), {
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
    scenario = emptyScenario();
    title.value = scenario.title;
    selected = null;
    message.hidden = true;
    update({ editor: true });
  };

  function renderLedger(): void {
    const rows = scenario.ledger.map((e, i) => {
      const edit = html`<button type="button" data-action="edit" title="Edit">Edit</button>` as HTMLButtonElement;
      edit.onclick = () => {
        selected = i;
        update({ editor: true, results: false });
      };
      const up = html`<button type="button" data-action="up" title="Move up" disabled=${i === 0}>
        ↑
      </button>` as HTMLButtonElement;
      up.onclick = () => move(i, -1);
      const down = html`<button
        type="button"
        data-action="down"
        title="Move down"
        disabled=${i === scenario.ledger.length - 1}
      >
        ↓
      </button>` as HTMLButtonElement;
      down.onclick = () => move(i, 1);
      const remove = html`<button type="button" data-action="remove" title="Remove">✕</button>` as HTMLButtonElement;
      remove.onclick = () => {
        const ledger = scenario.ledger.filter((_, j) => j !== i);
        scenario = { ...scenario, ledger };
        selected = selected === null || selected === i ? null : selected > i ? selected - 1 : selected;
        update({ editor: true });
      };
      const counts = report?.entries[i];
      return html`<tr data-entry=${String(i)} class=${i === selected ? "selected" : ""}>
        <td>${i + 1}</td>
        <td>${leverInfo(e.lever).label}</td>
        <td>${e.lever === "newChannel" ? "New accounts" : describeSegment(e.segment)}</td>
        <td>${describeParams(e, base.currency)}</td>
        <td class="num" data-accounts>${e.lever === "newChannel" ? "—" : counts ? formatNumber(counts.valued) : ""}</td>
        <td>${e.reason.trim() ? e.reason : html`<span class="scenario-draft">draft: a reason is required</span>`}</td>
        <td>${e.author}${e.author && e.date ? ", " : ""}${e.date}</td>
        <td style="white-space: nowrap">${edit} ${up} ${down} ${remove}</td>
      </tr>`;
    });
    ledgerBox.replaceChildren(
      scenario.ledger.length === 0
        ? (html`<p class="scenario-muted" data-ledger-empty>
            No adjustments yet: the results show the baseline. Pick a lever and add an adjustment.
          </p>` as HTMLElement)
        : (html`<div class="scenario-scroll">
            <table class="scenario-table" data-table="ledger-edit">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Lever</th>
                  <th>Segment</th>
                  <th>Size</th>
                  <th class="num">Accounts</th>
                  <th>Reason</th>
                  <th>Author, date</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>
          </div>` as HTMLElement),
    );
  }

  function move(i: number, step: number): void {
    const j = i + step;
    if (j < 0 || j >= scenario.ledger.length) return;
    const ledger = [...scenario.ledger];
    [ledger[i], ledger[j]] = [ledger[j], ledger[i]];
    scenario = { ...scenario, ledger };
    if (selected === i) selected = j;
    else if (selected === j) selected = i;
    update({ editor: true });
  }

  /** Replaces the selected entry (immutably) and updates the results. */
  function setEntry(change: (e: LedgerEntry) => LedgerEntry, editor = false): void {
    if (selected === null) return;
    const ledger = [...scenario.ledger];
    ledger[selected] = change(ledger[selected]);
    scenario = { ...scenario, ledger };
    update({ editor });
  }

  function renderEditor(): void {
    if (selected === null || !scenario.ledger[selected]) {
      editorBox.replaceChildren(
        html`<p class="scenario-muted">Select an adjustment in the ledger to edit it, or add one.</p>` as HTMLElement,
      );
      return;
    }
    const entry = scenario.ledger[selected];
    const info = leverInfo(entry.lever);
    const sliders = info.fields.map((f) => slider(entry, f));
    let modeSelect: HTMLElement | null = null;
    if (entry.lever === "massAdjustment") {
      const s = html`<select name="mode">
        <option value="percent">percent of value</option>
        <option value="amount">amount per account</option>
      </select>` as HTMLSelectElement;
      s.value = entry.params.mode;
      s.onchange = () =>
        setEntry((e) => ({ ...e, params: { mode: s.value as "percent" | "amount", amount: 0 } }) as LedgerEntry, true);
      modeSelect = html`<label class="field"><span>Adjust by</span>${s}<span></span></label>` as HTMLElement;
    }
    const segment =
      entry.lever === "newChannel"
        ? html`<p class="scenario-muted">A new channel brings new accounts; it has no segment.</p>`
        : segmentPicker(entry);
    const reason = html`<textarea
      name="reason"
      rows="2"
      placeholder="Why? (required)"
    ></textarea>` as HTMLTextAreaElement;
    reason.value = entry.reason;
    reason.oninput = () => setEntry((e) => ({ ...e, reason: reason.value }));
    const author = html`<input type="text" name="author" placeholder="Author" maxlength="200" />` as HTMLInputElement;
    author.value = entry.author;
    author.oninput = () => setEntry((e) => ({ ...e, author: author.value }));
    const date = html`<input type="date" name="date" />` as HTMLInputElement;
    date.value = entry.date;
    date.onchange = () => setEntry((e) => ({ ...e, date: date.value }));
    const leverChange = html`<select name="entry-lever">
      ${LEVERS.map((l) => html`<option value=${l}>${leverInfo(l).label}</option>`)}
    </select>` as HTMLSelectElement;
    leverChange.value = entry.lever;
    leverChange.onchange = () =>
      setEntry(
        (e) => ({ ...e, lever: leverChange.value, params: defaultParams(leverChange.value as Lever) }) as LedgerEntry,
        true,
      );
    editorBox.replaceChildren(
      html`<div data-editor=${String(selected)}>
        <div class="scenario-actions"><strong>Adjustment ${selected + 1}</strong> ${leverChange}</div>
        ${segment}${modeSelect ?? ""}${sliders}
        <label>Reason ${reason}</label>
        <div class="meta">${author}${date}</div>
      </div>` as HTMLElement,
    );
  }

  function slider(entry: LedgerEntry, f: ReturnType<typeof leverInfo>["fields"][number]): HTMLElement {
    const params = entry.params as unknown as Record<string, number | string>;
    const money = f.unit === "cents" || (entry.lever === "massAdjustment" && params.mode === "amount");
    // Money is edited in whole currency units; stored in cents.
    const range = money
      ? entry.lever === "massAdjustment"
        ? { min: -1_000_000, max: 1_000_000, step: 1_000 }
        : { min: f.min / 100, max: f.max / 100, step: f.step / 100 }
      : f;
    const value = Number(params[f.key]) / (money ? 100 : 1);
    const input = html`<input
      type="range"
      name=${f.key}
      min=${range.min}
      max=${range.max}
      step=${range.step}
    />` as HTMLInputElement;
    input.value = String(value);
    const number = html`<input
      type="number"
      min=${range.min}
      max=${range.max}
      step=${range.step}
      style="width: 6rem"
      aria-label=${f.label}
    />` as HTMLInputElement;
    number.value = String(value);
    const set = (v: number) => {
      if (!Number.isFinite(v)) return;
      v = Math.min(range.max, Math.max(range.min, v));
      setEntry((e) => ({ ...e, params: { ...e.params, [f.key]: money ? Math.round(v * 100) : v } }) as LedgerEntry);
    };
    input.oninput = () => {
      number.value = input.value;
      set(input.valueAsNumber);
    };
    number.onchange = () => {
      input.value = number.value;
      set(number.valueAsNumber);
    };
    const unit = money ? base.currency : f.unit;
    return html`<label class="field"
      ><span>${f.label} <small class="scenario-muted">(${unit})</small></span
      >${input}${number}</label
    >` as HTMLElement;
  }

  function segmentPicker(entry: LedgerEntry): HTMLElement {
    const dims = SEGMENT_DIMS.map((dim: SegmentDim) => {
      const chosen = new Set(entry.segment[dim] ?? []);
      const labels = base.dictionary[dim];
      const boxes = labels.map((label, i) => {
        const box = html`<input type="checkbox" name=${`${dim}`} value=${label} />` as HTMLInputElement;
        box.checked = chosen.has(label);
        box.onchange = () => {
          const set = new Set(scenario.ledger[selected!].segment[dim] ?? []);
          if (box.checked) set.add(label);
          else set.delete(label);
          const values = labels.filter((l) => set.has(l));
          setEntry((e) => {
            const segment = { ...e.segment };
            if (values.length) segment[dim] = values;
            else delete segment[dim];
            return { ...e, segment };
          });
          summary.textContent = summaryText(dim, values);
        };
        const text = dim === "products" ? `${base.productNames[i] ?? label}` : label;
        return html`<label>${box} ${text}</label>`;
      });
      const summary = html`<summary>${summaryText(dim, [...chosen])}</summary>` as HTMLElement;
      return html`<details data-dim=${dim}>${summary}${boxes}</details>`;
    });
    const seats = html`<input
      type="number"
      name="minSeats"
      min="0"
      step="1"
      style="width: 5rem"
      placeholder="any"
    />` as HTMLInputElement;
    seats.value = entry.segment.minSeats ? String(entry.segment.minSeats) : "";
    seats.onchange = () => {
      const v = Math.max(0, Math.floor(seats.valueAsNumber || 0));
      setEntry((e) => {
        const segment = { ...e.segment };
        if (v > 0) segment.minSeats = v;
        else delete segment.minSeats;
        return { ...e, segment };
      });
    };
    return html`<div>
      <div class="scenario-muted" style="font-size: 0.85rem">Segment (all accounts when nothing is ticked):</div>
      <div class="segment">${dims}<label>Seats ≥ ${seats}</label></div>
    </div>` as HTMLElement;
  }

  const summaryText = (dim: SegmentDim, values: readonly string[]) =>
    `${DIM_LABELS[dim]}: ${values.length === 0 ? "any" : values.length <= 2 ? values.map((v) => (dim === "products" ? (base.productNames[base.dictionary.products.indexOf(v)] ?? v) : v)).join(", ") : `${values.length} chosen`}`;

  function renderResults(): void {
    report = scenarioReport(evaluator, scenario, [by], { baseline: baselineCache });
    const width = (el: HTMLElement) => Math.max(280, el.clientWidth || 640);
    kpis.replaceChildren(scenarioKpis(report));
    reading.replaceChildren(scenarioReading(report));
    projectionBox.replaceChildren(projectionChart(report, { width: width(projectionBox) }));
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
    const query = encodeScenarioSearch(scenario);
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
        html`<h2>Ledger <small class="scenario-muted">— applied in this order</small></h2>`,
        html`<label style="display:block; margin-bottom: 0.4rem">Title ${title}</label>`,
        ledgerBox,
        html`<div class="scenario-actions">${leverSelect} ${addButton}</div>`,
        html`<div class="scenario-actions">${copyButton} ${exportButton} ${resetButton} ${status}</div>`,
      )}
      ${card("Adjustment", editorBox)}
    </div>
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
