/**
 * The models stage of the pipeline: sBG for contract accounts, a purchase model + Gamma-Gamma for
 * transactional ones, valued over the configured horizon with P10–P90 bands. Leaves the
 * table `account_value` in DuckDB and returns the content of `models.json`.
 *
 * The portfolio band adds, draw by draw, the totals of every model: parameter draws of
 * different models are independent, so draw j of each together is one joint draw.
 */
import { quantileSorted } from "../../src/lib/models/quantiles.js";
import { monthIndexOf } from "../../src/lib/dates.js";
import type { AccountValue, Disagreement, HistoricalValue, ModelsData } from "../../src/lib/shapes/models-data.js";
import type { ValuationConfig } from "../config.js";
import { currentSchema } from "../asof/schema.js";
import { literal, type Db } from "../db.js";
import type { ForecastState } from "../../src/lib/models/outcomes.js";
import type { Band } from "../../src/lib/shapes/models-data.js";
import { outcomeSummary } from "./outcome-bands.js";
import { valueContracts } from "./contractual.js";
import { readContractAccounts, readMargins, readPurchases, type PurchaseRows } from "./inputs.js";
import { valuePurchases } from "./purchases.js";

export interface ModelRun {
  /** The content of models.json. */
  readonly data: ModelsData;
  /** The fitted models' view of every modelled account, for outcome simulations (not serialised). */
  readonly forecast: ForecastState;
}

