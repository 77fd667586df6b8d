/**
 * Backtest: for each cut date, rebuild the models from the data known then (loaders/asof), forecast
 * the next 12 months with outcome bands (src/lib/models/outcomes.ts) and compare with what
 * happened, for the portfolio and each segment of each dimension.
 *
 * Measures (one definition each, shown on the Models page):
 * - revenue: month-end MRR summed over the 12 months for subscription accounts (what the
 *   contracts earn, whatever the billing rhythm), invoiced amounts on purchase days for
 *   transactional accounts (credit notes are not purchases) — the quantities the models predict;
 * - margin: revenue × the business model's gross margin share (the share of the 12 months before
 *   the cut for the forecast and the naive forecast, of the forecast year for the actual);
 * - active: accounts with revenue in the 12 months;
 * - churned: subscription accounts running at the cut whose contracts ran out by the end of the
 *   12 months (transactional accounts have no observable churn).
 *
 * The population is the accounts a model valued at the cut; accounts acquired later and accounts
 * carrying the historical value are counted, not forecast.
 */
import { bandOf, simulateOutcomes } from "../../src/lib/models/outcomes.js";
import type {
  BacktestData,
  BacktestMeasure,
  BacktestRow,
  BacktestRun,
  BacktestSummary,
} from "../../src/lib/shapes/backtest.js";
import { monthsBefore } from "../../src/lib/dates.js";
import { asOfRebuilder, type Rebuild } from "../asof/rebuild.js";
import type { ValuationConfig } from "../config.js";
import { SEGMENT_COLUMNS } from "../derive/tables.js";
import { literal, type Db } from "../db.js";
import { readMargins } from "../models/inputs.js";

/** Segment dimensions of the backtest: every segmenting column of dim_accounts. */
export const BACKTEST_DIMENSIONS = SEGMENT_COLUMNS;
/** Segments smaller than this are listed but not counted in coverage and error. */
export const MIN_SEGMENT_ACCOUNTS = 10;
/** Default cuts: months before the data's as-of date. */
export const DEFAULT_CUTS_MONTHS = [12, 24] as const;
const MEASURES: readonly BacktestMeasure[] = ["revenue", "margin", "active", "churned"];

export const BACKTEST_DEFINITIONS: Readonly<Record<string, string>> = {
  revenue:
    "Revenue: month-end MRR summed over the 12 months for subscription accounts, invoiced amounts for transactional accounts.",
  revenueWithoutContracts: "Revenue: invoiced amounts of the 12 months (credit notes are not purchases).",
  revenueWithoutPurchases: "Revenue: month-end MRR summed over the 12 months.",
  margin: "Margin: revenue × the business model's gross margin share.",
  active: "Active: accounts with revenue in the 12 months.",
  churned: "Churned: subscription accounts running at the start whose contracts ran out by the end of the 12 months.",
  outcomeBand:
    "Outcome band (P10–P90): where the result lands 8 times in 10 if the models are right — the models' parameter uncertainty combined with each account's own chance to renew or churn, buy or not.",
  parameterBand:
    "Parameter band: how sure the models are of the average only; it leaves out each account's own chance and so is narrower.",
  coverage:
    "Coverage: the share of segments whose actual result lay inside their forecast's P10–P90; about 80% means the bands are honest.",
  naive: "Naive forecast: each account's next 12 months equal its last 12 months.",
};

export interface BacktestOptions {
  readonly asOf: string;
  readonly currency: string;
  readonly valuation: ValuationConfig;
  /** Cut dates "YYYY-MM-DD"; default 12 and 24 months before the as-of date. */
  readonly cuts?: readonly string[];
  readonly log?: (line: string) => void;
  /** The as-of rebuild to use (shared with the value bridge); a fresh one by default. */
  readonly rebuild?: Rebuild;
}

