/**
 * The overview's KPI cards and headline, from `data/overview.json`. Formatting and wording
 * only: every number is computed by the loaders (src/lib/metrics/overview.ts).
 */
import { html } from "htl";
import { formatMoneyCompact, formatMoneyShort, formatNumber, formatPercent, formatRatio } from "../lib/format.js";
import { notProvided, type MissingGain } from "../lib/coverage.js";
import { DEFINITIONS, type Definition } from "../lib/metrics/definitions.js";
import type { OverviewData } from "../lib/shapes/overview-data.js";
import type { Kpi } from "./kpi.js";
import { csvDownload, setExportContext } from "./download.js";
import { notProvidedCard } from "./not-provided.js";

/** LTV : CAC at or above this is healthy (PRODUCT.md: 3–5 : 1 is the usual target). */
export const HEALTHY_LTV_TO_CAC = 3;

export function overviewKpis(data: OverviewData): Kpi[] {
  const { kpis: k, currency, coverage: c, purchases: p } = data;
  const money = (cents: number | null) => formatMoneyCompact(cents, currency);
  const growth =
    k.revenueGrowth === null
      ? "no prior year to compare"
      : `${k.revenueGrowth >= 0 ? "+" : ""}${formatPercent(k.revenueGrowth)} on the 12 months before`;
  const missing = (id: string, d: Definition, what: MissingGain): Kpi => ({
    id,
    label: d.label,
    value: "",
    definition: d.text,
    missing: notProvided(what),
  });
  const revenue: Kpi = c.invoices
    ? {
        id: "t12m-revenue",
        label: DEFINITIONS.t12mRevenue.label,
        value: money(k.t12mRevenueCents),
        note: growth,
        definition: DEFINITIONS.t12mRevenue.text,
      }
    : missing("t12m-revenue", DEFINITIONS.t12mRevenue, "invoices");
  const margin: Kpi =
    c.margin === null || !c.invoices
      ? missing("gross-margin", DEFINITIONS.grossMargin, c.invoices ? "cost" : "invoices")
      : c.timeEntries
        ? {
            id: "gross-margin",
            label: DEFINITIONS.grossMargin.label,
            value: formatPercent(k.grossMargin),
            note: "after cost of goods and cost to serve",
            definition: DEFINITIONS.grossMargin.text,
          }
        : {
            id: "gross-margin",
            label: DEFINITIONS.grossMarginGoods.label,
            value: formatPercent(k.grossMargin),
            note: "after cost of goods",
            definition: DEFINITIONS.grossMarginGoods.text,
          };
  // Without contracts, the purchase histories are the business: buyers, repeat rate, frequency, order value.
  const activity: Kpi[] = c.contracts
    ? [
        {
          id: "arr",
          label: DEFINITIONS.arr.label,
          value: money(k.arrCents),
          note: `MRR ${money(k.mrrCents)}`,
          definition: DEFINITIONS.arr.text,
        },
        revenue,
        margin,
        {
          id: "active-accounts",
          label: DEFINITIONS.activeAccounts.label,
          value: formatNumber(k.activeAccounts),
          note: `${formatNumber(k.newAccountsT12m)} acquired in the last 12 months`,
          definition: DEFINITIONS.activeAccounts.text,
        },
      ]
    : [
        revenue,
        margin,
        ...(c.invoices
          ? [
              {
                id: "active-buyers",
                label: DEFINITIONS.activeBuyers.label,
                value: formatNumber(p.activeBuyers),
                note: `${formatNumber(k.newAccountsT12m)} acquired in the last 12 months`,
                definition: DEFINITIONS.activeBuyers.text,
              },
              {
                id: "repeat-purchase-rate",
                label: DEFINITIONS.repeatPurchaseRate.label,
                value: formatPercent(p.repeatPurchaseRate, 0),
                note: `${formatNumber(p.repeatBuyers)} buyers ordered twice or more`,
                definition: DEFINITIONS.repeatPurchaseRate.text,
              },
              {
                id: "purchase-frequency",
                label: DEFINITIONS.purchaseFrequency.label,
                value: formatNumber(p.purchaseFrequency, 1),
                note: `orders per buyer a year (${formatNumber(p.orders)} orders)`,
                definition: DEFINITIONS.purchaseFrequency.text,
              },
              {
                id: "average-order-value",
                label: DEFINITIONS.averageOrderValue.label,
                value: formatMoneyShort(p.averageOrderCents, currency),
                note: "net of credit notes",
                definition: DEFINITIONS.averageOrderValue.text,
              },
            ]
          : [missing("active-buyers", DEFINITIONS.activeBuyers, "invoices")]),
      ];
  const ltvCac: Kpi = !c.spend
    ? missing("ltv-cac", DEFINITIONS.ltvToCac, "marketing_spend")
    : c.margin === null
      ? missing("ltv-cac", DEFINITIONS.ltvToCac, "cost")
      : {
          id: "ltv-cac",
          label: DEFINITIONS.ltvToCac.label,
          value: formatRatio(k.ltvToCac),
          note: `CAC ${money(k.cacCents)}; payback ${formatNumber(k.paybackMonths, 1)} months`,
          definition: DEFINITIONS.ltvToCac.text,
          tone: k.ltvToCac === null ? undefined : k.ltvToCac >= HEALTHY_LTV_TO_CAC ? "good" : "bad",
        };
  const retention: Kpi[] = c.invoices
    ? [
        {
          id: "logo-churn",
          label: DEFINITIONS.logoChurn.label,
          value: formatPercent(k.logoChurn),
          note: `of ${formatNumber(k.accountsActiveYearAgo)} accounts active a year ago`,
          definition: DEFINITIONS.logoChurn.text,
        },
        {
          id: "revenue-retention",
          label: DEFINITIONS.revenueRetention.label,
          value: `${formatPercent(k.netRevenueRetention, 0)} net`,
          note: `${formatPercent(k.grossRevenueRetention, 0)} gross`,
          definition: DEFINITIONS.revenueRetention.text,
        },
      ]
    : [];
  const simple: Kpi =
    c.margin === null || !c.invoices
      ? missing("simple-clv", DEFINITIONS.customerValue, c.invoices ? "cost" : "invoices")
      : {
          id: "simple-clv",
          label: "Customer value, simple formula",
          value: money(k.totalCustomerValueCents),
          note: `${money(k.simpleClvCents)} per account; ${formatNumber(k.retentionYears, 1)} years expected retention`,
          definition: DEFINITIONS.customerValue.text,
        };
  return [modelValueKpi(data), ...activity, ltvCac, ...retention, simple];
}

