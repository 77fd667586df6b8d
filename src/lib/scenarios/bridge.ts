/**
 * The lever bridge: baseline → each ledger entry's contribution, in ledger order → scenario.
 * Entry j contributes T(j + 1) − T(j), where T(j) is the total value (existing base plus new
 * channels net of CAC) with the first j entries applied; T(0) is the baseline, T(n) the
 * scenario. The totals are rounded to whole cents first, so the steps are differences of
 * integers and add up to scenario − baseline exactly. An entry's contribution depends on the
 * entries before it (a mass adjustment scales what the levers above it made); the order is
 * the ledger's.
 */
import type { ScenarioEvaluator } from "./engine.js";
import type { Scenario } from "./ledger.js";

export interface LeverBridge {
  readonly baselineCents: number;
  /** One step per ledger entry, in ledger order. */
  readonly steps: ReadonlyArray<{ readonly entry: number; readonly changeCents: number }>;
  readonly scenarioCents: number;
}

export function leverBridge(evaluator: ScenarioEvaluator, scenario: Scenario): LeverBridge {
  const n = scenario.ledger.length;
  const totals = Array.from({ length: n + 1 }, (_, j) => Math.round(evaluator.totalUpTo(scenario, j)));
  return {
    baselineCents: totals[0],
    steps: totals.slice(1).map((t, j) => ({ entry: j, changeCents: t - totals[j] })),
    scenarioCents: totals[n],
  };
}
