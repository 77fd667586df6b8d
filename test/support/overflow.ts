/**
 * Layout checks for browser suites: what sticks out of its card or the window. A table may be
 * wider than its card only inside a scroll container (overflow-x auto or scroll) that the
 * keyboard can focus, itself no wider than the card.
 */
import type { Page } from "playwright-core";

export interface Overflow {
  /** The document's width beyond the window, in px (0 when the page fits). */
  readonly page: number;
  /** Tables wider than their card with no focusable scroll container, as "card heading: table". */
  readonly tables: string[];
}

export function overflowOf(page: Page): Promise<Overflow> {
  // No named helper inside: a transpiler's name-keeping wrapper (__name) does not exist in the page.
  return page.evaluate(() => {
    const tables: string[] = [];
    for (const table of document.querySelectorAll("main table")) {
      const box = table.closest(".card") ?? document.querySelector("main")!;
      const limit = box.getBoundingClientRect();
      const rect = table.getBoundingClientRect();
      if (rect.width === 0) continue; // in a closed <details>
      if (rect.right <= limit.right + 1 && rect.left >= limit.left - 1) continue;
      let scroller: HTMLElement | null = table.parentElement;
      while (scroller && scroller !== box) {
        const o = getComputedStyle(scroller).overflowX;
        if (o === "auto" || o === "scroll") break;
        scroller = scroller.parentElement;
      }
      const ok =
        scroller !== null &&
        scroller !== box &&
        scroller.tabIndex >= 0 &&
        scroller.getBoundingClientRect().right <= limit.right + 1;
      if (!ok)
        tables.push(
          `${table.closest(".card, main")?.querySelector("h2, h3, h1")?.textContent?.trim() ?? ""}: ${
            table.getAttribute("data-table") ?? table.querySelector("th")?.textContent?.trim() ?? "table"
          }`,
        );
    }
    return { page: Math.max(0, document.documentElement.scrollWidth - window.innerWidth), tables };
  });
}
