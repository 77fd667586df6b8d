/**
 * Segment economics page: value, retention and revenue per segment; LTV : CAC and payback per
 * acquisition channel and year; margin after cost to serve against revenue per account; NPS per
 * segment and NPS / key-account coverage against retention, with sample sizes and intervals.
 * In an aggregate-only build the precomputed table by industry stays; the other charts, which
 * are computed in the browser from per-account rows, show the note instead.
 */
import * as Plot from "@observablehq/plot";
import { html } from "htl";
import { channelEconomics, nps, wilson, type ChannelEconomics } from "../lib/analysis/economics.js";
import * as Q from "../lib/analysis/sql.js";
import type { AnalystSummary, PurchaseSegmentRow, SegmentRow } from "../lib/shapes/analyst-summary.js";
import { breakdownDimsOf, type BreakdownDim } from "../lib/analysis/url-state.js";
import { CLASSES } from "../lib/analysis/abc.js";
import { notProvided, type DataCoverage } from "../lib/coverage.js";
import { DEFINITIONS, NONE_TIER, NONE_TIER_TEXT } from "../lib/metrics/definitions.js";
import { yearLabel } from "../lib/metrics/periods.js";
import { cardNotProvided, removeCard, setCardText } from "./not-provided.js";
import {
  formatMoneyCompact,
  formatMoneyExact,
  formatMoneyShort,
  formatCount,
  formatNumber,
  formatPercent,
  formatRatio,
} from "../lib/format.js";
import { removeDetails, showAggregateOnly } from "./aggregate-only.js";
import { openAnalystDb, type AnalystDb, type ArrowFile } from "./analyst-db.js";
import { select } from "./controls.js";
import { CATEGORICAL, CLASS_COLORS } from "./palette.js";
import {
  analystPage,
  centsToDecimal,
  DIM_LABELS,
  filterCodes,
  goLiveWhenOpen,
  labelOf,
  showChart,
  showTable,
  trackedWidth,
  type TableSpec,
} from "./analyst-page.js";

/** Above this many accounts the margin scatter is drawn as a binned grid. */
export const SCATTER_MAX_POINTS = 4000;

export function segmentRows(summary: AnalystSummary, rows: readonly SegmentRow[], by: BreakdownDim) {
  return rows.map((r) => ({
    segment: labelOf(summary, by, r.segment),
    accounts: r.accounts,
    active: r.active,
    revenue_cents: r.revenue_cents,
    margin: r.revenue_cents > 0 ? r.margin_cents / r.revenue_cents : null,
    retention: r.base > 0 ? r.retained / r.base : null,
    retention_n: r.base,
    value_cents: summary.hasModel && r.predicted_accounts > 0 ? (r.predicted_cents ?? 0) / r.predicted_accounts : null,
  }));
}

export function purchaseSegmentRows(summary: AnalystSummary, rows: readonly PurchaseSegmentRow[], by: BreakdownDim) {
  return rows.map((r) => ({
    segment: labelOf(summary, by, r.segment),
    buyers: r.buyers,
    repeat_rate: r.buyers > 0 ? r.repeat_buyers / r.buyers : null,
    frequency: r.buyers > 0 ? r.orders / r.buyers : null,
    orders: r.orders,
    aov_cents: r.orders > 0 ? r.revenue_cents / r.orders : null,
    revenue_cents: r.revenue_cents,
  }));
}

/** The page's opening sentence: channels' payback only with marketing spend; what the tier "(none)" is when it occurs. */
export function segmentsIntro(summary: AnalystSummary): string {
  const intro = summary.coverage.spend
    ? "Which segments bring value, which channels pay back, and which levers relate to retention — measured in this data, with sample sizes."
    : "Which segments bring value and how their accounts buy and stay — measured in this data, with sample sizes.";
  return `${intro}${noneTierNote(summary)}`;
}

/** " Tier "(none)": …" when the data has accounts without a tier, else "". */
export function noneTierNote(summary: AnalystSummary): string {
  return summary.dictionaries.tier.includes(NONE_TIER) ? ` ${NONE_TIER_TEXT}` : "";
}

