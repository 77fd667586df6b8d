/**
 * KPI cards: a label, a big value, a short note, and the definition one click away
 * (a native <details>, so it works without JavaScript and on a phone).
 */
import { html } from "htl";
import { withCode } from "./not-provided.js";

export interface Kpi {
  /** Stable id for tests and links, e.g. "arr". */
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly note?: string;
  readonly definition: string;
  /** The registry key of the figure (src/lib/metrics/definitions.ts) as `data-metric`, for figures shown on several pages. */
  readonly metric?: string;
  /** Optional tone of the value: good / bad against a stated benchmark. */
  readonly tone?: "good" | "bad";
  /**
   * Set when the figure's data was not provided: the card shows this text (from
   * src/lib/coverage.ts `notProvided`) instead of a value, and no note.
   */
  readonly missing?: string;
}

export function kpiCard({ id, label, value, note, definition, tone, missing, metric }: Kpi): HTMLElement {
  if (missing !== undefined) {
    return html`<div class="card kpi kpi-missing" data-kpi=${id} data-not-provided>
      <h2>${label}</h2>
      <p class="not-provided">${withCode(missing)}</p>
      <details class="definition">
        <summary>Definition</summary>
        <p>${definition}</p>
      </details>
    </div>` as HTMLElement;
  }
  return html`<div class="card kpi" data-kpi=${id}>
    <h2>${label}</h2>
    <span class="big ${tone ?? ""}" data-value data-metric=${metric}>${value}</span>
    ${note ? html`<p class="kpi-note">${note}</p>` : ""}
    <details class="definition">
      <summary>Definition</summary>
      <p>${definition}</p>
    </details>
  </div>` as HTMLElement;
}

export function kpiGrid(kpis: readonly Kpi[], { columns = 4 }: { columns?: number } = {}): HTMLElement {
  return html`<div class="grid grid-cols-${columns}">${kpis.map(kpiCard)}</div>` as HTMLElement;
}
