/**
 * The registry of measures: one definition per figure, shown one click away from the number
 * on every page that shows it, written into the CSV exports, and named in the DOM
 * (`data-metric="<key in kebab case>"`) so the agreement test (test/pages/agreement.test.ts)
 * can find each figure on every page. Each text must say the same as the code that computes
 * it (./overview.ts, ./populations.ts, ./at-risk.ts, ../valuation, ../analysis/abc.ts).
 *
 * Where two variants of a figure are both useful, they have two entries whose labels say
 * which is which (LTV : CAC on the simple formula and on the model value).
 */
export interface Definition {
  readonly label: string;
  readonly text: string;
  /** Which accounts it counts, in the POPULATIONS vocabulary (or a sentence when none fits). */
  readonly population?: PopulationKey | string;
  /** The time window, e.g. "12 months ending with the as-of month". */
  readonly window?: string;
  readonly unit?: "money" | "ratio" | "share" | "count" | "months" | "years" | "per year";
}

/**
 * The account populations, one vocabulary wherever counts appear (the overview's population
 * card shows the counts that connect them, src/lib/metrics/populations.ts computes them).
 */
export const POPULATIONS = {
  all: {
    label: "Total accounts",
    text: "Every account in the accounts extract, whatever its state.",
  },
  active: {
    label: "Active",
    text: "Subscription accounts with a running contract on the last day of the as-of month; transactional accounts with billed revenue in the 12 months ending with it.",
  },
  billed12m: {
    label: "Billed in the last 12 months",
    text: "Accounts with at least one invoice (credit notes are not invoices) in the 12 months ending with the as-of month: churned subscriptions billed before they left count, running annual contracts billed earlier do not.",
  },
  valuedByModel: {
    label: "Valued by a model",
    text: "Accounts with a model value above zero: a running contract valued by the sBG renewal model, or a transactional account valued by the purchase model (which gives value to every account it thinks may still be alive, bought recently or not). Churned accounts are worth zero.",
  },
  valuedByHistorical: {
    label: "Valued by the historical fallback",
    text: "Accounts no model could value, valued at their trailing margin × the observed retention of their business model.",
  },
} as const satisfies Record<string, Definition>;

export type PopulationKey = keyof typeof POPULATIONS;

/** What the tier "(none)" in filters and tables means (loaders/derive/tables.ts sets it). */
export const NONE_TIER = "(none)";
export const NONE_TIER_TEXT = 'Tier "(none)": accounts without a subscription tier, i.e. transactional buyers.';

/**
 * The at-risk definition for what the data covers: the signs without contracts or NPS
 * answers are left out (a page names no figure for data not provided).
 */
export function atRiskText({ contracts, nps }: { contracts: boolean; nps: boolean }): string {
  const signs = [
    contracts ? "MRR contraction (month-end MRR lower than 3 months before, still above zero)" : null,
    "P(alive) from the purchase model below 50%",
    "no purchase for more than twice the account's usual (median) gap between purchase days and for over 30 days",
    nps ? "a latest NPS answer in the last 12 months of 0–6 (detractor)" : null,
  ].filter((x) => x !== null);
  return `Active accounts showing at least one warning sign on the as-of date: ${signs.slice(0, -1).join(", ")} or ${signs[signs.length - 1]}. No key-account manager is added as a reason when it applies, not a sign of its own. Listed by model value at stake, largest first. The signs are what the data shows now; a change of model value since last quarter needs a refit at the earlier date.`;
}

