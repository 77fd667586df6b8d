/**
 * Customer-value bridge: why the headline value moved between an earlier as-of date (a quarter,
 * a year before) and now. The value then comes from the models rebuilt on the data known then
 * (loaders/asof); every account falls in one step, and the steps add up exactly:
 *
 *   value then
 *   + new accounts        value now of accounts acquired after the earlier date (an account that
 *                         existed then without a value starts from 0 and counts as expansion)
 *   − lost accounts       value then of accounts valued then and worth nothing now
 *   + re-estimate         for the other accounts: their histories of today valued with today's
 *                         fits minus the same histories valued with the fits of then (parameters
 *                         and margin share), both at the point estimates (outcomes.ts)
 *   + expansion / − contraction  what remains of each of those accounts' change (more or less
 *                         MRR, purchases, renewals survived, time passed), by its sign
 *   = value now
 *
 * Saved scenarios are what-ifs: no recorded adjustment changes the headline value, so there is
 * no adjustment step.
 */
import { expectedValues, withParametersOf } from "../../src/lib/models/outcomes.js";
import type { ValueBridge, ValueBridgeData } from "../../src/lib/shapes/value-bridge.js";
import type { Rebuild } from "../asof/rebuild.js";
import { monthsBefore } from "../../src/lib/dates.js";
import type { ValuationConfig } from "../config.js";
import type { Db } from "../db.js";
import type { ModelRun } from "../models/index.js";

/** Bridges from 3 and 12 months before the as-of date. */
export const BRIDGE_MONTHS = [3, 12] as const;

export interface BridgeOptions {
  readonly asOf: string;
  readonly currency: string;
  readonly valuation: ValuationConfig;
  readonly now: ModelRun;
  readonly rebuild: Rebuild;
}

export async function valueBridges(db: Db, opts: BridgeOptions): Promise<ValueBridgeData> {
  const bridges: ValueBridge[] = [];
  const skipped: ValueBridgeData["skipped"] = [];
  const nowRows = await db.all<{ account_id: string; clv: number; acquired_on: string }>(`
    SELECT v.account_id, v.clv_cents AS clv, CAST(a.acquired_on AS VARCHAR) AS acquired_on
    FROM main.account_value v JOIN main.dim_accounts a USING (account_id)`);
  const [{ first }] = await db.all<{ first: string | null }>(
    "SELECT CAST(min(month) AS VARCHAR) AS first FROM main.account_month",
  );
  for (const months of BRIDGE_MONTHS) {
    const from = monthsBefore(opts.asOf, months);
    if (first === null || first > monthsBefore(from, 12)) {
      skipped.push({ from, reason: `less than a year of history before ${from}` });
      continue;
    }
    try {
      bridges.push(await bridgeFrom(from, months, nowRows, opts));
    } catch (error) {
      skipped.push({ from, reason: `the models could not be rebuilt at ${from}: ${(error as Error).message}` });
    }
  }
  return { asOf: opts.asOf, currency: opts.currency, bridges, skipped };
}

async function bridgeFrom(
  from: string,
  months: number,
  nowRows: readonly { account_id: string; clv: number; acquired_on: string }[],
  opts: BridgeOptions,
): Promise<ValueBridge> {
  const then = await opts.rebuild(from);
  const { horizonMonths, annualDiscountRate } = opts.valuation;
  const nowState = opts.now.forecast;
  const atNow = expectedValues(nowState, horizonMonths, annualDiscountRate);
  const atThenFits = expectedValues(withParametersOf(nowState, then.forecast), horizonMonths, annualDiscountRate);
  const step = () => ({ cents: 0, accounts: 0 });
  const steps = {
    newAccounts: step(),
    lostAccounts: step(),
    expansion: step(),
    contraction: step(),
    reEstimate: step(),
  };
  let valueThen = 0,
    valueNow = 0;
  for (const [, v] of then.valueOf) valueThen += v;
  const seen = new Set<string>();
  for (const r of nowRows) {
    seen.add(r.account_id);
    valueNow += r.clv;
    // An account that existed then but had no value row (nothing billed yet) starts from 0: its
    // value now is expansion of an existing account, not a new account.
    const before = then.valueOf.get(r.account_id) ?? 0;
    if (r.acquired_on > from) {
      steps.newAccounts.cents += r.clv;
      steps.newAccounts.accounts++;
      continue;
    }
    if (before > 0 && r.clv === 0) {
      steps.lostAccounts.cents -= before;
      steps.lostAccounts.accounts++;
      continue;
    }
    const a = atNow.get(r.account_id),
      b = atThenFits.get(r.account_id);
    const reEstimate = a !== undefined && b !== undefined ? a - b : 0;
    if (reEstimate !== 0) {
      steps.reEstimate.cents += reEstimate;
      steps.reEstimate.accounts++;
    }
    const rest = r.clv - before - reEstimate;
    if (rest > 0) {
      steps.expansion.cents += rest;
      steps.expansion.accounts++;
    } else if (rest < 0) {
      steps.contraction.cents += rest;
      steps.contraction.accounts++;
    }
  }
  // Accounts valued then that are gone from the data now (none, unless an export dropped them).
  for (const [id, v] of then.valueOf)
    if (!seen.has(id) && v !== 0) {
      steps.lostAccounts.cents -= v;
      steps.lostAccounts.accounts++;
    }
  return {
    from,
    months,
    valueThen,
    valueNow,
    steps: [
      { key: "new", label: "New accounts", ...steps.newAccounts },
      { key: "lost", label: "Lost accounts", ...steps.lostAccounts },
      { key: "expansion", label: "Expansion of existing accounts", ...steps.expansion },
      { key: "contraction", label: "Contraction of existing accounts", ...steps.contraction },
      { key: "re-estimate", label: "Model re-estimate", ...steps.reEstimate },
    ],
  };
}
