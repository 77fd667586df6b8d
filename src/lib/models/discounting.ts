/**
 * Time and discounting conventions of the CLV models: one month = 365.25 / 12 days (30.4375
 * days, 4.348 weeks); an annual discount rate d is converted to the monthly rate
 * d_m = (1 + d)^(1/12) − 1; cash flows of month k (k = 1 … H) are discounted by (1 + d_m)^k.
 */
import { unitDays, type TimeUnit } from "./rfm.js";

/** Days in one month (365.25 / 12). */
export const DAYS_PER_MONTH = 365.25 / 12;

/** Length of one month in `unit` (30.4375 days or 4.348 weeks). */
export function monthLength(unit: TimeUnit): number {
  return DAYS_PER_MONTH / unitDays(unit);
}

/** Monthly rate equivalent to an annual rate: d_m = (1 + d)^(1/12) − 1. */
export function monthlyDiscountRate(annualRate: number): number {
  if (!(annualRate > -1)) throw new RangeError(`invalid annual discount rate: ${annualRate}`);
  return Math.pow(1 + annualRate, 1 / 12) - 1;
}

/**
 * Σ_{k=1}^{H} [E(kΔ) − E((k−1)Δ)] vᵏ: the discounted monthly increments of a cumulative
 * expectation E (E(0) = 0) over H months of length Δ, month k discounted by vᵏ.
 */
export function discountedIncrements(E: (t: number) => number, delta: number, H: number, v: number): number {
  let s = 0,
    vk = 1,
    prev = 0;
  for (let k = 1; k <= H; k++) {
    vk *= v;
    const cur = E(k * delta);
    s += (cur - prev) * vk;
    prev = cur;
  }
  return s;
}
