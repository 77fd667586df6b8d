/**
 * The executive overview's data: KPIs, monthly trend and sources, small enough to render
 * the home page without DuckDB-WASM (a few kilobytes at any data size).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { OverviewData } from "../../src/lib/shapes/overview-data.js";
import { accountActivity, monthlyTrend, overviewMetrics } from "../../src/lib/metrics/overview.js";
import { purchaseMetrics } from "../../src/lib/metrics/purchases.js";
import { pageCoverage } from "../../src/lib/page-coverage.js";
import { monthIndexOf, monthLabel } from "../../src/lib/dates.js";
import { openDb } from "../db.js";
import type { IngestReport } from "../ingest/index.js";
import { STORE_FILES } from "../store.js";
import type { ModelsData } from "../../src/lib/shapes/models-data.js";
import { readStoreTables } from "./read-store.js";
import { atRiskAccounts, type AtRiskList, type RiskInputs } from "../../src/lib/metrics/at-risk.js";
import { populationCounts, type Valuation } from "../../src/lib/metrics/populations.js";
import { valueGap } from "../../src/lib/metrics/value-gap.js";
import { ScenarioEvaluator } from "../../src/lib/scenarios/engine.js";
import { literal, type Db } from "../db.js";
import { extractParquet } from "../store.js";
import { withholdsAccountRows } from "./publish.js";
import { readScenarioInputs } from "./scenarios/base.js";

export type { OverviewData };

export async function buildOverview(storeDir: string): Promise<OverviewData> {
  const report = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.report), "utf8")) as IngestReport;
  const models = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.models), "utf8")) as ModelsData;
  const db = await openDb();
  try {
    const tables = await readStoreTables(db, storeDir);
    const asOfMonth = monthIndexOf(report.asOf);
    const kpis = overviewMetrics(tables.accounts, tables.accountMonth, tables.spend, asOfMonth);
    let fromMonth = asOfMonth;
    for (let i = 0; i < tables.accountMonth.length; i++) fromMonth = Math.min(fromMonth, tables.accountMonth.month[i]);
    const trend = monthlyTrend(tables.accounts, tables.accountMonth, fromMonth, asOfMonth);
    const orders = new Array<number>(trend.month.length).fill(0);
    for (let i = 0; i < tables.accountMonth.length; i++) {
      const k = tables.accountMonth.month[i] - fromMonth;
      if (k >= 0 && k < orders.length) orders[k] += tables.accountMonth.invoices[i];
    }
    const coverage = pageCoverage(report);
    const aggregateOnly = withholdsAccountRows(storeDir);
    const valuation = await readValuation(db, storeDir, tables.accounts.accountId);
    const populations = populationCounts(tables.accounts, tables.accountMonth, asOfMonth, valuation.kind);
    // LTV : CAC on the model value: the scenario engine's baseline, so the Scenarios page's "today" is this very number.
    // (ABC classes play no part in LTV : CAC: any valid thresholds do.)
    const scenario = await readScenarioInputs(storeDir, [0.8, 0.95]);
    const baseline = new ScenarioEvaluator(scenario.base, scenario.accounts).evaluate({
      version: 1,
      title: "baseline",
      ledger: [],
    });
    const modelValue =
      models.portfolio.accountsValued > 0
        ? {
            valueCents: models.portfolio.valueCents,
            historicalShare: models.portfolio.historicalShare,
            band: models.portfolio.band,
            outcomeBand: models.portfolio.outcomeBand,
            // Which account is the largest is not the overview's business (nor an aggregate's).
            concentration: { ...models.outcomes.concentration, largestAccountId: null },
            activeAccountsValued: models.portfolio.activeAccountsValued,
            horizonMonths: models.horizonMonths,
            annualDiscountRate: models.annualDiscountRate,
          }
        : null;
    return {
      asOf: report.asOf,
      asOfSource: report.asOfSource,
      currency: report.currency,
      // The extracts read from a file (a derived or missing one is no source of its own).
      sources: report.extracts
        .filter((e) => e.provided !== false && !e.derivedFrom)
        .map((e) => ({
          extract: e.extract,
          file: e.file,
          rowsRead: e.rowsRead,
          accepted: e.accepted,
          quarantined: e.quarantined,
        })),
      coverage,
      aggregateOnly,
      kpis,
      populations,
      ltvToCacModel:
        coverage.spend && baseline.ltvCac.ratio !== null
          ? {
              ratio: baseline.ltvCac.ratio,
              ltvCents: baseline.ltvCac.ltvCents!,
              cacCents: baseline.ltvCac.cacCents!,
              accounts: baseline.ltvCac.accounts,
            }
          : null,
      valueGap:
        modelValue && kpis.totalCustomerValueCents !== null && kpis.retentionYears !== null && kpis.grossMargin !== null
          ? valueGap({
              simpleCents: kpis.totalCustomerValueCents,
              modelCents: modelValue.valueCents,
              retentionYears: kpis.retentionYears,
              horizonMonths: modelValue.horizonMonths,
              annualDiscountRate: modelValue.annualDiscountRate,
              activeAccounts: kpis.activeAccounts,
              valuedAccounts: populations.valuedByModel + populations.valuedByHistorical,
              valuedNotActive: populations.valuedNotActive,
              simpleMargin: kpis.grossMargin,
              modelMargins: models.margins,
            })
          : null,
      atRisk: withoutAccounts(
        atRiskAccounts(await readRiskInputs(db, storeDir, report.asOf, tables, valuation, coverage)),
        aggregateOnly,
      ),
      purchases: purchaseMetrics(tables.accounts, tables.accountMonth, asOfMonth),
      modelValue,
      trend: {
        month: trend.month.map(monthLabel),
        revenueCents: trend.revenueCents,
        arrCents: trend.mrrCents.map((x) => 12 * x),
        activeAccounts: trend.activeAccounts,
        orders,
      },
    };
  } finally {
    db.close();
  }
}

/** An aggregate-only build keeps the count and value of the accounts at risk, not the accounts. */
function withoutAccounts(list: AtRiskList, aggregateOnly: boolean): AtRiskList {
  return aggregateOnly ? { ...list, accounts: [] } : list;
}