export async function runBacktests(db: Db, opts: BacktestOptions): Promise<BacktestData> {
  const cuts = opts.cuts ?? DEFAULT_CUTS_MONTHS.map((m) => monthsBefore(opts.asOf, m));
  const runs: BacktestRun[] = [];
  const skipped: BacktestData["skipped"] = [];
  const [{ first }] = await db.all<{ first: string | null }>(
    "SELECT CAST(min(month) AS VARCHAR) AS first FROM main.account_month",
  );
  const rebuild = opts.rebuild ?? asOfRebuilder(db, opts.currency, opts.valuation);
  for (const cut of [...new Set(cuts)].sort().reverse()) {
    const end = monthsBefore(cut, -12);
    if (end > opts.asOf) {
      skipped.push({ cut, reason: `the 12 months after ${cut} end after the data's as-of date ${opts.asOf}` });
      continue;
    }
    if (first === null || first > monthsBefore(cut, 12)) {
      skipped.push({
        cut,
        reason: `less than a year of history before ${cut} (the data start ${first ?? "nowhere"}): nothing to fit`,
      });
      continue;
    }
    try {
      runs.push(await backtestAt(db, cut, end, opts, rebuild));
    } catch (error) {
      skipped.push({ cut, reason: `the models could not be rebuilt at ${cut}: ${(error as Error).message}` });
    }
  }
  // Each definition names only what the data hold: no MRR without contracts, no invoices without purchases.
  const contracts = runs.some((r) => r.rows.some((x) => x.measure === "churned"));
  const purchases = runs.some((r) =>
    r.rows.some((x) => x.dimension === "Business model" && x.segment === "transactional"),
  );
  const { revenueWithoutContracts, revenueWithoutPurchases, ...shared } = BACKTEST_DEFINITIONS;
  const definitions: Record<string, string> = { ...shared };
  if (!contracts) {
    definitions.revenue = revenueWithoutContracts;
    delete definitions.churned;
  } else if (!purchases) definitions.revenue = revenueWithoutPurchases;
  return { asOf: opts.asOf, currency: opts.currency, skipped, runs, definitions };
}

interface Actual {
  revenueNext: number;
  revenueLast: number;
  runningAtEnd: boolean;
  churnedLastYear: boolean | null;
}

