/** The shape of value-bridge.json: why customer value moved since an earlier as-of date (loaders/value-bridge). */

export interface ValueBridgeStep {
  readonly key: "new" | "lost" | "expansion" | "contraction" | "re-estimate";
  readonly label: string;
  /** Signed change of the value, cents. */
  readonly cents: number;
  readonly accounts: number;
}

export interface ValueBridge {
  /** The earlier as-of date. */
  readonly from: string;
  /** Months between it and the as-of date. */
  readonly months: number;
  readonly valueThen: number;
  readonly valueNow: number;
  /** In bridge order; valueThen + Σ cents = valueNow. */
  readonly steps: ValueBridgeStep[];
}

export interface ValueBridgeData {
  readonly asOf: string;
  readonly currency: string;
  readonly bridges: ValueBridge[];
  readonly skipped: { readonly from: string; readonly reason: string }[];
}
