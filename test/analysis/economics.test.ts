/**
 * The analyst pages' pure code on hand-worked fixtures. Every expected value below is worked
 * out by hand in the comments, not produced by the code under test.
 */
import { describe, expect, it } from "vitest";
import { channelEconomics, nps, wilson } from "../../src/lib/analysis/economics.js";

describe("unit economics by channel", () => {
  it("computes CAC, LTV : CAC and payback months per channel and year", () => {
    // Inbound 2024: spend 1,000,000 ÷ 4 new = CAC 250,000; LTV = (2,000,000 + 6,000,000) ÷ 4 = 2,000,000;
    // ratio 8; monthly margin per account = 1,200,000 ÷ 4 ÷ 12 = 25,000; payback = 250,000 ÷ 25,000 = 10.
    const out = channelEconomics(
      [
        {
          channel: "Inbound",
          period: "2024",
          newAccounts: 4,
          marginToDateCents: 2_000_000,
          predictedCents: 6_000_000,
          marginFirst12Cents: 1_200_000,
        },
      ],
      [
        { channel: "Inbound", period: "2024", spendCents: 600_000 },
        { channel: "Inbound", period: "2024", spendCents: 400_000 },
        { channel: "Partner", period: "2024", spendCents: 500 },
      ],
    );
    expect(out[0]).toEqual({
      channel: "Inbound",
      period: "2024",
      newAccounts: 4,
      spendCents: 1_000_000,
      cacCents: 250_000,
      ltvCents: 2_000_000,
      ltvToCac: 8,
      paybackMonths: 10,
    });
    // Spend without new accounts: CAC undefined, never a division by zero.
    expect(out[1]).toMatchObject({
      channel: "Partner",
      newAccounts: 0,
      spendCents: 500,
      cacCents: null,
      ltvToCac: null,
      paybackMonths: null,
    });
  });
  it("uses the margin to date alone when no model value exists", () => {
    const [r] = channelEconomics(
      [
        {
          channel: "X",
          period: "2023",
          newAccounts: 2,
          marginToDateCents: 900,
          predictedCents: null,
          marginFirst12Cents: 240,
        },
      ],
      [{ channel: "X", period: "2023", spendCents: 300 }],
    );
    // LTV 450, CAC 150 → 3; monthly margin 240 ÷ 2 ÷ 12 = 10 → payback 15.
    expect(r).toMatchObject({ ltvCents: 450, cacCents: 150, ltvToCac: 3, paybackMonths: 15 });
  });
  it("computes NPS and a Wilson interval", () => {
    expect(nps(5, 2, 10)).toBe(30);
    expect(nps(0, 0, 0)).toBeNull();
    // 8 of 10: the textbook Wilson 95% interval is 0.490 – 0.943.
    const [lo, hi] = wilson(8, 10)!;
    expect(lo).toBeCloseTo(0.4902, 3);
    expect(hi).toBeCloseTo(0.9433, 3);
  });
});