interface AccountValuation {
  readonly kind: Valuation[];
  readonly valueCents: Float64Array;
  /** Purchase-model P(alive); null for contract and historical values. */
  readonly probabilityAlive: Array<number | null>;
}

const PURCHASE_MODELS = new Set(["bgnbd", "mbgnbd", "paretonbd", "nbd"]);

/** Each account's valuation (account_value.parquet), aligned with `accountIds`. */
async function readValuation(db: Db, storeDir: string, accountIds: ArrayLike<string>): Promise<AccountValuation> {
  const file = path.join(storeDir, STORE_FILES.accountValue);
  const n = accountIds.length;
  const out: AccountValuation = {
    kind: new Array<Valuation>(n).fill("none"),
    valueCents: new Float64Array(n),
    probabilityAlive: new Array<number | null>(n).fill(null),
  };
  if (!existsSync(file)) return out;
  const rows = await db.all<{ account_id: string; model: string; value: number; palive: number | null }>(
    `SELECT account_id, model, CAST(coalesce(clv_cents, 0) AS DOUBLE) AS value, probability_alive AS palive FROM read_parquet(${literal(file)})`,
  );
  const index = new Map(Array.from(accountIds, (id, i) => [id, i]));
  for (const r of rows) {
    const i = index.get(r.account_id);
    if (i === undefined) continue;
    out.valueCents[i] = r.value;
    if (r.value > 0) out.kind[i] = r.model === "historical" ? "historical" : "model";
    if (PURCHASE_MODELS.has(r.model) && r.palive !== null) out.probabilityAlive[i] = r.palive;
  }
  return out;
}

