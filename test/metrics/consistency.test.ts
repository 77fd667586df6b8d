/**
 * The shared definitions behind figures that several pages show, on hand-worked fixtures:
 * the population counts and how they connect, the accounts-at-risk rules, why the rule of
 * thumb and the model value differ, and labels of partial years.
 */
import { describe, expect, it } from "vitest";
import { atRiskAccounts, riskReasons, type RiskInputs } from "../../src/lib/metrics/at-risk.js";
import { DEFINITIONS, POPULATIONS } from "../../src/lib/metrics/definitions.js";
import { yearLabel } from "../../src/lib/metrics/periods.js";
import { populationCounts } from "../../src/lib/metrics/populations.js";
import type { AccountColumns, AccountMonthColumns } from "../../src/lib/metrics/types.js";
import { valueGap } from "../../src/lib/metrics/value-gap.js";
import { formatCount } from "../../src/lib/format.js";

const AS_OF = 100; // a month index

describe("population counts", () => {
  // A: subscription, running contract in the as-of month, invoiced in it.
  // B: transactional, bought 5 months ago.
  // C: subscription, churned 6 months ago (billed in the window, no MRR now).
  // D: transactional, last bought 20 months ago (the purchase model still values it).
  const accounts: AccountColumns = {
    length: 4,
    accountId: ["A", "B", "C", "D"],
    businessModel: ["subscription", "transactional", "subscription", "transactional"],
    acquiredMonth: [50, 60, 70, 40],
    channel: ["x", "x", "x", "x"],
  };
  const rows: AccountMonthColumns = {
    length: 4,
    account: [0, 1, 2, 3],
    month: [AS_OF, AS_OF - 5, AS_OF - 6, AS_OF - 20],
    revenueCents: [100_00, 50_00, 80_00, 30_00],
    cogsCents: [0, 0, 0, 0],
    mrrCents: [100_00, 0, 80_00, 0],
    costToServeCents: [0, 0, 0, 0],
    invoices: [1, 1, 1, 1],
  };

  it("counts each population and the overlaps that connect them", () => {
    expect(populationCounts(accounts, rows, AS_OF, ["model", "model", "none", "model"])).toEqual({
      all: 4,
      active: 2, // A (running), B (bought within 12 months)
      billed12m: 3, // A, B, C
      valuedByModel: 3, // A, B, D
      valuedByHistorical: 0,
      valuedActive: 2, // A, B
      valuedNotActive: 1, // D
      activeNotValued: 0,
      billedNotActive: 1, // C churned during the year
      activeNotBilled: 0,
    });
  });

  it("counts the historical fallback apart from the models", () => {
    const c = populationCounts(accounts, rows, AS_OF, ["historical", "model", "none", "none"]);
    expect([c.valuedByModel, c.valuedByHistorical, c.valuedActive, c.activeNotValued]).toEqual([1, 1, 2, 0]);
  });

  it("has a label and a definition for every population", () => {
    for (const p of Object.values(POPULATIONS)) expect(p.text.length).toBeGreaterThan(20);
  });
});

