/**
 * The overview's MRR bridges (waterfalls) for the last quarter and the last 12 months, from
 * `data/mrr-bridge.json`: each bar a link to the cohort page listing that step's accounts
 * (`?step=…`, src/lib/analysis/url-state.ts), a table with the same figures, and the steps'
 * definitions. Without contracts: the not-provided note instead of a bridge of zeros. In an
 * aggregate-only build the totals stay and the bars link nowhere (no account list is published).
 *
 * Also the cohort page's drill-down for a step (`showBridgeStep`), so that both ends of the
 * link live here.
 */
import * as Plot from "@observablehq/plot";
import { html } from "htl";
import {
  mrrBridgeAccounts,
  STEP_DEFINITION,
  STEP_SIGN,
  WINDOW_LABELS,
  type BridgeAccountRow,
  type BridgeStep,
  type MrrBridge,
  type MrrBridgeData,
} from "../lib/analysis/mrr-bridge.js";
import type { FilterCodes } from "../lib/analysis/sql.js";
import { encodeStep, STATE_VERSION, type BridgeStepState } from "../lib/analysis/url-state.js";
import { notProvided } from "../lib/coverage.js";
import { formatMoneyCompact, formatMoneyExact, formatNumber } from "../lib/format.js";
import { DEFINITIONS } from "../lib/metrics/definitions.js";
import { monthLabel } from "../lib/dates.js";
import { aggregateOnlyNote } from "./aggregate-only.js";
import type { AnalystDb } from "./analyst-db.js";
import { centsToDecimal, showTable } from "./analyst-page.js";
import { csvDownload } from "./download.js";
import { notProvidedCard } from "./not-provided.js";

/** Colour encodes the sign of a step (the legend says so); levels are neutral. */
const KINDS = ["level", "increase", "decrease"] as const;
const KIND_COLORS = ["#6b7785", "#3d8b37", "#d1434b"];
const kindOf = (step: BridgeStep) => KINDS[STEP_SIGN[step] === 0 ? 0 : STEP_SIGN[step] > 0 ? 1 : 2];

/** "Churned MRR", "MRR at the start", … as in the metric registry. */
export const stepLabel = (step: BridgeStep): string => DEFINITIONS[STEP_DEFINITION[step]].label;

/** The cohort page's link that lists the accounts of one step. */
export function stepHref(bridge: MrrBridge, step: BridgeStep): string {
  const p = new URLSearchParams({
    v: String(STATE_VERSION),
    step: encodeStep({ from: bridge.fromMonth, to: bridge.toMonth, step }),
  });
  return `./cohorts?${p}`;
}

/** "+$281k" / "−$41.5k" for a step, "$2.76M" for a level. */
export function stepAmount(step: BridgeStep, cents: number, currency: string): string {
  const sign = STEP_SIGN[step];
  return `${sign > 0 ? "+" : sign < 0 ? "−" : ""}${formatMoneyCompact(cents, currency)}`;
}

const accountsText = (n: number) => `${formatNumber(n)} ${n === 1 ? "account" : "accounts"}`;

interface Bar {
  step: BridgeStep;
  label: string;
  kind: (typeof KINDS)[number];
  y1: number;
  y2: number;
  cents: number;
  accounts: number;
  text: string;
  href: string | null;
}

/** The waterfall's bars: levels from 0, each step from the running total to the next. */
export function bridgeBars(bridge: MrrBridge, currency: string, linked: boolean): Bar[] {
  let level = 0;
  return bridge.steps.map((s) => {
    const sign = STEP_SIGN[s.step];
    const from = sign === 0 ? 0 : level;
    level = sign === 0 ? s.cents : level + sign * s.cents;
    return {
      step: s.step,
      label: stepLabel(s.step),
      kind: kindOf(s.step),
      y1: from / 100,
      y2: level / 100,
      cents: s.cents,
      accounts: s.accounts,
      text: stepAmount(s.step, s.cents, currency),
      href: linked ? stepHref(bridge, s.step) : null,
    };
  });
}

/**
 * The waterfall. A bar opens its step's accounts on click; the chart is an image to assistive
 * technology (components/a11y.ts gives every chart role="img", whose content is presentational),
 * so the keyboard's and screen readers' links are in the table below it, not in the SVG.
 */
