/**
 * What a page must not say for the data it was built from: `NaN`, `Infinity`, `undefined`
 * anywhere, and the names of figures whose extract was not provided (ARR / MRR without
 * contracts, CAC / payback without marketing spend, NPS without answers, cost to serve without
 * time entries) outside a not-provided note. Pure: the browser suites pass it the page's text
 * with the `[data-not-provided]` elements taken out.
 */
import type { DataCoverage } from "../../src/lib/coverage.js";

export interface Finding {
  readonly term: string;
  readonly context: string;
}

/** The patterns forbidden for a coverage, with the reason each is. */
export function forbiddenTerms(c: DataCoverage): { term: string; pattern: RegExp }[] {
  return [
    { term: "NaN", pattern: /\bNaN\b/g },
    { term: "Infinity", pattern: /Infinity/g },
    { term: "undefined", pattern: /\bundefined\b/g },
    ...(c.contracts
      ? []
      : [
          { term: "ARR", pattern: /\bARR\b/g },
          { term: "MRR", pattern: /\bMRR\b/g },
        ]),
    ...(c.spend
      ? []
      : [
          { term: "CAC", pattern: /\bCAC\b/g },
          { term: "payback", pattern: /payback/gi },
        ]),
    ...(c.nps ? [] : [{ term: "NPS", pattern: /\bNPS\b/g }]),
    ...(c.timeEntries ? [] : [{ term: "cost to serve", pattern: /cost to serve/gi }]),
  ];
}

/** Every forbidden term in `text`, with 40 characters of context either side. */
export function scanText(text: string, c: DataCoverage): Finding[] {
  const out: Finding[] = [];
  for (const { term, pattern } of forbiddenTerms(c)) {
    for (const m of text.matchAll(pattern))
      out.push({
        term,
        context: text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40).replace(/\s+/g, " "),
      });
  }
  return out;
}