describe("accounts at risk", () => {
  const base: RiskInputs = {
    accountId: "X",
    accountName: "X Ltd",
    active: true,
    mrrNowCents: 100_00,
    mrrQuarterAgoCents: 100_00,
    probabilityAlive: null,
    daysSinceLastPurchase: null,
    medianGapDays: null,
    gaps: 0,
    latestNps: null,
    keyAccount: true,
    valueCents: 1_000_00,
  };

  it("flags contraction, low P(alive), a long gap and a detractor, each with its numbers", () => {
    expect(riskReasons({ ...base, mrrNowCents: 80_00 })).toEqual([
      { kind: "contraction", fromCents: 100_00, toCents: 80_00 },
    ]);
    // MRR at zero is churn, not contraction.
    expect(riskReasons({ ...base, mrrNowCents: 0 })).toEqual([]);
    expect(riskReasons({ ...base, probabilityAlive: 0.49 })).toEqual([{ kind: "low-p-alive", probabilityAlive: 0.49 }]);
    expect(riskReasons({ ...base, probabilityAlive: 0.5 })).toEqual([]);
    // 61 days since, usual gap 30: over 2 × 30 and over 30 days.
    expect(riskReasons({ ...base, daysSinceLastPurchase: 61, medianGapDays: 30, gaps: 3 })).toEqual([
      { kind: "long-gap", daysSince: 61, usualGapDays: 30 },
    ]);
    expect(riskReasons({ ...base, daysSinceLastPurchase: 60, medianGapDays: 30, gaps: 3 })).toEqual([]);
    // A daily buyer quiet for a week is not at risk (30-day floor), nor one with a single gap (no usual gap).
    expect(riskReasons({ ...base, daysSinceLastPurchase: 7, medianGapDays: 1, gaps: 50 })).toEqual([]);
    expect(riskReasons({ ...base, daysSinceLastPurchase: 200, medianGapDays: 30, gaps: 1 })).toEqual([]);
    expect(riskReasons({ ...base, latestNps: 6 })).toEqual([{ kind: "nps-detractor", score: 6 }]);
    expect(riskReasons({ ...base, latestNps: 7 })).toEqual([]);
  });

  it("adds 'no key-account manager' only to an account with a sign", () => {
    expect(riskReasons({ ...base, keyAccount: false })).toEqual([]);
    expect(riskReasons({ ...base, keyAccount: false, latestNps: 2 })).toEqual([
      { kind: "nps-detractor", score: 2 },
      { kind: "no-key-account" },
    ]);
  });

  it("lists active accounts with a sign, largest value first, and counts all of them", () => {
    const list = atRiskAccounts(
      [
        { ...base, accountId: "A", latestNps: 1, valueCents: 10_00 },
        { ...base, accountId: "B", latestNps: 1, valueCents: 30_00 },
        { ...base, accountId: "C", latestNps: 1, valueCents: 20_00, active: false },
        { ...base, accountId: "D", valueCents: 99_00 },
        { ...base, accountId: "E", latestNps: 1, valueCents: 10_00 },
      ],
      2,
    );
    expect(list.count).toBe(3); // A, B, E (C is not active, D has no sign)
    expect(list.active).toBe(4);
    expect(list.valueCents).toBe(50_00);
    expect(list.accounts.map((a) => a.accountId)).toEqual(["B", "A"]); // A before E: ties by id
  });
});

describe("why the rule of thumb differs from the model value", () => {
  const inputs = {
    simpleCents: 150_00,
    modelCents: 100_00,
    retentionYears: 4,
    activeAccounts: 10,
    valuedAccounts: 12,
    valuedNotActive: 2,
    simpleMargin: 0.6,
    modelMargins: { subscription: 0.7, transactional: 0.4 },
  };

  it("says by how much, and what discounting takes off an even stream of margin", () => {
    // One month at 10% a year: 1 − 1.1^(−1/12) = 0.0079111…
    const oneMonth = valueGap({ ...inputs, horizonMonths: 1, annualDiscountRate: 0.1 });
    expect(oneMonth.difference).toBeCloseTo(0.5, 12);
    expect(oneMonth.discountTakesOff).toBeCloseTo(0.0079111, 6);
    // No discount takes nothing off.
    expect(valueGap({ ...inputs, horizonMonths: 60, annualDiscountRate: 0 }).discountTakesOff).toBe(0);
    // 12 months at 10%: 1 − (v + … + v¹²) ÷ 12, v = 1.1^(−1/12) = 0.992089; the sum is v(1 − 1/1.1) ÷ (1 − v) = 11.4005 → 0.04996
    expect(valueGap({ ...inputs, horizonMonths: 12, annualDiscountRate: 0.1 }).discountTakesOff).toBeCloseTo(
      0.04996,
      4,
    );
  });
});

describe("plain words", () => {
  it("labels the as-of year as partial unless it ends on 31 December", () => {
    expect(yearLabel(2026, "2026-09-30")).toBe("2026 (Jan–Sep, partial)");
    expect(yearLabel(2026, "2026-01-31")).toBe("2026 (Jan, partial)");
    expect(yearLabel(2025, "2026-09-30")).toBe("2025");
    expect(yearLabel(2026, "2026-12-31")).toBe("2026");
  });

  it("makes the noun agree with the count", () => {
    expect(formatCount(1, "account")).toBe("1 account");
    expect(formatCount(1081, "account")).toBe("1,081 accounts");
    expect(formatCount(0, "row")).toBe("0 rows");
  });

  it("names the two LTV : CAC variants so that each says what it is", () => {
    expect(DEFINITIONS.ltvToCac.label).toBe("LTV : CAC, simple formula");
    expect(DEFINITIONS.ltvToCacModel.label).toBe("LTV : CAC, model value");
    expect(DEFINITIONS.customerValue.label).toContain("rule of thumb");
  });
});
