/**
 * The analyst pages' pure code on hand-worked fixtures. Every expected value below is worked
 * out by hand in the comments, not produced by the code under test.
 */
import { describe, expect, it } from "vitest";
import { ALL_COHORTS, pooledRows, survivalFromAges, triangleCells } from "../../src/lib/analysis/cohorts.js";

describe("cohort arithmetic", () => {
  it("turns counts and MRR into logo, gross and net retention", () => {
    const [cell] = triangleCells([
      { cohort: 1, period: 2, size: 4, active: 3, mrr_cents: 330, grr_cents: 270, base_cents: 300 },
    ]);
    expect(cell).toMatchObject({ logo: 0.75, grr: 0.9, nrr: 1.1 });
  });
  it("pools all cohorts per period, weighting each by its accounts and MRR", () => {
    // Cohort 0: 10 accounts, 8 then 6 active; MRR 1000 → 900 (GRR 800). Cohort 12: 30 accounts, 15 active at 1.
    const rows = [
      { cohort: 0, period: 0, size: 10, active: 8, mrr_cents: 1000, grr_cents: 1000, base_cents: 1000 },
      { cohort: 0, period: 1, size: 10, active: 6, mrr_cents: 900, grr_cents: 800, base_cents: 1000 },
      { cohort: 12, period: 0, size: 30, active: 30, mrr_cents: 3000, grr_cents: 3000, base_cents: 3000 },
      { cohort: 12, period: 1, size: 30, active: 15, mrr_cents: 3300, grr_cents: 2400, base_cents: 3000 },
      { cohort: 24, period: 0, size: 5, active: 5, mrr_cents: 500, grr_cents: 500, base_cents: 500 },
    ];
    const [p0, p1] = triangleCells(pooledRows(rows));
    // Period 0: (8 + 30 + 5) / 45; period 1 pools the two cohorts that have it: 21 / 40, not (0.6 + 0.5) / 2.
    expect(p0).toMatchObject({ cohort: ALL_COHORTS, period: 0, size: 45, logo: 43 / 45, nrr: 1 });
    expect(p1).toMatchObject({ period: 1, size: 40, logo: 21 / 40, grr: 3200 / 4000, nrr: 4200 / 4000 });
  });
  it("counts survivors from churn ages, censored at each cohort's horizon", () => {
    // 2020: 3 never churned, 1 churned at age 2, 1 at age 5 → alive 5, 5, 4, 4 (horizon 3).
    const alive = survivalFromAges(
      [
        { year: 2020, age: null, n: 3 },
        { year: 2020, age: 2, n: 1 },
        { year: 2020, age: 5, n: 1 },
        { year: 2021, age: 1, n: 2 },
      ],
      (year) => (year === 2020 ? 3 : 1),
    );
    expect(alive.get(2020)).toEqual([5, 5, 4, 4]);
    expect(alive.get(2021)).toEqual([2, 0]);
  });
});
