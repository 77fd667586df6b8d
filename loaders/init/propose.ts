/**
 * From a file's sample to its part of the config: the mapping (mapping.ts) completed with value
 * maps and filters, and every format decision with its evidence (sniff.ts, dates.ts); then the
 * config of several files, with `$comments` keyed by the config path each comment explains.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { AtlasError } from "../errors.js";
import { looksLikeDates, sniffDateFormat, type DateDecision } from "./dates.js";
import { CURRENCY, findHeader } from "./headers.js";
import {
  describe,
  headerOf,
  isSource,
  mapFile,
  type ColumnValue,
  type ConfigExtract,
  type FilterRule,
} from "./mapping.js";
import { dateColumns, measureMissingCustomer, moneySamples, numericColumns, type MissingCustomer } from "./measure.js";
import { filterOutcome, type Preset, type SampleView } from "./presets.js";
import type { Encoding, FileSample } from "./sample.js";
import {
  count,
  isBlank,
  sniffDecimalSeparator,
  sniffMoneyDecimals,
  type Decision,
  type MoneyDecimals,
} from "./sniff.js";
import { buildMap, dealTypeOf, intervalOf, tally } from "./values.js";

export type { ColumnValue, ConfigExtract, FilterRule } from "./mapping.js";
export type { MissingCustomer } from "./measure.js";

export interface FileProposal {
  readonly file: string;
  readonly extract: ConfigExtract;
  /** Why this extract: the preset and its headers found, or the columns recognised. */
  readonly reason: string;
  readonly preset: Preset | null;
  readonly columns: Readonly<Record<string, ColumnValue>>;
  /** Canonical column → the file's header it reads, for every column found (canonical extracts list only renamed ones in `columns`). */
  readonly present: Readonly<Record<string, string>>;
  /** Canonical column → what it was mapped from. */
  readonly columnNotes: Readonly<Record<string, string>>;
  readonly unmapped: readonly string[];
  readonly filter: readonly FilterRule[];
  readonly filterNotes: readonly string[];
  readonly encoding: Decision<Encoding>;
  readonly delimiter: Decision<string>;
  readonly decimalSeparator: Decision<"." | ",">;
  readonly moneyDecimals: Decision<MoneyDecimals> & { readonly tooPrecise: number };
  /** Money cells the scale was decided on. */
  readonly moneySampled: number;
  /** Sampled rows (kept by the filter) without a customer id: the ingest quarantines them. */
  readonly missingCustomer: MissingCustomer | null;
  /** Null when the extract has no date column. */
  readonly dateFormat: (DateDecision & { readonly headers: readonly string[] }) | null;
  /** From a currency column, when the file has one. */
  readonly currency: Decision<string> | null;
  /** Observations about the sampled rows (returns, rows without a customer, …). */
  readonly notes: readonly string[];
  readonly rowsSampled: number;
  readonly complete: boolean;
}

const STAGE_HEADERS = ["Stage", "Deal Stage", "Opportunity Stage", "Sales Stage"];

function viewOf(sample: FileSample, present: Readonly<Record<string, string>>): SampleView {
  const cache = new Map<string, string[]>();
  return {
    rows: sample.rows.length,
    headers: sample.header,
    cells(header: string) {
      let cells = cache.get(header);
      if (cells === undefined) {
        const index = sample.header.indexOf(header);
        cells = index < 0 ? [] : sample.rows.map((r) => (r[index] ?? "").trim());
        cache.set(header, cells);
      }
      return cells;
    },
    headerOf: (column: string) => present[column],
  };
}

