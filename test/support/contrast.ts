/**
 * Contrast of chart marks as the browser drew them (WCAG 2.1 1.4.11, non-text contrast 3 : 1):
 * for every mark of every Plot chart on the page, the fill and stroke it was painted with
 * (computed style, so CSS variables, currentColor and color-mix are resolved; opacity of the
 * element and its groups applied over the background) against the background behind the
 * chart (its nearest ancestor with an opaque background colour).
 *
 * A mark counts with its most contrasting paint (fill or stroke). Not counted: axes, grids,
 * tips, text (axe checks text), and heatmap cells, whose value is written in the cell: that
 * text is checked against its cell (or its halo) for 4.5 : 1 instead.
 */
import type { Page } from "playwright-core";

export interface MarkContrast {
  /** The chart's accessible name. */
  readonly chart: string;
  /** The mark group's label (Plot's aria-label: "line", "dot", "bar"…). */
  readonly mark: string;
  /** The colour as painted (after opacity), "rgb(r, g, b)". */
  readonly color: string;
  readonly ratio: number;
}

/**
 * Every distinct (chart, mark, colour) with its contrast ratio, on the page as it is now; and
 * every heatmap cell whose value text has less than 4.5 : 1 against the cell.
 */
export async function chartContrast(page: Page): Promise<{ marks: MarkContrast[]; cellText: string[] }> {
  // The helpers below are named constants: a transpiler that keeps names (tsx) wraps them in
  // __name(), which the page does not have; it gets an identity stand-in first.
  await page.evaluate("globalThis.__name ??= (f) => f");
  return page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
    // Any CSS colour → [r, g, b, a] in 0…255 / 0…1, through the canvas (which parses every syntax).
    const rgba = (css: string): [number, number, number, number] => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "#000";
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const d = ctx.getImageData(0, 0, 1, 1).data;
      return [d[0], d[1], d[2], d[3] / 255];
    };
    const luminance = ([r, g, b]: number[]) => {
      const f = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a: number[], b: number[]) => {
      const [lo, hi] = [luminance(a), luminance(b)].sort((x, y) => x - y);
      return (hi + 0.05) / (lo + 0.05);
    };
    const over = (c: number[], alpha: number, bg: number[]) =>
      c.slice(0, 3).map((v, i) => v * alpha + bg[i] * (1 - alpha));
    const backgroundOf = (el: Element): number[] => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0.99) return c;
      }
      return [255, 255, 255, 1];
    };
    const SKIP = /^(x-axis|y-axis|fx-axis|fy-axis|x-grid|y-grid|frame|tip|text|cell)/;
    const marks = new Map<string, { chart: string; mark: string; color: string; ratio: number }>();
    const cellText: string[] = [];
    for (const svg of document.querySelectorAll<SVGSVGElement>("main svg[class^='plot']")) {
      if (svg.getBoundingClientRect().width === 0) continue;
      if (/-ramp\b|-swatch/.test(svg.getAttribute("class") ?? "")) continue;
      const chart = svg.getAttribute("aria-label") ?? "";
      const bg = backgroundOf(svg);
      for (const group of svg.querySelectorAll(":scope > g[aria-label]")) {
        const mark = group.getAttribute("aria-label")!;
        if (SKIP.test(mark)) continue;
        for (const el of group.querySelectorAll<SVGGraphicsElement>("path, rect, circle, line, polyline, polygon")) {
          const style = getComputedStyle(el);
          let opacity = 1;
          for (let e: Element | null = el; e && e !== svg; e = e.parentElement)
            opacity *= Number(getComputedStyle(e).opacity);
          // A mark is seen by its most contrasting paint: a translucent dot with a full outline passes.
          let best: { color: string; ratio: number } | null = null;
          for (const [paint, paintOpacity] of [
            [style.fill, style.fillOpacity],
            [style.stroke, style.strokeOpacity],
          ]) {
            if (paint === "none" || paint.startsWith("url(")) continue;
            if (paint === style.stroke && Number.parseFloat(style.strokeWidth) === 0) continue;
            const c = rgba(paint);
            const painted = over(c, c[3] * Number(paintOpacity) * opacity, bg);
            const r = ratio(painted, bg);
            if (!best || r > best.ratio) best = { color: `rgb(${painted.map(Math.round).join(", ")})`, ratio: r };
          }
          if (!best) continue;
          const key = `${chart}|${mark}|${best.color}`;
          if (!marks.has(key)) marks.set(key, { chart, mark, ...best });
        }
      }
      // Heatmap cells: each value text against the cell under it.
      const cells = [...svg.querySelectorAll<SVGRectElement>(":scope > g[aria-label='cell'] rect")];
      if (cells.length === 0) continue;
      for (const t of svg.querySelectorAll<SVGTextElement>(":scope > g[aria-label='text'] text")) {
        const box = t.getBoundingClientRect();
        const x = box.left + box.width / 2;
        const y = box.top + box.height / 2;
        const cell = cells.find((c) => {
          const r = c.getBoundingClientRect();
          return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
        });
        if (!cell) continue;
        const style = getComputedStyle(t);
        // A halo (a stroke painted under the text) is what the text is read against.
        const halo =
          style.paintOrder.startsWith("stroke") && style.stroke !== "none" && Number.parseFloat(style.strokeWidth) >= 2;
        const under = over(rgba(halo ? style.stroke : getComputedStyle(cell).fill), 1, bg);
        const ink = rgba(style.fill);
        const r = ratio(ink, under);
        if (r < 4.5) cellText.push(`${chart}: "${t.textContent}" ${r.toFixed(2)} : 1`);
      }
    }
    return { marks: [...marks.values()], cellText };
  });
}
