/**
 * Baseline against scenario as one plain-JSON report: what the scenario page renders on every
 * slider move, and what the loader precomputes for each saved scenario's executive page.
 */
import { mostAffected } from "./affected.js";
import type { Aggregate, ChangeBand } from "./bands.js";
import { leverBridge, type LeverBridge } from "./bridge.js";
import type { ChannelValue } from "./channel.js";
import type { BreakdownDim, Evaluation, ScenarioEvaluator } from "./engine.js";
import type { Scenario } from "./ledger.js";
import { PROJECTION_YEARS } from "./series.js";

export interface ComparedRow {
  readonly label: string;
  readonly baseline: Aggregate;
  readonly scenario: Aggregate;
  /** scenario − baseline, P10 / P50 / P90 over shared parameter draws. */
  readonly change: ChangeBand;
}

export interface ScenarioReport {
  readonly currency: string;
  readonly asOf: string;
  readonly horizonMonths: number;
  readonly annualDiscountRate: number;
  readonly portfolio: {
    readonly baseline: Aggregate;
    /** The existing base under the scenario. */
    readonly base: Aggregate;
    readonly newChannel: ChannelValue;
    /** base + new channel net of its CAC. */
    readonly scenario: Aggregate;
    /** scenario − baseline on shared parameter draws. */
    readonly change: ChangeBand;
  };
  /** Baseline → each entry's contribution in ledger order → scenario (./bridge.ts). */
  readonly bridge: LeverBridge;
  readonly breakdowns: ReadonlyArray<{ readonly dim: BreakdownDim; readonly rows: readonly ComparedRow[] }>;
  readonly abc: readonly ComparedRow[];
  readonly projection: ReadonlyArray<{
    readonly year: number;
    readonly series: "baseline" | "scenario";
    readonly revenueCents: number;
    readonly p10Cents: number;
    readonly p90Cents: number;
  }>;
  readonly mostAffected: ReadonlyArray<{
    readonly accountId: string;
    readonly segment: string;
    readonly baselineCents: number;
    readonly scenarioCents: number;
    readonly changeCents: number;
  }>;
  readonly ltvCac: {
    /** False when no marketing spend was provided (no CAC to compare with). */
    readonly provided: boolean;
    readonly baseline: {
      readonly ltvCents: number | null;
      readonly cacCents: number | null;
      readonly ratio: number | null;
    };
    readonly scenario: {
      readonly ltvCents: number | null;
      readonly cacCents: number | null;
      readonly ratio: number | null;
    };
  };
  /** Accounts each ledger entry selects (all, and those carrying value). */
  readonly entries: ReadonlyArray<{ readonly selected: number; readonly valued: number }>;
}

export const BREAKDOWN_LABELS: Record<BreakdownDim, string> = {
  size: "Size",
  industry: "Industry",
  region: "Region",
  tier: "Tier",
  businessModel: "Business model",
  abc: "ABC class",
};

/**
 * Compares `scenario` with the baseline (an empty ledger) on `dims` breakdowns. The baseline
 * evaluation may be passed in (the page computes it once).
 */
export function scenarioReport(
  evaluator: ScenarioEvaluator,
  scenario: Scenario,
  dims: readonly BreakdownDim[],
  options: { topAccounts?: number; baseline?: Map<BreakdownDim, Evaluation> } = {},
): ScenarioReport {
  const { base, accounts } = evaluator;
  const empty: Scenario = { version: scenario.version, title: "baseline", ledger: [] };
  const baselineOf = (dim: BreakdownDim) => {
    let b = options.baseline?.get(dim);
    if (!b) {
      b = evaluator.evaluate(empty, { by: dim });
      options.baseline?.set(dim, b);
    }
    return b;
  };
  const dimsToRun = dims.length > 0 ? dims : (["tier"] as BreakdownDim[]);
  const runs = dimsToRun.map((dim) => ({
    dim,
    baseline: baselineOf(dim),
    scenario: evaluator.evaluate(scenario, { by: dim }),
  }));
  const first = runs[0];
  const compare = (
    labels: readonly string[],
    b: readonly Aggregate[],
    s: readonly Aggregate[],
    change: readonly ChangeBand[],
  ): ComparedRow[] =>
    labels
      .map((label, i) => ({ label, baseline: b[i], scenario: s[i], change: change[i] }))
      .filter((r) => r.baseline.accounts > 0 || r.scenario.accounts > 0);
  const projection: Array<ScenarioReport["projection"][number]> = [];
  for (const [series, ev] of [
    ["baseline", first.baseline],
    ["scenario", first.scenario],
  ] as const) {
    for (let y = 0; y < PROJECTION_YEARS; y++)
      projection.push({
        year: y + 1,
        series,
        revenueCents: ev.projection.revenueCents[y],
        p10Cents: ev.projection.p10Cents[y],
        p90Cents: ev.projection.p90Cents[y],
      });
  }
  const d = base.dictionary;
  const segmentOf = (i: number) =>
    [
      d.tier[accounts.tier[i]],
      d.size[accounts.size[i]],
      d.industry[accounts.industry[i]],
      d.region[accounts.region[i]],
    ].join(" · ");
  const { ltvCents, cacCents, ratio } = first.baseline.ltvCac;
  return {
    currency: base.currency,
    asOf: base.asOf,
    horizonMonths: base.horizonMonths,
    annualDiscountRate: base.annualDiscountRate,
    portfolio: {
      baseline: first.baseline.total,
      base: first.scenario.base,
      newChannel: first.scenario.newChannel,
      scenario: first.scenario.total,
      change: first.scenario.change.total,
    },
    bridge: leverBridge(evaluator, scenario),
    breakdowns: runs.map((r) => ({
      dim: r.dim,
      rows: compare(d[r.dim], r.baseline.by.rows, r.scenario.by.rows, r.scenario.change.by),
    })),
    abc: compare(d.abc, first.baseline.abc, first.scenario.abc, first.scenario.change.abc),
    projection,
    mostAffected: mostAffected(accounts, first.scenario.values, options.topAccounts ?? 10).map((m) => ({
      accountId: m.accountId,
      segment: segmentOf(m.index),
      baselineCents: m.baselineCents,
      scenarioCents: m.scenarioCents,
      changeCents: m.changeCents,
    })),
    ltvCac: {
      provided: base.economics.spendProvided !== false,
      baseline: { ltvCents, cacCents, ratio },
      scenario: {
        ltvCents: first.scenario.ltvCac.ltvCents,
        cacCents: first.scenario.ltvCac.cacCents,
        ratio: first.scenario.ltvCac.ratio,
      },
    },
    entries: first.scenario.entryAccounts,
  };
}
