/**
 * The lever bridge (src/lib/scenarios/bridge.ts) as a waterfall and a table: the baseline,
 * each ledger entry's contribution in ledger order, the scenario.
 */
import { CATEGORICAL } from "./palette.js";
import * as Plot from "@observablehq/plot";
import { html } from "htl";
import { formatMoneyCompact } from "../lib/format.js";
import { leverLabel } from "../lib/scenarios/describe.js";
import type { Scenario } from "../lib/scenarios/ledger.js";
import type { ScenarioReport } from "../lib/scenarios/report.js";

interface BridgeBar {
  readonly label: string;
  readonly kind: "total" | "up" | "down";
  readonly from: number;
  readonly to: number;
  readonly changeCents: number;
}

const signedMoney = (cents: number, currency: string) =>
  `${cents > 0 ? "+" : cents < 0 ? "−" : "±"}${formatMoneyCompact(Math.abs(cents), currency)}`;

function bars(scenario: Scenario, r: ScenarioReport): BridgeBar[] {
  const { baselineCents, steps, scenarioCents } = r.bridge;
  const out: BridgeBar[] = [{ label: "Today", kind: "total", from: 0, to: baselineCents, changeCents: baselineCents }];
  let at = baselineCents;
  for (const s of steps) {
    const e = scenario.ledger[s.entry];
    out.push({
      label: `${s.entry + 1}. ${e ? leverLabel(e) : "adjustment"}`,
      kind: s.changeCents < 0 ? "down" : "up",
      from: at,
      to: at + s.changeCents,
      changeCents: s.changeCents,
    });
    at += s.changeCents;
  }
  out.push({ label: "Scenario", kind: "total", from: 0, to: scenarioCents, changeCents: scenarioCents });
  return out;
}

/** Horizontal waterfall: totals from zero, each step from where the previous one ended. */
export function bridgeChart(scenario: Scenario, r: ScenarioReport, { width = 640 }: { width?: number } = {}) {
  const data = bars(scenario, r);
  const m = (c: number) => formatMoneyCompact(c, r.currency);
  // The axis spans the running totals, not zero: from zero the steps would be slivers beside the
  // totals. Totals are drawn from the axis start, and the axis label says it does not start at zero.
  const ends = data.flatMap((d) => (d.kind === "total" ? [d.to] : [d.from, d.to]));
  const low = Math.min(...ends),
    high = Math.max(...ends);
  const pad = Math.max((high - low) * 0.25, Math.abs(high) * 0.005, 1);
  const start = Math.max(0, low - pad);
  const shown = data.map((d) => (d.kind === "total" ? { ...d, from: start } : d));
  return Plot.plot({
    width,
    height: Math.max(120, 28 * data.length + 50),
    marginLeft: Math.min(200, 8 + 7 * Math.max(...data.map((d) => d.label.length))),
    x: {
      label: start > 0 ? "Customer value (the axis does not start at zero)" : "Customer value",
      grid: true,
      domain: [start, high + pad],
      tickFormat: m,
      ticks: Math.max(3, Math.floor(width / 110)),
    },
    y: { label: null, domain: data.map((d) => d.label) },
    color: {
      domain: ["total", "up", "down"],
      // Palette colours: 3 : 1 against the card in both themes.
      range: [CATEGORICAL[9], CATEGORICAL[0], CATEGORICAL[3]],
    },
    marks: [
      Plot.barX(shown, { y: "label", x1: "from", x2: "to", fill: "kind" }),
      Plot.tip(
        shown,
        Plot.pointerY({
          y: "label",
          x: "to",
          title: (d: BridgeBar) =>
            d.kind === "total" ? `${d.label}: ${m(d.to)}` : `${d.label}: ${signedMoney(d.changeCents, r.currency)}`,
        }),
      ),
    ],
  });
}

/** The same steps as numbers (and for screen readers). */
export function bridgeTable(scenario: Scenario, r: ScenarioReport): HTMLElement {
  const data = bars(scenario, r);
  return html`<div class="scenario-scroll">
    <table class="scenario-table" data-table="bridge">
      <thead>
        <tr>
          <th>Step</th>
          <th class="num">Contribution</th>
          <th class="num">Running total</th>
        </tr>
      </thead>
      <tbody>
        ${data.map(
          (d) =>
            html`<tr data-step=${d.kind}>
              <td>${d.label}</td>
              <td class="num" data-cents=${String(d.changeCents)}>
                ${d.kind === "total" ? "" : signedMoney(d.changeCents, r.currency)}
              </td>
              <td class="num">${formatMoneyCompact(d.to, r.currency)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>` as HTMLElement;
}

export const BRIDGE_CAPTION =
  "Each adjustment's contribution, applied in ledger order: step j is the value with the first j adjustments minus the value with the first j − 1. The steps add up to the change exactly; an adjustment's contribution depends on those above it (a mass adjustment scales what they made).";
