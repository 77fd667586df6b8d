/**
 * The MRR bridge: how MRR moved from the end of a start month to the end of an end month,
 * split per account into new, expansion, contraction, churn and reactivation, so that
 *
 *   start + new + reactivation + expansion − contraction − churn = end   (exactly, in cents).
 *
 * Per subscription account, s = MRR at the start month's end, e = MRR at the end month's end
 * (the as-of month's "end" is the as-of date; see loaders/derive/tables.ts):
 * - new: s = 0, e > 0, and the account had no MRR at any month end up to the start month;
 * - reactivation: s = 0, e > 0, and it had MRR at some month end before;
 * - churn: s > 0, e = 0 (amount s);
 * - expansion / contraction: s > 0 and e > 0, e above / below s (amount |e − s|).
 * An account with s = e (0 = 0 included: a contract that came and went within the window)
 * is in no step. Amounts are positive; contraction and churn are subtracted.
 *
 * One SQL statement over the analyst tables (`mrr` events with `until`, `accounts_abc` for the
 * filters, `names`; see ./sql.ts), run by native DuckDB in the loader
 * (loaders/outputs/mrr-bridge.ts) and by DuckDB-WASM on the cohort page's drill-down.
 */
import type { DefinitionKey } from "../metrics/definitions.js";
import type { MonthIndex } from "../dates.js";
import { withFiltered, type FilterCodes, type Statement } from "./sql.js";

export const BRIDGE_STEPS = ["start", "new", "expansion", "contraction", "churn", "reactivation", "end"] as const;
export type BridgeStep = (typeof BRIDGE_STEPS)[number];
/** The steps between the two levels, each a classification of accounts. */
export const BRIDGE_MOVEMENTS = ["new", "expansion", "contraction", "churn", "reactivation"] as const;
export type BridgeMovement = (typeof BRIDGE_MOVEMENTS)[number];

/** +1 adds to MRR, −1 subtracts, 0 is a level (start, end). */
export const STEP_SIGN: Readonly<Record<BridgeStep, -1 | 0 | 1>> = {
  start: 0,
  new: 1,
  expansion: 1,
  contraction: -1,
  churn: -1,
  reactivation: 1,
  end: 0,
};

/** Each step's entry in the metric registry (src/lib/metrics/definitions.ts). */
export const STEP_DEFINITION: Readonly<Record<BridgeStep, DefinitionKey>> = {
  start: "mrrBridgeStart",
  new: "mrrBridgeNew",
  expansion: "mrrBridgeExpansion",
  contraction: "mrrBridgeContraction",
  churn: "mrrBridgeChurn",
  reactivation: "mrrBridgeReactivation",
  end: "mrrBridgeEnd",
};

/** The bridges the overview shows: from the month end 3 (12) months before the as-of month to the as-of date. */
export const BRIDGE_WINDOWS = { quarter: 3, year: 12 } as const;
export type BridgeWindow = keyof typeof BRIDGE_WINDOWS;
export const WINDOW_LABELS: Readonly<Record<BridgeWindow, string>> = {
  quarter: "Last quarter",
  year: "Last 12 months",
};

export interface BridgeStepTotal {
  readonly step: BridgeStep;
  /** MRR of the level, or the step's amount (positive; its sign is STEP_SIGN), cents. */
  readonly cents: number;
  /** Accounts with MRR > 0 (levels) or classified in the step. */
  readonly accounts: number;
}

export interface MrrBridge {
  readonly window: BridgeWindow;
  /** Month index of the start level (MRR at its end) and of the end level. */
  readonly fromMonth: MonthIndex;
  readonly toMonth: MonthIndex;
  readonly steps: readonly BridgeStepTotal[];
}

/** The shape of `data/mrr-bridge.json` (loaders/outputs/mrr-bridge.ts). */
export interface MrrBridgeData {
  readonly asOf: string;
  readonly asOfMonth: MonthIndex;
  readonly currency: string;
  /** False without contracts: no bridge, the page says what is missing. */
  readonly contracts: boolean;
  /** An aggregate-only build: totals only, the accounts behind a step are not listed. */
  readonly aggregateOnly: boolean;
  readonly bridges: readonly MrrBridge[];
}

/** The CTE `ba` (idx, start_cents, end_cents, step) over the filtered accounts; its two `?` are the start and end months. */
function bridgeAccounts(filters: FilterCodes): Statement {
  return withFiltered(
    filters,
    `,
      bp AS (SELECT CAST(? AS INTEGER) AS s, CAST(? AS INTEGER) AS t),
      bm AS (SELECT e.idx,
          coalesce(sum(e.mrr) FILTER (WHERE e.month <= bp.s AND e.until > bp.s), 0) AS start_cents,
          coalesce(sum(e.mrr) FILTER (WHERE e.month <= bp.t AND e.until > bp.t), 0) AS end_cents,
          coalesce(bool_or(e.mrr > 0) FILTER (WHERE e.month <= bp.s), false) AS had_mrr
        FROM mrr e JOIN fa USING (idx), bp WHERE e.month <= bp.t GROUP BY e.idx),
      ba AS (SELECT idx, start_cents, end_cents, CASE
          WHEN start_cents = 0 AND end_cents > 0 THEN CASE WHEN had_mrr THEN 'reactivation' ELSE 'new' END
          WHEN start_cents > 0 AND end_cents = 0 THEN 'churn'
          WHEN start_cents > 0 AND end_cents > start_cents THEN 'expansion'
          WHEN end_cents > 0 AND end_cents < start_cents THEN 'contraction'
          END AS step FROM bm)`,
  );
}