/** The at-risk facts of every account: MRR now and a quarter ago, purchase-day gaps, latest NPS, key-account flag. */
async function readRiskInputs(
  db: Db,
  storeDir: string,
  asOf: string,
  tables: Awaited<ReturnType<typeof readStoreTables>>,
  valuation: AccountValuation,
  coverage: OverviewData["coverage"],
): Promise<RiskInputs[]> {
  const file = (name: string) => `read_parquet(${literal(path.join(storeDir, name))})`;
  const asOfSql = `DATE ${literal(asOf)}`;
  const facts = await db.all<{
    account_id: string;
    account_name: string;
    key_account: boolean | null;
    mrr_now: number | null;
    mrr_before: number | null;
    days_since: number | null;
    median_gap: number | null;
    gaps: number;
    nps: number | null;
  }>(`
    WITH days AS (
      SELECT DISTINCT account_id, invoice_date AS d FROM ${file(extractParquet("invoices"))}
      WHERE document_type = 'invoice' AND invoice_date <= ${asOfSql}
    ), gaps AS (
      SELECT account_id, d, d - lag(d) OVER (PARTITION BY account_id ORDER BY d) AS gap FROM days
    ), purchase AS (
      SELECT account_id, CAST(${asOfSql} - max(d) AS INTEGER) AS days_since, CAST(median(gap) AS DOUBLE) AS median_gap,
        CAST(count(gap) AS INTEGER) AS gaps FROM gaps GROUP BY account_id
    ), mrr AS (
      SELECT account_id,
        CAST(sum(mrr_cents) FILTER (WHERE month = date_trunc('month', ${asOfSql})) AS DOUBLE) AS mrr_now,
        CAST(sum(mrr_cents) FILTER (WHERE month = date_trunc('month', ${asOfSql}) - INTERVAL 3 MONTH) AS DOUBLE) AS mrr_before
      FROM ${file(STORE_FILES.accountMonth)} GROUP BY account_id
    )${
      coverage.nps
        ? `, nps AS (
      SELECT account_id, arg_max(score, responded_on) AS nps FROM ${file(extractParquet("nps_responses"))}
      WHERE responded_on <= ${asOfSql} AND responded_on > ${asOfSql} - INTERVAL 12 MONTH GROUP BY account_id
    )`
        : ""
    }
    SELECT a.account_id, a.account_name, a.key_account, m.mrr_now, m.mrr_before, p.days_since, p.median_gap,
      CAST(coalesce(p.gaps, 0) AS INTEGER) AS gaps, ${coverage.nps ? "CAST(n.nps AS INTEGER)" : "NULL"} AS nps
    FROM ${file(STORE_FILES.accounts)} a LEFT JOIN mrr m USING (account_id) LEFT JOIN purchase p USING (account_id)
    ${coverage.nps ? "LEFT JOIN nps n USING (account_id)" : ""}`);
  const { activeNow } = accountActivity(tables.accounts, tables.accountMonth, monthIndexOf(asOf));
  const index = new Map(Array.from(tables.accounts.accountId, (id, i) => [id, i]));
  return facts.map((f) => {
    const i = index.get(f.account_id)!;
    const transactional = tables.accounts.businessModel[i] === "transactional";
    return {
      accountId: f.account_id,
      accountName: f.account_name,
      active: activeNow[i] === 1,
      mrrNowCents: coverage.contracts ? (f.mrr_now ?? 0) : null,
      mrrQuarterAgoCents: coverage.contracts ? (f.mrr_before ?? 0) : null,
      probabilityAlive: valuation.probabilityAlive[i],
      // Purchase gaps speak of buying habits: transactional accounts (a contract bills on its own schedule).
      daysSinceLastPurchase: transactional ? f.days_since : null,
      medianGapDays: transactional ? f.median_gap : null,
      gaps: transactional ? f.gaps : 0,
      latestNps: f.nps,
      keyAccount: f.key_account,
      valueCents: valuation.valueCents[i],
    };
  });
}
