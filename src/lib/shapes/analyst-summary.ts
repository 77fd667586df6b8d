/** The shape of `data/analyst-summary.json` (see loaders/outputs/analyst/summary.ts). */
import type { DataCoverage } from "../coverage.js";
import type { PurchaseCohortRow } from "../metrics/purchases.js";
import type { TriangleRow } from "../analysis/cohorts.js";
import type { BreakdownDim } from "../analysis/url-state.js";

export interface MovementRow {
  readonly month: number;
  readonly movement: number;
  readonly delta_cents: number;
  readonly accounts: number;
}
export interface ConcentrationRow {
  readonly rank: number;
  readonly accounts: number;
  readonly cum_cents: number;
  readonly total_cents: number;
  readonly is_target: boolean;
}
export interface ClassRow {
  readonly class: number;
  readonly accounts: number;
  readonly revenue_cents: number;
  readonly predicted_cents: number | null;
  readonly predicted_accounts: number;
}
export interface SegmentRow {
  readonly segment: number;
  readonly accounts: number;
  readonly active: number;
  readonly revenue_cents: number;
  readonly margin_cents: number;
  readonly base: number;
  readonly retained: number;
  readonly predicted_cents: number | null;
  readonly predicted_accounts: number;
}
export interface PurchaseSegmentRow {
  readonly segment: number;
  readonly buyers: number;
  readonly repeat_buyers: number;
  readonly orders: number;
  readonly revenue_cents: number;
}
export interface AccountRow {
  readonly account_id: string;
  readonly account_name: string;
  readonly industry: number;
  readonly size: number;
  readonly region: number;
  readonly tier: number;
  readonly channel: number;
  readonly class: number;
  readonly revenue_cents: number;
  readonly margin_cents: number;
  readonly mrr_cents: number;
  readonly clv_cents: number | null;
  readonly p_alive: number | null;
  readonly matches: number;
}

export interface AnalystSummary {
  readonly asOf: string;
  readonly asOfMonth: number;
  readonly currency: string;
  readonly accounts: number;
  /** Whether the model pipeline's account_value table was in the store. */
  readonly hasModel: boolean;
  readonly thresholds: readonly [number, number];
  /**
   * Built from an aggregate-only store: the per-account tables are empty, `topAccounts` is
   * empty and the concentration curve is coarse; pages show the precomputed view and say why
   * the rest is missing.
   */
  readonly aggregateOnly: boolean;
  readonly dictionaries: Readonly<Record<"industry" | "size" | "region" | "tier" | "channel", string[]>>;
  /** What the data supports (src/lib/page-coverage.ts): the pages leave out what is not provided. */
  readonly coverage: DataCoverage;
  /** The first segment dimension the data has (the segment page's default). */
  readonly defaultBy: BreakdownDim;
  /**
   * Purchase cohorts of the transactional accounts (src/lib/metrics/purchases.ts) for all
   * accounts, by yearly and quarterly cohorts: the cohort page's charts when there are no
   * contracts. Null when there are contracts.
   */
  readonly purchaseCohorts: { readonly year: PurchaseCohortRow[]; readonly quarter: PurchaseCohortRow[] } | null;
  readonly spend: ReadonlyArray<{ channel: string; year: number; spend_cents: number }>;
  readonly first: {
    readonly triangle: TriangleRow[];
    readonly movements: MovementRow[];
    readonly concentration: ConcentrationRow[];
    readonly classes: ClassRow[];
    readonly segments: SegmentRow[];
    /** Purchase histories by `defaultBy` (empty when there are contracts). */
    readonly purchaseSegments: PurchaseSegmentRow[];
    readonly topAccounts: AccountRow[];
  };
}
