/**
 * The scenario ledger: a versioned, ordered list of adjustments. Each entry names a lever
 * (a named strategy), the segment it applies to (selected by account attributes), the size
 * of the change, and who made it, when and why. The same shape is stored in the URL, in
 * exported files and in `data/scenarios/*.json`.
 *
 * Labels, not codes, are stored for segment values (readable, and stable when codes change);
 * they are checked against the data's dictionary when the scenario is validated.
 */

import { defaultParams, LEVERS, leverInfo, type Lever, type LeverParams } from "./levers.js";

export const SCENARIO_VERSION = 1;

/** Account attributes a segment can be selected by (values are labels from the data). */
export const SEGMENT_DIMS = ["size", "industry", "region", "tier", "businessModel", "products", "abc"] as const;
export type SegmentDim = (typeof SEGMENT_DIMS)[number];

/**
 * Accounts that match every given attribute (AND across attributes, OR within one); an
 * absent or empty list means "any". `products`: holds at least one of them. `minSeats`:
 * at least that many seats (e.g. "enterprise accounts with more than 100 users" = 101).
 */
export type Segment = Partial<Record<SegmentDim, string[]>> & { minSeats?: number };

export type LedgerEntry = {
  [L in Lever]: {
    lever: L;
    segment: Segment;
    params: LeverParams[L];
    /** Why: required (an entry without one is a draft and cannot be exported). */
    reason: string;
    author: string;
    /** ISO date the entry was made. */
    date: string;
  };
}[Lever];

export interface Scenario {
  version: number;
  title: string;
  description?: string;
  ledger: LedgerEntry[];
}

/** Where each segment dimension's allowed labels come from (the data's dictionary). */
export type SegmentDictionary = Readonly<Record<SegmentDim, readonly string[]>>;

