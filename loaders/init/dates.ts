/**
 * The strptime format of a date column, decided from its sampled values. Day-first and
 * month-first cannot be told apart from `05/04/2024` alone: a value whose first field is above
 * 12 proves day-first, one whose second field is above 12 proves month-first; when no value
 * proves either, init says so and picks month-first (the convention of the US tools most
 * exports come from). Formats are the DuckDB strptime the ingest uses; it accepts `1/5/2024`
 * for `%m/%d/%Y` (no zero padding needed) but not a time it was not told about.
 */
import { count, isBlank, type Decision } from "./sniff.js";

export interface DateDecision extends Decision<string> {
  /** Sampled non-empty values the chosen format will not read. */
  readonly unreadable: number;
  /** A few of them, for the message. */
  readonly unreadableExamples: readonly string[];
  /** True when no value was in a form init knows: the user must set the format. */
  readonly unknown: boolean;
}

type Order = "ymd" | "dmy" | "mdy" | "ambiguous";

interface Shape {
  /** The format with `{A}`/`{B}` standing for the two fields whose order is in question. */
  readonly template: string;
  readonly order: Order;
  /** Fields as written: year-month-day, or first, second and year. */
  readonly first: number;
  readonly second: number;
  readonly dotted: boolean;
}

const ISO_LIKE = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(.*)$/;
const FIELD_FIRST = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(.*)$/;
const MONTH_NAME = /^(\d{1,2})([- ])([A-Za-z]{3})\2(\d{4}|\d{2})(.*)$/;
// A trailing Z (UTC) is matched as a literal; other offsets (+02:00) are left to the user: read
// as instants they would move late-evening dates to the next UTC day.
const TIME = /^([ T])(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(?:( ?)([AaPp][Mm]))?(Z?)$/;

/** The strptime form of the time after the date, or null when it is not one init knows. */
function timePart(rest: string): string | null {
  if (rest === "") return "";
  const m = TIME.exec(rest);
  if (m === null) return null;
  const twelve = m[7] !== undefined;
  let f = `${m[1]}${twelve ? "%I" : "%H"}:%M`;
  if (m[4] !== undefined) f += m[5] !== undefined ? ":%S.%f" : ":%S";
  if (twelve) f += `${m[6]}%p`;
  return f + m[8];
}

function shapeOf(value: string): Shape | null {
  let m = ISO_LIKE.exec(value);
  if (m) {
    const time = timePart(m[5]);
    if (time === null) return null;
    return {
      template: `%Y${m[2]}%m${m[2]}%d${time}`,
      order: "ymd",
      first: Number(m[3]),
      second: Number(m[4]),
      dotted: false,
    };
  }
  m = MONTH_NAME.exec(value);
  if (m) {
    const time = timePart(m[5]);
    if (time === null) return null;
    return {
      template: `%d${m[2]}%b${m[2]}${m[4].length === 4 ? "%Y" : "%y"}${time}`,
      order: "dmy",
      first: Number(m[1]),
      second: 1,
      dotted: false,
    };
  }
  m = FIELD_FIRST.exec(value);
  if (m) {
    const time = timePart(m[5]);
    if (time === null) return null;
    const year = m[4].length === 4 ? "%Y" : "%y";
    return {
      template: `{A}${m[2]}{B}${m[2]}${year}${time}`,
      order: "ambiguous",
      first: Number(m[1]),
      second: Number(m[3]),
      dotted: m[2] === ".",
    };
  }
  return null;
}

/** `{A}`/`{B}` filled in for the order. */
function fill(template: string, order: "dmy" | "mdy"): string {
  return order === "dmy"
    ? template.replace("{A}", "%d").replace("{B}", "%m")
    : template.replace("{A}", "%m").replace("{B}", "%d");
}

/** Another date column of the same file: written by the same export, so in the same order. */
export interface SupportingColumn {
  readonly header: string;
  readonly values: readonly string[];
}

/**
 * `support`: other date columns of the file (a Ship Date beside the Order Date); they decide
 * day-first vs month-first when the column's own values cannot.
 */
export function sniffDateFormat(values: readonly string[], support: readonly SupportingColumn[] = []): DateDecision {
  const cells = values.map((v) => v.trim()).filter((v) => !isBlank(v));
  if (cells.length === 0)
    return {
      value: "%Y-%m-%d",
      evidence: "no dates in the sample: ISO (YYYY-MM-DD) assumed",
      unreadable: 0,
      unreadableExamples: [],
      unknown: false,
    };

  // The most common written form (ignoring field order) decides; values in other forms will not read.
  const byTemplate = new Map<string, { shapes: Shape[]; example: string }>();
  const unknown: string[] = [];
  for (const cell of cells) {
    const shape = shapeOf(cell);
    if (shape === null) {
      unknown.push(cell);
      continue;
    }
    const entry = byTemplate.get(shape.template) ?? { shapes: [], example: cell };
    entry.shapes.push(shape);
    byTemplate.set(shape.template, entry);
  }
  if (byTemplate.size === 0) {
    return {
      value: "%Y-%m-%d",
      evidence: `no sampled date is written in a form init knows (e.g. "${unknown[0]}"): set the date format by hand (a strptime pattern)`,
      unreadable: unknown.length,
      unreadableExamples: unknown.slice(0, 3),
      unknown: true,
    };
  }
  const [template, { shapes, example }] = [...byTemplate.entries()].sort(
    (a, b) => b[1].shapes.length - a[1].shapes.length,
  )[0];
  const others = cells.filter((c) => shapeOf(c)?.template !== template);
  const outside =
    others.length > 0 ? `; ${count(others.length)} written otherwise (e.g. "${others[0]}") will not read` : "";
  const time = /%H|%I/.test(template) ? ", with a time" : "";
  const shortYear = template.includes("%y") ? ", 2-digit years (%y: 00–68 are 2000–2068, 69–99 are 1969–1999)" : "";

  if (shapes[0].order !== "ambiguous") {
    const iso = template.startsWith("%Y") ? "ISO year-month-day" : "day, month name, year";
    const bad = shapes.filter((s) => s.order === "ymd" && (s.first > 12 || s.second > 31)).length;
    return {
      value: template,
      evidence: `${iso}${time}${shortYear}: ${count(shapes.length)} of ${count(cells.length)} dates are written like "${example}"${outside}`,
      unreadable: others.length + bad,
      unreadableExamples: others.slice(0, 3),
      unknown: false,
    };
  }

  const dayFirst = shapes.filter((s) => s.first > 12 && s.second <= 12).length;
  const monthFirst = shapes.filter((s) => s.second > 12 && s.first <= 12).length;
  const neither = shapes.filter((s) => s.first > 12 && s.second > 12).length;
  let order: "dmy" | "mdy";
  let why: string;
  let wrongOrder = 0;
  let supported: { order: "dmy" | "mdy"; why: string } | null = null;
  if (dayFirst > 0 && monthFirst === 0) {
    order = "dmy";
    why = `day-first: ${count(dayFirst)} of ${count(cells.length)} dates have a first field above 12`;
  } else if (monthFirst > 0 && dayFirst === 0) {
    order = "mdy";
    why = `month-first: ${count(monthFirst)} of ${count(cells.length)} dates have a second field above 12`;
  } else if (dayFirst > 0 && monthFirst > 0) {
    order = dayFirst >= monthFirst ? "dmy" : "mdy";
    wrongOrder = Math.min(dayFirst, monthFirst);
    why = `conflicting: ${count(dayFirst)} dates have a first field above 12 and ${count(monthFirst)} a second field above 12: ${order === "dmy" ? "day" : "month"}-first chosen, the other ${count(wrongOrder)} will not read`;
  } else if ((supported = decideFromSupport(template, support)) !== null) {
    order = supported.order;
    why = supported.why;
  } else if (shapes[0].dotted) {
    order = "dmy";
    why = `undecidable: no sampled date has a field above 12; day-first chosen because dotted dates ("${example}") are the European way of writing them; check a date you know`;
  } else {
    order = "mdy";
    why = `undecidable: none of ${count(cells.length)} sampled dates has a field above 12; month-first chosen (the US convention of most exporting tools); check a date you know`;
  }
  return {
    value: fill(template, order),
    evidence: `${why}${time}${shortYear}${outside}`,
    unreadable: others.length + wrongOrder + neither,
    unreadableExamples: others.slice(0, 3),
    unknown: false,
  };
}

function decideFromSupport(
  template: string,
  support: readonly SupportingColumn[],
): { order: "dmy" | "mdy"; why: string } | null {
  for (const column of support) {
    const shapes = column.values
      .map((v) => shapeOf(v.trim()))
      .filter((s): s is Shape => s !== null && s.template.replace(/[ T].*$/, "") === template.replace(/[ T].*$/, ""));
    const dayFirst = shapes.filter((s) => s.first > 12 && s.second <= 12).length;
    const monthFirst = shapes.filter((s) => s.second > 12 && s.first <= 12).length;
    const none = "no sampled date of this column has a field above 12";
    if (dayFirst > 0 && monthFirst === 0)
      return {
        order: "dmy",
        why: `day-first: ${none}, but ${count(dayFirst)} of ${count(shapes.length)} dates in ${column.header}, written the same way, have a first field above 12`,
      };
    if (monthFirst > 0 && dayFirst === 0)
      return {
        order: "mdy",
        why: `month-first: ${none}, but ${count(monthFirst)} of ${count(shapes.length)} dates in ${column.header}, written the same way, have a second field above 12`,
      };
  }
  return null;
}

/** True when most non-empty cells look like dates init can read: a candidate supporting column. */
export function looksLikeDates(values: readonly string[]): boolean {
  const cells = values.map((v) => v.trim()).filter((v) => !isBlank(v));
  return cells.length > 0 && cells.filter((c) => shapeOf(c) !== null).length >= 0.9 * cells.length;
}
