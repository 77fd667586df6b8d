/**
 * Downloads: every table as CSV (formula-escaped, see lib/csv.ts) and every chart as
 * SVG or PNG. Charts use CSS variables of the theme; the exported copy gets the computed
 * colours written inline so it looks the same outside the page.
 *
 * A file says where it comes from: its name carries the page, the as-of date and the filters
 * (`cohorts_cohort-retention-year_2026-09-30_channel-Inbound.csv`), and a CSV starts with a
 * "#" line stating the same. The page sets that context once (`setExportContext`).
 */
import { html } from "htl";
import { toCsv, type CsvValue } from "../lib/csv.js";

export interface ExportContext {
  /** The page, e.g. "cohorts" or "scenario price-rise". */
  readonly page: string;
  readonly asOf: string;
  /** The filters in force, as "channel = Inbound; industry = Software" ("" = none). */
  readonly filters: () => string;
}

let context: ExportContext | null = null;

export function setExportContext(next: ExportContext): void {
  context = next;
}

const slug = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9.]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);

/** `<page>_<name>_<as-of>[_<filters>].<ext>`, every part reduced to letters, digits, dots and dashes. */
export function exportFilename(name: string, ext: string, ctx: ExportContext | null = context): string {
  if (!ctx) return `${slug(name)}.${ext}`;
  const filters = ctx.filters();
  return `${[slug(ctx.page), slug(name), ctx.asOf, filters ? slug(filters.replaceAll(" = ", "-")) : ""].filter(Boolean).join("_")}.${ext}`;
}

/** The CSV's first line: what, as of when, for which accounts. */
export function exportPreamble(ctx: ExportContext | null = context): string[] {
  if (!ctx) return [];
  const filters = ctx.filters();
  return [`LTV Atlas, ${ctx.page}: as of ${ctx.asOf}; filters: ${filters || "none (all accounts)"}`];
}

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves rows as `<exportFilename(name)>.csv`, the preamble first. */
export function downloadCsv(
  name: string,
  rows: readonly Record<string, CsvValue>[],
  columns: readonly string[],
  header?: readonly string[],
): void {
  save(
    new Blob([toCsv(rows, columns, header, exportPreamble())], { type: "text/csv;charset=utf-8" }),
    exportFilename(name, "csv"),
  );
}

const PAINT = ["fill", "stroke", "color"] as const;

/** A standalone copy of a chart's SVG, with computed paint inlined. */
export function standaloneSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const source = [svg, ...svg.querySelectorAll("*")];
  const target = [clone, ...clone.querySelectorAll("*")];
  source.forEach((el, i) => {
    const style = getComputedStyle(el);
    const out = target[i] as SVGElement;
    for (const p of PAINT) {
      const attr = out.getAttribute(p);
      // Theme colours are CSS variables, unknown outside the page: write the computed colour.
      if (attr !== null && attr.includes("var(")) out.setAttribute(p, style.getPropertyValue(p));
      else if (i === 0 || attr !== null) out.setAttribute(p, attr ?? style.getPropertyValue(p));
    }
  });
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("font-family", getComputedStyle(svg).fontFamily);
  return new XMLSerializer().serializeToString(clone);
}

export function downloadSvg(svg: SVGSVGElement, filename: string): void {
  save(new Blob([standaloneSvg(svg)], { type: "image/svg+xml" }), filename);
}

export async function downloadPng(svg: SVGSVGElement, filename: string, scale = 2): Promise<void> {
  const text = standaloneSvg(svg);
  const { width, height } = svg.getBoundingClientRect();
  const image = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("the chart could not be drawn as an image"));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = getComputedStyle(document.body).backgroundColor || "white";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    if (blob) save(blob, filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The main SVG of a Plot figure (the largest one, not a legend swatch). */
export function mainSvg(figure: Element): SVGSVGElement | null {
  if (figure instanceof SVGSVGElement) return figure;
  const svgs = [...figure.querySelectorAll("svg")];
  return svgs.sort((a, b) => b.clientWidth * b.clientHeight - a.clientWidth * a.clientHeight)[0] ?? null;
}

/** PNG and SVG buttons for a chart. */
export function chartDownloads(figure: Element, name: string): HTMLElement {
  const png = html`<button type="button" data-download="png">PNG</button>` as HTMLButtonElement;
  const svgButton = html`<button type="button" data-download="svg">SVG</button>` as HTMLButtonElement;
  png.onclick = () => {
    const svg = mainSvg(figure);
    if (svg) void downloadPng(svg, exportFilename(name, "png"));
  };
  svgButton.onclick = () => {
    const svg = mainSvg(figure);
    if (svg) downloadSvg(svg, exportFilename(name, "svg"));
  };
  return html`<div class="downloads">Download ${png} ${svgButton}</div>` as HTMLElement;
}

/** A CSV button for a table's rows. */
export function csvDownload(
  name: string,
  rows: () => readonly Record<string, CsvValue>[],
  columns: readonly string[],
  header?: readonly string[],
): HTMLElement {
  const button = html`<button type="button" data-download="csv">CSV</button>` as HTMLButtonElement;
  button.onclick = () => downloadCsv(name, rows(), columns, header);
  return html`<div class="downloads">Download ${button}</div>` as HTMLElement;
}
