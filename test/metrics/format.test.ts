import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatMoneyCompact,
  formatMoneyDecimal,
  formatMoneyExact,
  formatMoneyShort,
  formatPercent,
  formatRatio,
} from "../../src/lib/format.js";

describe("money formatting", () => {
  it("formats exact cents without float error", () => {
    expect(formatMoneyExact(123456789)).toBe("$1,234,567.89");
    expect(formatMoneyExact("-5")).toBe("−$0.05");
    // 0.1 + 0.2 style trap: 30 cents stays 30 cents.
    expect(formatMoneyExact(10 + 20)).toBe("$0.30");
    expect(formatMoneyExact(900719925474099n)).toBe("$9,007,199,254,740.99");
    expect(formatMoneyExact(100, "EUR")).toBe("€1.00");
  });

  it("agrees with decimal.js dividing the cents by 100, for any whole number of cents", () => {
    // The oracle: exact decimal division, then grouping by hand.
    const oracle = (cents: bigint) => {
      const value = new Decimal(cents.toString()).dividedBy(100);
      const [whole, fraction] = value.abs().toFixed(2).split(".");
      return `${value.isNegative() ? "−" : ""}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
    };
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), (cents) => {
        expect(formatMoneyExact(cents)).toBe(oracle(cents));
        if (cents >= BigInt(Number.MIN_SAFE_INTEGER) && cents <= BigInt(Number.MAX_SAFE_INTEGER))
          expect(formatMoneyExact(Number(cents))).toBe(oracle(cents));
      }),
    );
    expect(formatMoneyExact(12.5)).toBe("$0.13");
    expect(formatMoneyExact(-12.5)).toBe("−$0.13");
  });

  it("shows an exact decimal total with every exported decimal", () => {
    expect(formatMoneyDecimal("384.3280")).toBe("$384.328");
    expect(formatMoneyDecimal("-1234567.5")).toBe("−$1,234,567.50");
    expect(formatMoneyDecimal("167590672.51")).toBe("$167,590,672.51");
    expect(formatMoneyDecimal("-0.0020")).toBe("−$0.002");
    expect(formatMoneyDecimal("0.0000")).toBe("$0.00");
    expect(formatMoneyDecimal("-0.00")).toBe("$0.00");
    expect(() => formatMoneyDecimal("1e3")).toThrow(RangeError);
  });

  it("rounds headline amounts to three significant digits", () => {
    expect(formatMoneyCompact(2_580_000)).toBe("$25.8k");
    expect(formatMoneyCompact(123_456_789)).toBe("$1.23M");
    expect(formatMoneyCompact(99_00)).toBe("$99");
    expect(formatMoneyCompact(null)).toBe("—");
  });

  it("shows small amounts such as an order value to the cent, larger ones compact", () => {
    expect(formatMoneyShort(1250)).toBe("$12.50");
    expect(formatMoneyShort(1249.6)).toBe("$12.50");
    expect(formatMoneyShort(-99_999)).toBe("−$999.99");
    expect(formatMoneyShort(100_000)).toBe("$1.00k");
    expect(formatMoneyShort(400_505.59)).toBe("$4.01k");
    expect(formatMoneyShort(null)).toBe("—");
    expect(formatMoneyShort(Number.NaN)).toBe("—");
  });

  it("formats shares and ratios, and a dash for missing values", () => {
    expect(formatPercent(0.7134)).toBe("71.3\u202f%");
    expect(formatPercent(null)).toBe("—");
    expect(formatRatio(2.5246)).toBe("2.5 : 1");
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe("—");
  });
});
