/**
 * The workbench's state: the scenario being edited, the entry selected in the ledger and the
 * breakdown shown. Every change replaces the scenario (never mutates it), so a report or a
 * URL made from an earlier scenario stays valid.
 */
import type { BreakdownDim } from "../lib/scenarios/engine.js";
import { emptyScenario, newEntry, type LedgerEntry, type Scenario } from "../lib/scenarios/ledger.js";
import type { Lever } from "../lib/scenarios/levers.js";

export class WorkbenchState {
  scenario: Scenario;
  selected: number | null = null;
  by: BreakdownDim = "industry";

  constructor(scenario: Scenario) {
    this.scenario = scenario;
  }

  get entry(): LedgerEntry | null {
    return this.selected === null ? null : (this.scenario.ledger[this.selected] ?? null);
  }

  setTitle(title: string): void {
    this.scenario = { ...this.scenario, title };
  }

  add(lever: Lever, today: string): void {
    this.scenario = { ...this.scenario, ledger: [...this.scenario.ledger, newEntry(lever, today)] };
    this.selected = this.scenario.ledger.length - 1;
  }

  remove(i: number): void {
    this.scenario = { ...this.scenario, ledger: this.scenario.ledger.filter((_, j) => j !== i) };
    const s = this.selected;
    this.selected = s === null || s === i ? null : s > i ? s - 1 : s;
  }

  /** Swaps entry i with its neighbour; the selection follows the entry. */
  move(i: number, step: -1 | 1): void {
    const j = i + step;
    if (j < 0 || j >= this.scenario.ledger.length) return;
    const ledger = [...this.scenario.ledger];
    [ledger[i], ledger[j]] = [ledger[j], ledger[i]];
    this.scenario = { ...this.scenario, ledger };
    if (this.selected === i) this.selected = j;
    else if (this.selected === j) this.selected = i;
  }

  /** Replaces the selected entry with `change(entry)`. */
  setEntry(change: (e: LedgerEntry) => LedgerEntry): void {
    if (this.selected === null || !this.scenario.ledger[this.selected]) return;
    const ledger = [...this.scenario.ledger];
    ledger[this.selected] = change(ledger[this.selected]);
    this.scenario = { ...this.scenario, ledger };
  }

  reset(): void {
    this.scenario = emptyScenario();
    this.selected = null;
  }
}
