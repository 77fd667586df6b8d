/**
 * Page state in the URL, so that a copied link reopens the same view. Compact and versioned:
 *
 *   ?v=1&industry=Software&industry=Retail&size=…&region=…&tier=…&channel=…&class=A&grain=quarter&abc=80-95&by=region&account=ACC-000042
 *      &measure=nrr&compare=2&q=logistics&sort=mrr&drill=2024-03.churn
 *
 * (measure: the cohort heatmap's; compare: the Pareto migration window, k years back; q and
 * sort: the account explorer's search and order; drill: the MRR movement whose accounts are
 * listed; step: the MRR bridge step whose accounts are listed, `start month.end month.step`, e.g.
 * step=2026-06.2026-09.churn.)
 * A filter may hold several values of its dimension (the parameter repeated, in the data's
 * order: a link is one text per view); an account matches when its value is any of them.
 * Segment values are written as labels (readable, and stable when codes change). Decoding checks
 * every value against what the data offer; an invalid or outdated value falls back to the
 * default and yields a note for the page to show.
 */
import { monthIndexOf, monthLabel } from "../dates.js";
import { CLASSES } from "./abc.js";
import { MOVEMENTS } from "./mrr.js";
import { BRIDGE_STEPS, type BridgeStep } from "./mrr-bridge.js";
import { SORT_COLUMNS, type SortKey } from "./sql.js";

export const STATE_VERSION = 1;
export const FILTER_DIMS = ["industry", "size", "region", "tier", "channel", "class"] as const;
export type FilterDim = (typeof FILTER_DIMS)[number];
export const GRAINS = ["month", "quarter", "year"] as const;
export type Grain = (typeof GRAINS)[number];
/** What the analyst tables break accounts down by (not the scenario segments of scenarios/model.ts). */
export const BREAKDOWN_DIMS = ["industry", "size", "region", "tier", "channel", "key_account"] as const;
export type BreakdownDim = (typeof BREAKDOWN_DIMS)[number];
/** Cohort heatmap measures: with contracts (logo, grr, nrr) or from purchases (repeat, revenue). */
export const MEASURES = ["logo", "grr", "nrr", "repeat", "revenue"] as const;
export type Measure = (typeof MEASURES)[number];
/** Account explorer orders. */
export const SORT_KEYS = Object.keys(SORT_COLUMNS) as SortKey[];
export const COMPARE_WINDOWS = [1, 2, 3] as const;
export const SEARCH_MAX = 200;

/** The segment dimensions the data has values for, in BREAKDOWN_DIMS order (all of them when `attributes` is not known). */
export function breakdownDimsOf(attributes: Readonly<Record<BreakdownDim, boolean>> | undefined): BreakdownDim[] {
  return BREAKDOWN_DIMS.filter((d) => !attributes || attributes[d]);
}

/** The first segment dimension the data has (industry when it has none: its table then shows one row, "—"). */
export function defaultBreakdownDim(attributes: Readonly<Record<BreakdownDim, boolean>> | undefined): BreakdownDim {
  return breakdownDimsOf(attributes)[0] ?? "industry";
}

export interface PageState {
  /** Selected values per filter dimension, in the dimension's order, never empty; absent = all. */
  readonly filters: Partial<Record<FilterDim, readonly string[]>>;
  readonly grain: Grain;
  /** ABC thresholds as whole percents of revenue, e.g. [80, 95]. */
  readonly abc: readonly [number, number];
  readonly by: BreakdownDim;
  readonly account: string | null;
  /** Cohort measure; null = the page's default. */
  readonly measure: Measure | null;
  /** Pareto migration: the 12 months k years back → k − 1 years back. */
  readonly compare: (typeof COMPARE_WINDOWS)[number];
  /** Account search text and order (null = the page's default order). */
  readonly q: string;
  readonly sort: SortKey | null;
  /** The MRR movement bar whose accounts are listed. */
  readonly drill: { readonly month: number; readonly movement: number } | null;
  /** The MRR bridge step (from month end → to month end) whose accounts are listed. */
  readonly step: BridgeStepState | null;
}

export interface BridgeStepState {
  readonly from: number;
  readonly to: number;
  readonly step: BridgeStep;
}

/** The `step` parameter's value: "2026-06.2026-09.churn". */
export function encodeStep(s: BridgeStepState): string {
  return `${monthLabel(s.from)}.${monthLabel(s.to)}.${s.step}`;
}

