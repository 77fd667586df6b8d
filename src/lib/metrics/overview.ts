/**
 * The executive overview's figures, computed in one pass over account × month facts.
 * Definitions (also shown on the page, see ./definitions.ts):
 *
 * - Window: the 12 months ending with the as-of month (T12M); the prior window is the 12
 *   months before it.
 * - Active at month m: a subscription account with MRR > 0 on the month's last day; a
 *   transactional account with positive billed revenue in the 12 months ending m.
 * - Gross margin % = (revenue − cost of goods − cost to serve) ÷ revenue, over T12M.
 * - Logo churn = 1 − (accounts active both 12 months ago and now) ÷ (accounts active 12 months ago).
 * - NRR = T12M revenue ÷ prior-window revenue of the accounts active 12 months ago (with prior
 *   revenue > 0); GRR caps each account's T12M revenue at its prior revenue.
 * - Simple LTV = average sale value × sales per billed account per year × retention years,
 *   with retention years = 1 ÷ logo churn, capped at MAX_RETENTION_YEARS. CLV = LTV × gross margin.
 * - CAC = T12M sales and marketing spend ÷ accounts acquired in T12M; payback months = CAC ÷
 *   monthly gross margin per billed account.
 */
import type { MonthIndex } from "../dates.js";
import { simpleClv, simpleLtv } from "./simple-value.js";
import type { AccountColumns, AccountMonthColumns, SpendColumns } from "./types.js";

/** Retention time used when churn is (near) zero: a forecast beyond ten years is not credible. */
export const MAX_RETENTION_YEARS = 10;
/** "The top X% of accounts bring Y% of revenue": X. */
export const TOP_SHARE = 0.2;

export interface OverviewMetrics {
  readonly asOfMonth: MonthIndex;
  readonly activeAccounts: number;
  readonly mrrCents: number;
  readonly arrCents: number;
  readonly t12mRevenueCents: number;
  readonly prior12mRevenueCents: number;
  /** T12M revenue ÷ prior-window revenue − 1; null without prior revenue. */
  readonly revenueGrowth: number | null;
  readonly grossMargin: number | null;
  readonly logoChurn: number | null;
  readonly accountsActiveYearAgo: number;
  readonly grossRevenueRetention: number | null;
  readonly netRevenueRetention: number | null;
  readonly billedAccounts: number;
  readonly invoicesT12m: number;
  readonly averageSaleCents: number | null;
  readonly salesPerAccountPerYear: number | null;
  readonly retentionYears: number | null;
  readonly simpleLtvCents: number | null;
  readonly simpleClvCents: number | null;
  readonly totalCustomerValueCents: number | null;
  readonly newAccountsT12m: number;
  readonly spendT12mCents: number;
  readonly cacCents: number | null;
  readonly ltvToCac: number | null;
  readonly paybackMonths: number | null;
  readonly concentration: {
    readonly topAccounts: number;
    readonly billedAccounts: number;
    readonly topShare: number | null;
  };
}

export interface MonthlyTrend {
  readonly month: MonthIndex[];
  readonly revenueCents: number[];
  readonly mrrCents: number[];
  readonly activeAccounts: number[];
}

/**
 * Per account: active on the as-of date (the rule above) and billed (an invoice) in the 12
 * months ending with it. The one home of both rules: the KPIs and the population counts
 * (./populations.ts) use it.
 */
export function accountActivity(
  accounts: AccountColumns,
  rows: AccountMonthColumns,
  asOfMonth: MonthIndex,
): { activeNow: Uint8Array; billed: Uint8Array } {
  const activeNow = new Uint8Array(accounts.length);
  const billed = new Uint8Array(accounts.length);
  for (let i = 0; i < rows.length; i++) {
    const a = rows.account[i];
    const m = rows.month[i];
    if (m > asOfMonth || m < asOfMonth - 11) continue;
    if (accounts.businessModel[a] === "subscription") {
      if (m === asOfMonth && rows.mrrCents[i] > 0) activeNow[a] = 1;
    } else if (rows.revenueCents[i] > 0) activeNow[a] = 1;
    if (rows.invoices[i] > 0) billed[a] = 1;
  }
  return { activeNow, billed };
}

