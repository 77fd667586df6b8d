/**
 * The entry editor of the workbench: the selected ledger entry's lever, segment, size
 * (a slider and a number per field, from the lever table), reason, author and date.
 */
import { html } from "htl";
import { DIM_LABELS } from "../lib/scenarios/describe.js";
import type { ScenarioBase } from "../lib/scenarios/engine.js";
import { SEGMENT_DIMS, type LedgerEntry, type SegmentDim } from "../lib/scenarios/ledger.js";
import { defaultParams, LEVERS, leverInfo, type Lever, type LeverField } from "../lib/scenarios/levers.js";

export interface EditorOptions {
  readonly base: ScenarioBase;
  /** The entry being edited, as it is now (read at event time). */
  readonly current: () => LedgerEntry;
  /** Replaces the entry; `redraw`: the editor itself must be drawn again (its fields changed). */
  readonly change: (change: (e: LedgerEntry) => LedgerEntry, redraw?: boolean) => void;
}

/** The editor for entry `index`, or the hint to select one. */
export function entryEditor(index: number | null, options: EditorOptions | null): HTMLElement {
  if (index === null || options === null)
    return html`<p class="scenario-muted">
      Select an adjustment in the ledger to edit it, or add one.
    </p>` as HTMLElement;
  const { base, current, change } = options;
  const entry = current();
  const sliders = leverInfo(entry.lever).fields.map((f) => slider(entry, f, options));
  let modeSelect: HTMLElement | null = null;
  if (entry.lever === "massAdjustment") {
    const s = html`<select name="mode">
      <option value="percent">percent of value</option>
      <option value="amount">amount per account</option>
    </select>` as HTMLSelectElement;
    s.value = entry.params.mode;
    s.onchange = () =>
      change((e) => ({ ...e, params: { mode: s.value as "percent" | "amount", amount: 0 } }) as LedgerEntry, true);
    modeSelect = html`<label class="field"><span>Adjust by</span>${s}<span></span></label>` as HTMLElement;
  }
  const segment =
    entry.lever === "newChannel"
      ? html`<p class="scenario-muted">A new channel brings new accounts; it has no segment.</p>`
      : segmentPicker(entry, base, current, change);
  const reason = html`<textarea
    name="reason"
    rows="2"
    placeholder="Why? (required)"
  ></textarea>` as HTMLTextAreaElement;
  reason.value = entry.reason;
  reason.oninput = () => change((e) => ({ ...e, reason: reason.value }));
  const author = html`<input type="text" name="author" placeholder="Author" maxlength="200" />` as HTMLInputElement;
  author.value = entry.author;
  author.oninput = () => change((e) => ({ ...e, author: author.value }));
  const date = html`<input type="date" name="date" />` as HTMLInputElement;
  date.value = entry.date;
  date.onchange = () => change((e) => ({ ...e, date: date.value }));
  const leverChange = html`<select name="entry-lever">
    ${LEVERS.map((l) => html`<option value=${l}>${leverInfo(l).label}</option>`)}
  </select>` as HTMLSelectElement;
  leverChange.value = entry.lever;
  leverChange.onchange = () =>
    change(
      (e) => ({ ...e, lever: leverChange.value, params: defaultParams(leverChange.value as Lever) }) as LedgerEntry,
      true,
    );
  return html`<div data-editor=${String(index)}>
    <div class="scenario-actions"><strong>Adjustment ${index + 1}</strong> ${leverChange}</div>
    ${segment}${modeSelect ?? ""}${sliders}
    <label>Reason ${reason}</label>
    <div class="meta">${author}${date}</div>
  </div>` as HTMLElement;
}

function slider(entry: LedgerEntry, f: LeverField, { base, change }: EditorOptions): HTMLElement {
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
    change((e) => ({ ...e, params: { ...e.params, [f.key]: money ? Math.round(v * 100) : v } }) as LedgerEntry);
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

function segmentPicker(
  entry: LedgerEntry,
  base: ScenarioBase,
  current: EditorOptions["current"],
  change: EditorOptions["change"],
): HTMLElement {
  const summaryText = (dim: SegmentDim, values: readonly string[]) =>
    `${DIM_LABELS[dim]}: ${values.length === 0 ? "any" : values.length <= 2 ? values.map((v) => (dim === "products" ? (base.productNames[base.dictionary.products.indexOf(v)] ?? v) : v)).join(", ") : `${values.length} chosen`}`;
  const dims = SEGMENT_DIMS.map((dim: SegmentDim) => {
    const chosen = new Set(entry.segment[dim] ?? []);
    const labels = base.dictionary[dim];
    const summary = html`<summary>${summaryText(dim, [...chosen])}</summary>` as HTMLElement;
    const boxes = labels.map((label, i) => {
      const box = html`<input type="checkbox" name=${`${dim}`} value=${label} />` as HTMLInputElement;
      box.checked = chosen.has(label);
      box.onchange = () => {
        const set = new Set(current().segment[dim] ?? []);
        if (box.checked) set.add(label);
        else set.delete(label);
        const values = labels.filter((l) => set.has(l));
        change((e) => {
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
    change((e) => {
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