export function proposeFile(sample: FileSample): FileProposal {
  const { extract, reason, preset, columns, present } = mapFile(sample);
  const view = viewOf(sample, present);
  const columnNotes: Record<string, string> = {};
  const notes: string[] = [];

  // Value maps for the enum columns of the source extracts.
  for (const column of ["interval", "deal_type"]) {
    const header = headerOf(columns[column]);
    if (header === undefined || !isSource(extract)) continue;
    const sampled = view.cells(header);
    const build =
      preset?.maps?.[column] ??
      ((values: readonly string[]) => buildMap([], values, column === "interval" ? intervalOf : dealTypeOf));
    const { map, unmapped } = build(sampled);
    if (Object.keys(map).length > 0) columns[column] = { header, map };
    columnNotes[column] =
      Object.keys(map).length > 0
        ? `header ${header}, values ${Object.entries(map)
            .map(([a, b]) => `${a} → ${b}`)
            .join(", ")}`
        : `header ${header}`;
    if (unmapped.length > 0) {
      const n = sampled.filter((v) => unmapped.some((u) => u.toLowerCase() === v.toLowerCase())).length;
      notes.push(
        `${count(n)} sampled rows have ${header} ${unmapped.join(" or ")}, which is not ${column === "interval" ? "monthly, quarterly or annual" : "new, renewal, expansion or other"}: those rows will be quarantined`,
      );
    }
  }
  for (const [column, value] of Object.entries(columns)) {
    if (columnNotes[column] !== undefined) continue;
    columnNotes[column] =
      typeof value === "string"
        ? `header ${value}`
        : "multiply" in value
          ? `${value.multiply.map((c) => headerOf(columns[c])).join(" × ")}: the export has no total amount`
          : describe(value);
  }

  const { filter, filterNotes, filterHeaders } = proposeFilters(extract, preset, view);
  const currency = proposeCurrency(view, present.currency);
  if (currency !== null && currency.others.length > 0 && present.currency !== undefined) {
    const others = currency.others.reduce((s, [, n]) => s + n, 0);
    notes.push(
      `${count(others)} sampled rows are in another currency than ${currency.top} (${currency.others.map(([v, n]) => `${v} ${count(n)}`).join(", ")}): they will be quarantined as currency_mismatch; to leave them out instead, add { "header": "${currency.header}", "in": ["${currency.top}"] } to the filter`,
    );
  }

  // Numbers: the decimal separator from every numeric column, then the money scale.
  const numeric = numericColumns(extract)
    .map((c) => present[c])
    .filter((h): h is string => h !== undefined);
  const decimalSeparator = sniffDecimalSeparator(numeric.flatMap((h) => view.cells(h)));
  const money = moneySamples(extract, columns, present, view, decimalSeparator.value);
  const moneyDecimals = sniffMoneyDecimals(money);

  const dateHeaders = dateColumns(extract)
    .map((c) => present[c])
    .filter((h): h is string => h !== undefined);
  const support = sample.header
    .filter((h) => !dateHeaders.includes(h) && looksLikeDates(view.cells(h)))
    .map((h) => ({ header: h, values: view.cells(h) }));
  const dateDecision =
    dateHeaders.length === 0
      ? null
      : {
          ...sniffDateFormat(
            dateHeaders.flatMap((h) => view.cells(h)),
            support,
          ),
          headers: dateHeaders,
        };
  if (dateDecision?.unknown) {
    notes.push(
      `no date in ${dateHeaders.join(", ")} is written in a form init knows (e.g. "${dateDecision.unreadableExamples[0]}"): the build will stop until format.dateFormat matches them; edit it in the config`,
    );
  } else if (dateDecision !== null && dateDecision.unreadable > 0) {
    notes.push(
      `${count(dateDecision.unreadable)} sampled dates in ${dateHeaders.join(", ")} will not read as ${dateDecision.value} (e.g. ${dateDecision.unreadableExamples.map((e) => `"${e}"`).join(", ") || "a field out of range"}): those rows will be quarantined as invalid dates`,
    );
  }

  const account = present.account_id;
  let missingCustomer: MissingCustomer | null = null;
  if (account !== undefined) {
    const empty = view.cells(account).filter(isBlank).length;
    if (empty > 0)
      notes.push(
        `${count(empty)} of the sampled rows have no customer id (${account} is empty): they will be reported, not valued`,
      );
    if (empty > 0 && isSource(extract))
      missingCustomer = measureMissingCustomer(sample, columns, present, filter, decimalSeparator.value);
    if (missingCustomer !== null && !sample.complete) {
      notes.push(
        `over the whole file (read once more, row by row): ${count(missingCustomer.rows)} of ${count(missingCustomer.of)} rows${filter.length > 0 ? " kept by the filter" : ""} have no customer id`,
      );
    }
  }
  notes.push(...(preset?.notes?.(view) ?? []));

  const used = new Set([...Object.values(present), ...filterHeaders]);
  const unmapped = sample.header.filter((h) => h !== "" && !used.has(h));
  return {
    file: sample.file,
    extract,
    reason,
    preset,
    columns,
    present,
    columnNotes,
    unmapped,
    filter,
    filterNotes,
    encoding: sample.encoding,
    delimiter: sample.delimiter,
    decimalSeparator,
    moneyDecimals,
    moneySampled: money.length,
    missingCustomer,
    dateFormat: dateDecision,
    currency: currency === null ? null : { value: currency.top.toUpperCase(), evidence: currency.evidence },
    notes,
    rowsSampled: sample.rows.length,
    complete: sample.complete,
  };
}