/** How much of the value no model could give (accounts valued at trailing margin × observed retention). */
function historicalNote(share: number): string {
  if (!(share > 0)) return "";
  if (share >= 1)
    return "; all of it a historical value (trailing margin × observed retention): no model could value these accounts, see the Models page";
  return `; ${formatPercent(share, share < 0.01 ? 1 : 0)} of it a historical value (trailing margin × observed retention) for accounts no model could value`;
}

/** The model-based value of the customer base with its P10–P90 band (or why it is missing). */
function modelValueKpi({ modelValue: m, currency, coverage }: OverviewData): Kpi {
  if (m === null) {
    return {
      id: "model-value",
      label: DEFINITIONS.modelValue.label,
      value: "—",
      note: "The models could not be fitted on this data; see the Models page.",
      definition: DEFINITIONS.modelValue.text,
    };
  }
  const money = (cents: number) => formatMoneyCompact(cents, currency);
  return {
    id: "model-value",
    label: DEFINITIONS.modelValue.label,
    value: money(m.valueCents),
    // Without any cost the models value billings at 100% margin: said, so it is not read as margin.
    note: `P10–P90 ${money(m.band.p10)} – ${money(m.band.p90)}; next ${m.horizonMonths / 12} years, ${formatPercent(m.annualDiscountRate, 0)} discount${coverage.margin === null ? "; billings, not margin: no cost was provided" : ""}${historicalNote(m.historicalShare)}`,
    definition: DEFINITIONS.modelValue.text,
  };
}

/** "The top 20% of accounts bring 71% of revenue." as an element with its definition. */
export function concentrationHeadline({ kpis: k, coverage }: OverviewData): HTMLElement {
  if (!coverage.invoices) return notProvidedCard("Concentration", notProvided("invoices"), "concentration");
  const { topAccounts, billedAccounts, topShare } = k.concentration;
  return html`<div class="card headline" data-kpi="concentration">
    <p class="headline-text">
      The top 20% of accounts (${formatNumber(topAccounts)} of ${formatNumber(billedAccounts)}) bring
      <strong data-value>${formatPercent(topShare, 0)}</strong> of revenue over the last 12 months.
    </p>
    <details class="definition">
      <summary>Definition</summary>
      <p>${DEFINITIONS.concentration.text}</p>
    </details>
  </div>` as HTMLElement;
}

