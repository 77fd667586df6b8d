/**
 * Page state in the URL, so that a copied link reopens the same view. Compact and versioned:
 *
 *   ?v=1&industry=Software&size=…&region=…&tier=…&channel=…&class=A&grain=quarter&abc=80-95&by=region&account=ACC-000042
 *
 * Segment values are written as labels (readable, and stable when codes change). Decoding checks
 * every value against what the data offer; an invalid or outdated value falls back to the
 * default and yields a note for the page to show.
 */
import { CLASSES } from "./abc.js";

export const STATE_VERSION = 1;
export const FILTER_DIMS = ["industry", "size", "region", "tier", "channel", "class"] as const;
export type FilterDim = (typeof FILTER_DIMS)[number];
export const GRAINS = ["month", "quarter", "year"] as const;
export type Grain = (typeof GRAINS)[number];
export const SEGMENT_DIMS = ["industry", "size", "region", "tier", "channel", "key_account"] as const;
export type SegmentDim = (typeof SEGMENT_DIMS)[number];

/** The segment dimensions the data has values for, in SEGMENT_DIMS order (all of them when `attributes` is not known). */
export function segmentDimsOf(attributes: Readonly<Record<SegmentDim, boolean>> | undefined): SegmentDim[] {
  return SEGMENT_DIMS.filter((d) => !attributes || attributes[d]);
}

/** The first segment dimension the data has (industry when it has none: its table then shows one row, "—"). */
export function defaultSegmentDim(attributes: Readonly<Record<SegmentDim, boolean>> | undefined): SegmentDim {
  return segmentDimsOf(attributes)[0] ?? "industry";
}

export interface PageState {
  /** Selected value per filter dimension; absent = all. */
  readonly filters: Partial<Record<FilterDim, string>>;
  readonly grain: Grain;
  /** ABC thresholds as whole percents of revenue, e.g. [80, 95]. */
  readonly abc: readonly [number, number];
  readonly by: SegmentDim;
  readonly account: string | null;
}

export interface StateDomain {
  /** Allowed labels per segment dimension (class values are always A, B, C, none). */
  readonly values: Readonly<Record<Exclude<FilterDim, "class">, readonly string[]>>;
  readonly defaults: { readonly grain: Grain; readonly abc: readonly [number, number]; readonly by: SegmentDim };
  /** The segment dimensions the data has; when given, a link's other `by` is outdated. */
  readonly segmentDims?: readonly SegmentDim[];
  /** When given, an account not in it is outdated. */
  readonly accountExists?: (id: string) => boolean;
}

export function defaultState(domain: StateDomain): PageState {
  return { filters: {}, grain: domain.defaults.grain, abc: domain.defaults.abc, by: domain.defaults.by, account: null };
}

export function encodeState(state: PageState, domain: StateDomain): string {
  const p = new URLSearchParams();
  p.set("v", String(STATE_VERSION));
  for (const dim of FILTER_DIMS) {
    const v = state.filters[dim];
    if (v !== undefined) p.set(dim, v);
  }
  if (state.grain !== domain.defaults.grain) p.set("grain", state.grain);
  if (state.abc[0] !== domain.defaults.abc[0] || state.abc[1] !== domain.defaults.abc[1])
    p.set("abc", `${state.abc[0]}-${state.abc[1]}`);
  if (state.by !== domain.defaults.by) p.set("by", state.by);
  if (state.account !== null) p.set("account", state.account);
  const text = p.toString();
  return text === `v=${STATE_VERSION}` ? "" : `?${text}`;
}

export function decodeState(search: string, domain: StateDomain): { state: PageState; notes: string[] } {
  const p = new URLSearchParams(search);
  const notes: string[] = [];
  const base = defaultState(domain);
  if ([...p.keys()].length === 0) return { state: base, notes };
  const version = p.get("v");
  if (version !== String(STATE_VERSION)) {
    notes.push(
      `This link was made for another version of the page (v=${version ?? "none"}); showing the default view.`,
    );
    return { state: base, notes };
  }
  const filters: Partial<Record<FilterDim, string>> = {};
  for (const dim of FILTER_DIMS) {
    const v = p.get(dim);
    if (v === null) continue;
    const allowed: readonly string[] = dim === "class" ? CLASSES : domain.values[dim];
    if (allowed.includes(v)) filters[dim] = v;
    else
      notes.push(
        `The link's ${dim} "${v}" is not in this data; showing all ${dim === "class" ? "classes" : `${dim} values`}.`,
      );
  }
  let grain = base.grain;
  const g = p.get("grain");
  if (g !== null) {
    if ((GRAINS as readonly string[]).includes(g)) grain = g as Grain;
    else notes.push(`The link's cohort grain "${g}" is unknown; showing ${grain}.`);
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
        `The link's ABC thresholds "${t}" are invalid; showing ${abc[0]} / ${abc[1] - abc[0]} / ${100 - abc[1]}.`,
      );
  }
  let by = base.by;
  const s = p.get("by");
  if (s !== null) {
    if (((domain.segmentDims ?? SEGMENT_DIMS) as readonly string[]).includes(s)) by = s as SegmentDim;
    else notes.push(`The link's segment "${s}" is unknown; showing ${by}.`);
  }
  let account: string | null = null;
  const a = p.get("account");
  if (a !== null) {
    if (a.length > 0 && a.length <= 200 && (!domain.accountExists || domain.accountExists(a))) account = a;
    else notes.push(`The link's account "${a.slice(0, 80)}" is not in this data; no account is selected.`);
  }
  return { state: { filters, grain, abc, by, account }, notes };
}