function proposeFilters(
  extract: ConfigExtract,
  preset: Preset | null,
  view: SampleView,
): { filter: FilterRule[]; filterNotes: string[]; filterHeaders: string[] } {
  const filter: FilterRule[] = [];
  const filterNotes: string[] = [];
  const filterHeaders: string[] = [];
  const rules = [...(preset?.filters ?? [])];
  // Without a preset, a CRM stage column still says which deals were won.
  if (rules.length === 0 && isSource(extract)) {
    const stage = findHeader(view.headers, STAGE_HEADERS);
    const won = stage === undefined ? [] : [...tally(view.cells(stage)).keys()].filter((v) => /^closed ?won$/i.test(v));
    if (stage !== undefined && won.length > 0)
      rules.push({ header: [stage], in: won, why: "only won deals are revenue" });
  }
  for (const rule of rules) {
    const header = findHeader(view.headers, rule.header);
    if (header === undefined) continue;
    filter.push({ header, in: [...rule.in] });
    filterHeaders.push(header);
    const { kept, dropped } = filterOutcome(view.cells(header), rule.in);
    const keptRows = kept.reduce((s, [, n]) => s + n, 0);
    const list = (xs: [string, number][]) => xs.map(([v, n]) => `${v} ${count(n)}`).join(", ");
    filterNotes.push(
      `${header} in [${rule.in.join(", ")}]: ${rule.why}; keeps ${count(keptRows)} of ${count(view.rows)} sampled rows${kept.length > 0 ? ` (${list(kept)})` : ""}${dropped.length > 0 ? `, leaves out ${list(dropped)}` : ""}`,
    );
  }
  return { filter, filterNotes, filterHeaders };
}

function proposeCurrency(
  view: SampleView,
  mapped: string | undefined,
): { header: string; top: string; others: [string, number][]; evidence: string } | null {
  const header = mapped ?? findHeader(view.headers, CURRENCY);
  if (header === undefined) return null;
  const counts = [...tally(view.cells(header))].sort((a, b) => b[1] - a[1]);
  if (counts.length === 0) return null;
  const [top, n] = counts[0];
  const others = counts.slice(1);
  const rest = others.length > 0 ? `; also ${others.map(([v, k]) => `${v} on ${count(k)}`).join(", ")}` : "";
  return {
    header,
    top,
    others,
    evidence: `${header} is ${top} on ${count(n)} of ${count(view.rows)} sampled rows${rest}`,
  };
}

/** The strict build's default limit (loaders/config.ts). */
const DEFAULT_LIMIT = 0.01;
/** Room left above the known share for other problems, and for the rest of the file. */
const LIMIT_MARGIN = 0.02;

/**
 * Rows without a customer id (guest purchases in retail exports, often a fifth of the rows)
 * are quarantined by design: without a raised limit the strict build would stop on every such
 * export. The limit allows the share seen in the sample plus a margin, and says why.
 */
