/**
 * The one place an output loader asks whether it may ship per-account rows. A store prepared
 * for an aggregate-only build (`--aggregate-only`, `publish.aggregateOnly`; executive links)
 * ships none: per-account tables keep their schema with zero rows, so page SQL still works,
 * and per-account lists inside JSON are empty; the JSON says `aggregateOnly: true` so that
 * pages can say why (src/components/aggregate-only.ts).
 */
import { readPublishMode } from "../store.js";

export function withholdsAccountRows(storeDir: string): boolean {
  return readPublishMode(storeDir).aggregateOnly;
}
