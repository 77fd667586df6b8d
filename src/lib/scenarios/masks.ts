/** Which accounts each ledger entry selects, as one bit per entry (at most ./ledger.ts MAX_ENTRIES). */
import type { AccountArrays, ScenarioBase } from "./inputs.js";
import { SEGMENT_DIMS, type LedgerEntry, type SegmentDim } from "./ledger.js";

/** Per-account bit masks: bit j set when ledger entry j selects the account. */
export function selectionMasks(ledger: readonly LedgerEntry[], base: ScenarioBase, a: AccountArrays): Uint32Array {
  const masks = new Uint32Array(a.length);
  const columns: Record<Exclude<SegmentDim, "products">, Uint8Array> = {
    size: a.size,
    industry: a.industry,
    region: a.region,
    tier: a.tier,
    businessModel: a.businessModel,
    abc: a.abc,
  };
  ledger.forEach((entry, j) => {
    const tests: Array<{ column: Uint8Array; allowed: Uint8Array }> = [];
    let productMask = 0;
    let anyProducts = false;
    for (const dim of SEGMENT_DIMS) {
      const labels = entry.segment[dim];
      if (!labels || labels.length === 0) continue;
      if (dim === "products") {
        anyProducts = true;
        for (const l of labels) {
          const i = base.dictionary.products.indexOf(l);
          if (i >= 0 && i < 32) productMask |= 1 << i;
        }
        continue;
      }
      const allowed = new Uint8Array(256);
      for (const l of labels) {
        const i = base.dictionary[dim].indexOf(l);
        if (i >= 0) allowed[i] = 1;
      }
      tests.push({ column: columns[dim], allowed });
    }
    const minSeats = entry.segment.minSeats ?? 0;
    const bit = (1 << j) >>> 0;
    outer: for (let i = 0; i < a.length; i++) {
      for (const t of tests) if (t.allowed[t.column[i]] === 0) continue outer;
      if (anyProducts && (a.products[i] & productMask) === 0) continue;
      if (a.seats[i] < minSeats) continue;
      masks[i] |= bit;
    }
  });
  return masks;
}
