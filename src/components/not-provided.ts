/**
 * How a page leaves out a figure whose data was not provided: the card keeps its title and
 * says what is missing and what adding it would show (src/lib/coverage.ts `notProvided`),
 * instead of a chart of zeros. `data-not-provided` marks it for the tests. Plain DOM; htl
 * escapes the text.
 */
import { html } from "htl";

/** The text with its `backticked` extract and column names as <code>. */
export function withCode(text: string): (string | HTMLElement)[] {
  return text.split("`").map((part, i) => (i % 2 === 1 ? (html`<code>${part}</code>` as HTMLElement) : part));
}

/** The note itself. */
export function notProvidedNote(text: string): HTMLElement {
  return html`<p class="not-provided" data-not-provided>${withCode(text)}</p>` as HTMLElement;
}

/** A card with a title and the note (for a page that builds its cards itself). */
export function notProvidedCard(title: string, text: string, id?: string): HTMLElement {
  return html`<div class="card not-provided-card" data-not-provided data-kpi=${id ?? null}>
    <h2>${title}</h2>
    <p class="not-provided">${withCode(text)}</p>
  </div>` as HTMLElement;
}

/**
 * Replaces the card around `slot` (its nearest `.card`) with a card of the same title that says
 * the data was not provided; everything else in the card (caption, chart, table) goes.
 */
export function cardNotProvided(slot: HTMLElement, text: string): void {
  const card = slot.closest<HTMLElement>(".card");
  if (!card) {
    slot.replaceChildren(notProvidedNote(text));
    return;
  }
  const title = card.querySelector("h2")?.textContent ?? "";
  card.replaceWith(notProvidedCard(title, text));
}

/** Sets the caption (first `.chart-caption`) and, when given, the title of the card around `slot`. */
export function setCardText(slot: HTMLElement, caption: string, title?: string): void {
  const card = slot.closest<HTMLElement>(".card");
  const p = card?.querySelector(".chart-caption");
  if (p) p.textContent = caption;
  const h = card?.querySelector("h2");
  if (h && title !== undefined) h.textContent = title;
}

/** Removes the card around `slot` (for a card that only one kind of business has). */
export function removeCard(slot: HTMLElement): void {
  slot.closest(".card")?.remove();
}
