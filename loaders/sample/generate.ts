/**
 * The synthetic CRM: draws acquisition dates, simulates every account in turn and
 * streams the nine extracts of data/README.md to CSV files. The output depends only on
 * the options (seeded random streams, no clock), so the same arguments give the same bytes.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRng, normal, type Rng } from "../../src/lib/random.js";
import { SIZES, SIZE_WEIGHTS, channelWeights, drawAccount } from "./accounts.js";
import { PRICE_INCREASE, ROLES, ROLE_RATES, makeCatalogue, makeTimeline, type Timeline } from "./catalogue.js";
import { quoteCsvField } from "../../src/lib/csv.js";
import { CsvWriter, money, quarterHours } from "./csv.js";
import { DayFormatter, dayOf, parseDay, weekdayOf, ymdOf } from "../../src/lib/dates.js";
import { simulateSubscription, simulateTransactional, type History, type SimAccount } from "./simulate.js";
import { CHANNELS, type Channel } from "./words.js";
import {
  EXTRACTS,
  EXTRACT_NAMES,
  SOURCE_EXTRACTS,
  type ExtractName,
  type SourceExtractName,
} from "../ingest/schema.js";

export interface SampleOptions {
  accounts: number;
  years: number;
  seed: number;
  /** ISO date, the last day of the history. */
  asOf: string;
  out: string;
  /** Called now and then with the number of accounts done. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_OPTIONS: Omit<SampleOptions, "onProgress"> = {
  accounts: 1500,
  years: 6,
  seed: 42,
  asOf: "2026-09-30",
  out: "data/sample",
};

export interface FileSummary {
  file: string;
  rows: number;
  bytes: number;
}

/** Canonical headers, in order: the ingest schema is the one source (data/README.md describes it). */
// The sample is a full CRM: the nine canonical extracts (no source extracts such as
// transactions), and invoice lines without a cost of their own (margin comes from product unit costs).
const SAMPLE_EXTRACTS = EXTRACT_NAMES.filter(
  (name): name is Exclude<ExtractName, SourceExtractName> => !(SOURCE_EXTRACTS as readonly string[]).includes(name),
);
const NOT_IN_SAMPLE = new Set(["invoice_lines.cost"]);
export const HEADERS = Object.fromEntries(
  SAMPLE_EXTRACTS.map((name) => [
    `${name}.csv`,
    EXTRACTS[name].columns.map((c) => c.name).filter((c) => !NOT_IN_SAMPLE.has(`${name}.${c}`)),
  ]),
) as Record<`${Exclude<ExtractName, SourceExtractName>}.csv`, string[]>;
export type SampleFile = keyof typeof HEADERS;
export const SAMPLE_FILES = Object.keys(HEADERS) as SampleFile[];

const CURRENCY = "USD";

/** Relative acquisitions by calendar month: quarter-end pushes, a summer lull. */
const SEASONALITY = [0.85, 0.95, 1.1, 0.95, 1.0, 1.1, 0.85, 0.8, 1.05, 1.05, 1.1, 1.2];
/** Acquisitions grow by this factor per year. */
const GROWTH_PER_YEAR = Math.pow(2.6, 1 / 5);

/**
 * Sales + marketing cost of one acquired account, by channel (USD). Direct Sales wins the
 * largest accounts at the highest cost; Marketplace brings small ones cheaply.
 */
export const CAC_TARGET: Record<Channel, number> = {
  "Direct Sales": 190000,
  Partner: 50000,
  Inbound: 20000,
  Outbound: 60000,
  Marketplace: 9500,
};
/** Share of each channel's spend booked as sales (the rest is marketing). */
const SALES_SHARE: Record<Channel, number> = {
  "Direct Sales": 0.8,
  Partner: 0.6,
  Inbound: 0.15,
  Outbound: 0.7,
  Marketplace: 0.1,
};

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

interface MonthInfo {
  first: number;
  /** Days of the month inside [start, asOf]. */
  from: number;
  to: number;
  weight: number;
}

