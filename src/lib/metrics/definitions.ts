/**
 * Plain-language definitions of every figure on the overview, shown one click away from
 * the number. Each must say the same as the code in ./overview.ts.
 */
export interface Definition {
  readonly label: string;
  readonly text: string;
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
    text: "The margin the current customers are expected to bring over the valuation horizon (5 years unless configured otherwise), discounted at the configured annual rate. Subscription accounts: each running contract's margin per billing period × the chance it is still renewed, from a shifted-beta-geometric (sBG) model fitted per billing term, tier and size. Transactional accounts: expected purchases from the purchase model that forecast the last year best (BG/NBD, MBG/NBD or Pareto/NBD, chosen on the Models page) × expected order value from a Gamma-Gamma model × gross margin. The range is P10–P90 over 200 draws of the fitted parameters: it shows how sure the models are of the expected value, not the spread of outcomes for single accounts. The simple formula below it treats every account as average.",
  },
  customerValue: {
    label: "Customer value (simple CLV)",
    text: "Simple LTV = average sale value × sales per billed account per year × retention time in years (1 ÷ annual logo churn, at most 10 years). CLV = LTV × gross margin. Total = CLV × active accounts. A rule of thumb from practitioners' guides: it assumes every account is average and churn is constant; the model-based value replaces it when the models are fitted.",
  },
  ltvToCac: {
    label: "LTV : CAC",
    text: "Simple CLV ÷ CAC, where CAC = sales and marketing spend in the last 12 months ÷ accounts acquired in those months. At least 3 : 1 is healthy. Payback months = CAC ÷ gross margin per billed account per month.",
  },
  logoChurn: {
    label: "Logo churn (12 months)",
    text: "Share of the accounts active 12 months before the as-of date that are no longer active on it.",
  },
  revenueRetention: {
    label: "Revenue retention (12 months)",
    text: "Among accounts active 12 months ago that had revenue in the 12 months before: net revenue retention (NRR) = their revenue in the last 12 months ÷ their revenue in the 12 months before; gross revenue retention (GRR) counts each account's revenue only up to its earlier level, so expansion cannot hide churn and contraction.",
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
