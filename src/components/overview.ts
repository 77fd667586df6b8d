/**
 * The overview's KPI cards and headline, from `data/overview.json`. Formatting and wording
 * only: every number is computed by the loaders (src/lib/metrics/overview.ts).
 */
import { html } from "htl";
import {
  formatCount,
  formatMoneyExact,
  formatMoneyCompact,
  formatMoneyShort,
  formatNumber,
  formatPercent,
  formatRatio,
} from "../lib/format.js";
import { notProvided, type MissingGain } from "../lib/coverage.js";
import { atRiskText, DEFINITIONS, POPULATIONS, type Definition } from "../lib/metrics/definitions.js";
import { GAP_MULTIPLE, MIN_GAP_DAYS, P_ALIVE_THRESHOLD, type RiskReason } from "../lib/metrics/at-risk.js";
import type { ValueGap } from "../lib/metrics/value-gap.js";
import type { OverviewData } from "../lib/shapes/overview-data.js";
import type { Kpi } from "./kpi.js";
import { csvDownload, setExportContext } from "./download.js";
import { notProvidedCard } from "./not-provided.js";
import { aggregateOnlyNote } from "./aggregate-only.js";
import { tableView } from "./analyst-page.js";

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
          metric: "accounts-active",
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
  const tone = (ratio: number | null) =>
    ratio === null ? undefined : ratio >= HEALTHY_LTV_TO_CAC ? ("good" as const) : ("bad" as const);
  const m = data.ltvToCacModel;
  // Two variants, two names: the model value is the one to quote; the simple formula is the practitioners' rule of thumb.
  const ltvCac: Kpi[] = !c.spend
    ? [missing("ltv-cac", DEFINITIONS.ltvToCacModel, "marketing_spend")]
    : [
        m === null
          ? {
              id: "ltv-cac-model",
              label: DEFINITIONS.ltvToCacModel.label,
              value: "—",
              note:
                data.modelValue === null
                  ? "the models could not be fitted"
                  : "no accounts acquired in the last 12 months",
              definition: DEFINITIONS.ltvToCacModel.text,
            }
          : {
              id: "ltv-cac-model",
              label: DEFINITIONS.ltvToCacModel.label,
              value: formatRatio(m.ratio),
              metric: "ltv-to-cac-model",
              note: `LTV ${money(m.ltvCents)} (margin to date + model value) per account acquired in the last 12 months; CAC ${money(m.cacCents)}; 3 : 1 is the usual target`,
              definition: DEFINITIONS.ltvToCacModel.text,
              tone: tone(m.ratio),
            },
        c.margin === null
          ? missing("ltv-cac", DEFINITIONS.ltvToCac, "cost")
          : {
              id: "ltv-cac",
              label: DEFINITIONS.ltvToCac.label,
              value: formatRatio(k.ltvToCac),
              metric: "ltv-to-cac-simple",
              note: `rule of thumb; CAC ${money(k.cacCents)}; payback ${formatNumber(k.paybackMonths, 1)} months`,
              definition: DEFINITIONS.ltvToCac.text,
              tone: tone(k.ltvToCac),
            },
      ];
  const retention: Kpi[] = c.invoices
    ? [
        {
          id: "logo-churn",
          label: DEFINITIONS.logoChurn.label,
          value: formatPercent(k.logoChurn),
          note: `of ${formatCount(k.accountsActiveYearAgo, "account")} active a year ago`,
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
          label: DEFINITIONS.customerValue.label,
          value: money(k.totalCustomerValueCents),
          metric: "customer-value-simple",
          note: `${money(k.simpleClvCents)} per active account × ${formatCount(k.activeAccounts, "active account")}. ${data.valueGap ? valueGapSentence(data.valueGap, currency) : ""}`,
          definition: DEFINITIONS.customerValue.text,
        };
  // The model value is the headline; the rule of thumb stands beside it, then the rest.
  return [modelValueKpi(data), simple, ...activity, ...ltvCac, ...retention];
}

/**
 * Why the rule of thumb differs from the model value, in one sentence of the data's numbers:
 * years counted, discounting, accounts valued, margin.
 */
