/**
 * selection.ts: every candidate fitted on a calibration period and scored by the mean
 * absolute error of each customer's holdout purchases. The scores are recomputed here from
 * the models' own closed forms (BG/NBD: FHL 2005 eq. 10; Pareto/NBD: SMC 1987 eq. 22) on the
 * published fits, the bookkeeping (ranking, naive reference, left-out models) by hand.
 */
import { describe, expect, it } from "vitest";
import { bgnbdExpectedPurchasesIfAlive, bgnbdProbabilityAliveOne } from "../../src/lib/models/bgnbd.js";
import { paretoNbdExpectedPurchasesIfAlive, paretoNbdProbabilityAliveOne } from "../../src/lib/models/paretonbd.js";
import {
  BGNBD_SPEC,
  PARETONBD_SPEC,
  type PurchaseFit,
  type PurchaseModelSpec,
} from "../../src/lib/models/purchase-models.js";
import type { RfmSummary } from "../../src/lib/models/rfm.js";
import { compareOnHoldout, rankedModels } from "../../src/lib/models/selection.js";
import { createRng, exponential, gamma } from "../../src/lib/random.js";

/** A calibration summary with a holdout: Pareto/NBD customers over 78 weeks, the last 26 held out. */
function simulated(seed: number, n = 1500): RfmSummary {
  const rng = createRng(seed);
  const frequency = new Float64Array(n),
    recency = new Float64Array(n),
    T = new Float64Array(n).fill(52),
    holdout = new Float64Array(n);
  // The Pareto/NBD story over 78 weeks (λ ~ Gamma(0.6, 8), μ ~ Gamma(0.8, 30), lifetime ~ Exp(μ)),
  // split at week 52: calibration x and t_x, then the purchase count of the 26 held-out weeks.
  for (let i = 0; i < n; i++) {
    const lambda = gamma(rng, 0.6, 8);
    const end = Math.min(exponential(rng, gamma(rng, 0.8, 30)), 78);
    for (let t = exponential(rng, lambda); t <= end; t += exponential(rng, lambda)) {
      if (t <= 52) {
        frequency[i]++;
        recency[i] = t;
      } else holdout[i]++;
    }
  }
  return {
    id: Array.from({ length: n }, (_, i) => i),
    frequency,
    recency,
    T,
    monetaryValue: new Float64Array(n),
    frequencyHoldout: holdout,
    durationHoldout: 26,
    unit: "weeks",
  };
}

describe("compareOnHoldout", () => {
  const cal = simulated(7);
  const { comparison, fits } = compareOnHoldout(cal, [BGNBD_SPEC, PARETONBD_SPEC], "2025-01-01", 52);

  it("scores each model by the mean absolute error of its per-customer holdout forecast, recomputed from the closed forms", () => {
    const bg = fits.get("bgnbd")!;
    const pareto = fits.get("paretonbd")!;
    const n = cal.frequency.length;
    let bgError = 0,
      paretoError = 0,
      bgTotal = 0;
    for (let i = 0; i < n; i++) {
      const [x, tx, T, y] = [cal.frequency[i], cal.recency[i], cal.T[i], cal.frequencyHoldout![i]];
      const bgForecast =
        bgnbdProbabilityAliveOne(bg as never, x, tx, T) * bgnbdExpectedPurchasesIfAlive(bg as never, 26, x, T);
      const paretoForecast =
        paretoNbdProbabilityAliveOne(pareto as never, x, tx, T) *
        paretoNbdExpectedPurchasesIfAlive(pareto as never, 26, x, T);
      bgError += Math.abs(bgForecast - y);
      paretoError += Math.abs(paretoForecast - y);
      bgTotal += bgForecast;
    }
    const row = (m: string) => comparison.rows.find((r) => r.model === m)!;
    expect(row("bgnbd").meanAbsoluteError).toBeCloseTo(bgError / n, 9);
    expect(row("paretonbd").meanAbsoluteError).toBeCloseTo(paretoError / n, 9);
    expect(row("bgnbd").expectedTotal).toBeCloseTo(bgTotal, 6);
    expect(comparison.actualTotal).toBe(cal.frequencyHoldout!.reduce((s, v) => s + v, 0));
    expect(comparison.accounts).toBe(n);
    expect(comparison.holdoutLength).toBe(26);
  });

  it("chooses the smallest error, says so with the figures, and ranks the rest", () => {
    const compared = comparison.rows.filter((r) => r.status === "compared");
    expect(compared).toHaveLength(2);
    const best = compared.reduce((a, b) => (a.meanAbsoluteError! <= b.meanAbsoluteError! ? a : b));
    expect(comparison.chosen).toBe(best.model);
    expect(rankedModels(comparison)[0]).toBe(best.model);
    expect(comparison.reason).toContain(`${best.label} forecast each account's purchases in the holdout period best`);
    expect(comparison.reason).toContain(best.meanAbsoluteError!.toFixed(2));
  });

  it("scores the naive forecast (each customer keeps its calibration rate x / T) as a reference", () => {
    let error = 0,
      total = 0;
    for (let i = 0; i < cal.frequency.length; i++) {
      const f = (cal.frequency[i] / 52) * 26;
      error += Math.abs(f - cal.frequencyHoldout![i]);
      total += f;
    }
    expect(comparison.naive.meanAbsoluteError).toBeCloseTo(error / cal.frequency.length, 9);
    expect(comparison.naive.expectedTotal).toBeCloseTo(total, 6);
    // On data from a process with dropout, a model beats the naive forecast.
    const best = comparison.rows.find((r) => r.model === comparison.chosen)!;
    expect(best.meanAbsoluteError!).toBeLessThan(comparison.naive.meanAbsoluteError);
  });

  it("leaves out a model whose fit fails or is not identified, naming why, and still chooses among the rest", () => {
    const broken: PurchaseModelSpec = {
      ...PARETONBD_SPEC,
      fit: () => {
        throw new RangeError("no convergence");
      },
    };
    const boundary: PurchaseModelSpec = {
      ...BGNBD_SPEC,
      name: "boundary" as PurchaseModelSpec["name"],
      label: "Boundary",
      // a = 1e-9: on the edge of its range, so not identified.
      fit: (data) => ({ ...BGNBD_SPEC.fit(data), a: 1e-9 }) as unknown as PurchaseFit,
    };
    const { comparison: c } = compareOnHoldout(cal, [broken, boundary, BGNBD_SPEC], "2025-01-01", 52);
    expect(c.rows.map((r) => r.status)).toEqual(["failed", "not identified", "compared"]);
    expect(c.rows[0].note).toContain("no convergence");
    expect(c.rows[1].note).toMatch(/a = .* edge of its range/);
    expect(c.chosen).toBe("bgnbd");
    expect(c.reason).toContain("the only model identified");
    expect(c.reason).toContain("Pareto/NBD (failed)");
    expect(rankedModels(c)).toEqual(["bgnbd", "paretonbd", "boundary"]);
  });

  it("chooses nothing, and says so, when no model is identified", () => {
    const broken: PurchaseModelSpec = {
      ...BGNBD_SPEC,
      fit: () => {
        throw new RangeError("no data");
      },
    };
    const { comparison: c } = compareOnHoldout(cal, [broken], "2025-01-01", 52);
    expect(c.chosen).toBeNull();
    expect(c.reason).toContain("No purchase model was identified");
  });
});
