import { describe, expect, it } from "vitest";
import { discountedIncrements, monthLength, monthlyDiscountRate } from "../../src/lib/models/discounting.js";

describe("discounting conventions", () => {
  it("converts an annual discount rate to the equivalent monthly one, (1 + d_m)^12 = 1 + d", () => {
    expect(Math.pow(1 + monthlyDiscountRate(0.1), 12)).toBeCloseTo(1.1, 14);
    expect(monthLength("weeks")).toBeCloseTo(365.25 / 12 / 7, 14);
  });

  it("discounts the monthly increments of a cumulative expectation: Σ_k [E(kΔ) − E((k−1)Δ)] vᵏ", () => {
    // E(t) = t² with Δ = 1, v = 0.5: increments 1, 3, 5 → 1/2 + 3/4 + 5/8 = 1.875.
    expect(discountedIncrements((t) => t * t, 1, 3, 0.5)).toBeCloseTo(1.875, 14);
    // A linear E is an annuity: 2Δ Σ vᵏ.
    expect(discountedIncrements((t) => 2 * t, 0.5, 2, 0.9)).toBeCloseTo(0.9 + 0.81, 14);
    expect(discountedIncrements((t) => t, 1, 0, 0.9)).toBe(0);
  });
});