/** The segment card's caption for what the data covers. */
export function segmentCaption(c: DataCoverage): string {
  const adds = [
    c.margin === null ? null : c.timeEntries ? "margin after cost to serve" : "margin after cost of goods",
    "12-month logo retention with its n",
    "average predicted value",
  ].filter((x) => x !== null);
  const from = [
    "invoices",
    c.contracts ? "contracts" : null,
    c.margin === "product_cost" ? "products" : null,
    c.timeEntries ? "time sheets" : null,
    "the CLV models",
  ].filter((x) => x !== null);
  return `T12M revenue per segment value; the table adds ${adds.slice(0, -1).join(", ")} and ${adds[adds.length - 1]}. From ${from.slice(0, -1).join(", ")} and ${from[from.length - 1]}.`;
}

/** The lever chart's groups for what the data covers: NPS only with answers, key accounts only with managers. */
export function leverKinds(c: DataCoverage): ("nps" | "key_account")[] {
  return [...(c.nps ? (["nps"] as const) : []), ...(c.attributes.key_account ? (["key_account"] as const) : [])];
}

export function segmentChart(rows: ReturnType<typeof segmentRows>, { width = 640, currency = "USD" } = {}) {
  return Plot.plot({
    width,
    height: Math.max(140, 30 + rows.length * 28),
    marginLeft: 150,
    x: { label: "T12M revenue →", tickFormat: "~s", grid: true },
    y: { label: null },
    marks: [
      Plot.barX(rows, {
        y: "segment",
        x: (d: (typeof rows)[number]) => d.revenue_cents / 100,
        fill: "var(--theme-foreground-focus)",
        sort: { y: "-x" },
        tip: true,
        title: (d: (typeof rows)[number]) =>
          `${d.segment}: ${formatMoneyCompact(d.revenue_cents, currency)}, ${formatCount(d.accounts, "account")}, retention ${formatPercent(d.retention)} (n = ${d.retention_n})`,
      }),
      Plot.ruleX([0]),
    ],
  });
}

export function ltvCacChart(rows: readonly ChannelEconomics[], { width = 640 } = {}) {
  const data = rows.filter((r) => r.ltvToCac !== null);
  return Plot.plot({
    width,
    height: 280,
    marginLeft: 50,
    x: { label: "acquisition year", type: "band" },
    y: { label: "↑ LTV : CAC (model value)", grid: true },
    color: { legend: true, range: CATEGORICAL },
    marks: [
      Plot.ruleY([3], { stroke: "#e15759", strokeDasharray: "4,3" }),
      Plot.text([3], { y: (d: number) => d, frameAnchor: "left", dy: -6, text: () => "3 : 1", fill: "#e15759" }),
      Plot.line(data, { x: "period", y: "ltvToCac", stroke: "channel" }),
      Plot.dot(data, {
        x: "period",
        y: "ltvToCac",
        fill: "channel",
        r: 4,
        tip: true,
        title: (d: ChannelEconomics) =>
          `${d.channel} ${d.period}: ${formatRatio(d.ltvToCac)}, payback ${formatNumber(d.paybackMonths, 1)} months, ${formatCount(d.newAccounts, "new account")}`,
      }),
    ],
  });
}

type MarginPoint = {
  account_id: string;
  account_name: string;
  revenue_cents: number;
  margin_cents: number;
  cts_cents: number;
  hours: number;
  class: number;
};
type MarginBin = { bx: number; by_: number; accounts: number; x0: number; x1: number; y0: number; y1: number };

