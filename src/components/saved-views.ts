/**
 * Named views of an analyst page: the reader names the current view (filters, grain,
 * thresholds, measure… — the page's URL query) and it is kept in this browser's localStorage,
 * listed as links that reopen it and can be copied to share it. Names and queries are shown as
 * text only; a damaged store is ignored (and replaced at the next save), never trusted.
 */
import { html } from "htl";

const KEY = "ltv-atlas:views";
const MAX_VIEWS = 50;
const MAX_NAME = 80;

export interface SavedView {
  readonly name: string;
  /** The page's path, e.g. "/cohorts". */
  readonly page: string;
  /** The page's query, "" or "?v=1&…". */
  readonly search: string;
}

export function readViews(storage: Pick<Storage, "getItem"> = localStorage): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (v): v is SavedView =>
        typeof v === "object" &&
        v !== null &&
        typeof v.name === "string" &&
        typeof v.page === "string" &&
        typeof v.search === "string" &&
        (v.search === "" || v.search.startsWith("?")),
    );
  } catch {
    return [];
  }
}

/** Saves (or replaces, by name and page) a view; the newest first, at most MAX_VIEWS. */
export function saveView(view: SavedView, storage: Pick<Storage, "getItem" | "setItem"> = localStorage): SavedView[] {
  const name = view.name.trim().slice(0, MAX_NAME);
  const others = readViews(storage).filter((v) => !(v.name === name && v.page === view.page));
  const views = [{ ...view, name }, ...others].slice(0, MAX_VIEWS);
  storage.setItem(KEY, JSON.stringify(views));
  return views;
}

export function removeView(view: SavedView, storage: Pick<Storage, "getItem" | "setItem"> = localStorage): SavedView[] {
  const views = readViews(storage).filter((v) => !(v.name === view.name && v.page === view.page));
  storage.setItem(KEY, JSON.stringify(views));
  return views;
}

/** The page name of a path ("/x/cohorts" → "cohorts"): views are listed per page. */
function pageOf(pathname: string): string {
  return `/${pathname.split("/").filter(Boolean).at(-1) ?? ""}`;
}

/** The "Saved views" control of a page: a name field, a Save button and this page's views as links. */
export function savedViewsControl(): HTMLElement {
  const page = pageOf(location.pathname);
  const name = html`<input
    type="text"
    maxlength=${MAX_NAME}
    placeholder="e.g. EMEA software, NRR"
  />` as HTMLInputElement;
  name.id = "saved-view-name";
  const save = html`<button type="button" data-view-save>Save this view</button>` as HTMLButtonElement;
  const list = html`<ul class="saved-views" data-views></ul>` as HTMLUListElement;
  const status = html`<span class="chart-caption" role="status"></span>` as HTMLElement;
  const draw = (views: readonly SavedView[]) => {
    const mine = views.filter((v) => v.page === page);
    list.replaceChildren(
      ...mine.map((v) => {
        const link = document.createElement("a");
        link.href = `${location.pathname}${v.search}`;
        link.textContent = v.name;
        link.dataset.view = v.name;
        const remove = html`<button type="button" class="link-button">remove</button>` as HTMLButtonElement;
        remove.setAttribute("aria-label", `Remove the view ${v.name}`);
        remove.onclick = () => draw(removeView(v));
        const li = document.createElement("li");
        li.append(link, " ", remove);
        return li;
      }),
    );
    list.hidden = mine.length === 0;
  };
  save.onclick = () => {
    const text = name.value.trim();
    if (!text) {
      status.textContent = "Give the view a name first.";
      name.focus();
      return;
    }
    draw(saveView({ name: text, page, search: location.search }));
    status.textContent = `Saved "${text.slice(0, MAX_NAME)}": its link below reopens it; copy the link to share it.`;
    name.value = "";
  };
  name.onkeydown = (e) => {
    if (e.key === "Enter") save.click();
  };
  draw(readViews());
  return html`<details class="saved-views-box" data-saved-views>
    <summary>Saved views</summary>
    <div class="control"><label class="control-label" for="saved-view-name">Name</label>${name}${save}</div>
    ${status}${list}
  </details>` as HTMLElement;
}