export interface StateDomain {
  /** Allowed labels per segment dimension (class values are always A, B, C, none). */
  readonly values: Readonly<Record<Exclude<FilterDim, "class">, readonly string[]>>;
  readonly defaults: { readonly grain: Grain; readonly abc: readonly [number, number]; readonly by: BreakdownDim };
  /** The segment dimensions the data has; when given, a link's other `by` is outdated. */
  readonly breakdownDims?: readonly BreakdownDim[];
  /** When given, an account not in it is outdated. */
  readonly accountExists?: (id: string) => boolean;
}

export function defaultState(domain: StateDomain): PageState {
  return {
    filters: {},
    grain: domain.defaults.grain,
    abc: domain.defaults.abc,
    by: domain.defaults.by,
    account: null,
    measure: null,
    compare: 1,
    q: "",
    sort: null,
    drill: null,
    step: null,
  };
}

/** The allowed values of a filter dimension, in their order (class: A, B, C, none). */
function allowedValues(dim: FilterDim, domain: StateDomain): readonly string[] {
  return dim === "class" ? CLASSES : domain.values[dim];
}

/** [dimension, value] for every selected value, in FILTER_DIMS order: the URL's, the sidebar links' and the exports' one order. */
export function filterEntries(filters: PageState["filters"]): [FilterDim, string][] {
  return FILTER_DIMS.flatMap((dim) => (filters[dim] ?? []).map((v): [FilterDim, string] => [dim, v]));
}

/**
 * The filter of one dimension for a set of chosen values: the allowed ones in the domain's
 * order, without repeats; undefined (all) when none is left.
 */
export function filterOf(
  dim: FilterDim,
  chosen: readonly string[],
  domain: StateDomain,
): readonly string[] | undefined {
  const picked = allowedValues(dim, domain).filter((v) => chosen.includes(v));
  return picked.length > 0 ? picked : undefined;
}

export function encodeState(state: PageState, domain: StateDomain): string {
  const p = new URLSearchParams();
  p.set("v", String(STATE_VERSION));
  for (const [dim, v] of filterEntries(state.filters)) p.append(dim, v);
  if (state.grain !== domain.defaults.grain) p.set("grain", state.grain);
  if (state.abc[0] !== domain.defaults.abc[0] || state.abc[1] !== domain.defaults.abc[1])
    p.set("abc", `${state.abc[0]}-${state.abc[1]}`);
  if (state.by !== domain.defaults.by) p.set("by", state.by);
  if (state.account !== null) p.set("account", state.account);
  if (state.measure !== null) p.set("measure", state.measure);
  if (state.compare !== 1) p.set("compare", String(state.compare));
  if (state.q !== "") p.set("q", state.q);
  if (state.sort !== null) p.set("sort", state.sort);
  if (state.drill !== null) p.set("drill", `${monthLabel(state.drill.month)}.${MOVEMENTS[state.drill.movement - 1]}`);
  if (state.step !== null) p.set("step", encodeStep(state.step));
  const text = p.toString();
  return text === `v=${STATE_VERSION}` ? "" : `?${text}`;
}

/** Longest part of a link value repeated in a note: a pasted megabyte never reaches the page. */
export const ECHO_MAX = 80;

/** A link value as quoted in a note, cut to ECHO_MAX characters. */
export function echo(value: string): string {
  return value.length > ECHO_MAX ? `${value.slice(0, ECHO_MAX)}…` : value;
}

