/**
 * Pareto / ABC page: concentration (Lorenz) curve of trailing-12-month revenue with the 80%
 * point, ABC classes with editable thresholds, class migration between consecutive 12-month
 * windows, and the top accounts. In an aggregate-only build the precomputed curve (coarse)
 * and classes stay at the configured thresholds; class migration and the top accounts, which
 * need per-account rows, show the note instead.
 */
import * as Plot from "@observablehq/plot";
import { html } from "htl";
import { CLASSES } from "../lib/analysis/abc.js";
import * as Q from "../lib/analysis/sql.js";
import type { AccountRow, AnalystSummary, ClassRow, ConcentrationRow } from "../lib/shapes/analyst-summary.js";
import { formatMoneyCompact, formatMoneyExact, formatNumber, formatPercent } from "../lib/format.js";
import { monthLabel } from "../lib/dates.js";
import { removeDetails, showAggregateOnly } from "./aggregate-only.js";
import { openAnalystDb, type AnalystDb, type ArrowFile } from "./analyst-db.js";
import { numberInput, select } from "./controls.js";
import {
  analystPage,
  centsToDecimal,
  filterCodes,
  goLiveWhenOpen,
  labelOf,
  showChart,
  showTable,
  trackedWidth,
  type TableSpec,
} from "./analyst-page.js";

export function concentrationChart(rows: readonly ConcentrationRow[], { width = 640 } = {}) {
  const data = [
    { x: 0, y: 0 },
    ...rows.map((r) => ({
      x: r.rank / r.accounts,
      y: r.cum_cents / r.total_cents,
      rank: r.rank,
      accounts: r.accounts,
    })),
  ];
  const target = rows.find((r) => r.is_target);
  const point = target
    ? [
        {
          x: target.rank / target.accounts,
          y: target.cum_cents / target.total_cents,
          rank: target.rank,
          accounts: target.accounts,
        },
      ]
    : [];
  return Plot.plot({
    width,
    height: 320,
    x: { label: "share of accounts, largest first →", tickFormat: "%", domain: [0, 1] },
    y: { label: "↑ share of T12M revenue", tickFormat: "%", domain: [0, 1], grid: true },
    marks: [
      Plot.line(
        [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ],
        { x: "x", y: "y", stroke: "var(--theme-foreground-muted)", strokeDasharray: "3,3" },
      ),
      Plot.line(data, {
        x: "x",
        y: "y",
        stroke: "var(--theme-foreground-focus)",
        strokeWidth: 2,
        tip: true,
        title: (d: { x: number; y: number }) =>
          `top ${formatPercent(d.x)} of accounts: ${formatPercent(d.y)} of revenue`,
      }),
      Plot.dot(point, { x: "x", y: "y", r: 5, fill: "#e15759" }),
      Plot.text(point, {
        x: "x",
        y: "y",
        dx: 8,
        textAnchor: "start",
        text: (d: { x: number; rank: number; accounts: number }) =>
          `80% of revenue: ${d.rank} of ${d.accounts} accounts (${formatPercent(d.x)})`,
        fill: "currentColor",
      }),
    ],
  });
}

/** The concentration curve's points as a table: the accounts, largest first, and their share of revenue. */
export function concentrationTable(
  rows: readonly ConcentrationRow[],
): TableSpec<ConcentrationRow & { x: number; y: number }> {
  return {
    name: "revenue-concentration",
    rows: rows.map((r) => ({ ...r, x: r.rank / r.accounts, y: r.cum_cents / r.total_cents })),
    columns: { rank: "largest accounts", x: "share of accounts", y: "share of T12M revenue" },
    format: { x: ((v: number) => formatPercent(v)) as never, y: ((v: number) => formatPercent(v)) as never },
    rowsShown: 8,
  };
}

export function migrationChart(
  rows: readonly { from_class: number; to_class: number; accounts: number }[],
  { width = 480, fromLabel = "earlier", toLabel = "later" } = {},
) {
  const data = rows.map((r) => ({ from: CLASSES[r.from_class], to: CLASSES[r.to_class], accounts: r.accounts }));
  return Plot.plot({
    width: Math.min(width, 520),
    height: 260,
    marginLeft: 60,
    x: { domain: [...CLASSES], label: `class, ${toLabel} →`, axis: "top" },
    y: { domain: [...CLASSES], label: `class, ${fromLabel}` },
    color: { type: "sqrt", scheme: "blues", legend: true, label: "accounts" },
    marks: [
      Plot.cell(data, {
        x: "to",
        y: "from",
        fill: "accounts",
        inset: 1,
        tip: true,
        title: (d: (typeof data)[number]) => `${d.accounts} accounts from ${d.from} to ${d.to}`,
      }),
      Plot.text(data, {
        x: "to",
        y: "from",
        text: (d: (typeof data)[number]) => formatNumber(d.accounts),
        fill: "black",
        stroke: "white",
        strokeWidth: 3,
        paintOrder: "stroke",
      }),
    ],
  });
}