export function bridgeChart(bridge: MrrBridge, { width = 640, currency = "USD", linked = true } = {}) {
  const bars = bridgeBars(bridge, currency, linked);
  const describe = (d: Bar) => `${d.label}: ${d.text} (${accountsText(d.accounts)})`;
  const narrow = width < 560;
  const figure = Plot.plot({
    width: Math.max(300, width),
    height: 300,
    marginLeft: 56,
    // Rotated step names need the room below the axis.
    marginBottom: narrow ? 70 : 36,
    marginTop: narrow ? 34 : 22,
    ariaDescription: `From MRR at the end of ${monthLabel(bridge.fromMonth)} to MRR at the end of ${monthLabel(bridge.toMonth)}, step by step: ${bars.map(describe).join("; ")}.`,
    x: { domain: bars.map((b) => b.label), label: null, tickRotate: narrow ? -30 : 0 },
    y: { grid: true, label: "MRR", tickFormat: "~s" },
    color: { domain: [...KINDS], range: KIND_COLORS, legend: true },
    marks: [
      Plot.barY(bars, {
        x: "label",
        y1: "y1",
        y2: "y2",
        fill: "kind",
        ariaLabel: describe,
        title: (d: Bar) => `${describe(d)}${d.href ? "\nclick to list these accounts" : ""}`,
      }),
      // On a narrow chart the amounts alternate between two heights so that neighbours do not overlap.
      ...[0, 1].map((odd) =>
        Plot.text(narrow ? bars.filter((_, i) => i % 2 === odd) : odd ? [] : bars, {
          x: "label",
          y: (d: Bar) => Math.max(d.y1, d.y2),
          text: "text",
          dy: narrow && odd ? -18 : -6,
          fill: "currentColor",
          ariaHidden: "true",
        }),
      ),
      Plot.ruleY([0]),
    ],
  });
  if (linked) {
    // Plot binds each bar's rect to its index in `bars` (the only rects of the chart).
    for (const rect of figure.querySelectorAll<SVGRectElement>("svg rect")) {
      const i = (rect as unknown as { __data__?: number }).__data__;
      const bar = typeof i === "number" ? bars[i] : undefined;
      if (!bar?.href) continue;
      rect.dataset.step = bar.step;
      rect.style.cursor = "pointer";
      rect.addEventListener("click", () => location.assign(new URL(bar.href!, location.href)));
    }
  }
  return figure;
}

type Resize = (render: (width: number) => Node | string) => Node;

/** The table alternative to a bridge chart (the same figures, exact to the cent, with the links). */
function bridgeTable(bridge: MrrBridge, currency: string, linked: boolean): HTMLElement {
  const rows = bridge.steps.map((s) => {
    const href = linked ? stepHref(bridge, s.step) : null;
    return html`<tr data-step=${s.step}>
      <th scope="row">${stepLabel(s.step)}</th>
      <td data-cents>
        ${STEP_SIGN[s.step] < 0 ? "−" : STEP_SIGN[s.step] > 0 ? "+" : ""}${formatMoneyExact(s.cents, currency)}
      </td>
      <td data-accounts>${href ? html`<a href=${href}>${accountsText(s.accounts)}</a>` : accountsText(s.accounts)}</td>
    </tr>`;
  });
  return html`<table class="bridge-table">
    <thead>
      <tr>
        <th scope="col">step</th>
        <th scope="col">MRR</th>
        <th scope="col">accounts</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>` as HTMLElement;
}

function bridgeCard(bridge: MrrBridge, data: MrrBridgeData, resize: Resize): HTMLElement {
  const linked = !data.aggregateOnly;
  const start = bridge.steps[0].cents;
  const end = bridge.steps[bridge.steps.length - 1].cents;
  const change = start > 0 ? ` (${end >= start ? "+" : "−"}${(Math.abs(end / start - 1) * 100).toFixed(1)}%)` : "";
  const csvRows = () =>
    bridge.steps.map((s) => ({
      step: s.step,
      label: stepLabel(s.step),
      sign: STEP_SIGN[s.step],
      mrr: centsToDecimal(s.cents),
      accounts: s.accounts,
    }));
  return html`<div class="card" data-bridge=${bridge.window}>
    <h2>MRR bridge: ${WINDOW_LABELS[bridge.window].toLowerCase()}</h2>
    <p class="chart-caption">
      From ${formatMoneyCompact(start, data.currency)} at the end of ${monthLabel(bridge.fromMonth)} to
      ${formatMoneyCompact(end, data.currency)} on
      ${bridge.toMonth === data.asOfMonth ? data.asOf : monthLabel(bridge.toMonth)}${change}. Green adds, red
      subtracts${linked ? "; click a bar, or a count in the table, for the accounts" : ""}. From contracts.
    </p>
    ${resize((width) => bridgeChart(bridge, { width, currency: data.currency, linked }))}
    <details>
      <summary>Table</summary>
      ${bridgeTable(bridge, data.currency, linked)}
      ${csvDownload(`mrr-bridge-${bridge.window}`, csvRows, ["step", "label", "sign", "mrr", "accounts"], ["step", "label", "sign (+1 adds, −1 subtracts, 0 level)", "MRR", "accounts"])}
    </details>
  </div>` as HTMLElement;
}

