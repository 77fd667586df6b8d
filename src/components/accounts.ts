/**
 * Account explorer: search and filter every account; a detail view with its MRR history and
 * contract changes, revenue per 12-month window with its ABC class, NPS answers, hours and
 * cost to serve, predicted value with its band and probability alive. In an aggregate-only
 * build there is no account to list: the whole explorer is the note saying so. This module is
 * the page's controller: the detail charts are pure functions in components/account-charts.ts.
 */
import { html } from "htl";
import { CLASSES } from "../lib/analysis/abc.js";
import { MOVEMENTS } from "../lib/analysis/mrr.js";
import { notProvided } from "../lib/coverage.js";
import { withCode } from "./not-provided.js";
import * as Q from "../lib/analysis/sql.js";
import type { AccountRow, AnalystSummary } from "../lib/shapes/analyst-summary.js";
import { formatMoneyCompact, formatMoneyExact, formatNumber, formatPercent } from "../lib/format.js";
import { monthLabel } from "../lib/dates.js";
import { SEARCH_MAX } from "../lib/analysis/url-state.js";
import { aggregateOnlyNote } from "./aggregate-only.js";
import { openAnalystDb, type AnalystDb, type ArrowFile } from "./analyst-db.js";
import { select, textInput } from "./controls.js";
import {
  analystPage,
  centsToDecimal,
  filterCodes,
  goLiveWhenOpen,
  labelOf,
  showChart,
  showTable,
} from "./analyst-page.js";
import { markFirstChart } from "./timings.js";

const SORTS: Record<Q.SortKey, string> = {
  revenue: "T12M revenue",
  value: "predicted value",
  margin: "T12M margin",
  mrr: "MRR now",
};
export const LIST_LIMIT = 200;

import { historyChart, windowsChart, windowsTable, type Detail } from "./account-charts.js";

export interface AccountSlots {
  controls: HTMLElement;
  notes: HTMLElement;
  status: HTMLElement;
  search: HTMLElement;
  list: HTMLElement;
  detail: HTMLElement;
}

