/**
 * The analyst pages' pure code on hand-worked fixtures. Every expected value below is worked
 * out by hand in the comments, not produced by the code under test.
 */
import { describe, expect, it } from "vitest";
import { mrrMovements } from "../../src/lib/analysis/mrr.js";

describe("MRR movements", () => {
  it("classifies new, expansion, churn after a gap, reactivation and churn to zero", () => {
    // 100: 0 → 1000 new; 101: → 1500 expansion; 102 unchanged; 103 missing = 0: churn −1500;
    // 105: 0 → 800 reactivation; 106: → 0 churn −800; nothing after (MRR already 0).
    const events = mrrMovements([100, 101, 102, 105, 106], [1000, 1500, 1500, 800, 0], 110);
    expect(events).toEqual([
      { month: 100, mrrCents: 1000, deltaCents: 1000, movement: "new" },
      { month: 101, mrrCents: 1500, deltaCents: 500, movement: "expansion" },
      { month: 103, mrrCents: 0, deltaCents: -1500, movement: "churn" },
      { month: 105, mrrCents: 800, deltaCents: 800, movement: "reactivation" },
      { month: 106, mrrCents: 0, deltaCents: -800, movement: "churn" },
    ]);
  });
  it("records a contraction, and a churn in the month after the last one with MRR when that month is not after the as-of month", () => {
    expect(mrrMovements([100, 101], [500, 300], 105).map((e) => [e.month, e.movement, e.deltaCents])).toEqual([
      [100, "new", 500],
      [101, "contraction", -200],
      [102, "churn", -300],
    ]);
    // Still running at the as-of month: no churn.
    expect(mrrMovements([104, 105], [500, 500], 105).map((e) => e.movement)).toEqual(["new"]);
  });
  it("ignores months after the as-of month and rejects unsorted series", () => {
    expect(mrrMovements([100, 120], [500, 900], 110).map((e) => e.month)).toEqual([100, 101]);
    expect(() => mrrMovements([101, 100], [1, 1], 110)).toThrow(/invalid MRR series/);
  });
});
