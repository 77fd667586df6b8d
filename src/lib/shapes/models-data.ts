/**
 * The shape of `data/models.json` (fitted parameters, diagnostics, portfolio value) and of
 * the per-account value table, written by loaders/models and read by the pages.
 */
import type { HoldoutComparison } from "../models/selection.js";

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

/** A minimum-history check made before a fit: what is counted, how many are needed and found. */
export interface HistoryCheck {
  readonly what: string;
  readonly needed: number;
  readonly found: number;
  readonly ok: boolean;
}

/** A segment the models could not value, and why (its accounts get the historical value). */
export interface NotValued {
  /** e.g. "monthly · Pro · Small (<50)" or "transactional". */
  readonly segment: string;
  /** "sbg" for a contract segment, "purchase" for the transactional accounts' purchase models. */
  readonly model: "sbg" | "purchase";
  readonly accounts: number;
  /** In plain words: what was missing or what failed. */
  readonly reason: string;
}

/**
 * The fallback for accounts no model can value: trailing-12-month margin × the observed
 * 12-month retention of their business model (one year of margin, undiscounted).
 */
export interface HistoricalValue {
  readonly accounts: number;
  readonly valueCents: number;
  /** Share of the portfolio value that comes from this fallback (0 when the portfolio value is 0). */
  readonly shareOfValue: number;
  /** Observed 12-month retention per business model; null where the history is too short to observe it (then 1 is used, an upper estimate). */
  readonly retention: { readonly subscription: number | null; readonly transactional: number | null };
  /** How the figure is made, in words, for the pages. */
  readonly method: string;
}

/**
 * An account whose model value is near zero while its recent activity is large: listed as
 * "model and recent activity disagree" with both figures, for a person to look at.
 */
export interface Disagreement {
  readonly accountId: string;
  readonly model: string;
  /** Model value and P(alive) at the as-of date. */
  readonly valueCents: number;
  readonly probabilityAlive: number;
  /** Revenue of the 12 months to the as-of date, cents, and its margin. */
  readonly t12mRevenueCents: number;
  readonly t12mMarginCents: number;
  /** Last purchase day (transactional) or null (subscription), and days from it to the as-of date. */
  readonly lastPurchase: string | null;
  readonly daysSinceLastPurchase: number | null;
  /** Median days between the account's purchase days (null with fewer than two). */
  readonly medianGapDays: number | null;
  readonly runningContract: boolean;
  /** Which rule listed it, in words. */
  readonly why: string;
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
  /** Minimum-history checks of the segment's own data. */
  readonly checks: HistoryCheck[];
  /** Why the segment's own fit was not used (when pooledAt is not "segment"), in words. */
  readonly fallback: string | null;
  /** Weak identification of the fit that values the segment (empty when it is well determined). */
  readonly warnings: string[];
}

export interface PurchaseDiagnostics {
  /** The model whose calibration fit made the forecast (the one that values the accounts). */
  readonly model: string;
  readonly label: string;
  readonly calibrationEnd: string;
  readonly holdoutWeeks: number;
  readonly params: Readonly<Record<string, number>>;
  /** Weeks after the calibration end, and cumulative repeat purchases: actual and expected (conditional on each history). */
  readonly weekly: { readonly week: number[]; readonly actual: number[]; readonly expected: number[] };
  /** Mean holdout repeat purchases per customer by calibration frequency ("0" … "7+"). */
  readonly byFrequency: Array<{
    readonly frequency: string;
    readonly customers: number;
    readonly actual: number;
    readonly expected: number;
  }>;
}

/** A purchase model fitted on the whole history (every model tried is listed, used or not). */
export interface PurchaseFitSummary {
  /** "bgnbd", "mbgnbd", "paretonbd" or "nbd". */
  readonly model: string;
  readonly label: string;
  readonly params: Readonly<Record<string, number>>;
  readonly symbols: Readonly<Record<string, string>>;
  readonly se: Record<string, number> | null;
  readonly logLik: number;
  /** Weak identification, in words (empty when well determined). */
  readonly warnings: string[];
  /** True for the model that values the accounts. */
  readonly used: boolean;
}

