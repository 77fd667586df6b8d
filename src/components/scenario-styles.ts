/** Styles of the scenario pages (Framework theme variables only). */
import { html } from "htl";

export function scenarioStyles(): HTMLStyleElement {
  return html`<style>
    .scenario-message {
      border-left: 4px solid var(--theme-red, #d33);
      padding: 0.6rem 0.9rem;
      background: var(--theme-background-alt);
      margin: 1rem 0;
      max-width: none;
    }
    .scenario-kpi [data-value] {
      font-size: 1.7rem;
      font-weight: 600;
      display: block;
      line-height: 1.2;
    }
    .scenario-kpi small {
      display: block;
    }
    .scenario-kpi small,
    .scenario-muted {
      color: var(--theme-foreground-muted);
    }
    .scenario-up {
      color: var(--theme-green, #2a7);
    }
    .scenario-down {
      color: var(--theme-red, #d33);
    }
    table.scenario-table {
      width: 100%;
      border-collapse: collapse;
      font-size: 0.85rem;
      max-width: none;
    }
    table.scenario-table th,
    table.scenario-table td {
      text-align: left;
      padding: 0.25rem 0.4rem;
      border-bottom: 1px solid var(--theme-foreground-faintest);
      vertical-align: top;
    }
    table.scenario-table td.num,
    table.scenario-table th.num {
      text-align: right;
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    /* A change's band may wrap at its "…": the Change column stays as narrow as the change itself. */
    table.scenario-table .scenario-band {
      white-space: normal;
    }
    table.scenario-table tr.selected {
      background: var(--theme-background-alt);
    }
    .scenario-scroll {
      overflow-x: auto;
      max-width: 100%;
    }
    .grid > .card {
      min-width: 0;
    }
    .scenario-editor label.field {
      display: grid;
      grid-template-columns: minmax(8rem, 12rem) 1fr 6rem;
      gap: 0.5rem;
      align-items: center;
      margin: 0.3rem 0;
      font-size: 0.85rem;
    }
    .scenario-editor label.field input[type="range"] {
      width: 100%;
    }
    .scenario-editor output {
      font-variant-numeric: tabular-nums;
      text-align: right;
    }
    .scenario-editor .segment {
      display: flex;
      flex-wrap: wrap;
      gap: 0.3rem 0.8rem;
      margin: 0.4rem 0;
      font-size: 0.85rem;
    }
    .scenario-editor details {
      border: 1px solid var(--theme-foreground-faintest);
      border-radius: 4px;
      padding: 0.1rem 0.4rem;
    }
    .scenario-editor details[open] {
      flex-basis: 100%;
    }
    .scenario-editor details label {
      display: inline-block;
      margin-right: 0.8rem;
      white-space: nowrap;
    }
    .scenario-editor textarea,
    .scenario-editor input[type="text"] {
      width: 100%;
      box-sizing: border-box;
      font: inherit;
    }
    .scenario-editor .meta {
      display: grid;
      grid-template-columns: 1fr 10rem;
      gap: 0.5rem;
      margin-top: 0.4rem;
    }
    .scenario-actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      align-items: center;
      margin: 0.5rem 0;
    }
    .scenario-actions button,
    .scenario-table button {
      font: inherit;
      font-size: 0.8rem;
      cursor: pointer;
    }
    .scenario-draft {
      color: var(--theme-red, #d33);
      font-style: italic;
    }
    ol.scenario-ledger {
      list-style: none;
      padding: 0;
      margin: 0;
      max-width: none;
      font-size: 0.85rem;
    }
    ol.scenario-ledger > li {
      padding: 0.4rem 0.3rem;
      border-bottom: 1px solid var(--theme-foreground-faintest);
      min-width: 0;
    }
    ol.scenario-ledger > li.selected {
      background: var(--theme-background-alt);
    }
    .scenario-ledger .entry-head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.2rem 0.5rem;
    }
    .scenario-ledger .entry-n {
      font-variant-numeric: tabular-nums;
      color: var(--theme-foreground-muted);
    }
    .scenario-ledger .entry-actions {
      margin-left: auto;
      display: inline-flex;
      gap: 0.25rem;
    }
    .scenario-ledger .entry-actions button {
      font: inherit;
      font-size: 0.8rem;
      cursor: pointer;
    }
    .scenario-ledger .entry-what,
    .scenario-ledger .entry-reason {
      overflow-wrap: anywhere;
      margin-top: 0.15rem;
    }
    .scenario-ledger .entry-reason {
      max-width: 70ch;
    }
    @media (max-width: 640px) {
      .scenario-editor label.field {
        grid-template-columns: 1fr 5rem;
      }
      .scenario-editor label.field > span:first-child {
        grid-column: 1 / -1;
      }
      .scenario-editor .meta {
        grid-template-columns: 1fr;
      }
    }
  </style>` as HTMLStyleElement;
}
