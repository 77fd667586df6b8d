/**
 * Value maps init proposes for the two enum columns of the source extracts, built from the
 * values seen in the sample plus the vendor's documented ones. The ingest matches a map's keys
 * on the trimmed cell ignoring case and passes unmapped values through (they then fail the
 * enum check and are quarantined), so a value init cannot place is left out of the map and
 * named in the report rather than guessed.
 */
import { normalizeHeader } from "./headers.js";

export type ValueMap = Record<string, string>;

/** Billing interval → monthly | quarterly | annual, or null when it is none of them (day, week). */
export function intervalOf(value: string): "monthly" | "quarterly" | "annual" | null {
  const v = normalizeHeader(value);
  if (["month", "monthly", "mo", "1month", "permonth", "mon"].includes(v)) return "monthly";
  if (["quarter", "quarterly", "3months", "3month", "qtr"].includes(v)) return "quarterly";
  if (["year", "yearly", "annual", "annually", "12months", "12month", "yr", "peryear"].includes(v)) return "annual";
  return null;
}

/**
 * Deal or opportunity type → new | renewal | expansion | other. "Existing Business" is a
 * renewal: the customer continues; an upgrade, upsell or add-on is an expansion.
 */
export function dealTypeOf(value: string): "new" | "renewal" | "expansion" | "other" {
  const v = normalizeHeader(value);
  if (/upgrade|expansion|upsell|addon|crosssell/.test(v)) return "expansion";
  if (/^new/.test(v)) return "new";
  if (/renewal|existing|replacement|downgrade|retention|renew/.test(v)) return "renewal";
  return "other";
}

export interface ProposedMap {
  readonly map: ValueMap;
  /** Sampled values that map to nothing (they will be quarantined). */
  readonly unmapped: readonly string[];
}

/** A map over the standard values and every distinct sampled value, skipping identities. */
export function buildMap(
  standard: readonly string[],
  sampled: readonly string[],
  classify: (v: string) => string | null,
): ProposedMap {
  const map: ValueMap = {};
  const unmapped: string[] = [];
  const seen = new Set<string>();
  for (const raw of [...standard, ...sampled]) {
    const value = raw.trim();
    const key = value.toLowerCase();
    if (value === "" || seen.has(key)) continue;
    seen.add(key);
    const to = classify(value);
    if (to === null) unmapped.push(value);
    else if (to !== key) map[value] = to;
  }
  return { map, unmapped: unmapped.filter((u) => sampled.some((s) => s.trim().toLowerCase() === u.toLowerCase())) };
}

/** Distinct non-empty values in the order first seen, with their counts. */
export function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const raw of values) {
    const v = raw.trim();
    if (v !== "") counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}