function monthsOf(tl: Timeline, extra = 0): MonthInfo[] {
  const [fy, fm] = ymdOf(tl.firstMonth);
  const out: MonthInfo[] = [];
  for (let m = 0; m < tl.months + extra; m++) {
    const first = dayOf(fy, fm + m, 1);
    const last = dayOf(fy, fm + m + 1, 1) - 1;
    const from = Math.max(first, tl.start);
    const to = m < tl.months ? Math.min(last, tl.asOf) : last;
    const calMonth = ymdOf(first)[1] - 1;
    const share = (to - from + 1) / (last - first + 1);
    out.push({ first, from, to, weight: Math.pow(GROWTH_PER_YEAR, m / 12) * SEASONALITY[calMonth] * share });
  }
  return out;
}

/** Acquisition days of all accounts, sorted; B2B deals close on weekdays. */
function acquisitionDays(rng: Rng, n: number, tl: Timeline): Int32Array {
  const months = monthsOf(tl);
  const cdf: number[] = [];
  let total = 0;
  for (const m of months) cdf.push((total += m.weight));
  const days = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    const m = months[lo];
    let d = m.from + Math.floor(rng.next() * (m.to - m.from + 1));
    const wd = weekdayOf(d);
    if (wd === 6 && d - 1 >= tl.start) d -= 1;
    else if (wd === 0 && d + 1 <= tl.asOf) d += 1;
    days[i] = d;
  }
  days.sort();
  return days;
}

function writeHistory(
  w: Record<SampleFile, CsvWriter>,
  accountId: string,
  annual: boolean,
  h: History,
  ids: { contract: number; invoice: number; nps: number; time: number },
  fmt: DayFormatter,
): void {
  const term = annual ? "annual" : "monthly";
  for (const c of h.contracts) {
    w["contracts.csv"].row(
      `CON-${pad(++ids.contract, 7)},${accountId},${c.productId},${term},${fmt.format(c.start)},${c.end < 0 ? "" : fmt.format(c.end)},${c.seats},${money(c.mrrCents)},${CURRENCY},${c.changeType}`,
    );
  }
  const inv = w["invoices.csv"];
  const lines = w["invoice_lines.csv"];
  for (const d of h.docs) {
    const id = `INV-${pad(++ids.invoice, 7)}`;
    inv.row(`${id},${accountId},${fmt.format(d.day)},${CURRENCY},${d.credit ? "credit_note" : "invoice"}`);
    for (let i = 0; i < d.lines.length; i++) {
      const l = d.lines[i];
      lines.row(`${id},${i + 1},${l.productId},${l.qty},${money(l.unitCents)},${money(l.qty * l.unitCents)},${l.type}`);
    }
  }
  for (const r of h.nps) {
    w["nps_responses.csv"].row(
      `NPS-${pad(++ids.nps, 7)},${accountId},${fmt.format(r.day)},${r.score},${quoteCsvField(r.comment)}`,
    );
  }
  const te = w["time_entries.csv"];
  for (const e of h.time) {
    te.row(
      `TE-${pad(++ids.time, 8)},${accountId},${fmt.format(e.day)},${e.role},${quarterHours(e.quarters)},${quoteCsvField(e.activity)}`,
    );
  }
}

