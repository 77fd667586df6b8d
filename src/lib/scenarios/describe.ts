/** Plain-language summaries of ledger entries, for the ledger views (sizes: ./levers.ts describeParams). */
import { SEGMENT_DIMS, type LedgerEntry, type Segment, type SegmentDim } from "./ledger.js";
import { leverInfo } from "./levers.js";

export const DIM_LABELS: Record<SegmentDim, string> = {
  size: "Size",
  industry: "Industry",
  region: "Region",
  tier: "Tier",
  businessModel: "Business model",
  products: "Holds",
  abc: "ABC class",
};

export function describeSegment(segment: Segment): string {
  const parts: string[] = [];
  for (const dim of SEGMENT_DIMS) {
    const v = segment[dim];
    if (v && v.length > 0) parts.push(`${DIM_LABELS[dim]}: ${v.join(" or ")}`);
  }
  if (segment.minSeats) parts.push(`at least ${segment.minSeats} seats`);
  return parts.length ? parts.join("; ") : "All accounts";
}

export function leverLabel(entry: LedgerEntry): string {
  return leverInfo(entry.lever).label;
}
