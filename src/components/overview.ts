/**
 * The overview's KPI cards and headline, from `data/overview.json`. Formatting and wording
 * only: every number is computed by the loaders (src/lib/metrics/overview.ts).
 */
import { html } from "htl";
import { formatMoneyCompact, formatNumber, formatPercent, formatRatio } from "../lib/format.js";
import { DEFINITIONS } from "../lib/metrics/definitions.js";
import type { OverviewData } from "../lib/metrics/overview-data.js";
import type { Kpi } from "./kpi.js";

/** LTV : CAC at or above this is healthy (PRODUCT.md: 3–5 : 1 is the usual target). */
export const HEALTHY_LTV_TO_CAC = 3;

export function overviewKpis(data: OverviewData): Kpi[] {
  const { kpis: k, currency } = data;
  const money = (cents: number | null) => formatMoneyCompact(cents, currency);
  const growth = k.revenueGrowth === null ? "no prior year to compare" : `${k.revenueGrowth >= 0 ? "+" : ""}${formatPercent(k.revenueGrowth)} on the 12 months before`;
  return [
    modelValueKpi(data),
    { id: "arr", label: DEFINITIONS.arr.label, value: money(k.arrCents), note: `MRR ${money(k.mrrCents)}`, definition: DEFINITIONS.arr.text },
    { id: "t12m-revenue", label: DEFINITIONS.t12mRevenue.label, value: money(k.t12mRevenueCents), note: growth, definition: DEFINITIONS.t12mRevenue.text },
    { id: "gross-margin", label: DEFINITIONS.grossMargin.label, value: formatPercent(k.grossMargin), note: "after cost of goods and cost to serve", definition: DEFINITIONS.grossMargin.text },
    { id: "active-accounts", label: DEFINITIONS.activeAccounts.label, value: formatNumber(k.activeAccounts), note: `${formatNumber(k.newAccountsT12m)} acquired in the last 12 months`, definition: DEFINITIONS.activeAccounts.text },
    {
      id: "ltv-cac",
      label: DEFINITIONS.ltvToCac.label,
      value: formatRatio(k.ltvToCac),
      note: `CAC ${money(k.cacCents)}; payback ${formatNumber(k.paybackMonths, 1)} months`,
      definition: DEFINITIONS.ltvToCac.text,
      tone: k.ltvToCac === null ? undefined : k.ltvToCac >= HEALTHY_LTV_TO_CAC ? "good" : "bad",
    },
    { id: "logo-churn", label: DEFINITIONS.logoChurn.label, value: formatPercent(k.logoChurn), note: `of ${formatNumber(k.accountsActiveYearAgo)} accounts active a year ago`, definition: DEFINITIONS.logoChurn.text },
    {
      id: "revenue-retention",
      label: DEFINITIONS.revenueRetention.label,
      value: `${formatPercent(k.netRevenueRetention, 0)} net`,
      note: `${formatPercent(k.grossRevenueRetention, 0)} gross`,
      definition: DEFINITIONS.revenueRetention.text,
    },
    {
      id: "simple-clv",
      label: "Customer value, simple formula",
      value: money(k.totalCustomerValueCents),
      note: `${money(k.simpleClvCents)} per account; ${formatNumber(k.retentionYears, 1)} years expected retention`,
      definition: DEFINITIONS.customerValue.text,
    },
  ];
}

/** The model-based value of the customer base with its P10–P90 band (or why it is missing). */
function modelValueKpi({ modelValue: m, currency }: OverviewData): Kpi {
  if (m === null) {
    return { id: "model-value", label: DEFINITIONS.modelValue.label, value: "—", note: "The models could not be fitted on this data; see the Models page.", definition: DEFINITIONS.modelValue.text };
  }
  const money = (cents: number) => formatMoneyCompact(cents, currency);
  return {
    id: "model-value",
    label: DEFINITIONS.modelValue.label,
    value: money(m.valueCents),
    note: `P10–P90 ${money(m.band.p10)} – ${money(m.band.p90)}; next ${m.horizonMonths / 12} years, ${formatPercent(m.annualDiscountRate, 0)} discount`,
    definition: DEFINITIONS.modelValue.text,
  };
}

/** "The top 20% of accounts bring 71% of revenue." as an element with its definition. */
export function concentrationHeadline({ kpis: k }: OverviewData): HTMLElement {
  const { topAccounts, billedAccounts, topShare } = k.concentration;
  return html`<div class="card headline" data-kpi="concentration">
    <p class="headline-text">The top 20% of accounts (${formatNumber(topAccounts)} of ${formatNumber(billedAccounts)}) bring
      <strong data-value>${formatPercent(topShare, 0)}</strong> of revenue over the last 12 months.</p>
    <details class="definition"><summary>Definition</summary><p>${DEFINITIONS.concentration.text}</p></details>
  </div>` as HTMLElement;
}

/** As-of date and which extracts the figures come from, with the rows used from each. */
export function sourcesNote({ asOf, sources }: OverviewData): HTMLElement {
  const accepted = sources.reduce((sum, s) => sum + s.accepted, 0);
  const quarantined = sources.reduce((sum, s) => sum + s.quarantined, 0);
  return html`<details class="sources"><summary>Figures as of <strong data-as-of>${asOf}</strong>, from ${sources.length} CRM extracts
    (${formatNumber(accepted)} rows used${quarantined ? html`, <a href="./quality">${formatNumber(quarantined)} quarantined</a>` : ""}).</summary>
    <ul>${sources.map((s) => html`<li><code>${s.file}</code>: ${formatNumber(s.accepted)} rows${s.quarantined ? `, ${formatNumber(s.quarantined)} quarantined` : ""}</li>`)}</ul>
  </details>` as HTMLElement;
}
