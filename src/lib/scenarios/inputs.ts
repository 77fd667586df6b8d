/**
 * What the scenario engine reads: the base (dictionaries, model pools, (pool, renewals)
 * groups, margins, acquisition economics) and the per-account columns, both written by
 * loaders/outputs/scenarios/base.ts.
 */
import type { SegmentDim } from "./ledger.js";

/** A model pool: the accounts whose value comes from one set of parameters. */
export interface ScenarioPool {
  readonly key: string;
  /** "sbg": contract renewals (γ, δ); "flat": constant churn q per period (transactional accounts). */
  readonly kind: "sbg" | "flat";
  readonly gamma: number;
  readonly delta: number;
  /** Churn probability per period of a flat pool (0 for sBG pools). */
  readonly churn: number;
  /** Billing period, months: 1 (monthly) or 12 (annual). */
  readonly periodMonths: number;
}

/** Accounts of one pool with the same renewals so far share their value factors. */
export interface ScenarioGroup {
  readonly pool: number;
  readonly renewals: number;
}

export interface ScenarioBase {
  readonly asOf: string;
  readonly currency: string;
  readonly horizonMonths: number;
  readonly annualDiscountRate: number;
  /** Labels per segment dimension; an account's code indexes them (products: bit i of its mask). */
  readonly dictionary: Readonly<Record<SegmentDim, readonly string[]>>;
  /** Display names of the products (same order as dictionary.products). */
  readonly productNames: readonly string[];
  /** Gross-margin share per business model code. */
  readonly margins: readonly number[];
  readonly pools: readonly ScenarioPool[];
  readonly groups: readonly ScenarioGroup[];
  readonly economics: {
    /** Sales and marketing spend of the 12 months to the as-of date, cents. */
    readonly spendT12mCents: number;
    /** Accounts acquired in those 12 months. */
    readonly newAccountsT12m: number;
    /** False when no marketing spend was provided: the pages leave LTV : CAC out (absent = provided). */
    readonly spendProvided?: boolean;
  };
  /**
   * Set by the loader for an aggregate-only build: the per-account arrays ship empty, so the
   * workbench cannot evaluate anything and says so instead (the engine does not read it).
   */
  readonly aggregateOnly?: boolean;
}

/** Per-account columns (typed arrays so 100,000 accounts evaluate in a few milliseconds). */
export interface AccountArrays {
  readonly length: number;
  readonly accountId: readonly string[];
  readonly size: Uint8Array;
  readonly industry: Uint8Array;
  readonly region: Uint8Array;
  readonly tier: Uint8Array;
  readonly businessModel: Uint8Array;
  readonly abc: Uint8Array;
  /** Bit i set: the account holds dictionary.products[i]. */
  readonly products: Uint32Array;
  readonly seats: Int32Array;
  /** Index into base.groups; −1 without a model value. */
  readonly group: Int32Array;
  readonly valueCents: Float64Array;
  readonly p10Cents: Float64Array;
  readonly p90Cents: Float64Array;
  /** P(alive): 1 for running contracts, the BG/NBD probability for transactional accounts, 0 without value. */
  readonly probabilityAlive: Float64Array;
  /** Gross margin billed to date (revenue − cost of goods − cost to serve), cents. */
  readonly marginToDateCents: Float64Array;
  /** 1 when acquired in the 12 months to the as-of date. */
  readonly recent: Uint8Array;
}
