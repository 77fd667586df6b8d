/** The shape of `data/overview.json`, written by the loaders and read by the home page. */
import type { ModelsData } from "./models-data.js";
import type { DataCoverage } from "../coverage.js";
import type { Band } from "./models-data.js";
import type { OverviewMetrics } from "../metrics/overview.js";
import type { PurchaseMetrics } from "../metrics/purchases.js";
import type { AtRiskList } from "../metrics/at-risk.js";
import type { PopulationCounts } from "../metrics/populations.js";
import type { ValueGap } from "../metrics/value-gap.js";

export interface OverviewData {
  readonly asOf: string;
  readonly asOfSource: "config" | "data";
  readonly currency: string;
  readonly sources: ReadonlyArray<{
    extract: string;
    file: string;
    rowsRead: number;
    accepted: number;
    quarantined: number;
  }>;
  /** What the data supports (src/lib/page-coverage.ts): figures for data not provided are left out. */
  readonly coverage: DataCoverage;
  /** The store ships no per-account rows (publish.aggregateOnly): lists of single accounts stay empty. */
  readonly aggregateOnly: boolean;
  readonly kpis: OverviewMetrics;
  /** The account populations (src/lib/metrics/definitions.ts POPULATIONS) and how they connect. */
  readonly populations: PopulationCounts;
  /** LTV : CAC on the model value (the Scenarios page's "today"); null without marketing spend or new accounts. */
  readonly ltvToCacModel: {
    readonly ratio: number;
    readonly ltvCents: number;
    readonly cacCents: number;
    /** Accounts acquired in the last 12 months. */
    readonly accounts: number;
  } | null;
  /** Why the rule of thumb and the model value differ; null when either is missing. */
  readonly valueGap: ValueGap | null;
  /** Accounts at risk (src/lib/metrics/at-risk.ts); in an aggregate-only build the count without the accounts. */
  readonly atRisk: AtRiskList;
  /** Purchase-history figures of the transactional accounts (src/lib/metrics/purchases.ts). */
  readonly purchases: PurchaseMetrics;
  /** Model-based customer value (sBG + the chosen purchase model + Gamma-Gamma), null when the models could not run. */
  readonly modelValue: {
    readonly valueCents: number;
    /** Share of valueCents that is the historical value of accounts no model could value (0 – 1). */
    readonly historicalShare: number;
    readonly band: Band;
    /** Where the value may land with each account's own randomness too (models.json portfolio.outcomeBand). */
    readonly outcomeBand: Band;
    readonly activeAccountsValued: number;
    readonly horizonMonths: number;
    readonly annualDiscountRate: number;
    /** models.json outcomes.concentration. */
    readonly concentration: ModelsData["outcomes"]["concentration"];
  } | null;
  /** One entry per month, "YYYY-MM", oldest first. */
  readonly trend: {
    month: string[];
    revenueCents: number[];
    arrCents: number[];
    activeAccounts: number[];
    orders: number[];
  };
}
