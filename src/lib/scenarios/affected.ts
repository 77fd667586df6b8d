/** The accounts a scenario moves most (the workbench's and the saved pages' list). */
import type { AccountArrays } from "./inputs.js";

export interface AffectedAccount {
  readonly index: number;
  readonly accountId: string;
  readonly baselineCents: number;
  readonly scenarioCents: number;
  readonly changeCents: number;
}

/** The `count` accounts with the largest absolute change, largest first (ties by position). */
export function mostAffected(accounts: AccountArrays, scenarioValues: Float64Array, count = 10): AffectedAccount[] {
  const top: number[] = [];
  const change = (i: number) => Math.abs(scenarioValues[i] - accounts.valueCents[i]);
  for (let i = 0; i < accounts.length; i++) {
    const d = change(i);
    if (d <= 0.5) continue; // less than a cent
    if (top.length < count || d > change(top[top.length - 1])) {
      let pos = top.length;
      while (pos > 0 && change(top[pos - 1]) < d) pos--;
      top.splice(pos, 0, i);
      if (top.length > count) top.pop();
    }
  }
  return top.map((i) => ({
    index: i,
    accountId: accounts.accountId[i],
    baselineCents: accounts.valueCents[i],
    scenarioCents: scenarioValues[i],
    changeCents: scenarioValues[i] - accounts.valueCents[i],
  }));
}