/** The overview's section: both bridges, their definitions, or the not-provided note. */
export function mrrBridgeSection(data: MrrBridgeData, resize: Resize): HTMLElement {
  if (!data.contracts)
    return html`<div data-mrr-bridge>${notProvidedCard("MRR bridge", notProvided("contracts"))}</div>` as HTMLElement;
  const steps = data.bridges[0]?.steps.map((s) => s.step) ?? [];
  return html`<div data-mrr-bridge>
    <div class="grid grid-cols-2">${data.bridges.map((b) => bridgeCard(b, data, resize))}</div>
    ${data.aggregateOnly ? aggregateOnlyNote("The bridge's totals are shown; the accounts behind each step are not listed.") : ""}
    <details class="definition">
      <summary>Definitions</summary>
      ${steps.map((s) => html`<p><strong>${stepLabel(s)}.</strong> ${DEFINITIONS[STEP_DEFINITION[s]].text}</p>`)}
    </details>
  </div>` as HTMLElement;
}

/**
 * The cohort page's drill-down for a bridge step: its accounts (for the page's filters) with
 * MRR at both ends, largest amount first, at most BRIDGE_ACCOUNTS_LIMIT, and the full count.
 */
export async function showBridgeStep(
  slot: HTMLElement,
  db: AnalystDb,
  filters: FilterCodes,
  s: BridgeStepState,
  currency: string,
  filtered: boolean,
): Promise<void> {
  slot.replaceChildren(html`<p class="chart-caption">Loading the accounts…</p>`);
  const rows = await db.query<BridgeAccountRow>(mrrBridgeAccounts(filters, s.from, s.to, s.step));
  const total = rows[0]?.matches ?? 0;
  const period = `end of ${monthLabel(s.from)} → end of ${monthLabel(s.to)}`;
  const money = (c: number) => formatMoneyCompact(c, currency);
  slot.replaceChildren(
    html`<h3 data-drill-title data-bridge-step=${s.step} data-accounts=${total}>
      ${stepLabel(s.step)}, MRR bridge ${period}: ${accountsText(total)}${filtered ? " (filtered)" : ""}
    </h3>`,
    html`<p class="chart-caption">
      ${DEFINITIONS[STEP_DEFINITION[s.step]].text}${rows.length < total ? ` The ${formatNumber(rows.length)} largest are listed.` : ""}
    </p>`,
    html`<div></div>`,
  );
  showTable(slot.lastElementChild as HTMLElement, {
    name: `mrr-bridge-${s.step}-${monthLabel(s.from)}-${monthLabel(s.to)}`,
    rows,
    columns: {
      account_id: "account",
      account_name: "name",
      start_cents: `MRR end of ${monthLabel(s.from)}`,
      end_cents: `MRR end of ${monthLabel(s.to)}`,
      change_cents: "change",
    },
    format: { start_cents: money as never, end_cents: money as never, change_cents: money as never },
    csv: {
      start_cents: (r) => centsToDecimal(r.start_cents),
      end_cents: (r) => centsToDecimal(r.end_cents),
      change_cents: (r) => centsToDecimal(r.change_cents),
    },
    rowsShown: 8,
  });
  // Arriving from a bridge link, the list is far below the first chart: shown once, not at every re-render.
  if (!scrolled.has(slot)) {
    scrolled.add(slot);
    slot.scrollIntoView({ block: "start" });
  }
}

const scrolled = new WeakSet<HTMLElement>();