export interface ParetoSlots {
  controls: HTMLElement;
  notes: HTMLElement;
  status: HTMLElement;
  thresholds: HTMLElement;
  curve: HTMLElement;
  classes: HTMLElement;
  migrationControls: HTMLElement;
  migration: HTMLElement;
  migrationTable: HTMLElement;
  top: HTMLElement;
}

export function mountPareto({
  summary,
  files,
  slots,
}: {
  summary: AnalystSummary;
  files: Record<"accounts" | "names", ArrowFile>;
  slots: ParetoSlots;
}): void {
  let db: AnalystDb | null = null;
  const width = trackedWidth(slots.curve);
  const windowLabel = (k: number) => `12 months to ${monthLabel(summary.asOfMonth - 12 * k)}`;
  const windowInput = select<1 | 2 | 3>([1, 2, 3], {
    label: "Compare",
    value: 1,
    format: (k) => `${windowLabel(k)} → ${windowLabel(k - 1)}`,
  });
  windowInput.dataset.input = "compare";
  slots.migrationControls.replaceChildren(windowInput);
  const money = (c: number | null) => formatMoneyCompact(c, summary.currency);

  const drawClasses = (rows: readonly ClassRow[], abc: readonly [number, number]) => {
    const total = rows.reduce((s, r) => s + r.revenue_cents, 0);
    const data = CLASSES.map((c, i) => {
      const r = rows.find((x) => x.class === i);
      return {
        class: c,
        rule:
          i === 0
            ? `first ${abc[0]}% of revenue`
            : i === 1
              ? `next ${abc[1] - abc[0]}%`
              : i === 2
                ? `last ${100 - abc[1]}%`
                : "no T12M revenue",
        accounts: r?.accounts ?? 0,
        revenue_cents: r?.revenue_cents ?? 0,
        share: total > 0 ? (r?.revenue_cents ?? 0) / total : null,
        predicted_cents: summary.hasModel && r ? r.predicted_cents : null,
      };
    });
    showTable(slots.classes, {
      name: "abc-classes",
      rows: data,
      columns: {
        class: "class",
        rule: "rule",
        accounts: "accounts",
        revenue_cents: "T12M revenue",
        share: "share",
        predicted_cents: "predicted value",
      },
      format: {
        revenue_cents: ((c: number) => formatMoneyExact(c, summary.currency)) as never,
        share: ((v: number | null) => formatPercent(v)) as never,
        predicted_cents: ((c: number | null) => (c === null ? "unavailable" : money(c))) as never,
      },
      csv: {
        revenue_cents: (r) => centsToDecimal(r.revenue_cents),
        predicted_cents: (r) => centsToDecimal(r.predicted_cents),
      },
      rowsShown: 5,
    });
  };
  const drawTop = (rows: readonly AccountRow[]) =>
    showTable(slots.top, {
      name: "top-accounts",
      rows: rows.map((r, i) => ({
        ...r,
        rank: i + 1,
        class_label: CLASSES[r.class],
        industry_label: labelOf(summary, "industry", r.industry),
      })),
      columns: {
        rank: "#",
        account_id: "account",
        account_name: "name",
        industry_label: "industry",
        class_label: "class",
        revenue_cents: "T12M revenue",
        clv_cents: "predicted value",
      },
      format: {
        revenue_cents: ((c: number) => formatMoneyExact(c, summary.currency)) as never,
        clv_cents: ((c: number | null) => (c === null ? "unavailable" : money(c))) as never,
      },
      csv: { revenue_cents: (r) => centsToDecimal(r.revenue_cents), clv_cents: (r) => centsToDecimal(r.clv_cents) },
      rowsShown: 10,
    });

  // The engine starts before the first chart is drawn: its worker fetches and compiles it meanwhile.
  const engine = summary.aggregateOnly ? null : openAnalystDb(files, summary.thresholds);
  const page = analystPage({
    summary,
    controls: slots.controls,
    notes: slots.notes,
    async render(state, live) {
      if (!live || !db) {
        showChart(
          slots.curve,
          concentrationChart(summary.first.concentration, { width: width() }),
          "revenue-concentration",
          concentrationTable(summary.first.concentration),
        );
        drawClasses(summary.first.classes, [
          Math.round(summary.thresholds[0] * 100),
          Math.round(summary.thresholds[1] * 100),
        ]);
        if (!summary.aggregateOnly) drawTop(summary.first.topAccounts);
        return;
      }
      await db.setThresholds(state.abc[0] / 100, state.abc[1] / 100);
      const codes = filterCodes(summary, state);
      const k = state.compare;
      if (windowInput.value !== k) windowInput.value = k;
      // All queries go out at once; each part is drawn while the engine computes the next.
      const curve = db.query<ConcentrationRow>(Q.concentrationCurve(codes));
      const classes = db.query<ClassRow>(Q.classSummary(codes));
      const migrationRows = db.query<{ from_class: number; to_class: number; accounts: number }>(
        Q.classMigration(codes, k),
      );
      const top = db.query<AccountRow>(Q.accountList(codes, "", "revenue", 100));
      const curveRows = await curve;
      showChart(
        slots.curve,
        concentrationChart(curveRows, { width: width() }),
        "revenue-concentration",
        concentrationTable(curveRows),
      );
      drawClasses(await classes, state.abc);
      const migration = await migrationRows;
      showChart(
        slots.migration,
        migrationChart(migration, { width: width(), fromLabel: windowLabel(k), toLabel: windowLabel(k - 1) }),
        "abc-migration",
      );
      showTable(slots.migrationTable, {
        name: "abc-migration",
        rows: migration.map((r) => ({ from: CLASSES[r.from_class], to: CLASSES[r.to_class], accounts: r.accounts })),
        columns: { from: `class, ${windowLabel(k)}`, to: `class, ${windowLabel(k - 1)}`, accounts: "accounts" },
        rowsShown: 6,
      });
      drawTop(await top);
    },
  });

  if (summary.aggregateOnly) {
    const [a, b] = [Math.round(summary.thresholds[0] * 100), Math.round(summary.thresholds[1] * 100)];
    slots.thresholds.replaceChildren(
      html`<p class="chart-caption" data-threshold-note>
        A: first ${a}% of revenue, B: next ${b - a}%, C: the last ${100 - b}% (the configured thresholds).
      </p>`,
    );
    windowInput.remove();
    showAggregateOnly(slots.migration, "Class migration is computed in your browser from them.");
    removeDetails(slots.migrationTable);
    showAggregateOnly(slots.top, "The largest accounts are not listed.");
    return;
  }
  // Thresholds: A closes at a%, B at b% of revenue (whole percents, as in the URL).
  const aInput = numberInput({ label: "A up to (% of revenue)", min: 1, max: 98, value: page.state.abc[0] });
  const bInput = numberInput({ label: "B up to (% of revenue)", min: 2, max: 99, value: page.state.abc[1] });
  aInput.dataset.input = "abc-a";
  bInput.dataset.input = "abc-b";
  const thresholdNote = html`<p class="chart-caption" data-threshold-note></p>` as HTMLElement;
  const onThresholds = () => {
    const a = Math.round(aInput.value);
    const b = Math.round(bInput.value);
    if (!(a > 0 && b > a && b < 100)) {
      thresholdNote.textContent = `Thresholds must satisfy 0 < A < B < 100; keeping ${page.state.abc[0]} / ${page.state.abc[1]}.`;
      return;
    }
    thresholdNote.textContent = `A: first ${a}% of revenue, B: next ${b - a}%, C: the last ${100 - b}%.`;
    page.set({ abc: [a, b] });
  };
  aInput.addEventListener("input", onThresholds);
  bInput.addEventListener("input", onThresholds);
  thresholdNote.textContent = `A: first ${page.state.abc[0]}% of revenue, B: next ${page.state.abc[1] - page.state.abc[0]}%, C: the last ${100 - page.state.abc[1]}%.`;
  slots.thresholds.replaceChildren(aInput, bInput, thresholdNote);
  windowInput.addEventListener("input", () => page.set({ compare: windowInput.value }));
  slots.migration.replaceChildren(html`<p class="chart-caption">Drawn when the query engine is ready…</p>`);
  slots.status.textContent = "Starting the query engine (DuckDB-WASM) for filters and thresholds…";
  goLiveWhenOpen(engine!, page, slots.status, (opened) => (db = opened), {
    live: "Interactive: filters and thresholds query your data in the browser.",
    fallback: "Showing the precomputed view for all accounts.",
  });
}
