/**
 * Overview metrics on test/fixtures/crm-tiny (as of 2024-12-31), each expected value worked
 * by hand from the CSV files — the arithmetic is in the comments — and not by the code under test.
 *
 * T12M = 2024-01..2024-12, prior window = 2023-01..2023-12.
 * Invoices in T12M: I02 A1 7,600 (6,600 + 1,000) · I04 A2 1,200 · I07 A3 2,000 · I08 A4 12,400
 * (11,400 + 1,000) · credit note I10 A3 −200  → 23,000.00.
 * Prior window: I01 3,300 · I03 1,200 · I05 1,000 · I06 500 · I09 250 → 6,250.00.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOverview, type OverviewData } from "../../loaders/outputs/overview.js";
import { prepare } from "../../loaders/pipeline.js";
import { monthlyTrend, overviewMetrics } from "../../src/lib/metrics/overview.js";
import type { AccountColumns, AccountMonthColumns } from "../../src/lib/metrics/types.js";
import { monthIndexOf } from "../../src/lib/dates.js";
import { TINY } from "../support/fixtures.js";

let data: OverviewData;
const store = mkdtempSync(path.join(os.tmpdir(), "atlas-store-"));

beforeAll(async () => {
  const { storeDir } = await prepare({
    configPath: path.join(TINY, "atlas.config.json"),
    storeDir: store,
    quiet: true,
    force: true,
  });
  data = await buildOverview(storeDir);
});
afterAll(() => rmSync(store, { recursive: true, force: true }));

describe("overview metrics on the tiny CRM, worked by hand", () => {
  it("counts active accounts: A1, A2, A4 by running contracts, A3 by its August purchase; A5 churned in March", () => {
    expect(data.kpis.activeAccounts).toBe(4);
  });

  it("sums MRR of the contracts running on 2024-12-31: C2 1,100 + C4 100 + C5 950 = 2,150; ARR = 25,800", () => {
    expect(data.kpis.mrrCents).toBe(215_000);
    expect(data.kpis.arrCents).toBe(2_580_000);
  });

  it("sums T12M revenue net of the credit note (23,000.00) and the prior window (6,250.00)", () => {
    expect(data.kpis.t12mRevenueCents).toBe(2_300_000);
    expect(data.kpis.prior12mRevenueCents).toBe(625_000);
    expect(data.kpis.revenueGrowth).toBeCloseTo(23_000 / 6_250 - 1, 12);
  });

  it("computes gross margin after goods (5,520) and cost to serve (1,070): 16,410 / 23,000", () => {
    // Goods: 120×10 + 1×600 (I02) + 48×5 (I04) + 20×60 (I07) + 120×15 + 1×600 (I08) − 2×60 (I10) = 5,520.
    // Hours: 4 h × 80 (T1) + 10.5 h × 60 (T2) + 2 h × 60 (T3) = 1,070.
    expect(data.kpis.grossMargin).toBeCloseTo(16_410 / 23_000, 12);
  });

  it("measures logo churn: of A1, A2, A3, A5 active in Dec 2023, A5 is gone → 25%", () => {
    expect(data.kpis.accountsActiveYearAgo).toBe(4);
    expect(data.kpis.logoChurn).toBeCloseTo(0.25, 12);
  });

  it("measures NRR (10,600 / 6,250) and GRR (6,000 / 6,250) on those four accounts", () => {
    // Prior → current: A1 3,300 → 7,600; A2 1,200 → 1,200; A3 1,500 → 1,800; A5 250 → 0.
    expect(data.kpis.netRevenueRetention).toBeCloseTo(10_600 / 6_250, 12);
    expect(data.kpis.grossRevenueRetention).toBeCloseTo((3_300 + 1_200 + 1_500 + 0) / 6_250, 12);
  });

  it("builds simple LTV from 4 invoices on 4 billed accounts and a 4-year retention time", () => {
    expect(data.kpis.invoicesT12m).toBe(4);
    expect(data.kpis.billedAccounts).toBe(4);
    expect(data.kpis.averageSaleCents).toBe(575_000); // 23,000 / 4
    expect(data.kpis.salesPerAccountPerYear).toBe(1);
    expect(data.kpis.retentionYears).toBe(4); // 1 / 0.25
    expect(data.kpis.simpleLtvCents).toBeCloseTo(2_300_000, 6); // 5,750 × 1 × 4
    expect(data.kpis.simpleClvCents).toBeCloseTo(1_641_000, 6); // 23,000 × 16,410 / 23,000
    expect(data.kpis.totalCustomerValueCents).toBeCloseTo(6_564_000, 6); // 16,410 × 4 active accounts
  });

  it("divides T12M spend (3,000 + 500 + 3,000) by the one account acquired in 2024 (A4) for CAC", () => {
    expect(data.kpis.spendT12mCents).toBe(650_000);
    expect(data.kpis.newAccountsT12m).toBe(1);
    expect(data.kpis.cacCents).toBe(650_000);
    expect(data.kpis.ltvToCac).toBeCloseTo(16_410 / 6_500, 12);
    // Monthly gross margin per billed account: 5,750 × 1 × (16,410 / 23,000) / 12 = 341.875.
    expect(data.kpis.paybackMonths).toBeCloseTo(6_500 / 341.875, 9);
  });

  it("finds the top 20% (1 of 4 accounts, A4 with 12,400) bringing 12,400 / 23,000 of revenue", () => {
    expect(data.kpis.concentration).toEqual({ topAccounts: 1, billedAccounts: 4, topShare: 12_400 / 23_000 });
  });

  it("traces active accounts month by month from January 2023", () => {
    // Jan 23: A1 · Feb: +A5 · Mar: +A3 (first order) · Jun: +A2 · Feb 24: +A4 · Apr 24: −A5 (contract ended 31 March).
    expect(data.trend.month[0]).toBe("2023-01");
    expect(data.trend.month.at(-1)).toBe("2024-12");
    expect(data.trend.activeAccounts).toEqual([1, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4]);
    expect(data.trend.arrCents.at(-1)).toBe(2_580_000);
    expect(data.trend.revenueCents.reduce((a, b) => a + b, 0)).toBe(2_925_000); // 23,000 + 6,250
  });
});

describe("overview metrics on hand-made columns", () => {
  const m = monthIndexOf("2024-12-01");
  const accounts: AccountColumns = {
    length: 2,
    accountId: ["S", "T"],
    businessModel: ["subscription", "transactional"],
    acquiredMonth: [m - 30, m - 30],
    channel: ["Direct", "Partner"],
  };
  const rows = (entries: Array<[number, number, number, number]>): AccountMonthColumns => ({
    length: entries.length,
    account: entries.map((e) => e[0]),
    month: entries.map((e) => e[1]),
    revenueCents: entries.map((e) => e[2]),
    mrrCents: entries.map((e) => e[3]),
    cogsCents: entries.map(() => 0),
    costToServeCents: entries.map(() => 0),
    invoices: entries.map((e) => (e[2] > 0 ? 1 : 0)),
  });
  const noSpend = { length: 0, month: [], channel: [], spendCents: [] };

  it("keeps a transactional account active for exactly 12 months after a purchase", () => {
    // Purchase in 2023-12 (m − 12): active from 2023-12 through 2024-11, not in 2024-12.
    const r = rows([[1, m - 12, 1000, 0]]);
    expect(overviewMetrics(accounts, r, noSpend, m).activeAccounts).toBe(0);
    expect(overviewMetrics(accounts, r, noSpend, m - 1).activeAccounts).toBe(1);
    const trend = monthlyTrend(accounts, r, m - 13, m);
    expect(trend.activeAccounts).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
  });

  it("does not count a transactional account twice when purchases overlap", () => {
    const trend = monthlyTrend(
      accounts,
      rows([
        [1, m - 5, 100, 0],
        [1, m - 2, 100, 0],
      ]),
      m - 6,
      m,
    );
    expect(trend.activeAccounts).toEqual([0, 1, 1, 1, 1, 1, 1]);
  });

  it("reports null ratios, not zeros or infinities, when there is nothing to divide by", () => {
    const k = overviewMetrics(accounts, rows([]), noSpend, m);
    expect(k).toMatchObject({
      grossMargin: null,
      logoChurn: null,
      netRevenueRetention: null,
      cacCents: null,
      ltvToCac: null,
      paybackMonths: null,
    });
    expect(k.concentration.topShare).toBeNull();
  });

  it("caps retention time at ten years when nobody churned", () => {
    const r = rows([
      [0, m - 12, 500, 500],
      [0, m, 500, 500],
    ]);
    const k = overviewMetrics(accounts, r, noSpend, m);
    expect(k.logoChurn).toBe(0);
    expect(k.retentionYears).toBe(10);
  });

  it("refuses rows that are not sorted by account", () => {
    expect(() =>
      monthlyTrend(
        accounts,
        rows([
          [1, m, 1, 0],
          [0, m, 1, 1],
        ]),
        m,
        m,
      ),
    ).toThrow(/sorted by account/);
  });
});
