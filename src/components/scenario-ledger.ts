/**
 * The ledger as a list, one block per entry: lever, segment and size, the accounts it
 * selects, the reason and the author. A list rather than a table so that it fits its card
 * at any width (a phone included) with every entry's controls and reason in view; the
 * workbench passes `actions` to add edit / reorder / remove buttons.
 */
import { html } from "htl";
import { formatNumber } from "../lib/format.js";
import { describeSegment, leverLabel } from "../lib/scenarios/describe.js";
import type { Scenario } from "../lib/scenarios/ledger.js";
import { describeParams } from "../lib/scenarios/levers.js";

export interface LedgerActions {
  readonly selected: number | null;
  readonly edit: (i: number) => void;
  readonly move: (i: number, step: -1 | 1) => void;
  readonly remove: (i: number) => void;
}

export interface LedgerViewOptions {
  readonly currency: string;
  /** Accounts each entry selects and values (the report's `entries`); absent while not yet computed. */
  readonly entries?: ReadonlyArray<{ readonly valued: number }>;
  readonly actions?: LedgerActions;
}

export function ledgerView(scenario: Scenario, { currency, entries, actions }: LedgerViewOptions): HTMLElement {
  if (scenario.ledger.length === 0)
    return (
      actions
        ? html`<p class="scenario-muted" data-ledger-empty>
            No adjustments yet: the results show the baseline. Pick a lever and add an adjustment.
          </p>`
        : html`<p class="scenario-muted" data-ledger-empty>No adjustments: this is the baseline.</p>`
    ) as HTMLElement;
  const last = scenario.ledger.length - 1;
  return html`<ol class="scenario-ledger" data-table=${actions ? "ledger-edit" : "ledger"}>
    ${scenario.ledger.map((e, i) => {
      const valued = entries?.[i]?.valued;
      const accounts =
        e.lever === "newChannel"
          ? "new accounts"
          : valued === undefined
            ? ""
            : `${formatNumber(valued)} account${valued === 1 ? "" : "s"}`;
      const by = `${e.author}${e.author && e.date ? ", " : ""}${e.date}`;
      return html`<li data-entry=${String(i)} class=${actions?.selected === i ? "selected" : ""}>
        <div class="entry-head">
          <span class="entry-n">${i + 1}</span>
          <strong data-lever>${leverLabel(e)}</strong>
          <span class="scenario-muted" data-accounts>${accounts}</span>
          ${actions ? entryButtons(i, last, actions) : ""}
        </div>
        <div class="entry-what">
          ${e.lever === "newChannel" ? "" : html`<span data-segment>${describeSegment(e.segment)}</span>: `}<span
            data-size
            >${describeParams(e, currency)}</span
          >
        </div>
        <div class="entry-reason" data-reason>
          ${e.reason.trim() ? e.reason : html`<span class="scenario-draft">draft: a reason is required</span>`}
        </div>
        ${by ? html`<div class="entry-author scenario-muted" data-author>${by}</div>` : ""}
      </li>`;
    })}
  </ol>` as HTMLElement;
}

function entryButtons(i: number, last: number, actions: LedgerActions): HTMLElement {
  const button = (action: string, label: string, text: string, run: () => void, disabled = false) => {
    const b = html`<button type="button" data-action=${action} title=${label} aria-label=${label}>
      ${text}
    </button>` as HTMLButtonElement;
    b.disabled = disabled;
    b.onclick = run;
    return b;
  };
  return html`<span class="entry-actions">
    ${button("edit", `Edit adjustment ${i + 1}`, "Edit", () => actions.edit(i))}
    ${button("up", "Move up", "↑", () => actions.move(i, -1), i === 0)}
    ${button("down", "Move down", "↓", () => actions.move(i, 1), i === last)}
    ${button("remove", `Remove adjustment ${i + 1}`, "✕", () => actions.remove(i))}
  </span>` as HTMLElement;
}
