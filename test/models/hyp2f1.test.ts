import { describe, expect, it } from "vitest";
import { hyp2f1 } from "../../src/lib/models/hyp2f1.js";
import { lgamma } from "../../src/lib/models/special.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

// Oracles: closed forms from Abramowitz & Stegun 15.1.3–15.1.8 and DLMF 15.4.
describe("hyp2f1", () => {
  it("equals −ln(1 − z)/z for a = b = 1, c = 2 (A&S 15.1.3), including z near 1 and z < 0", () => {
    for (const z of [-50, -3, -0.9, -1e-3, 1e-8, 0.3, 0.5, 0.89, 0.91, 0.99, 0.9999]) {
      expect(rel(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-12);
    }
  });

  it("equals (1 − z)^(−a) when b = c (A&S 15.1.8)", () => {
    for (const [a, b, z] of [
      [0.7, 1.3, 0.95],
      [2.5, 0.4, -4],
      [12.3, 5.1, 0.6],
      [0.25, 3.3, 0.999],
    ]) {
      expect(rel(hyp2f1(a, b, b, z), Math.pow(1 - z, -a))).toBeLessThan(1e-12);
    }
  });

  it("equals arcsin(√z)/√z for (½, ½; 3/2; z) (A&S 15.1.6)", () => {
    for (const z of [0.1, 0.5, 0.95, 0.999]) {
      expect(rel(hyp2f1(0.5, 0.5, 1.5, z), Math.asin(Math.sqrt(z)) / Math.sqrt(z))).toBeLessThan(1e-12);
    }
  });

  it("equals arctan(x)/x for (½, 1; 3/2; −x²), a Pfaff-transformed case (A&S 15.1.5)", () => {
    for (const x of [0.1, 1, 3, 20]) expect(rel(hyp2f1(0.5, 1, 1.5, -x * x), Math.atan(x) / x)).toBeLessThan(1e-12);
  });

  it("equals Gauss's sum Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) at z = 1 (A&S 15.1.20)", () => {
    const [a, b, c] = [0.3, 0.8, 2.6];
    const gauss = Math.exp(lgamma(c) + lgamma(c - a - b) - lgamma(c - a) - lgamma(c - b));
    expect(rel(hyp2f1(a, b, c, 1), gauss)).toBeLessThan(1e-12);
    // and is continuous there: the 1 − z connection formula at z = 1 − 1e−9
    expect(rel(hyp2f1(a, b, c, 1 - 1e-9), gauss)).toBeLessThan(1e-6);
  });

  it("is a terminating polynomial for negative integer a: ₂F₁(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))", () => {
    const [b, c, z] = [1.7, 2.9, 0.8];
    expect(rel(hyp2f1(-2, b, c, z), 1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)))).toBeLessThan(1e-14);
  });

  it("agrees between the series and the 1 − z connection formula on both sides of z = 0.9", () => {
    // BG/NBD-like arguments ₂F₁(r, b; a + b − 1; z) with non-integer c − a − b
    const [a, b, c] = [0.243, 2.426, 0.793 + 2.426 - 1];
    const lo = hyp2f1(a, b, c, 0.9);
    const hi = hyp2f1(a, b, c, 0.9 + 1e-12);
    expect(rel(lo, hi)).toBeLessThan(1e-10);
  });

  it("matches Euler's transformation ₂F₁(a,b;c;z) = (1−z)^(c−a−b) ₂F₁(c−a,c−b;c;z) in the tricky region near 1", () => {
    for (const [a, b, c, z] of [
      [2.3, 3.1, 4.05, 0.97],
      [20.5, 1.6, 21.5, 0.98],
      [0.55, 12.4, 13.4, 0.995],
    ]) {
      const lhs = hyp2f1(a, b, c, z);
      const rhs = Math.pow(1 - z, c - a - b) * hyp2f1(c - a, c - b, c, z);
      expect(rel(lhs, rhs)).toBeLessThan(1e-9);
    }
  });

  it("rejects z > 1 and non-positive integer c with an invalid … error", () => {
    expect(() => hyp2f1(1, 1, 2, 1.5)).toThrow(/invalid hyp2f1 argument z/);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/invalid hyp2f1 argument c/);
  });
});
