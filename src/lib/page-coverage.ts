/**
 * What the pages may show, read off the ingest report: the report's coverage (./coverage.ts),
 * with an extract that was given but has no accepted row counted as absent too (a header-only
 * `marketing_spend.csv` gives no CAC, it would only give "$0"), and each extract's status for
 * the data-quality page: provided, derived from another extract, or not provided with what
 * adding it would show.
 */
import { notProvided, type DataCoverage, type MissingGain } from "./coverage.js";
import type { ExtractName, ExtractReport, IngestReport } from "./shapes/ingest-report.js";

type ReportPart = Pick<IngestReport, "coverage" | "extracts">;

/** Accepted rows of an extract (0 when it is not in the report). */
function accepted(report: ReportPart, name: ExtractName): number {
  return report.extracts.find((e) => e.extract === name)?.accepted ?? 0;
}

/** The report's coverage, with spend, NPS and time entries absent when their extract has no accepted row. */
export function pageCoverage(report: ReportPart): DataCoverage {
  const c = report.coverage;
  return {
    ...c,
    spend: c.spend && accepted(report, "marketing_spend") > 0,
    nps: c.nps && accepted(report, "nps_responses") > 0,
    timeEntries: c.timeEntries && accepted(report, "time_entries") > 0 && accepted(report, "role_rates") > 0,
  };
}

/** What each canonical extract adds when it is missing (accounts are always there: given or derived). */
const GAIN_OF: Partial<Record<ExtractName, MissingGain>> = {
  contracts: "contracts",
  invoices: "invoices",
  invoice_lines: "invoices",
  marketing_spend: "marketing_spend",
  nps_responses: "nps_responses",
  time_entries: "time_entries",
  role_rates: "time_entries",
};

/** The extracts the quality page lists even when the report does not name them. */
export const CANONICAL_EXTRACTS: readonly ExtractName[] = [
  "accounts",
  "products",
  "contracts",
  "invoices",
  "invoice_lines",
  "marketing_spend",
  "nps_responses",
  "time_entries",
  "role_rates",
];

export interface ExtractStatus {
  readonly extract: ExtractName;
  readonly state: "provided" | "derived" | "empty" | "not provided";
  /** "provided", "derived from transactions", "provided, no rows accepted", "not provided". */
  readonly label: string;
  /** What adding it would show (the notProvided text), or null when nothing is missing. */
  readonly gain: string | null;
}

/**
 * One status per extract in the report (source extracts first), then every canonical extract
 * the report lacks. An extract given but with no accepted row is "empty" and says what rows
 * in it would show.
 */
export function extractStatuses(report: ReportPart): ExtractStatus[] {
  const byName = new Map<ExtractName, ExtractReport>(report.extracts.map((e) => [e.extract, e]));
  const names: ExtractName[] = [
    ...report.extracts.map((e) => e.extract).filter((n) => !CANONICAL_EXTRACTS.includes(n)),
    ...CANONICAL_EXTRACTS,
  ];
  return names.map((extract): ExtractStatus => {
    const e = byName.get(extract);
    const gainKey = GAIN_OF[extract];
    const gain = gainKey ? notProvided(gainKey) : null;
    if (e?.derivedFrom) return { extract, state: "derived", label: `derived from ${e.derivedFrom}`, gain: null };
    // Reports written before `provided` existed read every configured extract.
    if (e && e.provided !== false) {
      if (e.accepted > 0) return { extract, state: "provided", label: "provided", gain: null };
      return {
        extract,
        state: "empty",
        label: e.rowsRead > 0 ? "provided, no row accepted" : "provided, no rows",
        gain,
      };
    }
    return { extract, state: "not provided", label: "not provided", gain };
  });
}

/** Where the gross margin comes from, in words, or what would give it. */
export function marginBasis(coverage: DataCoverage): string {
  if (coverage.margin === "line_cost") return "from the cost (or revenue − profit) on each line";
  if (coverage.margin === "product_cost") return "from quantity × each product's unit cost";
  return notProvided("cost");
}