function proposeQuarantineLimit(
  proposals: readonly FileProposal[],
): { rows: number; money: number; why: string } | null {
  const measured = proposals.filter((p) => p.missingCustomer !== null);
  if (measured.length === 0) return null;
  // The epsilon keeps 0.03 + 0.02 (5.000000000000001 %) from rounding up to 6%.
  const up = (share: number) => Math.max(DEFAULT_LIMIT, Math.ceil((share + LIMIT_MARGIN) * 100 - 1e-9) / 100);
  const rows = up(Math.max(...measured.map((p) => p.missingCustomer!.rowShare)));
  const money = up(Math.max(...measured.map((p) => p.missingCustomer!.moneyShare)));
  // Under half the default limit, the default still leaves room for other problems.
  if (
    measured.every(
      (p) => p.missingCustomer!.rowShare < DEFAULT_LIMIT / 2 && p.missingCustomer!.moneyShare < DEFAULT_LIMIT / 2,
    )
  )
    return null;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const seen = measured
    .map(
      (p) =>
        `${path.basename(p.file)}: ${count(p.missingCustomer!.rows)} of ${count(p.missingCustomer!.of)} rows (${pct(p.missingCustomer!.rowShare)} of rows, ${pct(p.missingCustomer!.moneyShare)} of money) have no customer id`,
    )
    .join("; ");
  return {
    rows,
    money,
    why: `${seen}; they are quarantined (reported, not valued), so the strict build allows that share plus ${LIMIT_MARGIN * 100} points for anything else; set it back to ${DEFAULT_LIMIT} once every row has a customer`,
  };
}

/** Canonical extract names a config may carry, in the order they are written. */
const ORDER: readonly ConfigExtract[] = [
  "transactions",
  "subscriptions",
  "accounts",
  "products",
  "contracts",
  "invoices",
  "invoice_lines",
  "marketing_spend",
  "nps_responses",
  "time_entries",
  "role_rates",
];

export interface ProposedConfig {
  readonly json: Record<string, unknown>;
  readonly comments: Readonly<Record<string, string>>;
  /** Files the build will read that init was not given (an extract's default file name in sourceDir). */
  readonly warnings: readonly string[];
}

/** Extracts the build leaves out when their source extract is given (derived instead). */
const DERIVED_FROM: Partial<Record<ConfigExtract, ConfigExtract>> = {
  invoices: "transactions",
  invoice_lines: "transactions",
  contracts: "subscriptions",
};

/**
 * The config of several files. The first file's format is the default; another file's format
 * differences become its extract's `format` override. `sourceDir` is the first file's folder
 * relative to the config; each `file` is relative to `sourceDir`.
 */
