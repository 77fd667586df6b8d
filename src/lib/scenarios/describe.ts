/** Plain-language summaries of ledger entries, for the ledger tables. */
import { formatMoneyCompact } from "../format.js";
import { leverInfo, SEGMENT_DIMS, type LedgerEntry, type Segment, type SegmentDim } from "./model.js";

export const DIM_LABELS: Record<SegmentDim, string> = {
  size: "Size",
  industry: "Industry",
  region: "Region",
  tier: "Tier",
  businessModel: "Business model",
  products: "Holds",
  abc: "ABC class",
};

const signed = (x: number, unit = "%") => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x)}${unit}`;

export function describeSegment(segment: Segment): string {
  const parts: string[] = [];
  for (const dim of SEGMENT_DIMS) {
    const v = segment[dim];
    if (v && v.length > 0) parts.push(`${DIM_LABELS[dim]}: ${v.join(" or ")}`);
  }
  if (segment.minSeats) parts.push(`at least ${segment.minSeats} seats`);
  return parts.length ? parts.join("; ") : "All accounts";
}

export function describeParams(entry: LedgerEntry, currency = "USD"): string {
  switch (entry.lever) {
    case "newProduct":
      return `${entry.params.adoptionPct}% adopt, ${signed(entry.params.upliftPct)} margin each, over ${entry.params.rampMonths} months`;
    case "productWithdrawn":
      return `${entry.params.revenueLostPct}% of revenue lost, churn ${signed(entry.params.churnUpliftPct)}`;
    case "priceChange":
      return `price ${signed(entry.params.pricePct)}, churn response ${entry.params.elasticity}`;
    case "competitorEntry":
      return `churn ${signed(entry.params.churnUpliftPct)} from month ${entry.params.startMonth}, ramp ${entry.params.rampMonths} months`;
    case "newChannel":
      return `${entry.params.acquisitionsPerMonth} new accounts a month for ${entry.params.months} months, CAC ${formatMoneyCompact(entry.params.cacCents, currency)}, value ${formatMoneyCompact(entry.params.valueCents, currency)} each`;
    case "macro":
      return `discount rate ${signed(entry.params.discountRatePts, " pts")}, churn ${signed(entry.params.churnShockPct)}`;
    case "massAdjustment":
      return entry.params.mode === "percent"
        ? `value ${signed(entry.params.amount)}`
        : `value ${entry.params.amount < 0 ? "−" : "+"}${formatMoneyCompact(Math.abs(entry.params.amount), currency)} per account`;
    default:
      throw new Error(`invalid lever: ${String((entry as { lever: unknown }).lever)}`);
  }
}

export function leverLabel(entry: LedgerEntry): string {
  return leverInfo(entry.lever).label;
}
