/**
 * The shape of backtest.json: forecasts made as of earlier dates from the data known then,
 * against what happened in the 12 months after.
 */

export type BacktestMeasure = "revenue" | "margin" | "active" | "churned";

export interface BacktestBand {
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

/** One population (the portfolio, or one segment of one dimension) for one measure. */
export interface BacktestRow {
  readonly dimension: string;
  readonly segment: string;
  readonly accounts: number;
  readonly measure: BacktestMeasure;
  /** Mean over the simulated outcomes (the point forecast). */
  readonly forecast: number;
  /** The outcome band (parameter draws × account-level randomness). */
  readonly band: BacktestBand;
  readonly actual: number;
  /** Next 12 months = last 12 months. */
  readonly naive: number;
}

export interface BacktestSummary {
  readonly measure: BacktestMeasure;
  /** Segments (with at least MIN_SEGMENT_ACCOUNTS accounts) whose actual lay inside P10–P90, 0 – 1. */
  readonly segmentCoverage: number | null;
  readonly segments: number;
  /** Mean absolute percentage error of the point forecast over those segments (actual > 0). */
  readonly mape: number | null;
  readonly naiveMape: number | null;
}

export interface BacktestRun {
  /** The as-of date of the forecast. */
  readonly cut: string;
  /** The window forecast: (cut, windowEnd]. */
  readonly windowEnd: string;
  /** Accounts forecast: running contracts and transactional accounts a model valued at the cut. */
  readonly accounts: number;
  /**
   * Left out: accounts that existed at the cut but were not forecast (contract already ended,
   * historical value, no activity), and accounts acquired in the window (with their revenue, cents).
   */
  readonly excluded: {
    readonly notForecast: number;
    readonly acquiredAfter: number;
    readonly acquiredAfterRevenue: number;
  };
  /** Purchase model chosen at the cut, or null. */
  readonly purchaseModel: string | null;
  readonly rows: BacktestRow[];
  readonly summary: BacktestSummary[];
  /** Accounts whose actual revenue lay inside their own P10–P90, 0 – 1. */
  readonly accountCoverage: number | null;
  readonly draws: number;
}

export interface BacktestData {
  readonly asOf: string;
  readonly currency: string;
  /** Why a requested cut was not backtested (too little history before it, no model, …). */
  readonly skipped: { readonly cut: string; readonly reason: string }[];
  readonly runs: BacktestRun[];
  /** One sentence per definition, as the pages show them. */
  readonly definitions: Readonly<Record<string, string>>;
}
