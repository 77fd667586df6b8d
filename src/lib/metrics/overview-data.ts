/** The shape of `data/overview.json`, written by the loaders and read by the home page. */
import type { OverviewMetrics } from "./overview.js";

export interface OverviewData {
  readonly asOf: string;
  readonly asOfSource: "config" | "data";
  readonly currency: string;
  readonly sources: ReadonlyArray<{ extract: string; file: string; rowsRead: number; accepted: number; quarantined: number }>;
  readonly kpis: OverviewMetrics;
  /** One entry per month, "YYYY-MM", oldest first. */
  readonly trend: { month: string[]; revenueCents: number[]; arrCents: number[]; activeAccounts: number[] };
}
