/**
 * Contract lifetimes on hand-worked cases: survivor counts for the sBG fit, actual survival,
 * and the lifetimes the loaders read from months with MRR.
 */
import { describe, expect, it } from "vitest";
import { lifetimeOf } from "../../loaders/models/contractual.js";
import { empiricalSurvival, survivorCohorts, type Lifetime } from "../../src/lib/models/lifetimes.js";
import { monthIndexOf } from "../../src/lib/dates.js";

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