/** The margin chart's numbers: each account (largest revenue first), or each grid cell with its accounts for large data. */
export function marginTable(
  points: readonly MarginPoint[] | null,
  bins: readonly MarginBin[] | null,
  { currency = "USD", k = Q.MARGIN_BINS, costToServe = true } = {},
): TableSpec<Record<string, string | number>> {
  const money = ((c: number) => formatMoneyCompact(c, currency)) as never;
  if (points)
    return {
      name: "margin-vs-revenue",
      rows: [...points]
        .sort((a, b) => b.revenue_cents - a.revenue_cents)
        .map((p) => ({ ...p, klass: CLASSES[p.class] ?? "—" })),
      columns: {
        account_id: "account",
        account_name: "name",
        klass: "ABC class",
        revenue_cents: "T12M revenue",
        margin_cents: costToServe ? "margin after cost to serve" : "margin",
        ...(costToServe ? { cts_cents: "cost to serve" } : {}),
      },
      format: { revenue_cents: money, margin_cents: money, cts_cents: money },
      csv: {
        revenue_cents: (r) => centsToDecimal(r.revenue_cents as number),
        margin_cents: (r) => centsToDecimal(r.margin_cents as number),
        cts_cents: (r) => centsToDecimal(r.cts_cents as number),
      },
      rowsShown: 8,
    };
  const edge = (lo: number, hi: number, i: number) => lo + ((hi - lo) * i) / k;
  return {
    name: "margin-vs-revenue-grid",
    rows: (bins ?? []).map((b) => ({
      revenue: `${formatMoneyCompact(edge(b.x0, b.x1, b.bx), currency)} to ${formatMoneyCompact(edge(b.x0, b.x1, b.bx + 1), currency)}`,
      margin: `${formatMoneyCompact(edge(b.y0, b.y1, b.by_), currency)} to ${formatMoneyCompact(edge(b.y0, b.y1, b.by_ + 1), currency)}`,
      accounts: b.accounts,
    })),
    columns: {
      revenue: "T12M revenue",
      margin: costToServe ? "margin after cost to serve" : "margin",
      accounts: "accounts",
    },
    rowsShown: 8,
  };
}

export function marginChart(
  points: readonly MarginPoint[] | null,
  bins: readonly MarginBin[] | null,
  { width = 640, currency = "USD", k = Q.MARGIN_BINS, costToServe = true } = {},
) {
  const common = {
    width,
    height: 340,
    marginLeft: 60,
    x: { label: "T12M revenue →", tickFormat: "~s" },
    y: { label: costToServe ? "↑ T12M margin after cost to serve" : "↑ T12M margin", tickFormat: "~s", grid: true },
  };
  const money = (cents: number) => formatMoneyCompact(cents, currency);
  if (points) {
    const data = points.map((p) => ({
      ...p,
      x: p.revenue_cents / 100,
      y: p.margin_cents / 100,
      klass: ["A", "B", "C", "none"][p.class],
    }));
    return Plot.plot({
      ...common,
      color: { legend: true, domain: ["A", "B", "C", "none"], range: CLASS_COLORS },
      marks: [
        Plot.ruleY([0]),
        // The tip formats one account when it is shown: a title per dot would format every
        // account's amounts on each filter change.
        Plot.dot(data, {
          x: "x",
          y: "y",
          fill: "klass",
          // Translucent for overlaps, outlined at full colour for 3 : 1 against the card.
          stroke: "klass",
          strokeWidth: 0.75,
          r: 2.5,
          fillOpacity: 0.7,
          channels: costToServe
            ? {
                account: "account_name",
                id: "account_id",
                revenue: "revenue_cents",
                margin: "margin_cents",
                "cost to serve": "cts_cents",
                hours: "hours",
              }
            : { account: "account_name", id: "account_id", revenue: "revenue_cents", margin: "margin_cents" },
          tip: {
            format: {
              x: false,
              y: false,
              fill: false,
              revenue: money,
              margin: money,
              "cost to serve": money,
              hours: (h: number) => `${formatNumber(h)} h`,
            },
          },
        }),
      ],
    });
  }
  const cells = (bins ?? []).map((b) => {
    const w = (b.x1 - b.x0) / k;
    const h = (b.y1 - b.y0) / k;
    return {
      x1: (b.x0 + b.bx * w) / 100,
      x2: (b.x0 + (b.bx + 1) * w) / 100,
      y1: (b.y0 + b.by_ * h) / 100,
      y2: (b.y0 + (b.by_ + 1) * h) / 100,
      accounts: b.accounts,
    };
  });
  return Plot.plot({
    ...common,
    color: { type: "log", scheme: "blues", legend: true, label: "accounts" },
    marks: [Plot.rect(cells, { x1: "x1", x2: "x2", y1: "y1", y2: "y2", fill: "accounts", tip: true }), Plot.ruleY([0])],
  });
}

