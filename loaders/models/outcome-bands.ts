/**
 * Outcome bands of the customer value (src/lib/models/outcomes.ts) for each account, the
 * portfolio and each segment, and the concentration figures: how much of next year's
 * expected margin sits in the ten largest accounts, and the portfolio's P10 if the single
 * largest account churns.
 *
 * Draw j of every account uses parameter draw j of its model: group totals are sums over
 * accounts within one draw, so the bands of totals keep the correlation that shared
 * parameters give. Accounts carrying the historical value add their value to every draw.
 */
import { bandOf, simulateOutcomes, type ForecastState } from "../../src/lib/models/outcomes.js";
import type { AccountValue, Band, OutcomeSegment } from "../../src/lib/shapes/models-data.js";
import type { ValuationConfig } from "../config.js";
import type { Db } from "../db.js";
import { SEGMENT_COLUMNS } from "../derive/tables.js";

/** Dimensions the outcome bands are given for: the Segments page's (business model is the model split itself). */
export const OUTCOME_DIMENSIONS = SEGMENT_COLUMNS.filter(([column]) => column !== "business_model");

export interface OutcomeSummary {
  readonly band: Band;
  readonly bySegment: OutcomeSegment[];
  readonly perAccount: Map<string, Band>;
  readonly concentration: {
    /** Share of next year's expected margin (all accounts) in the ten largest, 0 – 1. */
    readonly top10MarginShare: number | null;
    readonly largestAccountId: string | null;
    readonly largestValueCents: number;
    /** P10 of the portfolio's outcome when the largest account (by value) is lost. */
    readonly p10WithoutLargest: number;
  };
}

export async function outcomeSummary(
  db: Db,
  forecast: ForecastState,
  values: readonly AccountValue[],
  config: ValuationConfig,
): Promise<OutcomeSummary> {
  const J = forecast.draws;
  const dims = await db.all<{ account_id: string; dims: string[] }>(
    `SELECT account_id, [${OUTCOME_DIMENSIONS.map(([c]) => `coalesce(CAST(${c} AS VARCHAR), '(none)')`).join(", ")}] AS dims FROM dim_accounts`,
  );
  const dimsOf = new Map(dims.map((d) => [d.account_id, d.dims]));
  const keys: { dimension: string; segment: string }[] = [];
  const index = new Map<string, number>();
  const groupsOf = (id: string): number[] =>
    OUTCOME_DIMENSIONS.map(([, label], d) => {
      const segment = dimsOf.get(id)?.[d] ?? "(unknown)";
      const key = `${label}\u0000${segment}`;
      let g = index.get(key);
      if (g === undefined) {
        index.set(key, (g = keys.length));
        keys.push({ dimension: label, segment });
      }
      return g;
    });
  const groupList = new Map<string, number[]>();
  for (const v of values) groupList.set(v.account_id, groupsOf(v.account_id));
  const G = keys.length;
  const groupDraws = new Float64Array(G * J);
  const groupValue = new Float64Array(G);
  const groupAccounts = new Float64Array(G);
  const totals = new Float64Array(J);
  const largest = values.reduce<AccountValue | null>((a, v) => (a === null || v.clv_cents > a.clv_cents ? v : a), null);
  const largestDraws = new Float64Array(J);
  const simulated = new Set<string>();
  for (const v of values)
    for (const g of groupList.get(v.account_id)!) {
      groupValue[g] += v.clv_cents;
      groupAccounts[g]++;
    }

  const perAccount = new Map<string, Band>();
  const buffer = new Float64Array(J);
  let current: string | null = null;
  const close = () => {
    if (current !== null) perAccount.set(current, bandOf(Float64Array.from(buffer)));
  };
  simulateOutcomes(
    forecast,
    { months: config.horizonMonths, annualDiscount: config.annualDiscountRate, seed: config.seed + 17 },
    (id, j, o) => {
      if (id !== current) {
        close();
        current = id;
        simulated.add(id);
      }
      const c = o.discountedMarginCents;
      buffer[j] = c;
      totals[j] += c;
      if (id === largest?.account_id) largestDraws[j] = c;
      for (const g of groupList.get(id) ?? []) groupDraws[g * J + j] += c;
    },
  );
  close();
  // Accounts no simulation covers (historical values, churned contracts): their value in every draw.
  for (const v of values) {
    if (simulated.has(v.account_id)) continue;
    perAccount.set(v.account_id, { p10: v.clv_cents, p50: v.clv_cents, p90: v.clv_cents });
    for (let j = 0; j < J; j++) totals[j] += v.clv_cents;
    if (v.account_id === largest?.account_id) largestDraws.fill(v.clv_cents);
    for (const g of groupList.get(v.account_id)!) for (let j = 0; j < J; j++) groupDraws[g * J + j] += v.clv_cents;
  }
  const without = Float64Array.from(totals, (t, j) => t - largestDraws[j]);

  // Next year's expected margin per account: the models' expectation over 12 months, undiscounted.
  // For contracts that includes the months of the current period still to run (already billed).
  const nextYear = new Map<string, number>();
  const contractIds = new Set(forecast.contracts.map((a) => a.accountId));
  simulateOutcomes(
    { ...forecast, draws: 1 },
    { months: 12, annualDiscount: 0, seed: 0, accountRandomness: false, parameterUncertainty: false },
    (id, _j, o) =>
      nextYear.set(
        id,
        o.revenueCents * (contractIds.has(id) ? forecast.margins.subscription : forecast.margins.transactional),
      ),
  );
  // Historical values are one year of margin already.
  for (const v of values) if (!nextYear.has(v.account_id)) nextYear.set(v.account_id, v.clv_cents);
  const margins = [...nextYear.values()].sort((a, b) => b - a);
  const all = margins.reduce((s, m) => s + m, 0);
  const top10 = margins.slice(0, 10).reduce((s, m) => s + m, 0);

  return {
    band: bandOf(Float64Array.from(totals)),
    bySegment: keys.map((k, g) => ({
      ...k,
      accounts: groupAccounts[g],
      valueCents: groupValue[g],
      outcomeBand: bandOf(Float64Array.from(groupDraws.subarray(g * J, (g + 1) * J))),
    })),
    perAccount,
    concentration: {
      top10MarginShare: all > 0 ? top10 / all : null,
      largestAccountId: largest?.account_id ?? null,
      largestValueCents: largest?.clv_cents ?? 0,
      p10WithoutLargest: bandOf(without).p10,
    },
  };
}
