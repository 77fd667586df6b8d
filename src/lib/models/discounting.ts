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