type LeverRow = { lever: string; grp: string; base: number; retained: number };

export function leverChart(rows: readonly LeverRow[], { width = 640 } = {}) {
  const data = rows
    .filter((r) => r.base > 0)
    .map((r) => {
      const ci = wilson(r.retained, r.base)!;
      return { ...r, label: `${r.grp} (n = ${r.base})`, rate: r.retained / r.base, lo: ci[0], hi: ci[1] };
    });
  return Plot.plot({
    width,
    height: 40 + data.length * 30,
    marginLeft: Math.min(230, width * 0.45),
    x: { label: "12-month logo retention (95% interval) →", domain: [0, 1], tickFormat: "%", grid: true },
    y: { label: null, domain: data.map((d) => d.label) },
    marks: [
      Plot.ruleY(data, { y: "label", x1: "lo", x2: "hi", stroke: "currentColor", strokeOpacity: 0.6 }),
      Plot.dot(data, {
        y: "label",
        x: "rate",
        fill: (d: (typeof data)[number]) => (d.lever === "nps" ? CATEGORICAL[0] : CATEGORICAL[1]),
        r: 5,
        tip: true,
        title: (d: (typeof data)[number]) =>
          `${d.grp}: ${d.retained} of ${d.base} retained (${formatPercent(d.rate)}, 95% interval ${formatPercent(d.lo)}–${formatPercent(d.hi)})`,
      }),
    ],
  });
}

export interface SegmentSlots {
  controls: HTMLElement;
  notes: HTMLElement;
  status: HTMLElement;
  by: HTMLElement;
  segmentChart: HTMLElement;
  segmentTable: HTMLElement;
  purchases: HTMLElement;
  ltvCac: HTMLElement;
  ltvCacTable: HTMLElement;
  margin: HTMLElement;
  nps: HTMLElement;
  levers: HTMLElement;
  leverTable: HTMLElement;
}