export function valueGapSentence(g: ValueGap, currency: string): string {
  const money = (cents: number) => formatMoneyCompact(cents, currency);
  const years = (n: number) => `${formatNumber(n, n % 1 === 0 ? 0 : 1)} ${n === 1 ? "year" : "years"}`;
  const direction = g.difference >= 0 ? "above" : "below";
  const margins =
    g.modelMargins.subscription > 0 && g.modelMargins.transactional > 0
      ? `${formatPercent(g.modelMargins.subscription, 0)} on subscriptions and ${formatPercent(g.modelMargins.transactional, 0)} on purchases`
      : `${formatPercent(Math.max(g.modelMargins.subscription, g.modelMargins.transactional), 0)}`;
  return (
    `It is ${formatPercent(Math.abs(g.difference), 0)} ${direction} the model value (${money(g.modelCents)}) because it counts ` +
    `${years(g.retentionYears)} of margin per account undiscounted, where the models stop at ${years(g.horizonMonths / 12)} and discount at ` +
    `${formatPercent(g.annualDiscountRate, 0)} a year (${formatPercent(g.discountTakesOff, 0)} off ${years(g.horizonMonths / 12)} of margin); ` +
    `it takes each of ${formatCount(g.activeAccounts, "active account")} as average, where the models value ${formatCount(g.valuedAccounts, "account")} ` +
    `one by one (${formatNumber(g.valuedNotActive)} of them not active now, churned ones at zero); and it applies ` +
    `${formatPercent(g.simpleMargin, 0)} margin to all revenue, where the models use ${margins}.`
  );
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
    metric: "customer-value",
    // Without any cost the models value billings at 100% margin: said, so it is not read as margin.
    note: `P10–P90 ${money(m.band.p10)} – ${money(m.band.p90)}; ${formatCount(m.activeAccountsValued, "account")} valued; next ${m.horizonMonths / 12} years, ${formatPercent(m.annualDiscountRate, 0)} discount${coverage.margin === null ? "; billings, not margin: no cost was provided" : ""}${historicalNote(m.historicalShare)}`,
    definition: DEFINITIONS.modelValue.text,
  };
}

