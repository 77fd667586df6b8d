/**
 * The shape of `data/models.json` (fitted parameters, diagnostics, portfolio value) and of
 * the per-account value table, written by loaders/models and read by the pages.
 */

/** P10 / P50 / P90 of a value over the parameter draws, in cents. */
export interface Band {
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

export interface SurvivalCurve {
  /** Periods since the start (billing periods of the segment). */
  readonly t: number[];
  /** Kaplan–Meier share still active (null beyond the observed tenure). */
  readonly actual: Array<number | null>;
  readonly atRisk: number[];
  /** sBG S(t) with the fitted γ, δ. */
  readonly fitted: number[];
}

export interface ContractFit {
  /** e.g. "monthly · Pro · Mid (50–999)". */
  readonly key: string;
  readonly billingTerm: "monthly" | "annual";
  readonly tier: string;
  readonly sizeBand: string;
  /** Which pool the parameters came from: the segment itself, or a broader one when it was too small. */
  readonly pooledAt: "segment" | "tier" | "term";
  readonly accounts: number;
  readonly activeAccounts: number;
  readonly churned: number;
  readonly gamma: number;
  readonly delta: number;
  readonly se: { readonly gamma: number; readonly delta: number } | null;
  readonly logLik: number;
  readonly survival: SurvivalCurve;
  readonly valueCents: number;
  readonly band: Band;
}

export interface PurchaseDiagnostics {
  readonly calibrationEnd: string;
  readonly holdoutWeeks: number;
  readonly params: { readonly r: number; readonly alpha: number; readonly a: number; readonly b: number };
  /** Weeks after the calibration end, and cumulative repeat purchases: actual and expected (conditional on each history). */
  readonly weekly: { readonly week: number[]; readonly actual: number[]; readonly expected: number[] };
  /** Mean holdout repeat purchases per customer by calibration frequency ("0" … "7+"). */
  readonly byFrequency: Array<{ readonly frequency: string; readonly customers: number; readonly actual: number; readonly expected: number }>;
}

export interface PurchaseModelSummary {
  readonly accounts: number;
  readonly repeatCustomers: number;
  readonly unit: "weeks";
  readonly bgnbd: { readonly r: number; readonly alpha: number; readonly a: number; readonly b: number; readonly logLik: number; readonly se: Record<string, number> | null };
  readonly gammaGamma: { readonly p: number; readonly q: number; readonly gamma: number; readonly logLik: number; readonly se: Record<string, number> | null } | null;
  readonly holdout: PurchaseDiagnostics | null;
  /** P(alive) over repeat purchases x and weeks of the last purchase t_x, for an account first seen T weeks ago. */
  readonly aliveGrid: { readonly T: number; readonly frequency: number[]; readonly recency: number[]; readonly p: Array<Array<number | null>> };
  readonly valueCents: number;
  readonly band: Band;
}

export interface ModelsData {
  readonly asOf: string;
  readonly currency: string;
  readonly horizonMonths: number;
  readonly annualDiscountRate: number;
  readonly draws: number;
  readonly seed: number;
  readonly margins: { readonly subscription: number; readonly transactional: number };
  readonly contractFits: ContractFit[];
  readonly purchases: PurchaseModelSummary | null;
  readonly portfolio: { readonly valueCents: number; readonly band: Band; readonly accountsValued: number; readonly activeAccountsValued: number };
  /** Notes on what could not be modelled (too few accounts, no repeat buyers, …). */
  readonly notes: string[];
}

/** One row of `account_value` (store Parquet; pages get it as Arrow). */
export interface AccountValue {
  readonly account_id: string;
  readonly model: "sbg" | "bgnbd" | "none";
  readonly segment: string;
  readonly clv_cents: number;
  readonly clv_p10_cents: number;
  readonly clv_p50_cents: number;
  readonly clv_p90_cents: number;
  readonly probability_alive: number;
  readonly expected_purchases_12m: number;
}
