import { describe, expect, it } from "vitest";
import { quantileSelect, quantileSorted } from "../../src/lib/models/quantiles.js";
import { createRng } from "../../src/lib/random.js";

describe("type-7 quantiles", () => {
  it("interpolates between order statistics: (n − 1)q = 1.5 of [1, 2, 4, 8] is halfway from 2 to 4", () => {
    expect(quantileSorted([1, 2, 4, 8], 0.5)).toBe(3);
    expect(quantileSorted([1, 2, 4, 8], 0)).toBe(1);
    expect(quantileSorted([1, 2, 4, 8], 1)).toBe(8);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it("selects type-7 quantiles equal to those of the fully sorted sample", () => {
    const rng = createRng(9);
    for (const n of [1, 2, 7, 200, 201]) {
      const v = Float64Array.from({ length: n }, () => Math.floor(rng.next() * 50));
      const sorted = Float64Array.from(v).sort();
      for (const q of [0, 0.1, 0.5, 0.9, 1]) {
        const h = (n - 1) * q,
          lo = Math.floor(h),
          hi = Math.min(n - 1, lo + 1);
        expect(quantileSelect(Float64Array.from(v), q)).toBeCloseTo(
          sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]),
          12,
        );
      }
    }
  });
});
