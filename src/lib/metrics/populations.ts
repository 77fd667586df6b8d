/**
 * The account populations of ./definitions.ts POPULATIONS, counted once for every page, with
 * the overlaps that connect them: why 1,081 accounts carry a value when 940 are active, and why
 * 1,033 were billed.
 */
import type { MonthIndex } from "../dates.js";
import { accountActivity } from "./overview.js";
import type { AccountColumns, AccountMonthColumns } from "./types.js";

/** How an account is valued: by a model (sBG or a purchase model), the historical fallback, or not at all. */
export type Valuation = "model" | "historical" | "none";

export interface PopulationCounts {
  readonly all: number;
  readonly active: number;
  readonly billed12m: number;
  readonly valuedByModel: number;
  readonly valuedByHistorical: number;
  /** Valued (either way) and active. */
  readonly valuedActive: number;
  /** Valued but not active: transactional accounts the purchase model thinks may still buy. */
  readonly valuedNotActive: number;
  /** Active but not valued (e.g. a contract no model covers, valued at zero). */
  readonly activeNotValued: number;
  /** Billed in the last 12 months but not active now (churned during the year). */
  readonly billedNotActive: number;
  /** Active but not billed in the last 12 months (an annual contract billed before the window). */
  readonly activeNotBilled: number;
}

/** `valuation[a]` says how account a (index into `accounts`) is valued. */
export function populationCounts(
  accounts: AccountColumns,
  rows: AccountMonthColumns,
  asOfMonth: MonthIndex,
  valuation: ArrayLike<Valuation>,
): PopulationCounts {
  const { activeNow, billed } = accountActivity(accounts, rows, asOfMonth);
  const c = {
    all: accounts.length,
    active: 0,
    billed12m: 0,
    valuedByModel: 0,
    valuedByHistorical: 0,
    valuedActive: 0,
    valuedNotActive: 0,
    activeNotValued: 0,
    billedNotActive: 0,
    activeNotBilled: 0,
  };
  for (let a = 0; a < accounts.length; a++) {
    const active = activeNow[a] === 1;
    const valued = valuation[a] !== "none";
    if (active) c.active++;
    if (billed[a]) c.billed12m++;
    if (valuation[a] === "model") c.valuedByModel++;
    if (valuation[a] === "historical") c.valuedByHistorical++;
    if (valued && active) c.valuedActive++;
    if (valued && !active) c.valuedNotActive++;
    if (!valued && active) c.activeNotValued++;
    if (billed[a] && !active) c.billedNotActive++;
    if (!billed[a] && active) c.activeNotBilled++;
  }
  return c;
}