/** "The top 20% of accounts bring 71% of revenue." as an element with its definition. */
export function concentrationHeadline({ kpis: k, coverage }: OverviewData): HTMLElement {
  if (!coverage.invoices) return notProvidedCard("Concentration", notProvided("invoices"), "concentration");
  const { topAccounts, billedAccounts, topShare } = k.concentration;
  return html`<div class="card headline" data-kpi="concentration">
    <p class="headline-text">
      The top 20% of accounts (${formatNumber(topAccounts)} of
      <span data-metric="accounts-with-revenue">${formatNumber(billedAccounts)}</span> with revenue) bring
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
      Figures as of <strong data-as-of>${asOf}</strong>, from ${formatCount(sources.length, "CRM extract")}
      (${formatCount(accepted, "row")}
      used${quarantined ? html`, <a href="./quality">${formatNumber(quarantined)} quarantined</a>` : ""}).
    </summary>
    <ul>
      ${sources.map((s) => html`<li><code>${s.file}</code>: ${formatCount(s.accepted, "row")}${s.quarantined ? `, ${formatNumber(s.quarantined)} quarantined` : ""}</li>`)}
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
  // Each chart's numbers as a folded table (its text alternative, with a CSV download).
  const series = (id: "revenue" | "arr" | "orders" | "active") => {
    const t = data.trend;
    const value = { revenue: t.revenueCents, arr: t.arrCents, orders: t.orders, active: t.activeAccounts }[id];
    const money = id === "revenue" || id === "arr";
    return tableView({
      name: `overview-${id}-by-month`,
      rows: t.month.map((month, i) => ({ month, value: value[i] })),
      columns: { month: "Month", value: money ? `${id === "arr" ? "ARR" : "Revenue"} (${data.currency})` : "Count" },
      format: { value: ((v: number) => (money ? formatMoneyExact(v, data.currency) : formatNumber(v))) as never },
      csv: { value: (r) => (money ? r.value / 100 : r.value) },
      rowsShown: 12,
    });
  };
  const card = (title: string, caption: string, chart: (width: number) => Node, id: Parameters<typeof series>[0]) =>
    html`<div class="card" data-trend=${id}>
      <h2>${title}</h2>
      <p class="chart-caption">${caption}</p>
      ${resize((width) => chart(width))} ${series(id)}
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

/**
 * Who is counted: the population vocabulary (src/lib/metrics/definitions.ts POPULATIONS) with
 * the counts, and the overlaps that connect them.
 */
export function populationCard({ populations: p }: OverviewData): HTMLElement {
  const rows: Array<[keyof typeof POPULATIONS, number, string]> = [
    ["all", p.all, "accounts-total"],
    ["active", p.active, "accounts-active"],
    ["billed12m", p.billed12m, "accounts-billed-12m"],
    ["valuedByModel", p.valuedByModel, "accounts-valued-model"],
    ["valuedByHistorical", p.valuedByHistorical, "accounts-valued-historical"],
  ];
  const valued = p.valuedByModel + p.valuedByHistorical;
  return html`<div class="card" data-card="populations">
    <h2>Who is counted</h2>
    <p class="chart-caption">The account counts every page uses, and how they connect.</p>
    <table class="populations">
      <tbody>
        ${rows.map(
          ([key, n, metric]) =>
            html`<tr>
              <th scope="row">${POPULATIONS[key].label}</th>
              <td class="num" data-metric=${metric}>${formatNumber(n)}</td>
              <td>${POPULATIONS[key].text}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p>
      Of the ${formatCount(valued, "valued account")}, ${formatNumber(p.valuedActive)}
      ${p.valuedActive === 1 ? "is" : "are"} active and ${formatNumber(p.valuedNotActive)}
      ${p.valuedNotActive === 1 ? "is" : "are"} not (transactional accounts without a purchase in 12 months that the
      purchase model still expects to buy); ${formatNumber(p.activeNotValued)} active
      ${p.activeNotValued === 1 ? "account has" : "accounts have"} no value. ${formatNumber(p.billedNotActive)} of the
      billed accounts ${p.billedNotActive === 1 ? "is" : "are"} no longer active (churned during the year), and
      ${formatNumber(p.activeNotBilled)} active ${p.activeNotBilled === 1 ? "account was" : "accounts were"} not billed
      in the 12 months (contracts billed before the window).
    </p>
  </div>` as HTMLElement;
}

function reasonText(r: RiskReason, currency: string): string {
  switch (r.kind) {
    case "contraction":
      return `MRR down ${formatPercent(1 - r.toCents / r.fromCents, 0)} in the last quarter (${formatMoneyCompact(r.fromCents, currency)} → ${formatMoneyCompact(r.toCents, currency)})`;
    case "low-p-alive":
      return `P(alive) ${formatPercent(r.probabilityAlive, 0)}, below ${formatPercent(P_ALIVE_THRESHOLD, 0)}`;
    case "long-gap":
      return `no purchase for ${formatCount(r.daysSince, "day")}, ${formatNumber(r.daysSince / r.usualGapDays, 1)} × its usual gap of ${formatCount(r.usualGapDays, "day")}`;
    case "nps-detractor":
      return `NPS detractor (latest answer ${r.score})`;
    case "no-key-account":
      return "no key-account manager";
  }
}

/** Accounts at risk, largest value first, each linking to the account explorer. */
export function atRiskCard({ atRisk: r, aggregateOnly, currency, coverage }: OverviewData): HTMLElement {
  const money = (cents: number) => formatMoneyCompact(cents, currency);
  const signs = [
    coverage.contracts ? "MRR contraction in the last quarter" : null,
    `P(alive) below ${formatPercent(P_ALIVE_THRESHOLD, 0)}`,
    `no purchase for over ${GAP_MULTIPLE} × the usual gap (and ${MIN_GAP_DAYS} days)`,
    coverage.nps ? "an NPS detractor answer in the last 12 months" : null,
  ].filter((x) => x !== null);
  return html`<div class="card" data-card="at-risk">
    <h2>Accounts at risk</h2>
    <p class="chart-caption">
      <span data-metric="at-risk-accounts">${formatNumber(r.count)}</span> of ${formatCount(r.active, "active account")}
      (${money(r.valueCents)} of model value) show a warning sign now: ${signs.join(", ")}. Largest value first.
    </p>
    ${
      aggregateOnly
        ? aggregateOnlyNote("The accounts at risk are not listed; the count above is over every account.")
        : r.accounts.length === 0
          ? html`<p class="note">No active account shows a warning sign.</p>`
          : html`<table data-table="at-risk">
              <thead>
                <tr>
                  <th>Account</th>
                  <th class="num">Model value</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                ${r.accounts.map(
                  (a) =>
                    html`<tr data-account=${a.accountId}>
                      <td>
                        <a href=${`./accounts?v=1&account=${encodeURIComponent(a.accountId)}`}>${a.accountName}</a>
                        <small>${a.accountId}</small>
                      </td>
                      <td class="num">${money(a.valueCents)}</td>
                      <td>${a.reasons.map((x) => reasonText(x, currency)).join("; ")}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }
    <details class="definition">
      <summary>Definition</summary>
      <p>${atRiskText(coverage)}</p>
    </details>
  </div>` as HTMLElement;
}