export interface PurchaseModelSummary {
  readonly accounts: number;
  readonly repeatCustomers: number;
  readonly unit: "weeks";
  /** Minimum-history checks made before fitting. */
  readonly checks: HistoryCheck[];
  /** Weak identification of the spend fit, in words (empty when well determined). */
  readonly warnings: { readonly gammaGamma: string[] };
  /** The model that values the purchases: the winner of the holdout comparison, or NBD (no dropout) when no model with dropout is identified. */
  readonly purchaseModel: "bgnbd" | "mbgnbd" | "paretonbd" | "nbd";
  /** Why that model, in words: the comparison's verdict, or the rule used when there was none. */
  readonly choice: string;
  /** The purchase models fitted on the whole history, the one used first. */
  readonly fits: PurchaseFitSummary[];
  /** Every purchase model fitted on the calibration period and scored on the holdout (null when the history is too short for it). */
  readonly comparison: HoldoutComparison | null;
  /** "gamma-gamma", or "observed mean" when Gamma-Gamma could not be used and each account's own mean spend values its purchases. */
  readonly spendModel: "gamma-gamma" | "observed mean";
  /** What was used instead of a fit, and why (null when every fit was used). */
  readonly fallback: string | null;
  /** Parameter draws replaced because they left the valid region or gave non-finite values. */
  readonly rejectedDraws: number;
  readonly gammaGamma: {
    readonly p: number;
    readonly q: number;
    readonly gamma: number;
    readonly logLik: number;
    readonly se: Record<string, number> | null;
  } | null;
  readonly holdout: PurchaseDiagnostics | null;
  /** P(alive) over repeat purchases x and weeks of the last purchase t_x, for an account first seen T weeks ago. */
  readonly aliveGrid: {
    readonly T: number;
    readonly frequency: number[];
    readonly recency: number[];
    readonly p: Array<Array<number | null>>;
  };
  readonly valueCents: number;
  readonly band: Band;
}

/** A segment's value and its outcome band (parameter draws × each account's own randomness). */
export interface OutcomeSegment {
  readonly dimension: string;
  readonly segment: string;
  readonly accounts: number;
  readonly valueCents: number;
  readonly outcomeBand: Band;
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
  readonly portfolio: {
    /** Model value plus the historical value of the accounts no model could value. */
    readonly valueCents: number;
    readonly band: Band;
    readonly accountsValued: number;
    readonly activeAccountsValued: number;
    /** Of valueCents, what the models value (the rest is `historical.valueCents`). */
    readonly modelValueCents: number;
    /** Share of valueCents from the historical fallback (0 – 1). */
    readonly historicalShare: number;
    /**
     * Outcome band: where the value may actually land — parameter draws combined with each
     * account's own randomness (renew or churn, buy or not). Wider than `band`, which is the
     * parameter band (how sure the models are of the average).
     */
    readonly outcomeBand: Band;
  };
  /** Outcome bands by segment, and how concentrated the value is. */
  readonly outcomes: {
    readonly bySegment: OutcomeSegment[];
    readonly concentration: {
      /** Share of next year's expected margin in the ten largest accounts, 0 – 1. */
      readonly top10MarginShare: number | null;
      readonly largestAccountId: string | null;
      readonly largestValueCents: number;
      /** The portfolio outcome's P10 when the largest account (by value) is lost. */
      readonly p10WithoutLargest: number;
    };
  };
  /** Segments no model could value, with the reason (their accounts carry the historical value). */
  readonly notValued: NotValued[];
  readonly historical: HistoricalValue | null;
  /** Accounts whose model value and recent activity disagree (largest T12M revenue first), and the rule. */
  readonly disagreements: { readonly rule: string; readonly count: number; readonly accounts: Disagreement[] };
  /** Notes on what could not be modelled (too few accounts, no repeat buyers, …). */
  readonly notes: string[];
}

/** One row of `account_value` (store Parquet; pages get it as Arrow). */
export interface AccountValue {
  readonly account_id: string;
  /** "historical": trailing margin × observed retention (no model could value the account); "none": no value at all. */
  readonly model: "sbg" | "bgnbd" | "mbgnbd" | "paretonbd" | "nbd" | "historical" | "none";
  readonly segment: string;
  readonly clv_cents: number;
  readonly clv_p10_cents: number;
  /** Outcome band of the account's value (P10 / P50 / P90; equal to clv_cents without a model). */
  readonly outcome_p10_cents?: number;
  readonly outcome_p50_cents?: number;
  readonly outcome_p90_cents?: number;
  readonly clv_p50_cents: number;
  readonly clv_p90_cents: number;
  readonly probability_alive: number;
  readonly expected_purchases_12m: number;
}