export async function runModels(
  db: Db,
  asOf: string,
  currency: string,
  config: ValuationConfig,
  log: (line: string) => void = () => {},
  /** Rebuilds as of an earlier date need values and fits only: no outcome bands, no disagreement list. */
  { lean = false }: { lean?: boolean } = {},
): Promise<ModelRun> {
  const asOfMonth = monthIndexOf(asOf);
  const started = performance.now();
  const step = (what: string) => log(`models: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const margins = await readMargins(db, asOf);
  const contractAccounts = await readContractAccounts(db, asOf);
  step(`read ${contractAccounts.length.toLocaleString("en-US")} subscription accounts`);
  const contracts = valueContracts(contractAccounts, asOfMonth, margins.subscription, config);
  step(`sBG: ${contracts.fits.length} segments fitted and valued`);
  const purchaseRows = await readPurchases(db);
  step(`read ${purchaseRows.accountId.length.toLocaleString("en-US")} purchase days of transactional accounts`);
  const purchases = valuePurchases(purchaseRows, asOf, margins.transactional, config, step);
  step(
    purchases.summary
      ? "purchase model + Gamma-Gamma fitted and valued"
      : "transactional accounts not valued by a model",
  );
  const modelled = [...contracts.values, ...purchases.values];
  const notValued = [...contracts.notValued, ...(purchases.notValued ? [purchases.notValued] : [])];

  // Accounts no model could value: the historical value, never a silent zero.
  const transactionalIds = purchases.notValued ? [...new Set(purchaseRows.accountId)] : [];
  const fallbackIds = new Set([
    ...modelled.filter((v) => v.model === "none").map((v) => v.account_id),
    ...transactionalIds,
  ]);
  const historical =
    fallbackIds.size > 0 ? await historicalValues(db, asOf, fallbackIds, config.annualDiscountRate) : null;
  const values = [...modelled.filter((v) => !fallbackIds.has(v.account_id)), ...(historical?.values ?? [])];
  if (historical)
    step(`historical value for ${fallbackIds.size.toLocaleString("en-US")} accounts no model could value`);

  const historicalCents = historical?.values.reduce((sum, v) => sum + v.clv_cents, 0) ?? 0;
  const totals = new Float64Array(config.draws);
  // The historical value has no parameter uncertainty: it shifts every draw by the same amount.
  for (let j = 0; j < config.draws; j++)
    totals[j] = contracts.totalDraws[j] + purchases.totalDraws[j] + historicalCents;
  totals.sort();
  const valueCents = values.reduce((sum, v) => sum + v.clv_cents, 0);
  const notes = [...contracts.notes, ...purchases.notes];
  if (historical)
    notes.push(
      `${fallbackIds.size.toLocaleString("en-US")} accounts carry a historical value (${historical.summary.method}), ${formatShare(valueCents > 0 ? historicalCents / valueCents : 0)} of the portfolio value.`,
    );
  const disagreements = lean
    ? { rule: "not computed for an earlier as-of date", count: 0, accounts: [] }
    : await findDisagreements(db, asOf, values, purchaseRows);
  if (disagreements.count > 0)
    notes.push(
      `${disagreements.count} accounts have a model value near zero although their recent activity is large (listed on the Models page as "model and recent activity disagree").`,
    );
  const forecast: ForecastState = {
    draws: config.draws,
    margins,
    contracts: contracts.states,
    purchases: withoutFallback(purchases.state, fallbackIds),
  };
  const outcomes = lean ? leanOutcomes(values) : await outcomeSummary(db, forecast, values, config);
  step("outcome bands simulated");
  await writeAccountValues(db, values, outcomes.perAccount);
  const data: ModelsData = {
    asOf,
    currency,
    horizonMonths: config.horizonMonths,
    annualDiscountRate: config.annualDiscountRate,
    draws: config.draws,
    seed: config.seed,
    margins,
    contractFits: contracts.fits,
    purchases: purchases.summary,
    portfolio: {
      valueCents,
      band: { p10: quantileSorted(totals, 0.1), p50: quantileSorted(totals, 0.5), p90: quantileSorted(totals, 0.9) },
      accountsValued: values.filter((v) => v.model !== "none").length,
      activeAccountsValued: values.filter((v) => v.clv_cents > 0).length,
      modelValueCents: valueCents - historicalCents,
      historicalShare: valueCents > 0 ? historicalCents / valueCents : 0,
      outcomeBand: outcomes.band,
    },
    outcomes: { bySegment: outcomes.bySegment, concentration: outcomes.concentration },
    notValued,
    disagreements,
    historical: historical
      ? {
          ...historical.summary,
          valueCents: historicalCents,
          shareOfValue: valueCents > 0 ? historicalCents / valueCents : 0,
        }
      : null,
    notes,
  };
  return { data, forecast };
}

/** No simulation: every band is the value itself (rebuilds as of earlier dates never show them). */
function leanOutcomes(values: readonly AccountValue[]): Awaited<ReturnType<typeof outcomeSummary>> {
  const total = values.reduce((s, v) => s + v.clv_cents, 0);
  return {
    band: { p10: total, p50: total, p90: total },
    bySegment: [],
    perAccount: new Map(),
    concentration: { top10MarginShare: null, largestAccountId: null, largestValueCents: 0, p10WithoutLargest: total },
  };
}

/** The purchase state without accounts that carry the historical value (none, unless no model values them). */
function withoutFallback(state: ForecastState["purchases"], fallback: ReadonlySet<string>): ForecastState["purchases"] {
  if (!state || state.accountId.every((id) => !fallback.has(id))) return state;
  return null;
}

/** Value below this share of the account's trailing-12-month margin counts as "near zero". */
const NEAR_ZERO_SHARE = 0.01;
/** A purchase this recent (days) counts as recent activity, or within twice the account's longest usual gap if longer. */
const RECENT_DAYS = 183;
/** Accounts listed in models.json (the count covers all). */
const MAX_LISTED = 100;

/**
 * Accounts the model values near zero (below 1% of their trailing-12-month margin) although
 * their recent activity is large: a running contract at the as-of date, or trailing-12-month
 * revenue in the top decile of accounts with revenue and a purchase within the last 183 days
 * (or within twice the account's median gap between purchase days, if that is longer).
 */
async function findDisagreements(
  db: Db,
  asOf: string,
  values: readonly AccountValue[],
  purchases: PurchaseRows,
): Promise<ModelsData["disagreements"]> {
  const d = `DATE ${literal(asOf)}`;
  const rows = await db.all<{ account_id: string; revenue: number; margin: number; running: boolean }>(`
    SELECT account_id,
      CAST(coalesce(sum(revenue_cents) FILTER (WHERE month > ${d} - INTERVAL 12 MONTH AND month <= ${d}), 0) AS DOUBLE) AS revenue,
      CAST(coalesce(sum(revenue_cents - cogs_cents - cost_to_serve_cents) FILTER (WHERE month > ${d} - INTERVAL 12 MONTH AND month <= ${d}), 0) AS DOUBLE) AS margin,
      coalesce(bool_or(mrr_cents > 0 AND month = date_trunc('month', ${d})), false) AS running
    FROM account_month GROUP BY account_id`);
  const withRevenue = rows
    .map((r) => r.revenue)
    .filter((v) => v > 0)
    .sort((a, b) => a - b);
  const topDecile = withRevenue.length ? withRevenue[Math.floor(0.9 * (withRevenue.length - 1))] : Infinity;
  // Purchase days per account (sorted by day within account, as readPurchases orders them).
  const days = new Map<string, number[]>();
  for (let i = 0; i < purchases.accountId.length; i++) {
    const list = days.get(purchases.accountId[i]) ?? [];
    list.push(Date.parse(`${purchases.day[i]}T00:00:00Z`) / 86_400_000);
    days.set(purchases.accountId[i], list);
  }
  const asOfDay = Date.parse(`${asOf}T00:00:00Z`) / 86_400_000;
  const valueOf = new Map(values.map((v) => [v.account_id, v]));
  const out: Disagreement[] = [];
  for (const r of rows) {
    const v = valueOf.get(r.account_id);
    if (!v || !(v.clv_cents < NEAR_ZERO_SHARE * Math.max(r.margin, 0))) continue;
    const list = days.get(r.account_id) ?? [];
    const gaps = list
      .slice(1)
      .map((day, i) => day - list[i])
      .sort((a, b) => a - b);
    const medianGap = gaps.length ? gaps[Math.floor(gaps.length / 2)] : null;
    const last = list.length ? list[list.length - 1] : null;
    const since = last === null ? null : asOfDay - last;
    const recentPurchase = since !== null && since <= Math.max(RECENT_DAYS, 2 * (medianGap ?? 0));
    const large = r.revenue >= topDecile && r.revenue > 0 && recentPurchase;
    if (!r.running && !large) continue;
    out.push({
      accountId: r.account_id,
      model: v.model,
      valueCents: v.clv_cents,
      probabilityAlive: v.probability_alive,
      t12mRevenueCents: r.revenue,
      t12mMarginCents: r.margin,
      lastPurchase: last === null ? null : new Date(last * 86_400_000).toISOString().slice(0, 10),
      daysSinceLastPurchase: since,
      medianGapDays: medianGap,
      runningContract: r.running,
      why: r.running
        ? "a running contract at the as-of date"
        : `top-decile revenue of the last 12 months and a purchase ${since} days before the as-of date (usual gap ${medianGap === null ? "—" : medianGap === 1 ? "1 day" : `${medianGap} days`})`,
    });
  }
  out.sort((a, b) => b.t12mRevenueCents - a.t12mRevenueCents);
  return {
    rule: `model value below ${100 * NEAR_ZERO_SHARE}% of the account's margin of the last 12 months, while it has a running contract, or revenue of the last 12 months in the top decile and a purchase within the last ${RECENT_DAYS} days (or within twice its median gap between purchase days)`,
    count: out.length,
    accounts: out.slice(0, MAX_LISTED),
  };
}

