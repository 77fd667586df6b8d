/**
 * Contract valuation helpers on hand-worked cases, and the fast retention recursion used by
 * the loaders against the lbeta-based survival of the model library.
 */
import { describe, expect, it } from "vitest";
import { discountedSurvival, lifetimeOf } from "../../loaders/models/contractual.js";
import { sbgSurvival } from "../../src/lib/models/sbg.js";
import { monthlyDiscountRate, sbgClv } from "../../src/lib/models/valuation.js";
import {
  contractValue,
  empiricalSurvival,
  expectedPayments,
  survivorCohorts,
  type Lifetime,
} from "../../src/lib/valuation/contract.js";
import { monthIndexOf } from "../../src/lib/months.js";

const LIFETIMES: Lifetime[] = [
  { periodsObserved: 3, churnedAfter: null }, // active through t = 3
  { periodsObserved: 3, churnedAfter: 1 }, // paid one period, left
  { periodsObserved: 3, churnedAfter: 3 }, // paid three periods, left
  { periodsObserved: 1, churnedAfter: null }, // new, renewed once
];

describe("survivor counts for the sBG fit", () => {
  it("groups accounts by how long they could be observed and counts who is still active", () => {
    // L = 1: [1, 1]. L = 3: [1,1,1,1] + [1,0,0,0] + [1,1,1,0] = [3, 2, 2, 1].
    expect(survivorCohorts(LIFETIMES)).toEqual([
      [1, 1],
      [3, 2, 2, 1],
    ]);
  });

  it("rejects a churn after the observed periods", () => {
    expect(() => survivorCohorts([{ periodsObserved: 2, churnedAfter: 3 }])).toThrow(/invalid churn period/);
  });
});

describe("actual survival (Kaplan–Meier on renewal periods)", () => {
  it("drops accounts that were not observed long enough from the risk set", () => {
    // t = 1: 4 at risk, 1 churned → 3/4. t = 2: 2 at risk (the new account left the risk set), 0 churned.
    // t = 3: 2 at risk, 1 churned → 3/4 × 1/2.
    expect(empiricalSurvival(LIFETIMES, 5)).toEqual([
      { t: 0, atRisk: 4, survival: 1 },
      { t: 1, atRisk: 4, survival: 0.75 },
      { t: 2, atRisk: 2, survival: 0.75 },
      { t: 3, atRisk: 2, survival: 0.375 },
    ]);
  });
});

describe("value of a running contract", () => {
  it("pays the next period only if the account renews: margin × payment × (δ + n)/(γ + δ + n) ÷ (1 + d)", () => {
    // γ = 1, δ = 3, n = 0: P(renew) = 3/4; 0.5 × 100 × 3/4 = 37.5; discounted 10%: 37.5 / 1.1.
    expect(
      contractValue(
        { gamma: 1, delta: 3 },
        { renewals: 0, paymentPerPeriod: 100, periods: 1, margin: 0.5, discountPerPeriod: 0 },
      ),
    ).toBeCloseTo(37.5, 12);
    expect(
      contractValue(
        { gamma: 1, delta: 3 },
        { renewals: 0, paymentPerPeriod: 100, periods: 1, margin: 0.5, discountPerPeriod: 0.1 },
      ),
    ).toBeCloseTo(37.5 / 1.1, 12);
    // Two periods, n = 2: renew 5/6, then 6/7 more: 100 × (5/6 + 5/6 × 6/7) = 100 × (5/6 + 5/7).
    expect(
      contractValue(
        { gamma: 1, delta: 3 },
        { renewals: 2, paymentPerPeriod: 100, periods: 2, margin: 1, discountPerPeriod: 0 },
      ),
    ).toBeCloseTo(100 * (5 / 6 + 5 / 7), 12);
  });

  it("equals the model library's monthly sBG CLV for monthly contracts", () => {
    const p = { gamma: 0.7, delta: 4.2 };
    const ours = contractValue(p, {
      renewals: 7,
      paymentPerPeriod: 950,
      periods: 60,
      margin: 0.7,
      discountPerPeriod: monthlyDiscountRate(0.1),
    });
    expect(ours).toBeCloseTo(sbgClv(p, { renewals: 7, mrr: 950, months: 60, margin: 0.7, annualDiscount: 0.1 }), 9);
  });

  it("is matched by the loaders' retention recursion for any parameters, including δ = ∞", () => {
    for (const p of [
      { gamma: 0.2, delta: 1.1 },
      { gamma: 3.4, delta: 76 },
      { gamma: 0.05, delta: 0.3 },
    ]) {
      for (const n of [0, 1, 12, 40]) {
        const reference = contractValue(p, {
          renewals: n,
          paymentPerPeriod: 1,
          periods: 60,
          margin: 1,
          discountPerPeriod: 0.008,
        });
        expect(discountedSurvival(p, n, 60, 0.008)).toBeCloseTo(reference, 10);
      }
    }
    // No churn at all: 60 discounted payments of 1.
    const annuity = (1 - Math.pow(1.008, -60)) / 0.008;
    expect(discountedSurvival({ gamma: 1, delta: Number.POSITIVE_INFINITY }, 3, 60, 0.008)).toBeCloseTo(annuity, 10);
  });

  it("counts expected payments as the sum of survival ratios", () => {
    const p = { gamma: 1, delta: 3 };
    expect(expectedPayments(p, 0, 2)).toBeCloseTo(sbgSurvival(p, 1) + sbgSurvival(p, 2), 12);
  });
});

describe("lifetimes from months with MRR", () => {
  const account = (term: "monthly" | "annual", start: string, end: string) => ({
    accountId: "A",
    tier: "Pro",
    sizeBand: "Mid",
    billingTerm: term,
    firstStart: monthIndexOf(start),
    firstEnd: monthIndexOf(end),
    currentStart: null,
    mrrCents: 0,
  });
  it("counts months for monthly contracts", () => {
    // Jan–Mar 2024 paid, as of Dec 2024: 11 whole months observable, churned after 3.
    expect(lifetimeOf(account("monthly", "2024-01", "2024-03"), monthIndexOf("2024-12"))).toEqual({
      periodsObserved: 11,
      churnedAfter: 3,
    });
  });
  it("counts years for annual contracts", () => {
    // One year paid (Jan–Dec 2023), as of Sep 2026: 3 whole years observable, churned after 1.
    expect(lifetimeOf(account("annual", "2023-01", "2023-12"), monthIndexOf("2026-09"))).toEqual({
      periodsObserved: 3,
      churnedAfter: 1,
    });
  });
  it("treats a run that reaches the as-of month as still active", () => {
    expect(lifetimeOf(account("monthly", "2024-01", "2024-12"), monthIndexOf("2024-12"))).toEqual({
      periodsObserved: 11,
      churnedAfter: null,
    });
  });
});