export function decodeState(search: string, domain: StateDomain): { state: PageState; notes: string[] } {
  const p = new URLSearchParams(search);
  const notes: string[] = [];
  const base = defaultState(domain);
  if ([...p.keys()].length === 0) return { state: base, notes };
  const version = p.get("v");
  if (version !== String(STATE_VERSION)) {
    notes.push(
      `This link was made for another version of the page (v=${version === null ? "none" : echo(version)}); showing the default view.`,
    );
    return { state: base, notes };
  }
  const filters: Partial<Record<FilterDim, readonly string[]>> = {};
  for (const dim of FILTER_DIMS) {
    const given = p.getAll(dim);
    if (given.length === 0) continue;
    const allowed = allowedValues(dim, domain);
    const bad = given.filter((v) => !allowed.includes(v));
    const kept = filterOf(dim, given, domain);
    if (kept !== undefined) filters[dim] = kept;
    const all = dim === "class" ? "classes" : `${dim} values`;
    for (const v of bad.slice(0, 3))
      notes.push(
        kept === undefined
          ? `The link's ${dim} "${echo(v)}" is not in this data; showing all ${all}.`
          : `The link's ${dim} "${echo(v)}" is not in this data; showing ${kept.join(", ")}.`,
      );
  }
  let grain = base.grain;
  const g = p.get("grain");
  if (g !== null) {
    if ((GRAINS as readonly string[]).includes(g)) grain = g as Grain;
    else notes.push(`The link's cohort grain "${echo(g)}" is unknown; showing ${grain}.`);
  }
  let abc = base.abc;
  const t = p.get("abc");
  if (t !== null) {
    const m = /^(\d{1,2})-(\d{1,3})$/.exec(t);
    const a = m ? Number(m[1]) : NaN;
    const b = m ? Number(m[2]) : NaN;
    if (m && a > 0 && b > a && b <= 100) abc = [a, b];
    else
      notes.push(
        `The link's ABC thresholds "${echo(t)}" are invalid; showing ${abc[0]} / ${abc[1] - abc[0]} / ${100 - abc[1]}.`,
      );
  }
  let by = base.by;
  const s = p.get("by");
  if (s !== null) {
    if (((domain.breakdownDims ?? BREAKDOWN_DIMS) as readonly string[]).includes(s)) by = s as BreakdownDim;
    else notes.push(`The link's segment "${echo(s)}" is unknown; showing ${by}.`);
  }
  let account: string | null = null;
  const a = p.get("account");
  if (a !== null) {
    if (a.length > 0 && a.length <= 200 && (!domain.accountExists || domain.accountExists(a))) account = a;
    else notes.push(`The link's account "${echo(a)}" is not in this data; no account is selected.`);
  }
  let measure: Measure | null = null;
  const m = p.get("measure");
  if (m !== null) {
    if ((MEASURES as readonly string[]).includes(m)) measure = m as Measure;
    else notes.push(`The link's measure "${echo(m)}" is unknown; showing the default measure.`);
  }
  let compare: PageState["compare"] = 1;
  const c = p.get("compare");
  if (c !== null) {
    const k = COMPARE_WINDOWS.find((w) => String(w) === c);
    if (k !== undefined) compare = k;
    else notes.push(`The link's comparison window "${echo(c)}" is unknown; comparing the last 12 months.`);
  }
  let q = "";
  const text = p.get("q");
  if (text !== null) {
    if (text.length <= SEARCH_MAX) q = text;
    else notes.push(`The link's search is longer than ${SEARCH_MAX} characters; no search is applied.`);
  }
  let sort: SortKey | null = null;
  const o = p.get("sort");
  if (o !== null) {
    if ((SORT_KEYS as readonly string[]).includes(o)) sort = o as SortKey;
    else notes.push(`The link's order "${echo(o)}" is unknown; showing the default order.`);
  }
  let drill: PageState["drill"] = null;
  const d = p.get("drill");
  if (d !== null) {
    const dm = /^(\d{4}-\d{2})\.([a-z]+)$/.exec(d);
    const movement = dm ? (MOVEMENTS as readonly string[]).indexOf(dm[2]) + 1 : 0;
    let month: number | null = null;
    try {
      month = dm ? monthIndexOf(dm[1]) : null;
    } catch {
      month = null;
    }
    if (month !== null && movement > 0) drill = { month, movement };
    else notes.push(`The link's drill-down "${echo(d)}" is invalid; no accounts are listed.`);
  }
  let step: PageState["step"] = null;
  const st = p.get("step");
  if (st !== null) {
    const sm = /^(\d{4}-\d{2})\.(\d{4}-\d{2})\.([a-z]+)$/.exec(st);
    let months: [number, number] | null = null;
    try {
      months = sm ? [monthIndexOf(sm[1]), monthIndexOf(sm[2])] : null;
    } catch {
      months = null;
    }
    if (sm && months && months[0] < months[1] && (BRIDGE_STEPS as readonly string[]).includes(sm[3]))
      step = { from: months[0], to: months[1], step: sm[3] as BridgeStep };
    else notes.push(`The link's MRR bridge step "${echo(st)}" is invalid; no accounts are listed.`);
  }
  return { state: { filters, grain, abc, by, account, measure, compare, q, sort, drill, step }, notes };
}