/** As-of date and which extracts the figures come from, with the rows used from each. */
export function sourcesNote({ asOf, sources }: OverviewData): HTMLElement {
  const accepted = sources.reduce((sum, s) => sum + s.accepted, 0);
  const quarantined = sources.reduce((sum, s) => sum + s.quarantined, 0);
  return html`<details class="sources">
    <summary>
      Figures as of <strong data-as-of>${asOf}</strong>, from ${sources.length} CRM extracts (${formatNumber(accepted)}
      rows used${quarantined ? html`, <a href="./quality">${formatNumber(quarantined)} quarantined</a>` : ""}).
    </summary>
    <ul>
      ${sources.map((s) => html`<li><code>${s.file}</code>: ${formatNumber(s.accepted)} rows${s.quarantined ? `, ${formatNumber(s.quarantined)} quarantined` : ""}</li>`)}
    </ul>
  </details>` as HTMLElement;
}

type Charts = typeof import("./trend.js");
type Resize = (render: (width: number) => Node | string) => Node;

/**
 * The overview's trend cards for what the data covers: billed revenue per month (invoices);
 * ARR at month end (contracts) or, without contracts, orders per month; active accounts with
 * the rule that fits the business.
 */
export function trendCards(data: OverviewData, charts: Charts, resize: Resize): HTMLElement {
  const c = data.coverage;
  const card = (title: string, caption: string, chart: (width: number) => Node, id: string) =>
    html`<div class="card" data-trend=${id}>
      <h2>${title}</h2>
      <p class="chart-caption">${caption}</p>
      ${resize((width) => chart(width))}
    </div>`;
  const revenue = c.invoices
    ? card(
        "Billed revenue per month",
        `Net of credit notes, by invoice date${c.contracts ? "; annual contracts show as yearly peaks" : ""}. From invoices and invoice lines.`,
        (width) => charts.revenueChart(data.trend, { width }),
        "revenue",
      )
    : notProvidedCard("Billed revenue per month", notProvided("invoices"));
  const second = c.contracts
    ? card(
        "ARR at month end",
        "12 × the MRR of contracts running on each month's last day. From contracts.",
        (width) => charts.arrChart(data.trend, { width }),
        "arr",
      )
    : c.invoices
      ? card(
          DEFINITIONS.ordersPerMonth.label,
          `${DEFINITIONS.ordersPerMonth.text} From invoices.`,
          (width) => charts.ordersChart(data.trend, { width }),
          "orders",
        )
      : notProvidedCard("ARR at month end", notProvided("contracts"));
  const activeCaption =
    c.shape === "mixed"
      ? "Subscription accounts with a running contract, plus transactional accounts that bought in the preceding 12 months. From contracts and invoices."
      : c.shape === "subscription"
        ? "Subscription accounts with a running contract on each month's last day. From contracts."
        : "Accounts that bought in the preceding 12 months. From invoices.";
  return html`<div>
    <div class="grid grid-cols-2">${revenue}${second}</div>
    ${card("Active accounts", activeCaption, (width) => charts.activeAccountsChart(data.trend, { width }), "active")}
  </div>` as HTMLElement;
}

/**
 * The KPIs as a CSV, each as the card shows it (rounded as displayed) with its note and its
 * definition; sets the export context (the overview, its as-of date, all accounts).
 */
export function kpiDownload(data: OverviewData): HTMLElement {
  setExportContext({ page: "overview", asOf: data.asOf, filters: () => "" });
  const rows = () =>
    overviewKpis(data).map((k) => ({
      id: k.id,
      label: k.label,
      value: k.missing ? "not provided" : k.value,
      note: k.note ?? "",
      definition: k.definition ?? "",
    }));
  return csvDownload(
    "kpis",
    rows,
    ["id", "label", "value", "note", "definition"],
    ["id", "measure", "value (as shown)", "note", "definition"],
  );
}