export class ScenarioError extends Error {
  /** Path of the offending field, e.g. "ledger[1].params.pricePct". */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ValidateOptions {
  /** Labels allowed per dimension; when given, unknown labels are errors. */
  readonly dictionary?: SegmentDictionary;
  /** Every entry must have a reason and an author (saved files, exports). */
  readonly requireReasons?: boolean;
}

/**
 * Checks untrusted input (a URL, a file) and returns a clean scenario; throws a
 * ScenarioError naming the first field at fault. Unknown keys are errors too, so that a
 * typo in a saved file never silently does nothing.
 */
export function validateScenario(raw: unknown, options: ValidateOptions = {}): Scenario {
  if (!isObject(raw)) throw new ScenarioError("(root)", "must be a JSON object");
  allowKeys(raw, ["version", "title", "description", "ledger"], "(root)");
  if (raw.version !== SCENARIO_VERSION)
    throw new ScenarioError(
      "version",
      `must be ${SCENARIO_VERSION} (got ${shown(raw.version)}); the scenario was made for another version`,
    );
  const title = raw.title ?? "Untitled scenario";
  if (typeof title !== "string" || title.length > 200)
    throw new ScenarioError("title", "must be text of at most 200 characters");
  if (raw.description !== undefined && (typeof raw.description !== "string" || raw.description.length > 4000))
    throw new ScenarioError("description", "must be text of at most 4000 characters");
  if (!Array.isArray(raw.ledger)) throw new ScenarioError("ledger", "must be a list of adjustments");
  if (raw.ledger.length > MAX_ENTRIES)
    throw new ScenarioError("ledger", `has ${raw.ledger.length} entries; at most ${MAX_ENTRIES} are supported`);
  const ledger = raw.ledger.map((e, i) => validateEntry(e, `ledger[${i}]`, options));
  // Percent adjustments may stack on one account: their product is bounded as one entry's is.
  const factor = ledger.reduce(
    (f, e) =>
      e.lever === "massAdjustment" && (e.params as { mode: string }).mode === "percent"
        ? f * (1 + (e.params as { amount: number }).amount / 100)
        : f,
    1,
  );
  if (factor > MAX_PERCENT_FACTOR)
    throw new ScenarioError(
      "ledger",
      `its percent adjustments compound to ×${Math.round(factor).toLocaleString("en-US")}; at most ×${MAX_PERCENT_FACTOR} (+1000%) in all`,
    );
  return {
    version: SCENARIO_VERSION,
    title,
    ...(raw.description !== undefined ? { description: raw.description as string } : {}),
    ledger,
  };
}

/** The largest `minSeats` a segment may ask for. */
export const MAX_MIN_SEATS = 1_000_000;
/** How far percent adjustments may multiply a value in all (+1000%, one entry's own bound). */
export const MAX_PERCENT_FACTOR = 11;

/** An untrusted value as a message shows it: JSON, cut to 60 characters. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** An untrusted key as a field path shows it, cut to 60 characters. */
function shownKey(key: string): string {
  return key.length > 60 ? `${key.slice(0, 60)}…` : key;
}

/** Ledger entries per scenario (each is one bit of a per-account mask in the engine). */
export const MAX_ENTRIES = 24;

function allowKeys(o: Record<string, unknown>, keys: readonly string[], at: string): void {
  for (const k of Object.keys(o))
    if (!keys.includes(k))
      throw new ScenarioError(
        at === "(root)" ? shownKey(k) : `${at}.${shownKey(k)}`,
        `is not a known field (known: ${keys.join(", ")})`,
      );
}

function validateEntry(raw: unknown, at: string, options: ValidateOptions): LedgerEntry {
  if (!isObject(raw)) throw new ScenarioError(at, "must be an object");
  allowKeys(raw, ["lever", "segment", "params", "reason", "author", "date"], at);
  const lever = raw.lever;
  if (typeof lever !== "string" || !(LEVERS as readonly string[]).includes(lever))
    throw new ScenarioError(`${at}.lever`, `invalid lever ${shown(lever)} (known: ${LEVERS.join(", ")})`);
  const reason = raw.reason ?? "";
  const author = raw.author ?? "";
  const date = raw.date ?? "";
  if (typeof reason !== "string" || reason.length > 2000)
    throw new ScenarioError(`${at}.reason`, "must be text of at most 2000 characters");
  if (typeof author !== "string" || author.length > 200)
    throw new ScenarioError(`${at}.author`, "must be text of at most 200 characters");
  if (typeof date !== "string" || (date !== "" && !(ISO_DATE.test(date) && !Number.isNaN(Date.parse(date)))))
    throw new ScenarioError(`${at}.date`, "must be a date written YYYY-MM-DD");
  if (options.requireReasons) {
    if (reason.trim() === "") throw new ScenarioError(`${at}.reason`, "is required: say why this adjustment is made");
    if (author.trim() === "") throw new ScenarioError(`${at}.author`, "is required");
    if (date === "") throw new ScenarioError(`${at}.date`, "is required");
  }
  const segment = validateSegment(raw.segment ?? {}, `${at}.segment`, options.dictionary);
  const params = validateParams(lever as Lever, raw.params, `${at}.params`);
  return { lever, segment, params, reason, author, date } as LedgerEntry;
}

function validateSegment(raw: unknown, at: string, dictionary?: SegmentDictionary): Segment {
  if (!isObject(raw)) throw new ScenarioError(at, "must be an object of attribute → list of values");
  allowKeys(raw, [...SEGMENT_DIMS, "minSeats"], at);
  const out: Segment = {};
  for (const dim of SEGMENT_DIMS) {
    const v = raw[dim];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string"))
      throw new ScenarioError(`${at}.${dim}`, "must be a list of labels");
    if (dictionary) {
      for (const label of v)
        if (!dictionary[dim].includes(label))
          throw new ScenarioError(
            `${at}.${dim}`,
            `${shown(label)} is not in this data (values: ${dictionary[dim].join(", ")})`,
          );
    }
    if (v.length > 0) out[dim] = [...new Set(v as string[])];
  }
  if (raw.minSeats !== undefined) {
    if (
      typeof raw.minSeats !== "number" ||
      !Number.isInteger(raw.minSeats) ||
      raw.minSeats < 0 ||
      raw.minSeats > MAX_MIN_SEATS
    )
      throw new ScenarioError(
        `${at}.minSeats`,
        `must be a whole number from 0 to ${MAX_MIN_SEATS.toLocaleString("en-US")}`,
      );
    if (raw.minSeats > 0) out.minSeats = raw.minSeats;
  }
  return out;
}

function validateParams(lever: Lever, raw: unknown, at: string): LedgerEntry["params"] {
  if (!isObject(raw)) throw new ScenarioError(at, "must be an object");
  const info = leverInfo(lever);
  const defaults = defaultParams(lever) as unknown as Record<string, unknown>;
  allowKeys(raw, Object.keys(defaults), at);
  const out: Record<string, unknown> = { ...defaults };
  if (lever === "massAdjustment") {
    const mode = raw.mode ?? "percent";
    if (mode !== "percent" && mode !== "amount")
      throw new ScenarioError(`${at}.mode`, `invalid mode ${shown(mode)} (percent or amount)`);
    out.mode = mode;
    const amount = raw.amount ?? 0;
    if (typeof amount !== "number" || !Number.isFinite(amount))
      throw new ScenarioError(`${at}.amount`, "must be a number");
    if (mode === "percent" && !(amount >= -100 && amount <= 1000))
      throw new ScenarioError(`${at}.amount`, `${amount}% is outside −100 … 1000`);
    if (mode === "amount" && Math.abs(amount) > 1e12) throw new ScenarioError(`${at}.amount`, "is too large");
    out.amount = amount;
    return out as unknown as LedgerEntry["params"];
  }
  for (const f of info.fields) {
    const v = raw[f.key] ?? defaults[f.key];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new ScenarioError(`${at}.${f.key}`, "must be a number");
    if (v < f.min || v > f.max) throw new ScenarioError(`${at}.${f.key}`, `${v} is outside ${f.min} … ${f.max}`);
    out[f.key] = v;
  }
  return out as unknown as LedgerEntry["params"];
}

/** A new, neutral entry for a lever. */
export function newEntry(lever: Lever, date: string, author = ""): LedgerEntry {
  return { lever, segment: {}, params: defaultParams(lever), reason: "", author, date } as LedgerEntry;
}

export function emptyScenario(title = "Untitled scenario"): Scenario {
  return { version: SCENARIO_VERSION, title, ledger: [] };
}