export function proposeConfig(proposals: readonly FileProposal[], configPath: string): ProposedConfig {
  const seen = new Map<ConfigExtract, string>();
  for (const p of proposals) {
    const earlier = seen.get(p.extract);
    if (earlier !== undefined)
      throw new AtlasError(
        `${earlier} and ${p.file} are both ${p.extract} extracts; a config takes one file per extract: run init with one of them`,
      );
    seen.set(p.extract, p.file);
  }
  const has = (e: ConfigExtract) => seen.has(e);
  // The config parser refuses these pairs: one is derived from the other.
  for (const [source, derived] of [
    ["transactions", "invoices"],
    ["transactions", "invoice_lines"],
    ["subscriptions", "contracts"],
  ] as const) {
    if (has(source) && has(derived)) {
      throw new AtlasError(
        `${seen.get(source)} is ${source} and ${seen.get(derived)} is ${derived}: ${derived} are derived from ${source}, so a config takes one or the other; run init without one of them`,
      );
    }
  }
  if (!(has("transactions") || has("subscriptions") || has("contracts") || (has("invoices") && has("invoice_lines")))) {
    throw new AtlasError(
      `none of ${proposals.map((p) => `${p.file} (${p.extract})`).join(", ")} is a transactions, subscriptions or contracts export, or invoices with invoice_lines: at least one of those is needed to value customers`,
    );
  }
  const comments: Record<string, string> = {};
  const configDir = path.dirname(path.resolve(configPath));
  const sourceDir = path.dirname(path.resolve(proposals[0].file));
  const base = proposals[0];
  const name = (p: FileProposal) => path.basename(p.file);
  comments.sourceDir = `the folder of ${name(base)}, relative to this config`;

  const currencies = proposals.filter((p) => p.currency !== null);
  const currency = currencies[0]?.currency?.value ?? "USD";
  comments.currency =
    currencies.length > 0
      ? `${name(currencies[0])}: ${currencies[0].currency!.evidence}`
      : "no currency column in the files: USD assumed; set the ISO code of your amounts";
  const otherCurrencies = currencies.filter((p) => p.currency!.value !== currency);
  if (otherCurrencies.length > 0)
    comments.currency += `; ${otherCurrencies.map((p) => `${name(p)} is in ${p.currency!.value}`).join(", ")}: one currency per report`;

  const dated = proposals.find((p) => p.dateFormat !== null) ?? base;
  const formatOf = (p: FileProposal) => ({
    dateFormat: p.dateFormat?.value ?? dated.dateFormat?.value ?? "%Y-%m-%d",
    decimalSeparator: p.decimalSeparator.value,
    delimiter: p.delimiter.value,
    encoding: p.encoding.value,
  });
  const evidenceOf = (p: FileProposal): Record<string, string> => ({
    dateFormat:
      p.dateFormat === null
        ? "no date column"
        : `${name(p)}, ${p.dateFormat.headers.join(", ")}: ${p.dateFormat.evidence}`,
    decimalSeparator: `${name(p)}: ${p.decimalSeparator.evidence}`,
    delimiter: `${name(p)}: ${p.delimiter.evidence}`,
    encoding: `${name(p)}: ${p.encoding.evidence}`,
  });
  const defaults = {
    ...formatOf(dated),
    decimalSeparator: base.decimalSeparator.value,
    delimiter: base.delimiter.value,
    encoding: base.encoding.value,
  };
  const baseEvidence = { ...evidenceOf(base), dateFormat: evidenceOf(dated).dateFormat };
  // The file with the most decimals sets the scale (a larger scale reads fewer-decimal files exactly too).
  const withMoney = proposals.filter((p) => p.moneySampled > 0);
  const precise = withMoney.reduce(
    (best, p) => (p.moneyDecimals.value > best.moneyDecimals.value ? p : best),
    withMoney[0] ?? base,
  );
  for (const [k, v] of Object.entries(baseEvidence)) comments[`format.${k}`] = v;
  comments["format.moneyDecimals"] = `${name(precise)}: ${precise.moneyDecimals.evidence}`;

  const extracts: Record<string, unknown> = {};
  for (const extract of ORDER) {
    const p = proposals.find((x) => x.extract === extract);
    if (p === undefined) continue;
    const key = `extracts.${extract}`;
    comments[key] = `${name(p)}: ${p.reason}`;
    const entry: Record<string, unknown> = {
      file: path.relative(sourceDir, path.resolve(p.file)).split(path.sep).join("/"),
    };
    if (Object.keys(p.columns).length > 0) entry.columns = p.columns;
    for (const [column, note] of Object.entries(p.columnNotes)) comments[`${key}.columns.${column}`] = note;
    if (p.filter.length > 0) {
      entry.filter = p.filter;
      comments[`${key}.filter`] = p.filterNotes.join("; ");
    }
    const own = formatOf(p);
    const override: Record<string, string> = {};
    for (const k of Object.keys(own) as (keyof typeof own)[]) {
      if (own[k] !== defaults[k] && !(k === "dateFormat" && p.dateFormat === null)) {
        override[k] = own[k];
        comments[`${key}.format.${k}`] = evidenceOf(p)[k];
      }
    }
    if (Object.keys(override).length > 0) entry.format = override;
    extracts[extract] = entry;
  }

  const json: Record<string, unknown> = {
    $comments: comments,
    sourceDir: path.relative(configDir, sourceDir).split(path.sep).join("/") || ".",
    currency,
    format: { ...defaults, moneyDecimals: precise.moneyDecimals.value },
    extracts,
  };
  const limit = proposeQuarantineLimit(proposals);
  if (limit !== null) {
    json.quarantineLimit = { rows: limit.rows, money: limit.money };
    comments.quarantineLimit = limit.why;
  }
  // An extract not configured is still read from `<name>.csv` in sourceDir when that file exists.
  const warnings: string[] = [];
  for (const extract of ORDER) {
    if (seen.has(extract)) continue;
    const source = DERIVED_FROM[extract];
    if (source !== undefined && seen.has(source)) continue;
    const file = path.join(sourceDir, `${extract}.csv`);
    if (existsSync(file))
      warnings.push(
        `${file} is in the source folder: the build reads it as the ${extract} extract (by its name) though init was not given it; run init with it too, or move it`,
      );
  }
  return { json, comments, warnings };
}