/** Generates the sample into `options.out`; returns rows and bytes per file. */
export function generateSample(options: SampleOptions): FileSummary[] {
  const { accounts: n, years, seed } = options;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`accounts must be a positive integer: ${n}`);
  if (!Number.isInteger(years) || years < 1 || years > 30)
    throw new RangeError(`years must be an integer from 1 to 30: ${years}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer: ${seed}`);
  const tl = makeTimeline(parseDay(options.asOf), years);
  const catalogue = makeCatalogue(tl);
  const goods = catalogue.filter((p) => p.category === "product");
  const fmt = new DayFormatter(tl.firstMonth - 6 * 366, tl.asOf + 1);

  mkdirSync(options.out, { recursive: true });
  const w = Object.fromEntries(SAMPLE_FILES.map((f) => [f, new CsvWriter(join(options.out, f), HEADERS[f])])) as Record<
    SampleFile,
    CsvWriter
  >;

  // reference data
  for (const role of ROLES) w["role_rates.csv"].row(`${role},${money(ROLE_RATES[role])},${CURRENCY}`);
  for (const p of catalogue) {
    // list_price is today's list price: plans carry the increase once it has happened.
    const price =
      p.id.startsWith("PLN-") && tl.asOf >= tl.priceIncrease ? Math.round(p.priceCents * PRICE_INCREASE) : p.priceCents;
    w["products.csv"].row(
      `${p.id},${quoteCsvField(p.name)},${p.category},${money(price)},${money(p.costCents)},${CURRENCY},${fmt.format(p.launchedOn)},${p.withdrawnOn === undefined ? "" : fmt.format(p.withdrawnOn)}`,
    );
  }

  // accounts, one at a time
  const master = createRng(seed);
  const days = acquisitionDays(master, n, tl);
  const names = new Map<string, number>();
  const ids = { contract: 0, invoice: 0, nps: 0, time: 0 };
  const span = Math.max(1, tl.asOf - tl.start);
  const step = Math.max(1, Math.floor(n / 20));
  for (let i = 0; i < n; i++) {
    const rng = createRng(Math.floor(master.next() * 4294967296));
    const acquiredOn = days[i];
    const draft = drawAccount(rng, (acquiredOn - tl.start) / span);
    const seen = names.get(draft.baseName) ?? 0;
    names.set(draft.baseName, seen + 1);
    const name = seen === 0 ? draft.baseName : `${draft.baseName} ${seen + 1}`;
    const id = `ACC-${pad(i + 1, 6)}`;
    const acc: SimAccount = { ...draft, acquiredOn };
    const h =
      draft.model === "subscription" ? simulateSubscription(acc, rng, tl) : simulateTransactional(acc, rng, tl, goods);
    w["accounts.csv"].row(
      [
        id,
        quoteCsvField(name),
        draft.industry,
        draft.employees,
        h.finalSeats,
        draft.region,
        h.finalTier,
        draft.model,
        draft.channel,
        fmt.format(acquiredOn),
        quoteCsvField(draft.keyAccountManager),
        quoteCsvField(draft.contactName),
        quoteCsvField(draft.contactEmail),
        quoteCsvField(draft.contactPhone),
        quoteCsvField(draft.notes),
      ].join(","),
    );
    writeHistory(w, id, draft.annual, h, ids, fmt);
    if (options.onProgress && ((i + 1) % step === 0 || i + 1 === n)) options.onProgress(i + 1, n);
  }

  writeMarketingSpend(w["marketing_spend.csv"], master, n, tl, fmt);

  const summary: FileSummary[] = [];
  for (const f of SAMPLE_FILES) {
    w[f].close();
    summary.push({ file: f, rows: w[f].rows, bytes: w[f].bytes });
  }
  return summary;
}

/**
 * Spend per month × channel × category follows the expected acquisitions of the channel
 * (half this month, half next month: spend leads deals) times the channel's CAC, with noise.
 */
function writeMarketingSpend(out: CsvWriter, rng: Rng, n: number, tl: Timeline, fmt: DayFormatter): void {
  const months = monthsOf(tl, 1);
  let total = 0;
  for (let m = 0; m < tl.months; m++) total += months[m].weight;
  const span = Math.max(1, tl.asOf - tl.start);
  const expected = months.map((mi) => {
    const progress = Math.min(1, Math.max(0, ((mi.from + mi.to) / 2 - tl.start) / span));
    const share = CHANNELS.map(() => 0);
    SIZES.forEach((size, s) => {
      const cw = channelWeights(size, progress);
      const sum = cw.reduce((a, b) => a + b, 0);
      cw.forEach((x, c) => (share[c] += (SIZE_WEIGHTS[s] * x) / sum));
    });
    return share.map((x) => (n * mi.weight * x) / total);
  });
  for (let m = 0; m < tl.months; m++) {
    CHANNELS.forEach((ch, c) => {
      const base = (0.5 * expected[m][c] + 0.5 * expected[m + 1][c]) * CAC_TARGET[ch];
      for (const category of ["sales", "marketing"] as const) {
        const share = category === "sales" ? SALES_SHARE[ch] : 1 - SALES_SHARE[ch];
        const cents = Math.max(0, Math.round(base * share * Math.exp(normal(rng, 0, 0.12)) * 100));
        out.row(`${fmt.format(months[m].first)},${ch},${category},${money(cents)},${CURRENCY}`);
      }
    });
  }
}
