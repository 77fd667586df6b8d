/**
 * What every page needs for screen readers and keyboards, applied to whatever the page draws,
 * now and after each re-render (a MutationObserver on <main>), so no component can forget it:
 *
 * - every Plot chart is an image (role="img") named by its card's heading (or Plot's own
 *   aria-label) and described by the card's caption; Plot's mark groups (g[aria-label]) get
 *   role="group", the only way their labels are valid ARIA; a colour ramp legend is named by
 *   its ticks ("Colour scale: 0% … 100%");
 * - every table sits in a horizontal scroll container that the keyboard can reach (tabindex,
 *   role="region" named after the table) and that says "scroll sideways" while it overflows.
 *
 * - printing opens every folded definition (<details>), and closes again those that were
 *   closed once printed: a printed page keeps what each figure means.
 *
 * Imported for its effect by every page (`import "./components/a11y.js"`).
 */

let uid = 0;

function cardOf(el: Element): Element | null {
  return el.closest(".card, figure, section") ?? null;
}

/** The text of the last heading of `el`'s card that comes before `el` (else the card's first). */
function headingOf(el: Element): string {
  const card = el.closest(".card");
  if (!card) return "";
  const headings = [...card.querySelectorAll("h2, h3")];
  const before = headings.filter((h) => h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  return (before.at(-1) ?? headings[0])?.textContent?.trim() ?? "";
}

/** `name`, or `name (2)`, `name (3)`… when another region of the page has it: landmarks need distinct names. */
function uniqueLabel(name: string, self: Element): string {
  const taken = new Set(
    [...document.querySelectorAll("[role='region'][aria-label]")]
      .filter((e) => e !== self)
      .map((e) => e.getAttribute("aria-label")),
  );
  let label = name;
  for (let n = 2; taken.has(label); n++) label = `${name} (${n})`;
  return label;
}

function idFor(el: Element, prefix: string): string {
  if (!el.id) el.id = `${prefix}-${++uid}`;
  return el.id;
}

function isLegend(svg: SVGSVGElement): boolean {
  // Plot's ramp legend: an svg of class plot-…-ramp, or a small svg next to the chart in a figure.
  return (
    /-ramp\b/.test(svg.getAttribute("class") ?? "") || svg.parentElement?.matches("div[class$='-swatches']") === true
  );
}

/** Role, name and description of one Plot svg. */
export function describeChart(svg: SVGSVGElement): void {
  if (svg.dataset.a11y === "done") return;
  svg.dataset.a11y = "done";
  svg.setAttribute("role", "img");
  for (const g of svg.querySelectorAll("g[aria-label]")) g.setAttribute("role", "group");
  if (isLegend(svg)) {
    const ticks = [...svg.querySelectorAll("text")].map((t) => t.textContent?.trim()).filter(Boolean);
    svg.setAttribute("aria-label", `Colour scale${ticks.length ? `: ${ticks.join(", ")}` : ""}`);
    return;
  }
  if (!svg.getAttribute("aria-label")) svg.setAttribute("aria-label", `Chart: ${headingOf(svg) || "chart"}`);
  const caption = cardOf(svg)?.querySelector(".chart-caption");
  if (caption && !svg.hasAttribute("aria-describedby")) svg.setAttribute("aria-describedby", idFor(caption, "caption"));
}

/** Wraps a table in a keyboard-reachable scroll region (unless it is in one already). */
export function scrollableTable(table: HTMLTableElement): void {
  const parent = table.parentElement;
  if (!parent) return;
  let region: HTMLElement;
  if (parent.classList.contains("table-scroll")) region = parent;
  else {
    region = document.createElement("div");
    region.className = "table-scroll";
    parent.insertBefore(region, table);
    region.append(table);
  }
  if (region.dataset.a11y === "done") return;
  region.dataset.a11y = "done";
  region.tabIndex = 0;
  region.setAttribute("role", "region");
  const name = table.caption?.textContent?.trim() || headingOf(table) || "Table";
  region.setAttribute("aria-label", uniqueLabel(`Table: ${name}`, region));
  const cue = document.createElement("p");
  cue.className = "scroll-cue";
  cue.setAttribute("aria-hidden", "true");
  cue.textContent = "Scroll sideways for more columns →";
  region.after(cue);
  const update = () => {
    const overflowing = region.scrollWidth > region.clientWidth + 1;
    region.classList.toggle("overflowing", overflowing);
    cue.hidden = !overflowing;
  };
  new ResizeObserver(update).observe(region);
  update();
}

export function applyA11y(root: ParentNode): void {
  for (const svg of root.querySelectorAll<SVGSVGElement>("svg[class^='plot']")) describeChart(svg);
  // Marks a chart adds after it was described (Plot's pointer tips, a redrawn layer).
  for (const g of root.querySelectorAll("svg g[aria-label]:not([role])")) g.setAttribute("role", "group");
  for (const table of root.querySelectorAll("table")) scrollableTable(table);
}

function start(): void {
  const main = document.querySelector("main");
  if (!main) return;
  applyA11y(main);
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      applyA11y(main);
    });
  }).observe(main, { childList: true, subtree: true });
}

function printWithDefinitions(): void {
  let opened: HTMLDetailsElement[] = [];
  addEventListener("beforeprint", () => {
    opened = [...document.querySelectorAll<HTMLDetailsElement>("main details:not([open])")];
    for (const d of opened) d.open = true;
  });
  addEventListener("afterprint", () => {
    for (const d of opened) d.open = false;
    opened = [];
  });
}

if (typeof document !== "undefined") {
  start();
  printWithDefinitions();
}
