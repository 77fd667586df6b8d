/**
 * The customer-value bridge on the overview (value-bridge.json): value a quarter and a year ago →
 * new accounts, lost accounts, expansion, contraction, model re-estimate → value now, as a table
 * whose bars are drawn with CSS (no chart code on the overview's first paint).
 */
import { html } from "htl";
import { formatMoneyCompact, formatNumber } from "../lib/format.js";
import type { ValueBridge, ValueBridgeData } from "../lib/shapes/value-bridge.js";
import { CATEGORICAL } from "./palette.js";

/** The bridge's definition, naming only what the data hold (no MRR without contracts). */
export function valueBridgeDefinition(contracts: boolean): string {
  const change = contracts ? "more or less MRR, renewals survived, purchases, time passed" : "purchases, time passed";
  return `Value then: the models rebuilt on the data known at the earlier date. New accounts: today's value of accounts acquired since. Lost accounts: the value then of accounts worth nothing now. Model re-estimate: today's histories valued with today's fits minus the same histories valued with the fits of then (parameters and margin share). Expansion and contraction: the rest of each remaining account's change — ${change}. Saved scenarios are what-ifs and change no headline value.`;
}

function bridgeTable(b: ValueBridge, currency: string): HTMLElement {
  const money = (c: number) => formatMoneyCompact(c, currency);
  const signed = (c: number) => `${c > 0 ? "+" : c < 0 ? "−" : ""}${money(Math.abs(c))}`;
  const largest = Math.max(b.valueThen, b.valueNow, ...b.steps.map((s) => Math.abs(s.cents)));
  // Palette colours: 3 : 1 against the card in both themes.
  const COLORS = { total: CATEGORICAL[9], up: CATEGORICAL[2], down: CATEGORICAL[3] } as const;
  const bar = (c: number, kind: keyof typeof COLORS) =>
    html`<span
      class="vb-bar"
      style="width:${largest > 0 ? (100 * Math.abs(c)) / largest : 0}%;background:${COLORS[kind]}"
    ></span>`;
  return html`<table class="value-bridge" data-table="value-bridge-${b.months}">
    <caption>
      Customer value ${b.from} → now
    </caption>
    <thead>
      <tr>
        <th scope="col">Step</th>
        <th scope="col">Change</th>
        <th scope="col">Accounts</th>
        <th scope="col"><span class="sr-only">Bar</span></th>
      </tr>
    </thead>
    <tbody>
      <tr data-step="then">
        <th scope="row">Value as of ${b.from}</th>
        <td>${money(b.valueThen)}</td>
        <td></td>
        <td>${bar(b.valueThen, "total")}</td>
      </tr>
      ${b.steps.map(
        (s) =>
          html`<tr data-step=${s.key}>
            <th scope="row">${s.label}</th>
            <td>${signed(s.cents)}</td>
            <td>${formatNumber(s.accounts)}</td>
            <td>${bar(s.cents, s.cents >= 0 ? "up" : "down")}</td>
          </tr>`,
      )}
      <tr data-step="now">
        <th scope="row">Value now</th>
        <td>${money(b.valueNow)}</td>
        <td></td>
        <td>${bar(b.valueNow, "total")}</td>
      </tr>
    </tbody>
  </table>` as HTMLElement;
}

export function valueBridgeSection(data: ValueBridgeData, contracts: boolean): HTMLElement {
  if (data.bridges.length === 0)
    return html`<div class="card">
      <h2>Why customer value moved</h2>
      <p>No bridge: ${data.skipped.map((s) => `${s.from}: ${s.reason}`).join("; ") || "no earlier as-of date"}.</p>
    </div>` as HTMLElement;
  return html`<div class="card" data-section="value-bridge">
    <h2>Why customer value moved</h2>
    <p class="chart-caption">
      Each step's accounts are counted once; the steps add up to the change. Green: adds value; red: removes it.
    </p>
    <div class="grid grid-cols-2">${data.bridges.map((b) => bridgeTable(b, data.currency))}</div>
    <details class="definition">
      <summary>Definition</summary>
      <p>${valueBridgeDefinition(contracts)}</p>
    </details>
    <style>
      .value-bridge td:last-child {
        width: 40%;
      }
      .vb-bar {
        display: inline-block;
        height: 0.8em;
        min-width: 1px;
      }
      .sr-only {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
      }
    </style>
  </div>` as HTMLElement;
}