export function overviewMetrics(
  accounts: AccountColumns,
  rows: AccountMonthColumns,
  spend: SpendColumns,
  asOfMonth: MonthIndex,
): OverviewMetrics {
  const n = accounts.length;
  const mrrNow = new Float64Array(n);
  const revCur = new Float64Array(n);
  const revPrev = new Float64Array(n);
  const { activeNow, billed } = accountActivity(accounts, rows, asOfMonth);
  const activeYearAgo = new Uint8Array(n);
  let cogs = 0,
    costToServe = 0,
    invoices = 0;
  const first = asOfMonth - 11;
  const prevFirst = asOfMonth - 23;

  for (let i = 0; i < rows.length; i++) {
    const a = rows.account[i];
    const m = rows.month[i];
    if (m > asOfMonth) continue;
    const revenue = rows.revenueCents[i];
    const subscription = accounts.businessModel[a] === "subscription";
    if (m === asOfMonth) mrrNow[a] = rows.mrrCents[i];
    if (m === asOfMonth - 12 && subscription && rows.mrrCents[i] > 0) activeYearAgo[a] = 1;
    if (m >= first) {
      revCur[a] += revenue;
      cogs += rows.cogsCents[i];
      costToServe += rows.costToServeCents[i];
      invoices += rows.invoices[i];
    } else if (m >= prevFirst) {
      revPrev[a] += revenue;
      if (!subscription && revenue > 0) activeYearAgo[a] = 1;
    }
  }

  let activeAccounts = 0,
    mrr = 0,
    t12m = 0,
    prior = 0,
    startActive = 0,
    retained = 0,
    billedAccounts = 0;
  let nrrNum = 0,
    grrNum = 0,
    rrDen = 0,
    newAccounts = 0;
  const positiveRevenue: number[] = [];
  for (let a = 0; a < n; a++) {
    activeAccounts += activeNow[a];
    mrr += mrrNow[a];
    t12m += revCur[a];
    prior += revPrev[a];
    billedAccounts += billed[a];
    if (revCur[a] > 0) positiveRevenue.push(revCur[a]);
    if (activeYearAgo[a]) {
      startActive++;
      if (activeNow[a]) retained++;
      if (revPrev[a] > 0) {
        rrDen += revPrev[a];
        nrrNum += Math.max(0, revCur[a]);
        grrNum += Math.min(Math.max(0, revCur[a]), revPrev[a]);
      }
    }
    const acquired = accounts.acquiredMonth[a];
    if (acquired >= first && acquired <= asOfMonth) newAccounts++;
  }
  let spendT12m = 0;
  for (let i = 0; i < spend.length; i++) {
    if (spend.month[i] >= first && spend.month[i] <= asOfMonth) spendT12m += spend.spendCents[i];
  }

  const ratio = (num: number, den: number) => (den > 0 ? num / den : null);
  const grossMargin = ratio(t12m - cogs - costToServe, t12m);
  const logoChurn = startActive > 0 ? 1 - retained / startActive : null;
  const retentionYears =
    logoChurn === null ? null : logoChurn > 1 / MAX_RETENTION_YEARS ? 1 / logoChurn : MAX_RETENTION_YEARS;
  const averageSale = ratio(t12m, invoices);
  const salesPerYear = ratio(invoices, billedAccounts);
  const ltv =
    averageSale !== null && salesPerYear !== null && retentionYears !== null
      ? simpleLtv(averageSale, salesPerYear, retentionYears)
      : null;
  const clv = ltv !== null && grossMargin !== null ? simpleClv(ltv, grossMargin) : null;
  const cac = ratio(spendT12m, newAccounts);
  const monthlyMarginPerAccount =
    averageSale !== null && salesPerYear !== null && grossMargin !== null
      ? (averageSale * salesPerYear * grossMargin) / 12
      : null;

  positiveRevenue.sort((x, y) => y - x);
  const topAccounts = Math.ceil(TOP_SHARE * positiveRevenue.length);
  let topRevenue = 0,
    allPositive = 0;
  for (let i = 0; i < positiveRevenue.length; i++) {
    allPositive += positiveRevenue[i];
    if (i < topAccounts) topRevenue += positiveRevenue[i];
  }

  return {
    asOfMonth,
    activeAccounts,
    mrrCents: mrr,
    arrCents: 12 * mrr,
    t12mRevenueCents: t12m,
    prior12mRevenueCents: prior,
    revenueGrowth: prior > 0 ? t12m / prior - 1 : null,
    grossMargin,
    logoChurn,
    accountsActiveYearAgo: startActive,
    grossRevenueRetention: ratio(grrNum, rrDen),
    netRevenueRetention: ratio(nrrNum, rrDen),
    billedAccounts,
    invoicesT12m: invoices,
    averageSaleCents: averageSale,
    salesPerAccountPerYear: salesPerYear,
    retentionYears,
    simpleLtvCents: ltv,
    simpleClvCents: clv,
    totalCustomerValueCents: clv === null ? null : clv * activeAccounts,
    newAccountsT12m: newAccounts,
    spendT12mCents: spendT12m,
    cacCents: cac,
    ltvToCac: clv !== null && cac !== null && cac > 0 ? clv / cac : null,
    paybackMonths:
      cac !== null && monthlyMarginPerAccount !== null && monthlyMarginPerAccount > 0
        ? cac / monthlyMarginPerAccount
        : null,
    concentration: { topAccounts, billedAccounts: positiveRevenue.length, topShare: ratio(topRevenue, allPositive) },
  };
}

