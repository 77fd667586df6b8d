/**
 * The analyst pages' summary (a few tens of kB at any data size): dictionaries for the segment
 * codes, as-of date, ABC thresholds, spend per channel and year, and each page's first chart for
 * the default view, computed with the same SQL the browser runs once DuckDB-WASM has started.
 */
import path from "node:path";
import * as Q from "../../../src/lib/analysis/sql.js";
import type { AnalystSummary } from "../../../src/lib/analysis/summary.js";
import { literal } from "../../db.js";
import { STORE_FILES } from "../../store.js";
import { openAnalystDb, rows } from "./tables.js";

export async function buildAnalystSummary(storeDir: string): Promise<AnalystSummary> {
  const { db, dictionaries, asOf, asOfMonth, hasModel, thresholds, currency } = await openAnalystDb(storeDir);
  try {
    const none = Q.NO_FILTERS;
    const spend = await rows<{ channel: string; year: number; spend_cents: number }>(db, {
      sql: `SELECT channel, CAST(year(month) AS INTEGER) AS year, CAST(sum(spend_cents) AS DOUBLE) AS spend_cents
        FROM read_parquet(${literal(path.join(storeDir, STORE_FILES.spendMonth))}) GROUP BY ALL ORDER BY ALL`,
      params: [],
    });
    const [{ n }] = await rows<{ n: number }>(db, { sql: "SELECT CAST(count(*) AS INTEGER) AS n FROM accounts", params: [] });
    return {
      asOf,
      asOfMonth,
      currency,
      accounts: n,
      hasModel,
      thresholds,
      dictionaries,
      spend,
      first: {
        triangle: await rows(db, Q.cohortTriangle(none, "year", asOfMonth)),
        movements: await rows(db, Q.movements(none)),
        concentration: await rows(db, Q.concentrationCurve(none)),
        classes: await rows(db, Q.classSummary(none)),
        segments: await rows(db, Q.segmentTable(none, "industry")),
        topAccounts: await rows(db, Q.accountList(none, "", "revenue", 50)),
      },
    };
  } finally {
    db.close();
  }
}
