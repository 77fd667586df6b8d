/**
 * Purchase-history figures (src/lib/metrics/purchases.ts) on a hand-made account × month
 * table; every expected value is worked out in the comments.
 */
import { describe, expect, it } from "vitest";
import { purchaseCells, purchaseCohorts, purchaseMetrics } from "../../src/lib/metrics/purchases.js";
import type { BusinessModel } from "../../src/lib/metrics/types.js";

const A = 2026 * 12 + 8; // as of September 2026; T12M = October 2025 (A − 11) … September 2026
// 0: transactional, acquired A − 14 (Jul 2025); 1: transactional, A − 3; 2: subscription (ignored);
// 3: transactional, A − 30 (Mar 2024); 4: transactional, Feb 2024.
const accounts = {
  length: 5,
  businessModel: [
    "transactional",
    "transactional",
    "subscription",
    "transactional",
    "transactional",
  ] as BusinessModel[],
  acquiredMonth: [A - 14, A - 3, A - 20, A - 30, 2024 * 12 + 1],
};
// [account, month, net revenue, invoices]; rows sorted by account, then month.
const facts: [number, number, number, number][] = [
  [0, A - 14, 1000, 1],
  [0, A - 5, 400, 2], // two orders of 250 and a credit note of −100 in one month
  [0, A, 300, 1],
  [1, A - 3, 700, 1],
  [2, A - 2, 9999, 1],
  [3, A - 30, 200, 1],
  [3, A - 2, -50, 0], // a credit note only: no order
  [4, 2024 * 12 + 1, 100, 1],
  [4, 2025 * 12 + 1, 50, 1],
];
const rows = {
  length: facts.length,
  account: facts.map((f) => f[0]),
  month: facts.map((f) => f[1]),
  revenueCents: facts.map((f) => f[2]),
  invoices: facts.map((f) => f[3]),
};

describe("purchaseMetrics", () => {
  it("counts buyers, repeat buyers, orders and order value over the transactional accounts' last 12 months", () => {
    // In T12M: account 0 has 3 orders and 700; account 1 has 1 order and 700; account 3 has no
    // order and −50; account 4 nothing; account 2 is a subscription account.
    expect(purchaseMetrics(accounts, rows, A)).toEqual({
      activeBuyers: 2,
      repeatBuyers: 1,
      orders: 4,
      revenueCents: 1350,
      repeatPurchaseRate: 0.5,
      purchaseFrequency: 2,
      averageOrderCents: 337.5,
    });
  });

  it("gives null rates, not zeros or NaN, without buyers or orders", () => {
    expect(purchaseMetrics(accounts, rows, A + 100)).toEqual({
      activeBuyers: 0,
      repeatBuyers: 0,
      orders: 0,
      revenueCents: 0,
      repeatPurchaseRate: null,
      purchaseFrequency: null,
      averageOrderCents: null,
    });
  });
});

describe("purchaseCohorts", () => {
  it("groups accounts by acquisition year and reports complete years only", () => {
    // Cohort 2024 (accounts 3 and 4): 2024 and 2025 are complete. 2024: both ordered, 200 + 100;
    // 2025: account 4 ordered (50); account 3's credit note is in 2026, not complete.
    // Cohort 2025 (account 0): only 2025 is complete: 1000 (its orders of April and September 2026,
    // A − 5 and A, fall in the incomplete year 2026).
    // Cohort 2026 (account 1): no complete year, left out. Account 2: subscription, left out.
    expect(purchaseCohorts(accounts, rows, 12, A)).toEqual([
      { cohort: 2024 * 12, period: 0, size: 2, buyers: 2, revenue_cents: 300, base_cents: 300 },
      { cohort: 2024 * 12, period: 1, size: 2, buyers: 1, revenue_cents: 50, base_cents: 300 },
      { cohort: 2025 * 12, period: 0, size: 1, buyers: 1, revenue_cents: 1000, base_cents: 1000 },
    ]);
  });

  it("uses quarters at a grain of 3 months, with empty periods as zero buyers", () => {
    const q = purchaseCohorts(accounts, rows, 3, A);
    // Account 4 (Feb 2024) and account 3 (Mar 2024) share the cohort 2024 Q1; complete quarters to
    // 2026 Q2 (A is the last month of 2026 Q3: complete too) = 11 periods.
    const c = q.filter((r) => r.cohort === 2024 * 12);
    expect(c.map((r) => r.period)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(c.map((r) => r.buyers)).toEqual([2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]); // Feb 2025 = period 4
    expect(c[10].revenue_cents).toBe(-50); // Jul 2026: 2026 Q3 = period 10
    // Account 0 (Jul 2025 = 2025 Q3): orders in 2025 Q3, 2026 Q2 (Apr) and 2026 Q3 (Sep).
    expect(q.filter((r) => r.cohort === 2025 * 12 + 6).map((r) => [r.period, r.buyers, r.revenue_cents])).toEqual([
      [0, 1, 1000],
      [1, 0, 0],
      [2, 0, 0],
      [3, 1, 400],
      [4, 1, 300],
    ]);
  });

  it("turns cells into repeat-purchase and revenue retention, null when the first period had no revenue", () => {
    expect(purchaseCells(purchaseCohorts(accounts, rows, 12, A))).toEqual([
      { cohort: 2024 * 12, period: 0, size: 2, repeat: 1, revenue: 1 },
      { cohort: 2024 * 12, period: 1, size: 2, repeat: 0.5, revenue: 50 / 300 },
      { cohort: 2025 * 12, period: 0, size: 1, repeat: 1, revenue: 1 },
    ]);
    expect(purchaseCells([{ cohort: 1, period: 0, size: 3, buyers: 0, revenue_cents: 0, base_cents: 0 }])).toEqual([
      { cohort: 1, period: 0, size: 3, repeat: 0, revenue: null },
    ]);
  });
});
