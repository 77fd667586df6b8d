/**
 * The models stage on the bundled sample: every account valued once, bands ordered, the
 * portfolio equal to the sum of its accounts — and one subscription and one transactional
 * account re-valued here from the raw CSVs with SQL and the model library's scalar formulas.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOverview } from "../../loaders/outputs/overview.js";
import { prepare } from "../../loaders/pipeline.js";
import { STORE_FILES } from "../../loaders/store.js";
import {
  bgnbdExpectedPurchasesIfAlive,
  bgnbdProbabilityAliveOne,
  type BgnbdParams,
} from "../../src/lib/models/bgnbd.js";
import { gammaGammaExpectedSpendOne } from "../../src/lib/models/gammagamma.js";
import {
  paretoNbdExpectedPurchasesIfAlive,
  paretoNbdProbabilityAliveOne,
  type ParetoNbdParams,
} from "../../src/lib/models/paretonbd.js";
import { sbgSurvival } from "../../src/lib/models/sbg.js";
import type { AccountValue, ModelsData } from "../../src/lib/shapes/models-data.js";
import { REPO } from "../support/fixtures.js";

const SAMPLE = path.join(REPO, "data", "sample");
const store = mkdtempSync(path.join(os.tmpdir(), "atlas-models-store-"));
let models: ModelsData;
let values: AccountValue[];
let instance: DuckDBInstance;
let c: DuckDBConnection;

const csv = (name: string) => `read_csv('${path.join(SAMPLE, `${name}.csv`)}', header = true, auto_detect = true)`;
async function rows<T>(sql: string): Promise<T[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJS() as T[];
}

beforeAll(async () => {
  const { storeDir } = await prepare({ storeDir: store, quiet: true });
  models = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.models), "utf8")) as ModelsData;
  instance = await DuckDBInstance.create(":memory:");
  c = await instance.connect();
  values = await rows<AccountValue>(`SELECT * FROM read_parquet('${path.join(storeDir, STORE_FILES.accountValue)}')`);
}, 300_000);
afterAll(() => {
  c?.closeSync();
  instance?.closeSync();
  rmSync(store, { recursive: true, force: true });
});

describe("the models stage on data/sample", () => {
  it("values every account exactly once", async () => {
    const [{ n }] = await rows<{ n: bigint }>(`SELECT count(*) AS n FROM ${csv("accounts")}`);
    expect(values.length).toBe(Number(n));
    expect(new Set(values.map((v) => v.account_id)).size).toBe(values.length);
    expect(values.filter((v) => v.model === "none")).toEqual([]);
  });

  it("keeps P(alive) in [0, 1] and P10 ≤ P50 ≤ P90 for every account", () => {
    for (const v of values) {
      expect(v.probability_alive).toBeGreaterThanOrEqual(0);
      expect(v.probability_alive).toBeLessThanOrEqual(1);
      expect(v.clv_p10_cents).toBeLessThanOrEqual(v.clv_p50_cents + 1e-9);
      expect(v.clv_p50_cents).toBeLessThanOrEqual(v.clv_p90_cents + 1e-9);
    }
  });

  it("adds account values up to the portfolio value, inside its band", () => {
    const total = values.reduce((s, v) => s + v.clv_cents, 0);
    expect(models.portfolio.valueCents).toBeCloseTo(total, 0);
    expect(models.portfolio.band.p10).toBeLessThan(models.portfolio.valueCents);
    expect(models.portfolio.band.p90).toBeGreaterThan(models.portfolio.valueCents);
  });

  it("gives the overview the same model value", async () => {
    const overview = await buildOverview(store);
    expect(overview.modelValue?.valueCents).toBe(models.portfolio.valueCents);
    expect(overview.modelValue?.band).toEqual(models.portfolio.band);
  });

  it("values a running monthly contract as margin × MRR × Σ S(n+k)/S(n) ÷ (1+d)^k, re-derived from the CSVs", async () => {
    // The largest active monthly account of a segment fitted on its own.
    const fit = models.contractFits.find((f) => f.pooledAt === "segment" && f.billingTerm === "monthly")!;
    const candidates = values.filter((v) => v.model === "sbg" && v.segment === fit.key && v.clv_cents > 0);
    const ids = candidates.map((v) => `'${v.account_id}'`).join(",");
    // MRR on the as-of date, and the first month of the unbroken run of months with a contract that reaches it.
    const [acct] = await rows<{ account_id: string; mrr: number; run_start: string }>(`
      WITH m AS (SELECT account_id, CAST(d AS DATE) AS month, last_day(d) AS month_end
                 FROM (SELECT DISTINCT account_id FROM ${csv("contracts")} WHERE account_id IN (${ids})),
                      range(DATE '2020-10-01', DATE '2026-10-01', INTERVAL 1 MONTH) t(d)),
      covered AS (SELECT m.account_id, m.month, sum(c.mrr) AS mrr FROM m JOIN ${csv("contracts")} c
                  ON c.account_id = m.account_id AND c.start_date <= least(m.month_end, DATE '2026-09-30') AND (c.end_date IS NULL OR c.end_date >= least(m.month_end, DATE '2026-09-30'))
                  GROUP BY ALL HAVING sum(c.mrr) > 0),
      gaps AS (SELECT m.account_id, max(m.month) AS last_gap FROM m LEFT JOIN covered USING (account_id, month) WHERE covered.month IS NULL GROUP BY ALL)
      SELECT c.account_id, CAST(c.mrr AS DOUBLE) AS mrr,
             CAST(coalesce(g.last_gap + INTERVAL 1 MONTH, (SELECT min(month) FROM covered x WHERE x.account_id = c.account_id)) AS VARCHAR) AS run_start
      FROM covered c LEFT JOIN gaps g USING (account_id) WHERE c.month = DATE '2026-09-01' ORDER BY c.mrr DESC, c.account_id LIMIT 1`);
    const start = new Date(`${acct.run_start.slice(0, 10)}T00:00:00Z`);
    const renewals = (2026 - start.getUTCFullYear()) * 12 + (8 - start.getUTCMonth());
    const dm = Math.pow(1.1, 1 / 12) - 1;
    let sum = 0;
    for (let k = 1; k <= 60; k++)
      sum += sbgSurvival(fit, renewals + k) / sbgSurvival(fit, renewals) / Math.pow(1 + dm, k);
    const expected = models.margins.subscription * acct.mrr * 100 * sum;
    const actual = values.find((v) => v.account_id === acct.account_id)!;
    expect(actual.clv_cents).toBeCloseTo(expected, 4);
  });

  it("values a transactional account from its purchase days with the chosen purchase model and Gamma-Gamma, re-derived from the CSVs", async () => {
    const p = models.purchases!;
    // The model that forecast the holdout year best values the accounts (Pareto/NBD on the sample).
    expect(p.purchaseModel).toBe(p.comparison!.chosen);
    expect(p.purchaseModel).toBe("paretonbd");
    const used = p.fits.find((f) => f.used)!.params;
    const ifAlive = (t: number, x: number, T: number) =>
      p.purchaseModel === "paretonbd"
        ? paretoNbdExpectedPurchasesIfAlive(used as unknown as ParetoNbdParams, t, x, T)
        : bgnbdExpectedPurchasesIfAlive(used as unknown as BgnbdParams, t, x, T);
    const alive = (x: number, tx: number, T: number) =>
      p.purchaseModel === "paretonbd"
        ? paretoNbdProbabilityAliveOne(used as unknown as ParetoNbdParams, x, tx, T)
        : bgnbdProbabilityAliveOne(used as unknown as BgnbdParams, x, tx, T);
    const gg = models.purchases!.gammaGamma!;
    const [h] = await rows<{ account_id: string; x: number; tx: number; T: number; zbar: number }>(`
      WITH days AS (
        SELECT i.account_id, i.invoice_date AS d, sum(l.amount) AS amount
        FROM ${csv("invoices")} i JOIN ${csv("invoice_lines")} l USING (invoice_id) JOIN ${csv("accounts")} a USING (account_id)
        WHERE a.business_model = 'transactional' AND i.document_type = 'invoice' GROUP BY ALL HAVING sum(l.amount) > 0),
      firsts AS (SELECT account_id, min(d) AS first FROM days GROUP BY ALL)
      SELECT account_id, CAST(count(*) - 1 AS DOUBLE) AS x,
        CAST(date_diff('day', min(d), max(d)) AS DOUBLE) / 7 AS tx,
        CAST(date_diff('day', min(d), DATE '2026-09-30') AS DOUBLE) / 7 AS T,
        CAST(sum(amount * 100) FILTER (WHERE d > (SELECT first FROM firsts f WHERE f.account_id = days.account_id)) AS DOUBLE) / (count(*) - 1) AS zbar
      FROM days GROUP BY account_id HAVING count(*) > 3 AND max(d) > DATE '2026-01-01' ORDER BY account_id LIMIT 1`);
    const weeksPerMonth = 365.25 / 12 / 7;
    const v = 1 / Math.pow(1.1, 1 / 12);
    let discounted = 0,
      prev = 0;
    for (let k = 1; k <= 60; k++) {
      const cur = ifAlive(k * weeksPerMonth, h.x, h.T);
      discounted += (cur - prev) * Math.pow(v, k);
      prev = cur;
    }
    const expected =
      models.margins.transactional * gammaGammaExpectedSpendOne(gg, h.x, h.zbar) * alive(h.x, h.tx, h.T) * discounted;
    const actual = values.find((x) => x.account_id === h.account_id)!;
    expect(actual.model).toBe(p.purchaseModel);
    expect(actual.clv_cents / expected).toBeCloseTo(1, 6);
    expect(actual.probability_alive).toBeCloseTo(alive(h.x, h.tx, h.T), 9);
  });

  it("lists ACC-001087 (top-decile revenue, valued near zero) as 'model and recent activity disagree', its figures re-derived from the CSVs", async () => {
    // The purchase model gives it P(alive) ≈ 0 (it bought every ~2 days, then nothing for four months): listed, not hidden.
    const listed = models.disagreements.accounts.find((a) => a.accountId === "ACC-001087")!;
    expect(listed).toBeDefined();
    const value = values.find((v) => v.account_id === "ACC-001087")!;
    const [r] = await rows<{ revenue: number; last: string }>(`
      SELECT CAST(sum(l.amount) * 100 AS DOUBLE) AS revenue, CAST(max(i.invoice_date) FILTER (WHERE i.document_type = 'invoice') AS VARCHAR) AS last
      FROM ${csv("invoices")} i JOIN ${csv("invoice_lines")} l USING (invoice_id)
      WHERE i.account_id = 'ACC-001087' AND i.invoice_date >= DATE '2025-10-01' AND i.invoice_date <= DATE '${models.asOf}'`);
    expect(listed.t12mRevenueCents).toBeCloseTo(r.revenue, 0);
    expect(listed.lastPurchase).toBe(r.last);
    expect(listed.daysSinceLastPurchase).toBe((Date.parse(models.asOf) - Date.parse(r.last)) / 86_400_000);
    expect(listed.valueCents).toBe(value.clv_cents);
    expect(listed.valueCents).toBeLessThan(0.01 * listed.t12mMarginCents);
    // top decile of the accounts with revenue in the last 12 months
    const [{ rank, n }] = await rows<{ rank: number; n: number }>(`
      WITH t AS (SELECT i.account_id, sum(l.amount) AS rev FROM ${csv("invoices")} i JOIN ${csv("invoice_lines")} l USING (invoice_id)
        WHERE i.invoice_date >= DATE '2025-10-01' AND i.invoice_date <= DATE '${models.asOf}' GROUP BY ALL HAVING sum(l.amount) > 0)
      SELECT CAST((SELECT count(*) FROM t WHERE rev > (SELECT rev FROM t WHERE account_id = 'ACC-001087')) AS INTEGER) AS rank, CAST((SELECT count(*) FROM t) AS INTEGER) AS n`);
    expect(rank).toBeLessThan(0.1 * n);
  });
});

describe("outcome bands of the models stage on data/sample", () => {
  it("the portfolio's outcome band contains its parameter band around the same value", () => {
    const { band, outcomeBand, valueCents } = models.portfolio;
    expect(outcomeBand.p10).toBeLessThan(band.p10);
    expect(outcomeBand.p90).toBeGreaterThan(band.p90);
    expect(outcomeBand.p10).toBeLessThan(valueCents);
    expect(outcomeBand.p90).toBeGreaterThan(valueCents);
  });

  it("every account has an ordered outcome band; accounts without a model have their value as the band", () => {
    for (const v of values) {
      expect(v.outcome_p10_cents!).toBeLessThanOrEqual(v.outcome_p50_cents!);
      expect(v.outcome_p50_cents!).toBeLessThanOrEqual(v.outcome_p90_cents!);
      if (v.model === "historical" || v.clv_cents === 0) expect(v.outcome_p90_cents).toBe(v.clv_cents);
    }
    // Account randomness: a running contract may churn at the next renewal, so its P10 lies below its parameter P10.
    const sbg = values.filter((v) => v.model === "sbg" && v.clv_cents > 0);
    expect(sbg.filter((v) => v.outcome_p10_cents! < v.clv_p10_cents).length).toBeGreaterThan(0.9 * sbg.length);
  });

  it("segment values add up to the portfolio in every dimension, each with an ordered band", () => {
    const dims = new Set(models.outcomes.bySegment.map((s) => s.dimension));
    expect([...dims]).toEqual(["Industry", "Size", "Region", "Tier", "Channel"]);
    for (const d of dims) {
      const rows = models.outcomes.bySegment.filter((s) => s.dimension === d);
      const sum = rows.reduce((s, r) => s + r.valueCents, 0);
      expect(sum).toBeCloseTo(models.portfolio.valueCents, 0);
      expect(rows.reduce((s, r) => s + r.accounts, 0)).toBe(values.length);
      for (const r of rows) expect(r.outcomeBand.p10).toBeLessThanOrEqual(r.outcomeBand.p90);
    }
  });

  it("names the largest account by value and gives the P10 without it", async () => {
    const c = models.outcomes.concentration;
    const [top] = await rows<{ account_id: string; clv: number }>(
      `SELECT account_id, clv_cents AS clv FROM read_parquet('${path.join(store, STORE_FILES.accountValue)}') ORDER BY clv_cents DESC LIMIT 1`,
    );
    expect(c.largestAccountId).toBe(top.account_id);
    expect(c.largestValueCents).toBe(top.clv);
    expect(c.p10WithoutLargest).toBeLessThan(models.portfolio.outcomeBand.p10);
    expect(c.p10WithoutLargest).toBeGreaterThan(models.portfolio.outcomeBand.p10 - 3 * top.clv);
    expect(c.top10MarginShare).toBeGreaterThan(0);
    expect(c.top10MarginShare).toBeLessThan(1);
  });
});