export function mountSegments({
  summary,
  files,
  slots,
}: {
  summary: AnalystSummary;
  files: Record<"accounts" | "names" | "nps", ArrowFile>;
  slots: SegmentSlots;
}): void {
  let db: AnalystDb | null = null;
  const chartWidth = trackedWidth(slots.segmentChart, 280);
  const leverWidth = trackedWidth(slots.levers, 280);
  const money = (c: number | null) => formatMoneyCompact(c, summary.currency);
  const cov = summary.coverage;
  const dims = breakdownDimsOf(cov.attributes);
  const byInput = select(dims.length > 0 ? dims : [summary.defaultBy], {
    label: "Segment by",
    value: summary.defaultBy,
    format: (d) => DIM_LABELS[d],
  });
  byInput.dataset.input = "by";
  slots.by.replaceChildren(byInput);

  // What the data covers decides which cards stay: a card for data not provided says so instead.
  setCardText(slots.segmentChart, segmentCaption(cov));
  const show = {
    purchases: !cov.contracts && cov.invoices,
    ltvCac: cov.spend && cov.margin !== null,
    margin: cov.margin !== null,
    nps: cov.nps,
    levers: leverKinds(cov),
  };
  if (!show.purchases) removeCard(slots.purchases);
  if (!cov.spend) cardNotProvided(slots.ltvCac, notProvided("marketing_spend"));
  else if (cov.margin === null) cardNotProvided(slots.ltvCac, notProvided("cost"));
  if (!cov.timeEntries)
    setCardText(
      slots.margin,
      `Each account's T12M revenue against its margin (revenue − cost of goods): accounts low on the chart are billed much but earn little. No time entries were provided, so nothing is subtracted for serving accounts. From invoices${cov.margin === "product_cost" ? " and products" : ""}.`,
      "Margin against revenue",
    );
  if (cov.margin === null) cardNotProvided(slots.margin, notProvided("cost"));
  if (!show.nps) cardNotProvided(slots.nps, notProvided("nps_responses"));
  if (show.levers.length === 0)
    cardNotProvided(slots.levers, `${notProvided("nps_responses")}; the accounts name no key-account manager either`);
  else if (show.levers.length === 1)
    setCardText(
      slots.levers,
      show.levers[0] === "nps"
        ? "12-month logo retention by latest NPS answer, with 95% intervals and n; an association, not a cause. No key-account manager is named in the accounts. From NPS surveys, accounts and contracts."
        : `12-month logo retention by key-account coverage, with 95% intervals and n; an association, not a cause. From accounts${cov.contracts ? " and contracts" : " and invoices"}.`,
      show.levers[0] === "nps" ? "Does NPS go with retention?" : "Does key-account coverage go with retention?",
    );

  const drawPurchases = (rows: readonly PurchaseSegmentRow[], by: BreakdownDim) => {
    if (!show.purchases) return;
    const data = purchaseSegmentRows(summary, rows, by);
    const table = html`<div></div>` as HTMLElement;
    slots.purchases.replaceChildren(
      table,
      definitionList([
        DEFINITIONS.activeBuyers,
        DEFINITIONS.repeatPurchaseRate,
        DEFINITIONS.purchaseFrequency,
        DEFINITIONS.averageOrderValue,
      ]),
    );
    showTable(table, {
      name: `purchases-${by}`,
      rows: data,
      columns: {
        segment: DIM_LABELS[by],
        buyers: "active buyers",
        repeat_rate: "repeat-purchase rate",
        frequency: "orders per buyer",
        orders: "orders",
        aov_cents: "average order value",
        revenue_cents: "T12M revenue",
      },
      format: {
        repeat_rate: ((v: number | null) => formatPercent(v)) as never,
        frequency: ((v: number | null) => formatNumber(v, 1)) as never,
        aov_cents: ((c: number | null) => formatMoneyShort(c, summary.currency)) as never,
        revenue_cents: ((c: number) => formatMoneyExact(c, summary.currency)) as never,
      },
      csv: { aov_cents: (r) => centsToDecimal(r.aov_cents), revenue_cents: (r) => centsToDecimal(r.revenue_cents) },
      rowsShown: 10,
    });
  };

  const drawSegments = (rows: readonly SegmentRow[], by: BreakdownDim) => {
    const data = segmentRows(summary, rows, by);
    showChart(
      slots.segmentChart,
      segmentChart(data, { width: chartWidth(), currency: summary.currency }),
      `segments-${by}`,
    );
    showTable(slots.segmentTable, {
      name: `segments-${by}`,
      rows: data,
      columns: {
        segment: DIM_LABELS[by],
        accounts: "accounts",
        active: "active",
        revenue_cents: "T12M revenue",
        ...(show.margin ? { margin: "margin" } : {}),
        retention: "12-month retention",
        retention_n: "n (active a year ago)",
        value_cents: "avg predicted value",
      },
      format: {
        revenue_cents: ((c: number) => formatMoneyExact(c, summary.currency)) as never,
        margin: ((v: number | null) => formatPercent(v)) as never,
        retention: ((v: number | null) => formatPercent(v)) as never,
        value_cents: ((c: number | null) => (c === null ? "unavailable" : money(c))) as never,
      },
      csv: { revenue_cents: (r) => centsToDecimal(r.revenue_cents), value_cents: (r) => centsToDecimal(r.value_cents) },
      rowsShown: 10,
    });
  };

  // The engine starts before the first chart is drawn: its worker fetches and compiles it meanwhile.
  const engine = summary.aggregateOnly ? null : openAnalystDb(files, summary.thresholds);
  const page = analystPage({
    summary,
    controls: slots.controls,
    notes: slots.notes,
    async render(state, live) {
      if (byInput.value !== state.by) byInput.value = state.by;
      if (!live || !db) {
        drawSegments(summary.first.segments, summary.defaultBy);
        drawPurchases(summary.first.purchaseSegments, summary.defaultBy);
        return;
      }
      const codes = filterCodes(summary, state);
      // All queries go out at once; each part is drawn while the engine computes the next. The
      // scatter, the most drawing, comes second, so that the rest is computed meanwhile.
      const seg = db.query<SegmentRow>(Q.segmentTable(codes, state.by));
      // Up to SCATTER_MAX_POINTS accounts are drawn one by one (with names); more are binned.
      // When the whole CRM is that small, no count is needed first.
      const scatterOf = (n: number) =>
        n <= SCATTER_MAX_POINTS
          ? { points: db!.query<MarginPoint>(Q.marginPoints(codes)), bins: null }
          : { points: null, bins: db!.query<MarginBin>(Q.marginBins(codes)) };
      const scatter =
        summary.accounts <= SCATTER_MAX_POINTS
          ? Promise.resolve(scatterOf(0))
          : db.query<{ n: number }>(Q.marginCount(codes)).then(([{ n }]) => scatterOf(n));
      scatter.catch(() => undefined);
      const purchaseRows = show.purchases
        ? db.query<PurchaseSegmentRow>(Q.purchaseBySegment(codes, state.by))
        : Promise.resolve([]);
      const channelRows = db.query<{
        channel: number;
        year: number;
        new_accounts: number;
        margin_cents: number;
        predicted_cents: number | null;
        predicted_accounts: number;
        first12_cents: number;
      }>(Q.channelYears(codes));
      const npsAnswers = db.query<{
        segment: number;
        answers: number;
        promoters: number;
        detractors: number;
        accounts: number;
      }>(Q.npsBySegment(codes, state.by));
      const leverRows = db.query<LeverRow>(Q.leversVsRetention(codes));

      drawSegments(await seg, state.by);
      drawPurchases(await purchaseRows, state.by);
      const { points, bins } = await scatter;
      if (show.margin)
        showChart(
          slots.margin,
          marginChart(await points, await bins, {
            width: chartWidth(),
            currency: summary.currency,
            costToServe: cov.timeEntries,
          }),
          "margin-vs-revenue",
          marginTable(await points, await bins, { currency: summary.currency, costToServe: cov.timeEntries }),
        );
      const channels = await channelRows;
      if (show.ltvCac) {
        const econ = channelEconomics(
          channels.map((c) => ({
            channel: labelOf(summary, "channel", c.channel),
            period: yearLabel(c.year, summary.asOf),
            newAccounts: c.new_accounts,
            marginToDateCents: c.margin_cents,
            predictedCents: summary.hasModel ? c.predicted_cents : null,
            marginFirst12Cents: c.first12_cents,
          })),
          summary.spend
            .filter(
              (s) =>
                codes.channel.length === 0 || codes.channel.some((c) => s.channel === labelOf(summary, "channel", c)),
            )
            .map((s) => ({ channel: s.channel, period: yearLabel(s.year, summary.asOf), spendCents: s.spend_cents })),
        );
        showChart(slots.ltvCac, ltvCacChart(econ, { width: chartWidth() }), "ltv-cac");
        const narrowed = (["industry", "size", "region", "tier", "class"] as const).some((d) => codes[d].length > 0);
        if (narrowed)
          slots.ltvCac.append(
            html`<p class="chart-caption" data-cac-note>
              Spend is recorded per channel only: with these filters, CAC divides the channel's whole spend by the
              filtered new accounts, so it is an upper bound.
            </p>`,
          );
        showTable(slots.ltvCacTable, {
          name: "ltv-cac-by-channel",
          rows: econ,
          columns: {
            channel: "channel",
            period: "year",
            newAccounts: "new accounts",
            spendCents: "S&M spend",
            cacCents: "CAC",
            ltvCents: "LTV per account",
            ltvToCac: "LTV : CAC (model value)",
            paybackMonths: "payback months",
          },
          format: {
            spendCents: ((v: number | null) => money(v)) as never,
            cacCents: ((v: number | null) => money(v)) as never,
            ltvCents: ((v: number | null) => money(v)) as never,
            ltvToCac: ((v: number | null) => formatRatio(v)) as never,
            paybackMonths: ((m: number | null) => formatNumber(m, 1)) as never,
          },
          csv: {
            spendCents: (r) => centsToDecimal(r.spendCents),
            cacCents: (r) => centsToDecimal(r.cacCents),
            ltvCents: (r) => centsToDecimal(r.ltvCents),
          },
          rowsShown: 8,
        });
      }
      const npsData = (await npsAnswers).map((r) => ({
        segment: labelOf(summary, state.by, r.segment),
        nps: nps(r.promoters, r.detractors, r.answers),
        answers: r.answers,
        accounts: r.accounts,
        promoters: r.promoters,
        detractors: r.detractors,
      }));
      if (show.nps)
        showTable(slots.nps, {
          name: `nps-${state.by}`,
          rows: npsData,
          columns: {
            segment: DIM_LABELS[state.by],
            nps: "NPS",
            answers: "answers (n)",
            accounts: "accounts answering",
            promoters: "promoters",
            detractors: "detractors",
          },
          format: { nps: ((v: number | null) => formatNumber(v, 0)) as never },
          rowsShown: 10,
        });
      const levers = (await leverRows).filter((r) => (show.levers as string[]).includes(r.lever));
      if (show.levers.length > 0) {
        showChart(slots.levers, leverChart(levers, { width: leverWidth() }), "levers-vs-retention");
        showTable(slots.leverTable, {
          name: "levers-vs-retention",
          rows: levers.map((r) => {
            const ci = wilson(r.retained, r.base);
            return { ...r, rate: r.base > 0 ? r.retained / r.base : null, lo: ci?.[0] ?? null, hi: ci?.[1] ?? null };
          }),
          columns: {
            lever: "lever",
            grp: "group",
            base: "n (active a year ago)",
            retained: "still active",
            rate: "retention",
            lo: "95% low",
            hi: "95% high",
          },
          format: {
            rate: ((v: number | null) => formatPercent(v)) as never,
            lo: ((v: number | null) => formatPercent(v)) as never,
            hi: ((v: number | null) => formatPercent(v)) as never,
          },
          rowsShown: 8,
        });
      }
    },
  });
  byInput.addEventListener("input", () => page.set({ by: byInput.value }));
  if (summary.aggregateOnly) {
    // Only the table by industry is precomputed.
    byInput.remove();
    showAggregateOnly(slots.ltvCac, "LTV : CAC per channel is computed in your browser from them.");
    removeDetails(slots.ltvCacTable);
    showAggregateOnly(slots.margin, "This chart shows single accounts.");
    showAggregateOnly(slots.nps, "NPS by segment is computed in your browser from them.");
    showAggregateOnly(slots.levers, "Retention by NPS and key-account coverage is computed in your browser from them.");
    removeDetails(slots.leverTable);
    return;
  }
  for (const s of [slots.ltvCac, slots.margin, slots.nps, slots.levers])
    s.replaceChildren(html`<p class="chart-caption">Drawn when the query engine is ready…</p>`);
  slots.status.textContent = "Starting the query engine (DuckDB-WASM)…";
  goLiveWhenOpen(engine!, page, slots.status, (opened) => (db = opened), {
    live: summary.hasModel
      ? "Interactive: filters query your data in the browser."
      : "Interactive. Predicted values are unavailable: the CLV models' account values are not in the data store.",
    fallback: "Showing the precomputed view for all accounts.",
  });
}

/** Definitions one click away, as a list. */
function definitionList(defs: readonly { label: string; text: string }[]): HTMLElement {
  return html`<details class="definition">
    <summary>Definitions</summary>
    <dl>
      ${defs.map(
        (d) =>
          html`<dt>${d.label}</dt>
            <dd>${d.text}</dd>`,
      )}
    </dl>
  </details>` as HTMLElement;
}