const formatShare = (x: number) => `${(100 * x).toFixed(x < 0.001 && x > 0 ? 2 : 1)}%`;

/** Accounts with revenue in the window this long count as retained / active. */
const MIN_RETENTION_BASE = 10;

/**
 * Historical value of the given accounts: trailing-12-month margin (revenue − cost of goods −
 * cost to serve, from account × month) × the observed 12-month retention of the account's
 * business model (of the accounts with revenue in months −24 … −13, the share with revenue in
 * months −12 … 0). One year of margin, undiscounted. When the history is shorter than two years
 * (or fewer than 10 accounts had revenue a year earlier) retention cannot be observed and 1 is
 * used: an upper estimate, labelled so. Subscription accounts without a running contract at the
 * as-of date are known to have left: 0.
 */
async function historicalValues(
  db: Db,
  asOf: string,
  ids: ReadonlySet<string>,
  _annualDiscount: number,
): Promise<{ values: AccountValue[]; summary: Omit<HistoricalValue, "valueCents" | "shareOfValue"> }> {
  const d = `DATE ${literal(asOf)}`;
  // With no invoices at all (a subscriptions export alone), what the contracts bill stands in for
  // billed revenue: the sum of the last 12 month-end MRRs.
  const [{ billed }] = await db.all<{ billed: boolean }>("SELECT count(*) > 0 AS billed FROM accepted_invoice_lines");
  const revenue = billed ? "m.revenue_cents - m.cogs_cents" : "m.mrr_cents";
  const active = billed ? "m.revenue_cents > 0" : "m.mrr_cents > 0";
  const rows = await db.all<{
    account_id: string;
    business_model: string;
    margin: number;
    now: boolean;
    before: boolean;
    running: boolean;
  }>(`
    SELECT a.account_id, a.business_model,
      CAST(coalesce(sum(${revenue} - m.cost_to_serve_cents) FILTER (WHERE m.month > ${d} - INTERVAL 12 MONTH AND m.month <= ${d}), 0) AS DOUBLE) AS margin,
      coalesce(bool_or(${active} AND m.month > ${d} - INTERVAL 12 MONTH AND m.month <= ${d}), false) AS now,
      coalesce(bool_or(${active} AND m.month > ${d} - INTERVAL 24 MONTH AND m.month <= ${d} - INTERVAL 12 MONTH), false) AS before,
      coalesce(bool_or(m.mrr_cents > 0 AND m.month = date_trunc('month', ${d})), false) AS running
    FROM dim_accounts a JOIN account_month m USING (account_id) GROUP BY ALL`);
  const [{ first }] = await db.all<{ first: string | null }>(
    `SELECT CAST(min(month) AS VARCHAR) AS first FROM account_month`,
  );
  const twoYears =
    first !== null &&
    first <=
      (await db.all<{ d: string }>(`SELECT CAST(date_trunc('month', ${d} - INTERVAL 23 MONTH) AS VARCHAR) AS d`))[0].d;
  const retention: Record<"subscription" | "transactional", number | null> = {
    subscription: null,
    transactional: null,
  };
  for (const model of ["subscription", "transactional"] as const) {
    const base = rows.filter((r) => r.business_model === model && r.before);
    if (twoYears && base.length >= MIN_RETENTION_BASE)
      retention[model] = base.filter((r) => r.now).length / base.length;
  }
  const values: AccountValue[] = [];
  for (const r of rows) {
    if (!ids.has(r.account_id)) continue;
    const model = r.business_model === "subscription" ? "subscription" : "transactional";
    const gone = model === "subscription" && !r.running;
    const R = retention[model] ?? 1;
    const v = gone ? 0 : r.margin * R;
    values.push({
      account_id: r.account_id,
      model: "historical",
      segment: `historical · ${model}`,
      clv_cents: v,
      clv_p10_cents: v,
      clv_p50_cents: v,
      clv_p90_cents: v,
      probability_alive: gone ? 0 : R,
      expected_purchases_12m: 0,
    });
  }
  // Accounts with no account × month row at all (no revenue ever): 0.
  const seen = new Set(values.map((v) => v.account_id));
  for (const id of ids)
    if (!seen.has(id))
      values.push({
        account_id: id,
        model: "historical",
        segment: "historical",
        clv_cents: 0,
        clv_p10_cents: 0,
        clv_p50_cents: 0,
        clv_p90_cents: 0,
        probability_alive: 0,
        expected_purchases_12m: 0,
      });
  const present = new Set(values.map((v) => v.segment.replace("historical · ", "")));
  const words = (m: "subscription" | "transactional") =>
    retention[m] === null
      ? `${m}: retention not observable (less than two years of history), 100% assumed, an upper estimate`
      : `${m}: ${(100 * retention[m]!).toFixed(1)}% observed`;
  return {
    values,
    summary: {
      accounts: ids.size,
      retention,
      method: `${billed ? "trailing-12-month margin" : "the last 12 months' MRR (no invoices were provided)"} × observed 12-month retention (${(
        ["subscription", "transactional"] as const
      )
        .filter((m) => present.has(m))
        .map(words)
        .join(
          "; ",
        )}); one year, undiscounted${present.has("subscription") ? "; subscription accounts without a running contract count zero" : ""}`,
    },
  };
}