export function mountAccounts({
  summary,
  files,
  slots,
}: {
  summary: AnalystSummary;
  files: Record<"accounts" | "names" | "mrr" | "nps", ArrowFile>;
  slots: AccountSlots;
}): void {
  if (summary.aggregateOnly) {
    slots.list.replaceChildren(
      aggregateOnlyNote("The account explorer lists single accounts, so it has nothing to show in this build."),
    );
    slots.detail.remove();
    document.body.dataset.analystReady = "aggregate-only";
    return;
  }
  let db: AnalystDb | null = null;
  const money = (c: number | null) => formatMoneyCompact(c, summary.currency);
  const search = textInput({
    label: "Search name or id",
    placeholder: "e.g. Logistics or ACC-0001",
    maxLength: SEARCH_MAX,
  });
  const cov = summary.coverage;
  // Sort keys for what the data has: MRR only with contracts, margin only with a cost.
  const sorts = (Object.keys(SORTS) as Q.SortKey[]).filter((k) =>
    k === "mrr" ? cov.contracts : k === "margin" ? cov.margin !== null : true,
  );
  const sort = select(sorts, { label: "Sort by", value: "revenue", format: (k) => SORTS[k] });
  search.dataset.input = "search";
  sort.dataset.input = "sort";
  const count = html`<p class="chart-caption" data-matches></p>` as HTMLElement;
  slots.search.replaceChildren(search, sort, count);
  let detailNoteShown = false;

  const drawList = (rows: readonly AccountRow[]) => {
    const matches = rows[0]?.matches ?? 0;
    count.textContent =
      rows.length === 0
        ? "No account matches."
        : `${formatNumber(matches)} accounts match${matches > rows.length ? `; the first ${rows.length} are listed` : ""}. Select a row for its details.`;
    showTable(slots.list, {
      name: "accounts",
      rows: rows.map((r) => ({
        ...r,
        industry_label: labelOf(summary, "industry", r.industry),
        size_label: labelOf(summary, "size", r.size),
        class_label: CLASSES[r.class],
      })),
      columns: {
        account_id: "account",
        account_name: "name",
        industry_label: "industry",
        size_label: "size",
        class_label: "class",
        revenue_cents: "T12M revenue",
        clv_cents: "predicted value",
        p_alive: "P(alive)",
      },
      format: {
        revenue_cents: ((c: number) => formatMoneyExact(c, summary.currency)) as never,
        clv_cents: ((c: number | null) => (c === null ? "unavailable" : money(c))) as never,
        p_alive: ((p: number | null) => formatPercent(p, 0)) as never,
      },
      csv: { revenue_cents: (r) => centsToDecimal(r.revenue_cents), clv_cents: (r) => centsToDecimal(r.clv_cents) },
      rowsShown: 12,
      onSelect: (row) => page.set({ account: row.account_id }),
    });
    markFirstChart();
  };

  async function drawDetail(id: string | null): Promise<void> {
    if (!id || !db) {
      slots.detail.replaceChildren(
        html`<p class="chart-caption">Select an account in the list to see its history.</p>`,
      );
      return;
    }
    const [detail] = await db.query<Detail>(Q.accountDetail(id));
    if (!detail) {
      if (!detailNoteShown)
        page.note(`The link's account "${id.slice(0, 80)}" is not in this data; no account is selected.`);
      detailNoteShown = true;
      slots.detail.replaceChildren(html`<p class="chart-caption">No account selected.</p>`);
      return;
    }
    const events = cov.contracts
      ? await db.query<{ month: number; mrr_cents: number; delta_cents: number; movement: number }>(
          Q.accountEvents(detail.idx),
        )
      : [];
    const answers = cov.nps ? await db.query<{ month: number; score: number }>(Q.accountNps(detail.idx)) : [];
    const w = Math.max(300, slots.detail.clientWidth - 40 || 640);
    const seg = (dim: "industry" | "size" | "region" | "tier" | "channel") =>
      labelOf(summary, dim, detail[dim] as number);
    // Only the attributes the data has, and only the figures whose extracts were provided.
    const attributes = [
      detail.account_id as string,
      ...(["industry", "size", "region"] as const).filter((d) => cov.attributes[d]).map(seg),
      ...(cov.attributes.tier ? [`tier ${seg("tier")}`] : []),
      ...(cov.attributes.channel ? [seg("channel")] : []),
      ...(cov.attributes.key_account ? [detail.key_account === 1 ? "key account" : "no key account manager"] : []),
      `acquired ${monthLabel(detail.cohort as number)}`,
    ].join(" · ");
    // A transactional account (or one whose contracts are all quarantined) has no MRR history to draw.
    const contractHistory = cov.contracts && events.length > 0;
    const missing = [
      cov.contracts ? null : notProvided("contracts"),
      cov.margin === null ? notProvided("cost") : null,
      cov.timeEntries ? null : notProvided("time_entries"),
      cov.nps ? null : notProvided("nps_responses"),
    ].filter((x): x is string => x !== null);
    const value =
      detail.clv === null
        ? "unavailable"
        : `${money(detail.clv as number)} (${money(detail.clv_p10 as number)} – ${money(detail.clv_p90 as number)})`;
    const history = html`<div data-chart="history"></div>` as HTMLElement;
    const windows = html`<div data-chart="windows"></div>` as HTMLElement;
    const changes = html`<div data-table="changes"></div>` as HTMLElement;
    slots.detail.replaceChildren(
      html`<h2 data-detail-name>${detail.account_name}</h2>`,
      html`<p class="chart-caption">${attributes}</p>`,
      html`<div class="detail-grid">
        <div>
          T12M revenue<span data-detail="revenue">${formatMoneyExact(detail.rev0 as number, summary.currency)}</span>
        </div>
        <div>Predicted value (p10 – p90)<span data-detail="value">${value}</span></div>
        <div>
          Probability alive<span data-detail="p-alive"
            >${detail.p_alive === null ? "unavailable" : formatPercent(detail.p_alive as number, 0)}</span
          >
        </div>
        ${cov.contracts ? html`<div>MRR now<span>${money(detail.mrr_now as number)}</span></div>` : ""}
        ${cov.margin === null ? "" : html`<div>${cov.timeEntries ? "T12M margin after cost to serve" : "T12M margin"}<span>${money(detail.margin0 as number)}</span></div>`}
        ${cov.timeEntries ? html`<div>Hours, last 12 months<span>${formatNumber(detail.hours0 as number)} h (${money(detail.cts0 as number)})</span></div>` : ""}
        ${cov.nps ? html`<div>NPS answers<span>${answers.length === 0 ? "none" : answers.map((a) => `${a.score}`).join(", ")}</span></div>` : ""}
      </div>`,
      missing.length > 0
        ? html`<ul class="not-provided-list" data-not-provided>
            ${missing.map((m) => html`<li class="not-provided">${withCode(m)}</li>`)}
          </ul>`
        : "",
      contractHistory
        ? html`<h3>MRR history and contract changes</h3>
            <p class="chart-caption">
              Month-end MRR, with a dot at every change (new, expansion, contraction, churn, reactivation). From
              contracts.
            </p>`
        : "",
      contractHistory
        ? history
        : cov.contracts
          ? html`<p class="chart-caption" data-no-contract>
              No contract: this account buys without one, so it has no MRR history.
            </p>`
          : "",
      contractHistory || answers.length > 0 ? changes : "",
      html`<h3>Revenue and ABC class per 12-month window</h3>
        <p class="chart-caption">
          Net billed revenue in each 12-month window ending at the as-of month, and the account's class in it. From
          invoices.
        </p>`,
      windows,
    );
    if (contractHistory)
      showChart(
        history,
        historyChart(events, summary.asOfMonth, { width: w, currency: summary.currency }),
        `account-${detail.account_id}-mrr`,
      );
    showChart(
      windows,
      windowsChart(detail, summary.asOfMonth, { width: w, currency: summary.currency }),
      `account-${detail.account_id}-revenue`,
      windowsTable(detail, summary.asOfMonth, summary.currency),
    );
    showTable(changes, {
      name: `account-${detail.account_id}-changes`,
      rows: [
        ...events.map((e) => ({
          month: monthLabel(e.month),
          what: MOVEMENTS[e.movement - 1],
          amount_cents: e.delta_cents as number | null,
          detail: `MRR ${money(e.mrr_cents)}`,
        })),
        ...answers.map((a) => ({
          month: monthLabel(a.month),
          what: "NPS answer",
          amount_cents: null,
          detail: `score ${a.score}`,
        })),
      ].sort((x, y) => x.month.localeCompare(y.month)),
      columns: cov.contracts
        ? { month: "month", what: "event", amount_cents: "MRR change", detail: "detail" }
        : { month: "month", what: "event", detail: "detail" },
      format: { amount_cents: ((c: number | null) => (c === null ? "" : money(c))) as never },
      csv: { amount_cents: (r) => centsToDecimal(r.amount_cents) },
      rowsShown: 6,
    });
  }

  // The engine starts before the first chart is drawn: its worker fetches and compiles it meanwhile.
  const engine = summary.aggregateOnly ? null : openAnalystDb(files, summary.thresholds);
  const page = analystPage({
    summary,
    controls: slots.controls,
    notes: slots.notes,
    async render(state, live) {
      if (!live || !db) {
        drawList(summary.first.topAccounts);
        slots.detail.replaceChildren(
          html`<p class="chart-caption">Select an account in the list to see its history.</p>`,
        );
        return;
      }
      if (search.value !== state.q) search.value = state.q;
      const order = state.sort !== null && sorts.includes(state.sort) ? state.sort : "revenue";
      if (sort.value !== order) sort.value = order;
      const rows = await db.query<AccountRow>(
        Q.accountList(filterCodes(summary, state), state.q.trim(), order, LIST_LIMIT),
      );
      drawList(rows);
      await drawDetail(state.account);
    },
  });
  search.addEventListener("input", () => page.set({ q: search.value.slice(0, SEARCH_MAX) }));
  sort.addEventListener("input", () => page.set({ sort: sort.value === "revenue" ? null : sort.value }));
  search.value = page.state.q;
  slots.status.textContent = "Starting the query engine (DuckDB-WASM) for search and details…";
  goLiveWhenOpen(engine!, page, slots.status, (opened) => (db = opened), {
    live: summary.hasModel
      ? "Interactive: search, filters and details query your data in the browser."
      : "Interactive. Predicted values are unavailable: the CLV models' account values are not in the data store.",
    fallback: "Showing the precomputed list.",
  });
}
