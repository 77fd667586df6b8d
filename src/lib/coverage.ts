/**
 * What the data can support: which extracts were provided (or derived) and which figures the
 * pages may therefore show. Written into the ingest report by loaders/ingest and read by every
 * page's data, so that a figure for data that was not provided is left out and said, never
 * shown as a zero.
 */

/** Subscription-only, transactional-only or both kinds of account. */
export type BusinessShape = "subscription" | "transactional" | "mixed";

/** Segment attributes a page may offer as dimensions. */
export type AttributeName = "industry" | "region" | "size" | "tier" | "channel" | "key_account";

export interface DataCoverage {
  readonly shape: BusinessShape;
  /** Any accepted contract: MRR, ARR, sBG renewals, contract cohorts. */
  readonly contracts: boolean;
  /** Any accepted invoice line: billed revenue, purchase models, ABC classes. */
  readonly invoices: boolean;
  /** `marketing_spend` provided: CAC, LTV : CAC, payback. */
  readonly spend: boolean;
  /** `nps_responses` provided. */
  readonly nps: boolean;
  /** `time_entries` (with `role_rates`) provided: cost to serve. */
  readonly timeEntries: boolean;
  /** Where gross margin comes from; null when no cost is known. */
  readonly margin: "line_cost" | "product_cost" | null;
  /** Attributes with at least one non-empty value across accounts. */
  readonly attributes: Readonly<Record<AttributeName, boolean>>;
}

/** Everything present: the bundled sample. */
export const FULL_COVERAGE: DataCoverage = {
  shape: "mixed",
  contracts: true,
  invoices: true,
  spend: true,
  nps: true,
  timeEntries: true,
  margin: "product_cost",
  attributes: { industry: true, region: true, size: true, tier: true, channel: true, key_account: true },
};

/** What adding a missing extract would show, in the words the pages use. */
export const MISSING_GAINS = {
  contracts: "add `contracts` (or a `subscriptions` export) to see MRR, ARR, renewal models and contract cohorts",
  invoices:
    "add `transactions` (or `invoices` with `invoice_lines`) to see billed revenue, ABC classes and purchase models",
  marketing_spend: "add `marketing_spend` to see CAC, LTV : CAC and payback",
  nps_responses: "add `nps_responses` to see NPS and how it relates to retention",
  time_entries: "add `time_entries` and `role_rates` to see cost to serve and customer margin",
  cost: "map a `cost` or `profit` column, or give `products` with `unit_cost`, to see gross margin",
} as const;

export type MissingGain = keyof typeof MISSING_GAINS;

/** "not provided: add `marketing_spend` to see CAC, LTV : CAC and payback" */
export function notProvided(what: MissingGain): string {
  return `not provided: ${MISSING_GAINS[what]}`;
}