async function writeAccountValues(
  db: Db,
  values: readonly AccountValue[],
  outcomes: ReadonlyMap<string, Band>,
): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE account_value (
    account_id VARCHAR, model VARCHAR, segment VARCHAR, clv_cents DOUBLE, clv_p10_cents DOUBLE, clv_p50_cents DOUBLE,
    clv_p90_cents DOUBLE, probability_alive DOUBLE, expected_purchases_12m DOUBLE,
    outcome_p10_cents DOUBLE, outcome_p50_cents DOUBLE, outcome_p90_cents DOUBLE)`);
  // The current schema: an as-of rebuild (loaders/asof) writes its own account_value.
  const appender = await db.connection.createAppender("account_value", await currentSchema(db));
  for (const v of values) {
    appender.appendVarchar(v.account_id);
    appender.appendVarchar(v.model);
    appender.appendVarchar(v.segment);
    appender.appendDouble(v.clv_cents);
    appender.appendDouble(v.clv_p10_cents);
    appender.appendDouble(v.clv_p50_cents);
    appender.appendDouble(v.clv_p90_cents);
    appender.appendDouble(v.probability_alive);
    appender.appendDouble(v.expected_purchases_12m);
    const o = outcomes.get(v.account_id) ?? { p10: v.clv_cents, p50: v.clv_cents, p90: v.clv_cents };
    appender.appendDouble(o.p10);
    appender.appendDouble(o.p50);
    appender.appendDouble(o.p90);
    appender.endRow();
  }
  appender.closeSync();
}
