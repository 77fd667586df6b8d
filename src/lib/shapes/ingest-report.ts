/**
 * The ingest report: what the loaders read, accepted and quarantined per extract. Written by
 * loaders/ingest, shown by the data-quality page (data/quality.json).
 */
import type { DataCoverage } from "../coverage.js";

export type ExtractName =
  | "role_rates"
  | "products"
  | "accounts"
  | "contracts"
  | "invoices"
  | "invoice_lines"
  | "marketing_spend"
  | "nps_responses"
  | "time_entries"
  | "transactions"
  | "subscriptions";

export interface ReasonSummary {
  readonly code: string;
  readonly column: string | null;
  readonly count: number;
  /** Up to three quarantined rows with this first reason: line, message, the row as read. */
  readonly examples: ReadonlyArray<{ line: number; message: string; raw: string }>;
}

export interface MoneyReconciliation {
  readonly column: string;
  /** Sum over every row whose amount could be read, as an exact decimal string. */
  readonly sourceTotal: string;
  readonly acceptedTotal: string;
  readonly quarantinedTotal: string;
  /** Rows whose amount cell could not be read as money (their value is in no total). */
  readonly unreadableRows: number;
  readonly balanced: boolean;
}

export interface ExtractReport {
  readonly extract: ExtractName;
  readonly file: string;
  readonly bytes: number;
  readonly rowsRead: number;
  readonly accepted: number;
  readonly quarantined: number;
  readonly reasons: readonly ReasonSummary[];
  readonly money: MoneyReconciliation | null;
  readonly dateCoverage: ReadonlyArray<{ column: string; min: string | null; max: string | null }>;
  readonly ignoredHeaders: readonly string[];
  /** Id and text cells whose surrounding white space (any Unicode space, tab or line break) was removed. */
  readonly trimmedCells?: number;
  /** Configured and read from a file (false: not provided, or derived from another extract). */
  readonly provided: boolean;
  /** The source extract its rows were derived from (e.g. accounts from transactions). */
  readonly derivedFrom: ExtractName | null;
  /** Rows left out by the config's row filters, per rule: never quarantined, always counted. */
  readonly filtered: ReadonlyArray<{ rule: string; count: number }>;
  /** Money read with more decimals than cents: the pages' rounding to cents and what it changes. */
  readonly rounding: { readonly decimals: number; readonly differenceTotal: string } | null;
}

export interface IngestReport {
  readonly asOf: string;
  readonly asOfSource: "config" | "data";
  readonly currency: string;
  readonly extracts: readonly ExtractReport[];
  /** What the data supports (see ./coverage.ts). */
  readonly coverage: DataCoverage;
}
