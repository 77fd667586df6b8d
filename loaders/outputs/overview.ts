/**
 * The executive overview's data: KPIs, monthly trend and sources, small enough to render
 * the home page without DuckDB-WASM (a few kilobytes at any data size).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { OverviewData } from "../../src/lib/shapes/overview-data.js";
import { monthlyTrend, overviewMetrics } from "../../src/lib/metrics/overview.js";
import { purchaseMetrics } from "../../src/lib/metrics/purchases.js";
import { pageCoverage } from "../../src/lib/page-coverage.js";
import { monthIndexOf, monthLabel } from "../../src/lib/dates.js";
import { openDb } from "../db.js";
import type { IngestReport } from "../ingest/index.js";
import { STORE_FILES } from "../store.js";
import type { ModelsData } from "../../src/lib/shapes/models-data.js";
import { readStoreTables } from "./read-store.js";

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
      coverage: pageCoverage(report),
      kpis,
      purchases: purchaseMetrics(tables.accounts, tables.accountMonth, asOfMonth),
      modelValue:
        models.portfolio.accountsValued > 0
          ? {
              valueCents: models.portfolio.valueCents,
              historicalShare: models.portfolio.historicalShare,
              band: models.portfolio.band,
              outcomeBand: models.portfolio.outcomeBand,
              concentration: models.outcomes.concentration,
              activeAccountsValued: models.portfolio.activeAccountsValued,
              horizonMonths: models.horizonMonths,
              annualDiscountRate: models.annualDiscountRate,
            }
          : null,
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
