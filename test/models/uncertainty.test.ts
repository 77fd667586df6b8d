import { describe, expect, it } from "vitest";
import { fitBgnbd } from "../../src/lib/models/bgnbd.js";
import { drawParameters } from "../../src/lib/models/uncertainty.js";
import { createRng } from "../../src/lib/random.js";
import { cdnowWithSpend } from "./helpers.js";

describe("parameter draws", () => {
  const bg = fitBgnbd(cdnowWithSpend());

  it("draws log-parameters whose sample covariance matches covLog (within 5 % on the diagonal)", () => {
    const draws = drawParameters(createRng(1), ["r", "alpha", "a", "b"], bg, bg.covLog, 20000);
    const names = ["r", "alpha", "a", "b"] as const;
    names.forEach((k, i) => {
      const v = draws.map((d) => Math.log(d[k]));
      const m = v.reduce((s, x) => s + x, 0) / v.length;
      const varr = v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1);
      expect(m).toBeCloseTo(Math.log(bg[k]), 2);
      expect(Math.abs(varr / bg.covLog![i][i] - 1)).toBeLessThan(0.05);
    });
  });
});