async function backtestAt(
  db: Db,
  cut: string,
  end: string,
  opts: BacktestOptions,
  rebuild: Rebuild,
): Promise<BacktestRun> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  // Only the tables the models read are rebuilt; the pages never see that schema.
  const run = await rebuild(cut);
  const state = run.forecast;
  log(`backtest: models rebuilt as of ${cut} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const c = `DATE ${literal(cut)}`,
    e = `DATE ${literal(end)}`;
  // What happened, from the full data (main schema).
  const rows = await db.all<{
    account_id: string;
    business_model: string;
    mrr_next: number;
    mrr_last: number;
    mrr_end: number;
    mrr_start: number;
    mrr_year_before: number;
    buy_next: number;
    buy_last: number;
    dims: string[];
  }>(`
    WITH m AS (
      SELECT account_id,
        CAST(coalesce(sum(mrr_cents) FILTER (WHERE month > date_trunc('month', ${c}) AND month <= date_trunc('month', ${e})), 0) AS DOUBLE) AS mrr_next,
        CAST(coalesce(sum(mrr_cents) FILTER (WHERE month > date_trunc('month', ${c}) - INTERVAL 12 MONTH AND month <= date_trunc('month', ${c})), 0) AS DOUBLE) AS mrr_last,
        CAST(coalesce(max(mrr_cents) FILTER (WHERE month = date_trunc('month', ${e})), 0) AS DOUBLE) AS mrr_end,
        CAST(coalesce(max(mrr_cents) FILTER (WHERE month = date_trunc('month', ${c})), 0) AS DOUBLE) AS mrr_start,
        CAST(coalesce(max(mrr_cents) FILTER (WHERE month = date_trunc('month', ${c}) - INTERVAL 12 MONTH), 0) AS DOUBLE) AS mrr_year_before
      FROM main.account_month GROUP BY account_id
    ), days AS (
      SELECT i.account_id, i.invoice_date AS day, CAST(round(sum(l.amount) * 100) AS DOUBLE) AS cents
      FROM main.accepted_invoices i JOIN main.accepted_invoice_lines l USING (invoice_id)
      WHERE i.document_type = 'invoice' AND i.invoice_date > ${c} - INTERVAL 12 MONTH AND i.invoice_date <= ${e}
      GROUP BY ALL HAVING sum(l.amount) > 0
    ), p AS (
      SELECT account_id,
        coalesce(sum(cents) FILTER (WHERE day > ${c}), 0) AS buy_next,
        coalesce(sum(cents) FILTER (WHERE day <= ${c}), 0) AS buy_last
      FROM days GROUP BY account_id
    )
    SELECT a.account_id, a.business_model,
      coalesce(m.mrr_next, 0) AS mrr_next, coalesce(m.mrr_last, 0) AS mrr_last, coalesce(m.mrr_end, 0) AS mrr_end,
      coalesce(m.mrr_start, 0) AS mrr_start, coalesce(m.mrr_year_before, 0) AS mrr_year_before,
      coalesce(p.buy_next, 0) AS buy_next, coalesce(p.buy_last, 0) AS buy_last,
      [${BACKTEST_DIMENSIONS.map(([col]) => `coalesce(CAST(a.${col} AS VARCHAR), '(none)')`).join(", ")}] AS dims
    FROM main.dim_accounts a LEFT JOIN m USING (account_id) LEFT JOIN p USING (account_id)`);
  const actualOf = new Map<string, Actual & { dims: string[] }>();
  for (const r of rows) {
    const sub = r.business_model === "subscription";
    actualOf.set(r.account_id, {
      revenueNext: sub ? r.mrr_next : r.buy_next,
      revenueLast: sub ? r.mrr_last : r.buy_last,
      runningAtEnd: r.mrr_end > 0,
      churnedLastYear: sub && r.mrr_year_before > 0 ? !(r.mrr_start > 0) : null,
      dims: r.dims,
    });
  }
  const marginNow = await readMargins(db, end);
  const marginThen = state.margins;

  // Groups: 0 = the portfolio, then one per (dimension, segment).
  const groupKeys: { dimension: string; segment: string }[] = [{ dimension: "Portfolio", segment: "All accounts" }];
  const groupIndex = new Map<string, number>();
  const groupsOf = new Map<string, number[]>();
  const forecastIds = [...state.contracts.map((a) => a.accountId), ...(state.purchases?.accountId ?? [])];
  const modelOf = new Map<string, "subscription" | "transactional">();
  for (const a of state.contracts) modelOf.set(a.accountId, "subscription");
  for (const id of state.purchases?.accountId ?? []) modelOf.set(id, "transactional");
  const groupsFor = (id: string): number[] => {
    const known = groupsOf.get(id);
    if (known) return known;
    const actual = actualOf.get(id);
    const list = [0];
    BACKTEST_DIMENSIONS.forEach(([, label], d) => {
      const segment = actual?.dims[d] ?? "(unknown)";
      const key = `${label}\u0000${segment}`;
      let g = groupIndex.get(key);
      if (g === undefined) {
        groupIndex.set(key, (g = groupKeys.length));
        groupKeys.push({ dimension: label, segment });
      }
      list.push(g);
    });
    groupsOf.set(id, list);
    return list;
  };
  for (const id of forecastIds) groupsFor(id);
  const G = groupKeys.length,
    J = state.draws;
  const sims = Object.fromEntries(MEASURES.map((m) => [m, new Float64Array(G * J)])) as Record<
    BacktestMeasure,
    Float64Array
  >;
  const buffer = new Float64Array(J);
  let inBand = 0,
    accountsScored = 0;
  let current: string | null = null;
  const closeAccount = () => {
    if (current === null) return;
    const actual = actualOf.get(current)?.revenueNext ?? 0;
    const b = bandOf(Float64Array.from(buffer));
    accountsScored++;
    if (actual >= b.p10 - 0.5 && actual <= b.p90 + 0.5) inBand++;
  };
  simulateOutcomes(state, { months: 12, annualDiscount: 0, seed: opts.valuation.seed + 29 }, (id, j, o) => {
    if (id !== current) {
      closeAccount();
      current = id;
    }
    buffer[j] = o.revenueCents;
    const share = modelOf.get(id) === "subscription" ? marginThen.subscription : marginThen.transactional;
    for (const g of groupsOf.get(id)!) {
      const k = g * J + j;
      sims.revenue[k] += o.revenueCents;
      sims.margin[k] += o.revenueCents * share;
      if (o.active) sims.active[k] += 1;
      if (o.churned) sims.churned[k] += 1;
    }
  });
  closeAccount();

  // Actual and naive per group.
  const zero = () => new Float64Array(G);
  const act = { revenue: zero(), margin: zero(), active: zero(), churned: zero() };
  const naive = { revenue: zero(), margin: zero(), active: zero(), churned: zero() };
  const accounts = zero(),
    contractAccounts = zero(),
    churnedBefore = zero(),
    activeBefore = zero();
  for (const id of forecastIds) {
    const a = actualOf.get(id);
    if (!a) continue;
    const sub = modelOf.get(id) === "subscription";
    const shareNow = sub ? marginNow.subscription : marginNow.transactional;
    const shareThen = sub ? marginThen.subscription : marginThen.transactional;
    for (const g of groupsOf.get(id)!) {
      accounts[g]++;
      act.revenue[g] += a.revenueNext;
      act.margin[g] += a.revenueNext * shareNow;
      if (a.revenueNext > 0) act.active[g]++;
      naive.revenue[g] += a.revenueLast;
      naive.margin[g] += a.revenueLast * shareThen;
      if (a.revenueLast > 0) naive.active[g]++;
      if (sub) {
        contractAccounts[g]++;
        if (!a.runningAtEnd) act.churned[g]++;
      }
    }
  }
  // Last year's churn rate, over every subscription account running 12 months before the cut.
  for (const [id, a] of actualOf) {
    if (a.churnedLastYear === null) continue;
    for (const g of groupsFor(id)) {
      if (g >= G) continue; // a segment with no account forecast
      activeBefore[g]++;
      if (a.churnedLastYear) churnedBefore[g]++;
    }
  }
  for (let g = 0; g < G; g++)
    naive.churned[g] = activeBefore[g] > 0 ? (contractAccounts[g] * churnedBefore[g]) / activeBefore[g] : 0;

  const out: BacktestRow[] = [];
  for (let g = 0; g < G; g++) {
    for (const measure of MEASURES) {
      if (measure === "churned" && contractAccounts[g] === 0) continue;
      const draws = sims[measure].subarray(g * J, (g + 1) * J);
      let mean = 0;
      for (let j = 0; j < J; j++) mean += draws[j] / J;
      out.push({
        ...groupKeys[g],
        accounts: accounts[g],
        measure,
        forecast: mean,
        band: bandOf(Float64Array.from(draws)),
        actual: act[measure][g],
        naive: naive[measure][g],
      });
    }
  }
  const summary: BacktestSummary[] = MEASURES.map((measure) => {
    const scored = out.filter(
      (r) => r.measure === measure && r.dimension !== "Portfolio" && r.accounts >= MIN_SEGMENT_ACCOUNTS,
    );
    const withActual = scored.filter((r) => r.actual > 0);
    const mape = (pick: (r: BacktestRow) => number) =>
      withActual.length
        ? withActual.reduce((s, r) => s + Math.abs(pick(r) - r.actual) / r.actual, 0) / withActual.length
        : null;
    return {
      measure,
      segments: scored.length,
      segmentCoverage: scored.length
        ? scored.filter((r) => r.actual >= r.band.p10 - 0.5 && r.actual <= r.band.p90 + 0.5).length / scored.length
        : null,
      mape: mape((r) => r.forecast),
      naiveMape: mape((r) => r.naive),
    };
  });
  // Accounts outside the forecast population: counted, with what they brought.
  const forecastSet = new Set(forecastIds);
  const [{ after, after_revenue }] = await db.all<{ after: number; after_revenue: number }>(`
    SELECT count(DISTINCT a.account_id) AS after, CAST(coalesce(sum(m.revenue_cents), 0) AS DOUBLE) AS after_revenue
    FROM main.dim_accounts a LEFT JOIN main.account_month m ON m.account_id = a.account_id
      AND m.month > date_trunc('month', ${c}) AND m.month <= date_trunc('month', ${e})
    WHERE a.acquired_on > ${c} AND a.acquired_on <= ${e}`);
  const [{ existing }] = await db.all<{ existing: number }>(
    `SELECT count(*) AS existing FROM main.dim_accounts WHERE acquired_on <= ${c}`,
  );
  return {
    cut,
    windowEnd: end,
    accounts: forecastIds.length,
    excluded: {
      notForecast: Math.max(0, Number(existing) - forecastSet.size),
      acquiredAfter: Number(after),
      acquiredAfterRevenue: after_revenue,
    },
    purchaseModel: run.data.purchases?.purchaseModel ?? null,
    rows: out,
    summary,
    accountCoverage: accountsScored ? inBand / accountsScored : null,
    draws: J,
  };
}