/** The element attribute that names a figure for the agreement test: `data-metric="customer-value"`. */
export function metricId(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export const DEFINITIONS = {
  activeBuyers: {
    label: "Active buyers",
    text: "Transactional accounts (no contract) with at least one order in the 12 months ending with the as-of month. An order is an invoice; credit notes are not orders.",
  },
  repeatPurchaseRate: {
    label: "Repeat-purchase rate",
    text: "Share of the active buyers with two or more orders in the last 12 months.",
  },
  purchaseFrequency: {
    label: "Purchase frequency",
    text: "Orders in the last 12 months ÷ active buyers: how often a buyer ordered in the year.",
  },
  averageOrderValue: {
    label: "Average order value",
    text: "Net billed revenue of the transactional accounts in the last 12 months (credit notes subtracted) ÷ their orders in those months.",
  },
  purchaseRetention: {
    label: "Repeat-purchase retention by acquisition cohort",
    text: "Accounts grouped by the period they were acquired in; for each complete period since: the share of the cohort that ordered in that period (repeat-purchase retention), and the cohort's net billed revenue in it ÷ its revenue in the acquisition period (revenue retention from invoices). Transactional accounts only.",
  },
  activeAccounts: {
    label: "Active accounts",
    text: "Accounts active on the as-of date: subscription accounts with a running contract (MRR > 0) on the last day of the month; transactional accounts with billed revenue in the last 12 months.",
  },
  arr: {
    label: "ARR",
    text: "Annual recurring revenue: 12 × MRR, where MRR is the sum of the monthly recurring revenue of every contract running on the as-of date. Transactional purchases are not recurring and are not included.",
  },
  t12mRevenue: {
    label: "Revenue, last 12 months",
    text: "Net billed revenue in the 12 months ending with the as-of month: every invoice line, minus credit notes, by invoice date. Growth compares it with the 12 months before.",
  },
  grossMargin: {
    label: "Gross margin",
    text: "(Revenue − cost of goods − cost to serve) ÷ revenue over the last 12 months. Cost of goods is quantity × the product's unit cost; cost to serve is hours booked on accounts × the role's hourly cost.",
  },
  grossMarginGoods: {
    label: "Gross margin",
    text: "(Revenue − cost of goods) ÷ revenue over the last 12 months. Cost of goods is each line's cost when the export gives it (or revenue − profit), else quantity × the product's unit cost. No time entries were provided, so no cost of serving accounts is subtracted.",
  },
  ordersPerMonth: {
    label: "Orders per month",
    text: "Invoices issued per month (credit notes are not orders), by invoice date.",
  },
  modelValue: {
    label: "Customer base value",
    population: "valuedByModel",
    window: "the valuation horizon from the as-of date (5 years unless configured otherwise)",
    unit: "money",
    text: "The headline customer value: the margin the current customers are expected to bring over the valuation horizon (5 years unless configured otherwise), discounted at the configured annual rate. Subscription accounts: each running contract's margin per billing period × the chance it is still renewed, from a shifted-beta-geometric (sBG) model fitted per billing term, tier and size. Transactional accounts: expected purchases from the purchase model that forecast the last year best (BG/NBD, MBG/NBD or Pareto/NBD, chosen on the Models page) × expected order value from a Gamma-Gamma model × gross margin. Churned accounts count zero. The range is P10–P90 of the total over 200 draws of the fitted parameters: it shows how sure the models are of the expected value, not the spread of outcomes for single accounts.",
  },
  customerValue: {
    label: "Customer value, simple formula (rule of thumb)",
    population: "active",
    window: "rates of the last 12 months, retention time up to 10 years, undiscounted",
    unit: "money",
    text: "Simple LTV = average sale value × sales per billed account per year × retention time in years (1 ÷ annual logo churn, at most 10 years). CLV = LTV × gross margin. Total = CLV × active accounts. A rule of thumb from practitioners' guides: it treats every active account as average, churn as constant, and neither discounts nor stops at the valuation horizon; quote the model value above it.",
  },
  ltvToCac: {
    label: "LTV : CAC, simple formula",
    population: "acquired in the last 12 months (CAC); every active account as average (LTV)",
    window: "12 months ending with the as-of month",
    unit: "ratio",
    text: "Simple CLV (the rule of thumb: average sale × sales per year × retention years × gross margin) ÷ CAC, where CAC = sales and marketing spend in the last 12 months ÷ accounts acquired in those months. At least 3 : 1 is the usual target. Payback months = CAC ÷ gross margin per billed account per month.",
  },
  ltvToCacModel: {
    label: "LTV : CAC, model value",
    population: "acquired in the last 12 months",
    window: "accounts acquired in the 12 months ending with the as-of month; their value over the valuation horizon",
    unit: "ratio",
    text: 'Per account acquired in the last 12 months: margin billed to date + its model value (the customer base value\'s models, churned accounts zero) ÷ CAC (sales and marketing spend in the last 12 months ÷ accounts acquired in those months). The same figure as "today" on the Scenarios page, computed by the same code.',
  },
  logoChurn: {
    label: "Logo churn (12 months)",
    text: "Share of the accounts active 12 months before the as-of date that are no longer active on it.",
  },
  revenueRetention: {
    label: "Revenue retention (12 months)",
    text: "Among accounts active 12 months ago that had revenue in the 12 months before: net revenue retention (NRR) = their revenue in the last 12 months ÷ their revenue in the 12 months before; gross revenue retention (GRR) counts each account's revenue only up to its earlier level, so expansion cannot hide churn and contraction.",
  },
  atRisk: {
    label: "Accounts at risk",
    population: "active",
    window: "the last quarter (3 months ending with the as-of month) and the account's own history",
    unit: "count",
    text: atRiskText({ contracts: true, nps: true }),
  },
  abcClasses: {
    label: "ABC classes",
    population: "all",
    window: "12 months ending with the as-of month",
    unit: "count",
    text: 'Every account sorted by its net billed revenue in the last 12 months, largest first: class A until the accounts before it bring the configured A share of the revenue (80% by default), B until the B share (95%), then C; accounts without positive revenue in the window are "none". One set of thresholds (the configuration\'s), one window and every account on every page.',
  },
  concentration: {
    label: "Concentration",
    text: "Accounts with positive revenue in the last 12 months, sorted by that revenue: the share of revenue that the top 20% of them bring.",
  },
  // MRR bridge (src/lib/analysis/mrr-bridge.ts): one entry per step. Per subscription account,
  // MRR at the start month's end against MRR at the end of the end month (the as-of date).
  mrrBridgeStart: {
    label: "MRR at the start",
    text: "Sum of the MRR of every contract running on the last day of the start month (the month 3 or 12 months before the as-of month), over subscription accounts.",
  },
  mrrBridgeNew: {
    label: "New MRR",
    text: "MRR on the end date of accounts that had none at the start and had never had MRR at any month end before: their whole MRR at the end.",
  },
  mrrBridgeExpansion: {
    label: "Expansion",
    text: "Accounts with MRR at both the start and the end, more at the end: the increase (end − start).",
  },
  mrrBridgeContraction: {
    label: "Contraction",
    text: "Accounts with MRR at both the start and the end, less at the end: the decrease (start − end), subtracted.",
  },
  mrrBridgeChurn: {
    label: "Churned MRR",
    text: "Accounts with MRR at the start and none at the end: their whole MRR at the start, subtracted.",
  },
  mrrBridgeReactivation: {
    label: "Reactivation",
    text: "MRR on the end date of accounts that had none at the start but had MRR at an earlier month end (they came back): their whole MRR at the end.",
  },
  mrrBridgeEnd: {
    label: "MRR at the end",
    text: "Sum of the MRR of every contract running on the as-of date, over subscription accounts. Start + new + reactivation + expansion − contraction − churn = end, to the cent; an account whose MRR is the same at both dates (none at either included, even if it had a contract in between) is in no step.",
  },
} as const satisfies Record<string, Definition>;

export type DefinitionKey = keyof typeof DEFINITIONS;