/**
 * Revenue, MRR and active accounts for every month from `fromMonth` to `asOfMonth`, with
 * the same activity rule as `overviewMetrics`. Rows must be sorted by account, then month.
 */
export function monthlyTrend(
  accounts: AccountColumns,
  rows: AccountMonthColumns,
  fromMonth: MonthIndex,
  asOfMonth: MonthIndex,
): MonthlyTrend {
  const length = Math.max(0, asOfMonth - fromMonth + 1);
  const revenue = new Array<number>(length).fill(0);
  const mrr = new Array<number>(length).fill(0);
  const active = new Array<number>(length + 1).fill(0); // difference array for transactional coverage, then counts
  let lastAccount = -1;
  let coveredUntil = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const a = rows.account[i];
    const m = rows.month[i];
    if (a !== lastAccount) {
      if (a < lastAccount) throw new Error("account × month rows must be sorted by account");
      lastAccount = a;
      coveredUntil = -Infinity;
    }
    if (m > asOfMonth) continue;
    const k = m - fromMonth;
    if (k >= 0) {
      revenue[k] += rows.revenueCents[i];
      mrr[k] += rows.mrrCents[i];
    }
    if (accounts.businessModel[a] === "subscription") {
      if (k >= 0 && rows.mrrCents[i] > 0) {
        active[k]++;
        active[k + 1]--;
      }
    } else if (rows.revenueCents[i] > 0) {
      // Covered (active) from this month through the 11 months after it.
      const start = Math.max(m, coveredUntil + 1) - fromMonth;
      const end = Math.min(m + 11, asOfMonth) - fromMonth;
      if (end >= Math.max(0, start)) {
        active[Math.max(0, start)]++;
        active[end + 1]--;
      }
      coveredUntil = Math.max(coveredUntil, m + 11);
    }
  }
  const activeAccounts: number[] = [];
  let running = 0;
  for (let k = 0; k < length; k++) {
    running += active[k];
    activeAccounts.push(running);
  }
  return {
    month: Array.from({ length }, (_, k) => fromMonth + k),
    revenueCents: revenue,
    mrrCents: mrr,
    activeAccounts,
  };
}
