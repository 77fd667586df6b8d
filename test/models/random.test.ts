/**
 * Direct tests of the seeded samplers (src/lib/random.ts). Each moment is checked against its
 * exact value within 4 standard errors of the sample statistic (a false alarm about 1 in 16,000
 * per check), with the standard errors from the distribution's own moments:
 * SE(mean) = σ/√n, SE(variance) ≈ σ² √((κ − 1)/n) with κ the kurtosis.
 */
import { describe, expect, it } from "vitest";
import {
  bernoulli,
  beta,
  createRng,
  exponential,
  gamma,
  normal,
  pickWeighted,
  poisson,
  randomInt,
  uniform,
  type Rng,
} from "../../src/lib/random.js";

const N = 200_000;

function moments(draw: () => number, n = N): { mean: number; variance: number } {
  let m = 0,
    m2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    const d = x - m;
    m += d / (i + 1);
    m2 += d * (x - m);
  }
  return { mean: m, variance: m2 / (n - 1) };
}

/** Checks the sample mean and variance against (mean, variance) with kurtosis κ. */
function expectMoments(draw: () => number, mean: number, variance: number, kurtosis: number, n = N): void {
  const s = moments(draw, n);
  expect(Math.abs(s.mean - mean)).toBeLessThan(4 * Math.sqrt(variance / n));
  expect(Math.abs(s.variance - variance)).toBeLessThan(4 * variance * Math.sqrt((kurtosis - 1) / n));
}

describe("seeded generator", () => {
  it("gives the same sequence for the same seed and unrelated sequences for nearby seeds", () => {
    const seq = (rng: Rng) => Array.from({ length: 1000 }, () => rng.next());
    expect(seq(createRng(42))).toEqual(seq(createRng(42)));
    const a = seq(createRng(1)),
      b = seq(createRng(2));
    expect(a.filter((v, i) => v === b[i])).toHaveLength(0);
    // correlation of the two streams within 4/√n of 0
    const ma = a.reduce((s, v) => s + v, 0) / a.length,
      mb = b.reduce((s, v) => s + v, 0) / b.length;
    let sab = 0,
      saa = 0,
      sbb = 0;
    for (let i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) ** 2;
      sbb += (b[i] - mb) ** 2;
    }
    expect(Math.abs(sab / Math.sqrt(saa * sbb))).toBeLessThan(4 / Math.sqrt(a.length));
  });

  it("uses only the low 32 bits of the seed", () => {
    expect(createRng(7).next()).toBe(createRng(7 + 2 ** 32).next());
  });

  it("draws uniforms in [0, 1) with mean 1/2 and variance 1/12", () => {
    const rng = createRng(3);
    let lo = 1,
      hi = 0;
    expectMoments(
      () => {
        const u = rng.next();
        lo = Math.min(lo, u);
        hi = Math.max(hi, u);
        return u;
      },
      0.5,
      1 / 12,
      9 / 5,
    );
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    const r2 = createRng(4);
    expectMoments(() => uniform(r2, -2, 6), 2, 64 / 12, 9 / 5);
  });

  it("draws integers uniformly over [lo, hi], both ends included", () => {
    const rng = createRng(5);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[randomInt(rng, 3, 8) - 3]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(4 * Math.sqrt(60_000 * (1 / 6) * (5 / 6)));
  });
});

describe("continuous samplers", () => {
  it("normal(μ, σ): mean μ, variance σ², kurtosis 3", () => {
    const rng = createRng(6);
    expectMoments(() => normal(rng, 1.5, 2), 1.5, 4, 3);
  });

  it("exponential(rate): mean 1/rate, variance 1/rate², kurtosis 9", () => {
    const rng = createRng(7);
    expectMoments(() => exponential(rng, 2.5), 0.4, 0.16, 9);
  });

  for (const [k, rate] of [
    [0.3, 2],
    [1, 1],
    [6.25, 15.44],
  ]) {
    it(`gamma(shape ${k}, rate ${rate}): mean k/rate, variance k/rate², kurtosis 3 + 6/k`, () => {
      const rng = createRng(8 + k);
      expectMoments(() => gamma(rng, k, rate), k / rate, k / rate ** 2, 3 + 6 / k);
    });
  }

  it("gamma rejects a non-positive shape or rate", () => {
    const rng = createRng(1);
    expect(() => gamma(rng, 0, 1)).toThrow(/invalid gamma parameters/);
    expect(() => gamma(rng, 1, -1)).toThrow(/invalid gamma parameters/);
  });

  for (const [a, b] of [
    [0.793, 2.426],
    [5, 1.5],
  ]) {
    it(`beta(${a}, ${b}): mean a/(a + b), variance ab/((a + b)²(a + b + 1))`, () => {
      const rng = createRng(20 + a);
      const m = a / (a + b),
        v = (a * b) / ((a + b) ** 2 * (a + b + 1));
      // kurtosis of Beta(a, b): 3 + 6[(a − b)²(a + b + 1) − ab(a + b + 2)] / (ab(a + b + 2)(a + b + 3))
      const kurt = 3 + (6 * ((a - b) ** 2 * (a + b + 1) - a * b * (a + b + 2))) / (a * b * (a + b + 2) * (a + b + 3));
      expectMoments(() => beta(rng, a, b), m, v, kurt);
    });
  }
});

describe("discrete samplers", () => {
  for (const mean of [0.7, 12, 800]) {
    it(`poisson(${mean}): mean and variance ${mean}, kurtosis 3 + 1/mean`, () => {
      const rng = createRng(30 + mean);
      expectMoments(() => poisson(rng, mean), mean, mean, 3 + 1 / mean, 100_000);
    });
  }

  it("poisson(0) is 0", () => {
    expect(poisson(createRng(1), 0)).toBe(0);
  });

  it("bernoulli(p) is true with frequency p", () => {
    const rng = createRng(40);
    let k = 0;
    for (let i = 0; i < N; i++) if (bernoulli(rng, 0.3)) k++;
    expect(Math.abs(k / N - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / N));
  });

  it("pickWeighted chooses items in proportion to their weights, never a zero-weight item", () => {
    const rng = createRng(41);
    const items = ["a", "b", "c", "d"];
    const weights = [1, 0, 3, 6];
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const it = pickWeighted(rng, items, weights);
      counts.set(it, (counts.get(it) ?? 0) + 1);
    }
    expect(counts.get("b")).toBeUndefined();
    weights.forEach((w, i) => {
      const p = w / 10;
      if (p > 0) expect(Math.abs((counts.get(items[i]) ?? 0) / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
    });
  });
});
