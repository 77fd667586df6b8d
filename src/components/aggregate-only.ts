/**
 * The note an aggregate-only build (`npm run build -- --aggregate-only`) shows where a page
 * would show per-account rows, or a chart computed in the browser from them: the loaders
 * ship those tables and lists empty (loaders/outputs/publish.ts), and a reader should learn
 * why rather than see an empty chart. Plain DOM; htl escapes the text.
 */
import { html } from "htl";

export const AGGREGATE_ONLY_TEXT = "This is an aggregate-only build: per-account rows are not published.";

/** The note, with an optional sentence on what is missing here (`data-aggregate-only` marks it for tests). */
export function aggregateOnlyNote(detail = ""): HTMLElement {
  return html`<p class="note-box aggregate-only-note" data-aggregate-only>
    ${AGGREGATE_ONLY_TEXT}${detail ? ` ${detail}` : ""}
  </p>` as HTMLElement;
}

/** Replaces a slot's content with the note. */
export function showAggregateOnly(slot: HTMLElement, detail = ""): void {
  slot.replaceChildren(aggregateOnlyNote(detail));
}

/** Removes a slot's enclosing `<details>` (a "Table" disclosure with nothing to disclose). */
export function removeDetails(slot: HTMLElement): void {
  slot.closest("details")?.remove();
}
