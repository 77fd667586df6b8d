/**
 * The overview's MRR bridges (last quarter, last 12 months), computed with the SQL the cohort
 * page's drill-down runs in DuckDB-WASM (src/lib/analysis/mrr-bridge.ts), over the same analyst
 * tables. Totals and account counts only: an aggregate-only build ships them unchanged, and
 * says so, so that the page does not link to account lists that are not published.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  BRIDGE_WINDOWS,
  bridgeSteps,
  impliedEnd,
  mrrBridgeTotals,
  type BridgeTotalsRow,
  type BridgeWindow,
  type MrrBridge,
  type MrrBridgeData,
} from "../../src/lib/analysis/mrr-bridge.js";
import { NO_FILTERS } from "../../src/lib/analysis/sql.js";
import { pageCoverage } from "../../src/lib/page-coverage.js";
import { monthIndexOf } from "../../src/lib/dates.js";
import type { IngestReport } from "../ingest/index.js";
import { STORE_FILES } from "../store.js";
import { openAnalystDb, rows } from "./analyst/tables.js";
import { withholdsAccountRows } from "./publish.js";

export async function buildMrrBridge(storeDir: string): Promise<MrrBridgeData> {
  const report = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.report), "utf8")) as IngestReport;
  const head = {
    asOf: report.asOf,
    asOfMonth: monthIndexOf(report.asOf),
    currency: report.currency,
    aggregateOnly: withholdsAccountRows(storeDir),
  };
  if (!pageCoverage(report).contracts) return { ...head, contracts: false, bridges: [] };
  const { db, asOfMonth } = await openAnalystDb(storeDir);
  try {
    const bridges: MrrBridge[] = [];
    for (const window of Object.keys(BRIDGE_WINDOWS) as BridgeWindow[]) {
      const fromMonth = asOfMonth - BRIDGE_WINDOWS[window];
      const [row] = await rows<BridgeTotalsRow>(db, mrrBridgeTotals(NO_FILTERS, fromMonth, asOfMonth));
      const steps = bridgeSteps(row);
      // Exact by construction (integer cents per account); a mismatch is a bug, not a rounding.
      const end = steps[steps.length - 1].cents;
      if (impliedEnd(steps) !== end)
        throw new Error(`MRR bridge (${window}) does not balance: steps give ${impliedEnd(steps)}, end is ${end}`);
      bridges.push({ window, fromMonth, toMonth: asOfMonth, steps });
    }
    return { ...head, contracts: true, bridges };
  } finally {
    db.close();
  }
}
