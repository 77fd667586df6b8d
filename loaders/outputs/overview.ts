/**
 * The executive overview's data: KPIs, monthly trend and sources, small enough to render
 * the home page without DuckDB-WASM (a few kilobytes at any data size).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { OverviewData } from "../../src/lib/metrics/overview-data.js";
import { monthlyTrend, overviewMetrics } from "../../src/lib/metrics/overview.js";
import { monthIndexOf, monthLabel } from "../../src/lib/months.js";
import { openDb } from "../db.js";
import type { IngestReport } from "../ingest/index.js";
import { STORE_FILES } from "../store.js";
import type { ModelsData } from "../../src/lib/valuation/models-data.js";
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
    return {
      asOf: report.asOf,
      asOfSource: report.asOfSource,
      currency: report.currency,
      sources: report.extracts.map((e) => ({ extract: e.extract, file: e.file, rowsRead: e.rowsRead, accepted: e.accepted, quarantined: e.quarantined })),
      kpis,
      modelValue:
        models.portfolio.accountsValued > 0
          ? {
              valueCents: models.portfolio.valueCents,
              band: models.portfolio.band,
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
      },
    };
  } finally {
    db.close();
  }
}