function checkMonths(fromMonth: number, toMonth: number): void {
  if (!Number.isInteger(fromMonth) || !Number.isInteger(toMonth) || fromMonth >= toMonth)
    throw new RangeError(`invalid MRR bridge months: ${fromMonth} → ${toMonth}`);
}

/** One row: `<step>_cents` and `<step>_accounts` for every step of BRIDGE_STEPS. */
export function mrrBridgeTotals(filters: FilterCodes, fromMonth: number, toMonth: number): Statement {
  checkMonths(fromMonth, toMonth);
  const w = bridgeAccounts(filters);
  const movement = (m: BridgeMovement) =>
    `CAST(coalesce(sum(abs(end_cents - start_cents)) FILTER (WHERE step = '${m}'), 0) AS DOUBLE) AS ${m}_cents,
      CAST(count(*) FILTER (WHERE step = '${m}') AS INTEGER) AS ${m}_accounts`;
  return {
    sql: `${w.sql}
      SELECT CAST(coalesce(sum(start_cents), 0) AS DOUBLE) AS start_cents, CAST(count(*) FILTER (WHERE start_cents > 0) AS INTEGER) AS start_accounts,
        ${BRIDGE_MOVEMENTS.map(movement).join(",\n        ")},
        CAST(coalesce(sum(end_cents), 0) AS DOUBLE) AS end_cents, CAST(count(*) FILTER (WHERE end_cents > 0) AS INTEGER) AS end_accounts
      FROM ba`,
    params: [fromMonth, toMonth],
    selection: w.selection,
  };
}

export type BridgeTotalsRow = Readonly<Record<`${BridgeStep}_cents` | `${BridgeStep}_accounts`, number>>;

/** The totals row as steps in BRIDGE_STEPS order. */
export function bridgeSteps(row: BridgeTotalsRow): BridgeStepTotal[] {
  return BRIDGE_STEPS.map((step) => ({ step, cents: row[`${step}_cents`], accounts: row[`${step}_accounts`] }));
}

/** start + Σ sign × step: the end level the steps imply (equals the `end` step exactly). */
export function impliedEnd(steps: readonly BridgeStepTotal[]): number {
  return steps.reduce((sum, s) => sum + (s.step === "start" ? s.cents : STEP_SIGN[s.step] * s.cents), 0);
}

/** Most accounts a drill-down lists (its title gives the full count): as many as a page table shows (controls.ts). */
export const BRIDGE_ACCOUNTS_LIMIT = 500;

export interface BridgeAccountRow {
  readonly account_id: string;
  readonly account_name: string;
  readonly start_cents: number;
  readonly end_cents: number;
  readonly change_cents: number;
  /** Accounts in the step (all of them, not only the listed ones). */
  readonly matches: number;
}

/** The accounts of one step, largest amount first, at most BRIDGE_ACCOUNTS_LIMIT. */
export function mrrBridgeAccounts(
  filters: FilterCodes,
  fromMonth: number,
  toMonth: number,
  step: BridgeStep,
): Statement {
  checkMonths(fromMonth, toMonth);
  if (!(BRIDGE_STEPS as readonly string[]).includes(step)) throw new RangeError(`invalid MRR bridge step: ${step}`);
  const w = bridgeAccounts(filters);
  const [where, amount] =
    step === "start"
      ? ["start_cents > 0", "start_cents"]
      : step === "end"
        ? ["end_cents > 0", "end_cents"]
        : ["step = CAST(? AS VARCHAR)", "abs(end_cents - start_cents)"];
  return {
    sql: `${w.sql}
      SELECT n.account_id, n.account_name, CAST(ba.start_cents AS DOUBLE) AS start_cents, CAST(ba.end_cents AS DOUBLE) AS end_cents,
        CAST(ba.end_cents - ba.start_cents AS DOUBLE) AS change_cents, CAST(count(*) OVER () AS INTEGER) AS matches
      FROM ba JOIN names n USING (idx) WHERE ${where}
      ORDER BY ${amount} DESC, n.account_id LIMIT ${BRIDGE_ACCOUNTS_LIMIT}`,
    params: step === "start" || step === "end" ? [fromMonth, toMonth] : [fromMonth, toMonth, step],
    selection: w.selection,
  };
}
