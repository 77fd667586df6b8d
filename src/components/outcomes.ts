/**
 * Outcome bands by segment (models.json outcomes.bySegment): the value of each segment with
 * where it may land, parameter uncertainty and each account's own randomness together.
 */
import { html } from "htl";
import { formatMoneyCompact } from "../lib/format.js";
import type { ModelsData } from "../lib/shapes/models-data.js";

export function outcomeDimensions(m: ModelsData): string[] {
  return [...new Set(m.outcomes.bySegment.map((s) => s.dimension))];
}

export function outcomeSegmentsTable(m: ModelsData, dimension: string): HTMLElement {
  const money = (c: number) => formatMoneyCompact(c, m.currency);
  const rows = m.outcomes.bySegment
    .filter((s) => s.dimension === dimension)
    .sort((a, b) => b.valueCents - a.valueCents);
  return html`<table data-table="outcome-segments">
    <thead>
      <tr>
        <th scope="col">${dimension}</th>
        <th scope="col">Accounts</th>
        <th scope="col">Customer value</th>
        <th scope="col">Outcome band (P10 – P90)</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            <th scope="row">${r.segment}</th>
            <td>${r.accounts.toLocaleString("en-US")}</td>
            <td>${money(r.valueCents)}</td>
            <td>${money(r.outcomeBand.p10)} – ${money(r.outcomeBand.p90)}</td>
          </tr>`,
      )}
    </tbody>
  </table>` as HTMLElement;
}
