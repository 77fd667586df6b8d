/**
 * Purchase-history figures for accounts without contracts (transactional accounts), from the
 * account × month facts: an order is an invoice (credit notes are not orders; their amounts
 * are in the net revenue). Definitions (also shown on the pages, see ./definitions.ts):
 *
 * - Window: the 12 months ending with the as-of month (T12M).
 * - Active buyers: transactional accounts with at least one order in T12M.
 * - Repeat-purchase rate: active buyers with two or more orders in T12M ÷ active buyers.
 * - Purchase frequency: orders in T12M ÷ active buyers.
 * - Average order value: net billed revenue of transactional accounts in T12M ÷ their orders in T12M.
 *
 * Purchase cohorts: accounts by acquisition period (g months; month, quarter or year); period p
 * covers months [cohort + p·g, cohort + (p + 1)·g − 1] and is reported only when complete (≤ the
 * as-of month). Per cell: buyers (accounts with an order in the period) and the cohort's net
 * revenue in it; repeat-purchase retention = buyers ÷ cohort size, revenue retention =
 * revenue ÷ the cohort's revenue in period 0.
 */
import type { MonthIndex } from "../dates.js";
import type { AccountColumns, AccountMonthColumns } from "./types.js";

export interface PurchaseMetrics {
  readonly activeBuyers: number;
  readonly repeatBuyers: number;
  readonly orders: number;
  readonly revenueCents: number;
  /** Null without active buyers. */
  readonly repeatPurchaseRate: number | null;
  readonly purchaseFrequency: number | null;
  /** Null without orders. */
  readonly averageOrderCents: number | null;
}

/** T12M purchase figures over the transactional accounts. */
export function purchaseMetrics(
  accounts: Pick<AccountColumns, "length" | "businessModel">,
  rows: Pick<AccountMonthColumns, "length" | "account" | "month" | "revenueCents" | "invoices">,
  asOfMonth: MonthIndex,
): PurchaseMetrics {
  const orders = new Float64Array(accounts.length);
  let revenue = 0;
  for (let i = 0; i < rows.length; i++) {
    const m = rows.month[i];
    const a = rows.account[i];
    if (m < asOfMonth - 11 || m > asOfMonth || accounts.businessModel[a] !== "transactional") continue;
    orders[a] += rows.invoices[i];
    revenue += rows.revenueCents[i];
  }
  let buyers = 0,
    repeat = 0,
    total = 0;
  for (let a = 0; a < accounts.length; a++) {
    total += orders[a];
    if (orders[a] >= 1) buyers++;
    if (orders[a] >= 2) repeat++;
  }
  return {
    activeBuyers: buyers,
    repeatBuyers: repeat,
    orders: total,
    revenueCents: revenue,
    repeatPurchaseRate: buyers > 0 ? repeat / buyers : null,
    purchaseFrequency: buyers > 0 ? total / buyers : null,
    averageOrderCents: total > 0 ? revenue / total : null,
  };
}

export interface PurchaseCohortRow {
  /** Month index of the cohort's first month. */
  readonly cohort: number;
  readonly period: number;
  readonly size: number;
  /** Accounts of the cohort with an order in the period. */
  readonly buyers: number;
  /** The cohort's net revenue in the period, cents. */
  readonly revenue_cents: number;
  /** The cohort's net revenue in period 0, cents. */
  readonly base_cents: number;
}

/** Cohort × period purchase cells for a grain of `g` months (see the file's comment), oldest cohort first. */
export function purchaseCohorts(
  accounts: Pick<AccountColumns, "length" | "businessModel" | "acquiredMonth">,
  rows: Pick<AccountMonthColumns, "length" | "account" | "month" | "revenueCents" | "invoices">,
  g: number,
  asOfMonth: MonthIndex,
): PurchaseCohortRow[] {
  const cohortOf = (a: number) => accounts.acquiredMonth[a] - (((accounts.acquiredMonth[a] % g) + g) % g);
  const periods = (cs: number) => Math.floor((asOfMonth - cs + 1) / g); // complete periods
  const sizes = new Map<number, number>();
  for (let a = 0; a < accounts.length; a++) {
    if (accounts.businessModel[a] !== "transactional") continue;
    const cs = cohortOf(a);
    if (periods(cs) > 0) sizes.set(cs, (sizes.get(cs) ?? 0) + 1);
  }
  const cells = new Map<number, Map<number, { buyers: Set<number>; revenue: number }>>();
  for (let i = 0; i < rows.length; i++) {
    const a = rows.account[i];
    if (accounts.businessModel[a] !== "transactional") continue;
    const cs = cohortOf(a);
    if (!sizes.has(cs)) continue;
    // A purchase dated before the acquisition month counts in period 0.
    const p = Math.max(0, Math.floor((rows.month[i] - cs) / g));
    if (p >= periods(cs)) continue;
    const byPeriod = cells.get(cs) ?? new Map();
    cells.set(cs, byPeriod);
    const cell = byPeriod.get(p) ?? { buyers: new Set<number>(), revenue: 0 };
    byPeriod.set(p, cell);
    if (rows.invoices[i] > 0) cell.buyers.add(a);
    cell.revenue += rows.revenueCents[i];
  }
  const out: PurchaseCohortRow[] = [];
  for (const cs of [...sizes.keys()].sort((x, y) => x - y)) {
    const byPeriod = cells.get(cs);
    const base = byPeriod?.get(0)?.revenue ?? 0;
    for (let p = 0; p < periods(cs); p++) {
      const cell = byPeriod?.get(p);
      out.push({
        cohort: cs,
        period: p,
        size: sizes.get(cs)!,
        buyers: cell?.buyers.size ?? 0,
        revenue_cents: cell?.revenue ?? 0,
        base_cents: base,
      });
    }
  }
  return out;
}

export interface PurchaseCell {
  readonly cohort: number;
  readonly period: number;
  readonly size: number;
  /** Buyers in the period ÷ cohort size. */
  readonly repeat: number | null;
  /** Revenue in the period ÷ revenue in period 0 (null when period 0 had none). */
  readonly revenue: number | null;
}

export function purchaseCells(rows: readonly PurchaseCohortRow[]): PurchaseCell[] {
  return rows.map((r) => ({
    cohort: r.cohort,
    period: r.period,
    size: r.size,
    repeat: r.size > 0 ? r.buyers / r.size : null,
    revenue: r.base_cents > 0 ? r.revenue_cents / r.base_cents : null,
  }));
}
