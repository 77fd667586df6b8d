/**
 * The analyst pages' pure code on hand-worked fixtures. Every expected value below is worked
 * out by hand in the comments, not produced by the code under test.
 */
import { describe, expect, it } from "vitest";
import { abcClasses, concentration, transitionMatrix } from "../../src/lib/analysis/abc.js";

describe("ABC classes", () => {
  // Revenues 50, 30, 10, 5, 5 (total 100), 0 and −3. Revenue before each, largest first:
  // 0 → A, 50 → A (50 < 80), 80 → B (not < 80, < 95), 90 → B, 95 → C; 0 and −3 → none.
  // The two 5s are ordered by position, so index 3 is B and index 4 is C.
  const revenue = [50, 30, 10, 5, 5, 0, -3];
  it("puts the account that crosses the A line in A and splits ties by position", () => {
    expect(abcClasses(revenue, [0.8, 0.95])).toEqual(["A", "A", "B", "B", "C", "none", "none"]);
  });
  it("moves the boundaries with the thresholds", () => {
    // 50/15/35 (thresholds 0.5, 0.65): before 0 → A; 50 → B (not < 50, < 65); 80 → C …
    expect(abcClasses(revenue, [0.5, 0.65])).toEqual(["A", "B", "C", "C", "C", "none", "none"]);
  });
  it("rejects thresholds that are not increasing fractions", () => {
    expect(() => abcClasses(revenue, [0.9, 0.8])).toThrow(/invalid ABC thresholds/);
    expect(() => abcClasses(revenue, [0, 0.8])).toThrow(/invalid ABC thresholds/);
  });
  it("counts class migrations in a from × to matrix", () => {
    const m = transitionMatrix(["A", "A", "B", "none", "C"], ["A", "B", "B", "C", "none"]);
    // rows A, B, C, none; columns A, B, C, none
    expect(m).toEqual([
      [1, 1, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 1, 0],
    ]);
  });
});

describe("revenue concentration", () => {
  it("finds the smallest share of accounts that makes 80% of revenue", () => {
    // 50 + 30 = 80 of 100 after 2 of 5 positive accounts: 40%.
    const c = concentration([5, 50, 0, 10, 30, 5]);
    expect(c.accounts).toBe(5);
    expect(c.accountsForTarget).toBe(2);
    expect(c.shareForTarget).toBe(0.4);
    expect(c.points.map((p) => p.revenueShare)).toEqual([0, 0.5, 0.8, 0.9, 0.95, 1]);
  });
});
