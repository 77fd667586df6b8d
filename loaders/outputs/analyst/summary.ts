/**
 * The analyst pages' summary (a few tens of kB at any data size): dictionaries for the segment
 * codes, as-of date, ABC thresholds, spend per channel and year, and each page's first chart for
 * the default view, computed with the same SQL the browser runs once DuckDB-WASM has started.
 *
 * In an aggregate-only store (loaders/outputs/publish.ts) the per-account parts go: the top
 * accounts list is empty, and the concentration curve keeps only points that close a group of
 * at least CURVE_MIN_GROUP accounts (`coarseConcentration`), so no two points differ by one
 * account's revenue. Everything else is a sum or a count over accounts and stays.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { purchaseCohorts } from "../../../src/lib/metrics/purchases.js";
import { pageCoverage } from "../../../src/lib/page-coverage.js";
import type { IngestReport } from "../../ingest/index.js";
import { readStoreTables } from "../read-store.js";
import { defaultBreakdownDim } from "../../../src/lib/analysis/url-state.js";
import * as Q from "../../../src/lib/analysis/sql.js";
import type { AnalystSummary, ConcentrationRow } from "../../../src/lib/shapes/analyst-summary.js";
import { literal } from "../../db.js";
import { STORE_FILES } from "../../store.js";
import { withholdsAccountRows } from "../publish.js";
import { openAnalystDb, rows } from "./tables.js";

/** Fewest accounts between two points of the concentration curve in an aggregate-only build. */
export const CURVE_MIN_GROUP = 10;

export async function buildAnalystSummary(storeDir: string): Promise<AnalystSummary> {
  const aggregateOnly = withholdsAccountRows(storeDir);
  const { db, dictionaries, asOf, asOfMonth, hasModel, thresholds, currency } = await openAnalystDb(storeDir);
  try {
    const none = Q.NO_FILTERS;
    const spend = await rows<{ channel: string; year: number; spend_cents: number }>(db, {
      sql: `SELECT channel, CAST(year(month) AS INTEGER) AS year, CAST(sum(spend_cents) AS DOUBLE) AS spend_cents
        FROM read_parquet(${literal(path.join(storeDir, STORE_FILES.spendMonth))}) GROUP BY ALL ORDER BY ALL`,
      params: [],
    });
    const [{ n }] = await rows<{ n: number }>(db, {
      sql: "SELECT CAST(count(*) AS INTEGER) AS n FROM accounts",
      params: [],
    });
    const concentration = await rows<ConcentrationRow>(db, Q.concentrationCurve(none));
    const report = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.report), "utf8")) as IngestReport;
    const coverage = pageCoverage(report);
    const defaultBy = defaultBreakdownDim(coverage.attributes);
    let cohorts: AnalystSummary["purchaseCohorts"] = null;
    if (!coverage.contracts) {
      const tables = await readStoreTables(db, storeDir);
      cohorts = {
        year: purchaseCohorts(tables.accounts, tables.accountMonth, 12, asOfMonth),
        quarter: purchaseCohorts(tables.accounts, tables.accountMonth, 3, asOfMonth),
      };
    }
    return {
      asOf,
      asOfMonth,
      currency,
      accounts: n,
      hasModel,
      thresholds,
      aggregateOnly,
      dictionaries,
      coverage,
      defaultBy,
      purchaseCohorts: cohorts,
      spend,
      first: {
        triangle: await rows(db, Q.cohortTriangle(none, "year", asOfMonth)),
        movements: await rows(db, Q.movements(none)),
        concentration: aggregateOnly ? coarseConcentration(concentration) : concentration,
        classes: await rows(db, Q.classSummary(none)),
        segments: await rows(db, Q.segmentTable(none, defaultBy)),
        purchaseSegments: coverage.contracts ? [] : await rows(db, Q.purchaseBySegment(none, defaultBy)),
        topAccounts: aggregateOnly ? [] : await rows(db, Q.accountList(none, "", "revenue", 50)),
      },
    };
  } finally {
    db.close();
  }
}

/**
 * The concentration curve (Q.concentrationCurve's sampled rows) with only the points that
 * close a group of at least `minGroup` accounts, counted from the largest: ranks that are
 * multiples of a step ≥ `minGroup` (and a multiple of the query's own sampling step, so those
 * rows are there) and at least `minGroup` below the last rank, plus the last rank. The 80% mark moves to the first kept point at or past 80% of revenue.
 */
export function coarseConcentration(
  curve: readonly ConcentrationRow[],
  minGroup = CURVE_MIN_GROUP,
  target = 0.8,
): ConcentrationRow[] {
  if (curve.length === 0) return [];
  const n = curve[0].accounts;
  const sampled = Math.max(1, Math.floor(n / 400));
  const step = sampled * Math.ceil(Math.max(minGroup, Math.ceil(n / 100)) / sampled);
  const keep = (rank: number) => rank === n || (rank % step === 0 && n - rank >= minGroup);
  let marked = false;
  return curve
    .filter((r) => keep(r.rank))
    .map((r) => {
      const isTarget = !marked && r.cum_cents >= target * r.total_cents;
      marked ||= isTarget;
      return { ...r, is_target: isTarget };
    });
}
