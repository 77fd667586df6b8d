import { describe, expect, it } from "vitest";
import { simpleClv, simpleLtv } from "../../src/lib/metrics/simple-value.js";

describe("simple LTV and CLV", () => {
  it("computes LTV = sale value × transactions per period × retention periods and CLV = LTV × margin", () => {
    expect(simpleLtv(50, 4, 3)).toBe(600);
    expect(simpleClv(600, 0.25)).toBe(150);
    // A measured margin below 0 (costs above revenue) gives a negative CLV, not an error.
    expect(simpleClv(600, -0.1)).toBeCloseTo(-60, 12);
  });
});
