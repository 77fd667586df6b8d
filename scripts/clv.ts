/**
 * CLV command line: fit models, predict per-customer CLV, summarise transactions, and the
 * models' population projections. Run `npm run -s clv -- --help` (or `npx tsx scripts/clv.ts
 * --help`) for usage. Reads CSV (or whitespace-delimited text for `summarize`) from a file or
 * stdin (`-`); writes JSON (fit) or CSV to stdout; errors go to stderr with the file's line
 * number and column, exit code 1; a fit the data cannot support prints its warnings and exits 2.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  BGNBD_PARAM_NAMES,
  CsvError,
  GAMMAGAMMA_PARAM_NAMES,
  MBGNBD_PARAM_NAMES,
  PARETONBD_PARAM_NAMES,
  SBG_PARAM_NAMES,
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchases,
  bgnbdGroupedLogLik,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchases,
  checkIdentification,
  findColumn,
  fitBgnbd,
  fitGammaGamma,
  fitMbgnbd,
  fitParetoNbd,
  fitSbg,
  formatCsv,
  gammaGammaLogLik,
  groupRfm,
  hessianFromGradient,
  isWhitespaceDelimited,
  logScaleCovariance,
  mbgnbdConditionalExpectedPurchases,
  mbgnbdExpectedPurchases,
  mbgnbdGroupedLogLik,
  mbgnbdProbabilityAlive,
  mbgnbdProbabilityOfPurchases,
  monthLength,
  numericalHessian,
  numericColumn,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdLogLik,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityOfPurchases,
  parseCsv,
  parseWhitespace,
  predictClv,
  predictClvWithBands,
  sbgExpectedResidualLifetime,
  sbgRetention,
  sbgSurvival,
  summarizeTransactions,
  textColumn,
  type CsvTable,
  type GroupedRfm,
  type RfmColumns,
  type TimeUnit,
} from "../src/lib/models/index.js";
import { createRng } from "../src/lib/random.js";
import { toCsv } from "../src/lib/csv.js";
import type { BacktestData } from "../src/lib/shapes/backtest.js";

const HELP = `Usage: npm run -s clv -- <command> [options]

Commands
  fit sbg FILE         Survivor counts, columns period,alive (one cohort) or cohort,period,alive
                       (several cohorts; periods 0..n, alive at period 0 = cohort size).
                       Prints {"gamma","delta","logLik","se":{...},"covLog":[[...]],"n"}.
  fit bgnbd FILE       RFM columns id,frequency,recency,T (also ID, x, t_x). Times in one unit
                       (weeks for CDNOW). Prints {"r","alpha","a","b","logLik","se","covLog","n"}.
  fit mbgnbd FILE      MBG/NBD (BG/NBD that also lets customers leave at their first purchase;
                       lifetimes' ModifiedBetaGeoFitter); same input and output as fit bgnbd.
  fit paretonbd FILE   Same input; prints {"r","alpha","s","beta","logLik","se","covLog","n"}.
  fit gammagamma FILE  Columns frequency,monetary_value (also x, zbar); uses rows with
                       frequency > 0 and a mean spend > 0 (rows with $0 are counted on stderr).
                       Prints {"p","q","gamma","logLik","se","covLog","n"}.
                       A fit the data cannot support (a parameter at a bound, standard errors
                       above the estimate, a flat likelihood) adds "warnings" to the JSON, prints
                       them on stderr and exits with 2. Data no model can be fitted on (a single
                       customer, all frequencies 0, purchases with T = 0) is an error (exit 1).
  predict FILE         Per-customer CSV. FILE has id,frequency,recency,T (aliases ID, x, t_x) and,
                       for CLV, monetary_value (alias zbar). Without --spend-params it prints
                       id,expected_purchases,probability_alive; with them also
                       expected_spend,clv[,clv_p10,clv_p50,clv_p90]. Options:
      --model bgnbd|mbgnbd|paretonbd   purchase model (required)
      --params JSON             purchase-model parameters, e.g. the output of "fit bgnbd"
      --spend-params JSON       Gamma-Gamma parameters, e.g. the output of "fit gammagamma"
      --t N                     horizon of expected_purchases, in the file's time unit (required)
      --unit weeks|days         time unit of recency, T and the parameters (default weeks)
      --months M                CLV horizon in months (default: t converted to months, rounded)
      --margin M                gross margin in [0,1] (default 1)
      --discount D              annual discount rate (default 0.1), applied monthly as
                                d_m = (1 + D)^(1/12) - 1
      --monthly-discount R      monthly discount rate used as given (month k is discounted by
                                (1 + R)^k); instead of --discount
      --month-length L          one month in the file's unit (default 365.25/12 days = 4.348
                                weeks). lifetimes' customer_lifetime_value(..., time=H,
                                discount_rate=R, freq="W") is --months H --monthly-discount R
                                --month-length 4.345 (freq="D": --unit days --month-length 30)
      --draws K                 parameter draws for the P10/P50/P90 bands (default 200; 0 = none)
      --seed S                  random seed for the draws (default 1)
                       The bands cover parameter uncertainty only (draws from the asymptotic
                       normal of the log-parameters), not purchase randomness. They use "covLog"
                       from the JSON when present, otherwise the observed information of FILE at
                       the given parameters. The portfolio total and its band go to stderr.
  expected             Unconditional E[X(t)], expected repeat purchases of a new customer in
                       (0, t]: CSV t,expected_purchases.
      --model bgnbd|mbgnbd|paretonbd, --params JSON, --t N[,N...]
  pmf                  P(X(t) = n) for n = 0..N, a new customer's repeat purchases in (0, t]:
                       CSV n,probability.
      --model bgnbd|mbgnbd|paretonbd, --params JSON, --t N, --n N
  derl                 sBG discounted expected residual lifetime (periods) of a customer who
                       has renewed n times, valued before the next renewal: CSV renewals,derl.
      --params JSON (gamma, delta), --renewals N[,N...], --period-discount D (per contract
      period, e.g. 0.1 for annual contracts at 10%)
  survival             sBG survival projection: CSV period,survival,retention[,survivors] for
                       periods 0..N (retention is blank at period 0).
      --params JSON (gamma, delta), --periods N, --cohort-size C (optional)
  summarize FILE       Transactions id,date,amount (amount optional; date YYYY-MM-DD, time part
                       ignored, or YYYYMMDD) -> id,frequency,recency,T,monetary_value
                       [,frequency_holdout,duration_holdout]. Purchases on one day count once.
                       FILE is CSV, or whitespace-delimited text such as the CDNOW .txt files
                       (header customer_id date ... dollar_value is understood).
      --unit weeks|days         unit of recency and T (default weeks)
      --calibration-end DATE    last day of calibration (default: last date in the file);
                                adds the holdout columns
      --holdout-end DATE        last day of the holdout (default: last date in the file)
      --columns NAMES           column names of a file without a header line, e.g. for
                                CDNOW_sample.txt: master_id,id,date,cds,amount

  backtest             The build's backtest (forecasts made 12 and 24 months before the as-of date,
                       and at each --backtest-at date, from the data known then) against what
                       happened: one row per cut, segment and measure (revenue, margin, active,
                       churned) with forecast, P10/P50/P90 of the outcome, actual, naive forecast
                       (money in currency units). Run "npm run build" (or --prepare-only) first.
      --store DIR               the prepared store (default .atlas/store)
      --format csv|json         csv (default) or the whole backtest.json with coverage and errors

FILE may be "-" for stdin. Bad input (missing column, non-numeric value, recency > T,
negative spend, ...) prints "clv: error: line L, column C: ..." to stderr and exits with 1.

Examples
  npm run -s clv -- fit bgnbd ../shared/datasets/cdnow_customers_summary.csv
  npm run -s clv -- predict rfm.csv --model bgnbd --params "$(cat bgnbd.json)" \\
      --spend-params "$(cat gg.json)" --t 52 --margin 0.3 --discount 0.1 --draws 200 --seed 1
  npm run -s clv -- summarize ../shared/datasets/CDNOW_master.txt --calibration-end 1997-09-30
  npm run -s clv -- pmf --model mbgnbd --params "$(cat mbg.json)" --t 39 --n 10
`;

class UsageError extends Error {}

/** Exit code of a fit whose warnings say the data cannot support it. */
const EXIT_WARNING = 2;

type Values = Record<string, string | boolean | undefined>;

interface Args {
  positional: string[];
  values: Values;
}

const STRING_OPTIONS = [
  "model",
  "params",
  "spend-params",
  "t",
  "unit",
  "months",
  "margin",
  "discount",
  "monthly-discount",
  "month-length",
  "draws",
  "seed",
  "calibration-end",
  "holdout-end",
  "columns",
  "n",
  "renewals",
  "period-discount",
  "periods",
  "cohort-size",
  "store",
  "format",
] as const;

function readArgs(argv: string[]): Args {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const k of STRING_OPTIONS) options[k] = { type: "string" };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { positional: positionals, values: values as Values };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function flag(a: Args, name: string): string | undefined {
  const v = a.values[name];
  return typeof v === "string" ? v : undefined;
}

function readText(path: string | undefined): string {
  if (!path) throw new UsageError("missing FILE argument (a path or - for stdin)");
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
}

function readInput(path: string | undefined): CsvTable {
  return parseCsv(readText(path));
}

function numberFlag(a: Args, name: string, def?: number): number {
  const s = flag(a, name);
  if (s === undefined) {
    if (def === undefined) throw new UsageError(`missing option --${name}`);
    return def;
  }
  const v = Number(s);
  if (s.trim() === "" || !Number.isFinite(v)) throw new UsageError(`invalid --${name}: "${s}" is not a number`);
  return v;
}

/** A comma-separated list of numbers, e.g. --t 1,13,39. */
function numberListFlag(a: Args, name: string): number[] {
  const s = flag(a, name);
  if (s === undefined) throw new UsageError(`missing option --${name}`);
  return s.split(",").map((part) => {
    const v = Number(part);
    if (part.trim() === "" || !Number.isFinite(v)) throw new UsageError(`invalid --${name}: "${part}" is not a number`);
    return v;
  });
}

function unitFlag(a: Args): TimeUnit {
  const u = flag(a, "unit") ?? "weeks";
  if (u !== "weeks" && u !== "days") throw new UsageError(`invalid --unit: "${u}" (expected weeks or days)`);
  return u;
}

const ID = ["id", "ID", "customer_id"];
const FREQ = ["frequency", "x"];
const REC = ["recency", "t_x"];
const TCOL = ["T"];
const MONEY = ["monetary_value", "zbar"];

function nonNegativeInteger(v: number): string | undefined {
  return Number.isInteger(v) && v >= 0 ? undefined : `must be a non-negative integer, got ${v}`;
}

function readRfm(t: CsvTable) {
  const frequency = numericColumn(t, FREQ, nonNegativeInteger);
  const T = numericColumn(t, TCOL, (v) => (v >= 0 ? undefined : `must be ≥ 0, got ${v}`));
  const recency = numericColumn(t, REC, (v, r) => {
    if (v < 0) return `must be ≥ 0, got ${v}`;
    if (v > T[r]) return `recency ${v} > T ${T[r]}`;
    if (frequency[r] > 0 && T[r] === 0) return `${frequency[r]} repeat purchases in an observation of length T = 0`;
    return undefined;
  });
  const idc = findColumn(t, ID);
  const id = idc >= 0 ? t.rows.map((r) => r[idc]) : t.rows.map((_, i) => String(i + 1));
  return { id, frequency, recency, T };
}

/** Mean repeat spend; $0 is allowed (a repeat customer whose purchases were all free). */
function readMoney(t: CsvTable): Float64Array {
  return numericColumn(t, MONEY, (v) => (v < 0 ? `negative spend ${v}` : undefined));
}

/** A purchase model as the command line uses it. */
interface PurchaseModelCli {
  label: string;
  names: readonly string[];
  fit: (d: RfmColumns) => Record<string, unknown>;
  /** Grouped log-likelihood with its gradient in the log-parameters (for the observed information). */
  logLik: (p: Record<string, number>, g: GroupedRfm, grad: Float64Array) => number;
  expected: (p: Record<string, number>, t: number) => number;
  conditional: (p: Record<string, number>, t: number, d: RfmColumns) => Float64Array;
  alive: (p: Record<string, number>, d: RfmColumns) => Float64Array;
  pmf?: (p: Record<string, number>, t: number, n: number) => number;
  /** Parameters that carry the time unit (their plausible range scales with the history). */
  timeParams: readonly string[];
}

/* The library functions take their model's parameter interface; the CLI checks names and signs. */
/* eslint-disable @typescript-eslint/no-explicit-any */
const MODELS: Record<string, PurchaseModelCli> = {
  bgnbd: {
    label: "BG/NBD",
    names: BGNBD_PARAM_NAMES,
    fit: (d) => fitBgnbd(d) as any,
    logLik: (p, g, grad) => bgnbdGroupedLogLik(p as any, g, grad),
    expected: (p, t) => bgnbdExpectedPurchases(p as any, t),
    conditional: (p, t, d) => bgnbdConditionalExpectedPurchases(p as any, t, d),
    alive: (p, d) => bgnbdProbabilityAlive(p as any, d),
    pmf: (p, t, n) => bgnbdProbabilityOfPurchases(p as any, t, n),
    timeParams: ["alpha"],
  },
  mbgnbd: {
    label: "MBG/NBD",
    names: MBGNBD_PARAM_NAMES,
    fit: (d) => fitMbgnbd(d) as any,
    logLik: (p, g, grad) => mbgnbdGroupedLogLik(p as any, g, grad),
    expected: (p, t) => mbgnbdExpectedPurchases(p as any, t),
    conditional: (p, t, d) => mbgnbdConditionalExpectedPurchases(p as any, t, d),
    alive: (p, d) => mbgnbdProbabilityAlive(p as any, d),
    pmf: (p, t, n) => mbgnbdProbabilityOfPurchases(p as any, t, n),
    timeParams: ["alpha"],
  },
  paretonbd: {
    label: "Pareto/NBD",
    names: PARETONBD_PARAM_NAMES,
    fit: (d) => fitParetoNbd(d) as any,
    logLik: (p, g, grad) => paretoNbdLogLik(p as any, g, grad),
    expected: (p, t) => paretoNbdExpectedPurchases(p as any, t),
    conditional: (p, t, d) => paretoNbdConditionalExpectedPurchases(p as any, t, d),
    alive: (p, d) => paretoNbdProbabilityAlive(p as any, d),
    pmf: (p, t, n) => paretoNbdProbabilityOfPurchases(p as any, t, n),
    timeParams: ["alpha", "beta"],
  },
};
/* eslint-enable @typescript-eslint/no-explicit-any */

function purchaseModel(name: string | undefined, flagName = "--model"): [string, PurchaseModelCli] {
  const m = name === undefined ? undefined : MODELS[name];
  if (!m || name === undefined)
    throw new UsageError(`invalid ${flagName}: "${name ?? ""}" (expected ${Object.keys(MODELS).join(", ")})`);
  return [name, m];
}

function fitJson(
  names: readonly string[],
  fit: Record<string, unknown>,
  n: number,
  warnings: readonly string[],
): string {
  const out: Record<string, unknown> = {};
  for (const k of names) out[k] = fit[k];
  out.logLik = fit.logLik;
  if (fit.se) out.se = fit.se;
  if (fit.covLog) out.covLog = fit.covLog;
  out.n = n;
  if (warnings.length) out.warnings = warnings;
  return JSON.stringify(out, null, 2) + "\n";
}

function readSbgCohorts(t: CsvTable): number[][] {
  const periods = numericColumn(t, ["period", "t"], nonNegativeInteger);
  const alive = numericColumn(t, ["alive", "survivors"], (v) => (v >= 0 ? undefined : `must be ≥ 0, got ${v}`));
  const cc = findColumn(t, ["cohort"]);
  const byCohort = new Map<string, Array<{ p: number; a: number; line: number }>>();
  t.rows.forEach((row, r) => {
    const c = cc >= 0 ? row[cc] : "";
    if (!byCohort.has(c)) byCohort.set(c, []);
    byCohort.get(c)!.push({ p: periods[r], a: alive[r], line: t.lines[r] });
  });
  const out: number[][] = [];
  for (const [c, list] of byCohort) {
    list.sort((x, y) => x.p - y.p);
    list.forEach((e, k) => {
      if (e.p !== k)
        throw new CsvError(
          `line ${e.line}, column period: cohort "${c}" periods must run 0, 1, 2, … without gaps (found ${e.p}, expected ${k})`,
          e.line,
          "period",
        );
      if (k > 0 && e.a > list[k - 1].a)
        throw new CsvError(
          `line ${e.line}, column alive: ${e.a} is more than the previous period's ${list[k - 1].a}`,
          e.line,
          "alive",
        );
    });
    if (list.length < 2) throw new CsvError(`cohort "${c}": need periods 0 and 1 at least`);
    out.push(list.map((e) => e.a));
  }
  return out;
}

interface Output {
  stdout: string;
  stderr?: string;
  code?: number;
}

/** Prints the fit, and its identification warnings on stderr with exit code 2. */
function fitOutput(
  label: string,
  names: readonly string[],
  fit: Record<string, unknown>,
  n: number,
  bounds: Record<string, readonly [number, number]> = {},
  note = "",
): Output {
  const id = checkIdentification(names, fit as Record<string, number> & { logLik: number }, { bounds });
  const stderr =
    note + id.warnings.map((w) => `clv: warning: the ${label} fit is not supported by the data: ${w}\n`).join("");
  return { stdout: fitJson(names, fit, n, id.warnings), stderr, code: id.weak ? EXIT_WARNING : 0 };
}

function cmdFit(a: Args): Output {
  const [, model, file] = a.positional;
  switch (model) {
    case "sbg": {
      const cohorts = readSbgCohorts(readInput(file));
      const fit = fitSbg(cohorts);
      const n = cohorts.reduce((s, c) => s + c[0], 0);
      return fitOutput("sBG", SBG_PARAM_NAMES, fit as unknown as Record<string, unknown>, n);
    }
    case "gammagamma": {
      const t = readInput(file);
      const frequency = numericColumn(t, FREQ, nonNegativeInteger);
      const monetaryValue = readMoney(t);
      const fit = fitGammaGamma({ frequency, monetaryValue });
      const used = frequency.filter((x, i) => x > 0 && monetaryValue[i] > 0).length;
      const note = fit.excludedZeroSpend
        ? `clv: note: ${fit.excludedZeroSpend} repeat customer(s) with a mean spend of $0 left out of the Gamma-Gamma fit\n`
        : "";
      return fitOutput(
        "Gamma-Gamma",
        GAMMAGAMMA_PARAM_NAMES,
        fit as unknown as Record<string, unknown>,
        used,
        {},
        note,
      );
    }
    default: {
      if (model === undefined || !MODELS[model])
        throw new UsageError(
          `invalid model for fit: "${model ?? ""}" (expected sbg, ${Object.keys(MODELS).join(", ")} or gammagamma)`,
        );
      const m = MODELS[model];
      const rfm = readRfm(readInput(file));
      const fit = m.fit(rfm);
      // Parameters with the time unit: plausible between 1e-4 and 1e4 times the longest history.
      const span = Math.max(1, ...rfm.T);
      const bounds = Object.fromEntries(m.timeParams.map((k) => [k, [1e-4 * span, 1e4 * span] as const]));
      return fitOutput(m.label, m.names, fit, rfm.id.length, bounds);
    }
  }
}

function parseParams(
  json: string | undefined,
  flagName: string,
  names: readonly string[],
): Record<string, number> & { covLog?: number[][] } {
  if (json === undefined) throw new UsageError(`missing option --${flagName}`);
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(json);
  } catch (e) {
    throw new UsageError(`invalid --${flagName}: not JSON (${(e as Error).message})`);
  }
  const out: Record<string, number> & { covLog?: number[][] } = {};
  for (const k of names) {
    const v = obj[k];
    if (typeof v !== "number" || !(v > 0))
      throw new UsageError(`invalid --${flagName}: "${k}" must be a positive number`);
    out[k] = v;
  }
  const cov = obj.covLog ?? obj.cov_log;
  if (cov !== undefined) {
    if (
      !Array.isArray(cov) ||
      cov.length !== names.length ||
      !cov.every((r) => Array.isArray(r) && r.length === names.length && r.every((x) => typeof x === "number"))
    )
      throw new UsageError(`invalid --${flagName}: covLog must be a ${names.length}×${names.length} array of numbers`);
    out.covLog = cov as number[][];
  }
  return out;
}

/** Month length and monthly discount from --month-length, --monthly-discount / --discount. */
function monthOptions(a: Args): { monthLength?: number; monthlyDiscount?: number; annual: number } {
  const ml = flag(a, "month-length") === undefined ? undefined : numberFlag(a, "month-length");
  if (ml !== undefined && !(ml > 0)) throw new UsageError("invalid --month-length: must be > 0");
  if (flag(a, "monthly-discount") !== undefined) {
    if (flag(a, "discount") !== undefined)
      throw new UsageError("give either --discount (annual) or --monthly-discount, not both");
    const dm = numberFlag(a, "monthly-discount");
    if (!(dm > -1)) throw new UsageError("invalid --monthly-discount: must be > -1");
    // the equivalent annual rate, (1 + d_m)^12 − 1, for the library's checks and messages
    return { monthLength: ml, monthlyDiscount: dm, annual: Math.pow(1 + dm, 12) - 1 };
  }
  return { monthLength: ml, annual: numberFlag(a, "discount", 0.1) };
}

function cmdPredict(a: Args): Output {
  const file = a.positional[1];
  const [model, m] = purchaseModel(flag(a, "model"));
  const params = parseParams(flag(a, "params"), "params", m.names);
  const unit = unitFlag(a);
  const t = numberFlag(a, "t");
  if (!(t >= 0)) throw new UsageError("invalid --t: must be ≥ 0");
  const table = readInput(file);
  const rfm = readRfm(table);
  if (flag(a, "spend-params") === undefined) {
    // Purchases only: no spend model, no CLV.
    for (const k of ["margin", "discount", "monthly-discount", "month-length", "months", "draws", "seed"])
      if (flag(a, k) !== undefined) throw new UsageError(`--${k} needs --spend-params (CLV needs a spend model)`);
    const expected = m.conditional(params, t, rfm);
    const alive = m.alive(params, rfm);
    return {
      stdout: formatCsv(["id", "expected_purchases", "probability_alive"], [rfm.id, expected, alive]),
      stderr: `total expected purchases ${expected.reduce((s, v) => s + v, 0).toFixed(2)} in the next ${t} ${unit}\n`,
    };
  }
  const spend = parseParams(flag(a, "spend-params"), "spend-params", GAMMAGAMMA_PARAM_NAMES);
  if (!(spend.q > 1)) throw new UsageError("invalid --spend-params: q must be > 1 for a finite mean spend");
  const mo = monthOptions(a);
  const months = numberFlag(a, "months", Math.round(t / (mo.monthLength ?? monthLength(unit))));
  const margin = numberFlag(a, "margin", 1);
  const draws = numberFlag(a, "draws", 200);
  const seed = numberFlag(a, "seed", 1);
  const monetaryValue = readMoney(table);
  const data = { frequency: rfm.frequency, recency: rfm.recency, T: rfm.T, monetaryValue };
  const opts = {
    unit,
    t,
    months,
    margin,
    annualDiscount: mo.annual,
    monthLength: mo.monthLength,
    monthlyDiscount: mo.monthlyDiscount,
  };
  const header = ["id", "expected_purchases", "probability_alive", "expected_spend", "clv"];
  const pm = model as "bgnbd" | "mbgnbd" | "paretonbd";
  if (draws === 0) {
    const p = predictClv(pm, params as never, spend as never, data, opts);
    return {
      stdout: formatCsv(header, [rfm.id, p.expectedPurchases, p.probabilityAlive, p.expectedSpend, p.clv]),
      stderr: `total CLV ${p.totalClv.toFixed(2)} over ${months} months\n`,
    };
  }
  if (!params.covLog) params.covLog = observedCovLog(m, params, data);
  if (!spend.covLog) spend.covLog = spendCovLog(spend, data);
  const p = predictClvWithBands(pm, params as never, spend as never, data, { ...opts, draws, rng: createRng(seed) });
  return {
    stdout: formatCsv(
      [...header, "clv_p10", "clv_p50", "clv_p90"],
      [rfm.id, p.expectedPurchases, p.probabilityAlive, p.expectedSpend, p.clv, p.clvP10, p.clvP50, p.clvP90],
    ),
    stderr: `total CLV ${p.totalClv.toFixed(2)} over ${months} months; P10 ${p.totalP10.toFixed(2)}, P50 ${p.totalP50.toFixed(2)}, P90 ${p.totalP90.toFixed(2)} (${draws} parameter draws, seed ${seed})\n`,
  };
}

/** Covariance of the log-parameters from the observed information of `data` at `p`. */
function observedCovLog(m: PurchaseModelCli, p: Record<string, number>, data: RfmColumns): number[][] {
  const g = groupRfm(data);
  const values = m.names.map((k) => p[k]);
  const toP = (th: Float64Array) => Object.fromEntries(m.names.map((k, i) => [k, Math.exp(th[i])]));
  const H = hessianFromGradient((th, gr) => m.logLik(toP(th), g, gr), values.map(Math.log));
  return covLogOf(H, values, m.label);
}

function spendCovLog(p: Record<string, number>, data: { frequency: Float64Array; monetaryValue: Float64Array }) {
  const values = GAMMAGAMMA_PARAM_NAMES.map((k) => p[k]);
  const H = numericalHessian(
    (th) => gammaGammaLogLik({ p: Math.exp(th[0]), q: Math.exp(th[1]), gamma: Math.exp(th[2]) }, data),
    values.map(Math.log),
  );
  return covLogOf(H, values, "Gamma-Gamma");
}

function covLogOf(H: number[][], values: number[], label: string): number[][] {
  try {
    return logScaleCovariance(H, values).covLog;
  } catch {
    throw new UsageError(
      `the ${label} parameters are not at a maximum of FILE's likelihood (information not positive definite): pass "covLog" in the parameter JSON or --draws 0`,
    );
  }
}

function cmdExpected(a: Args): Output {
  const [, m] = purchaseModel(flag(a, "model"));
  const params = parseParams(flag(a, "params"), "params", m.names);
  const ts = numberListFlag(a, "t");
  if (ts.some((t) => !(t >= 0))) throw new UsageError("invalid --t: every t must be ≥ 0");
  return { stdout: formatCsv(["t", "expected_purchases"], [ts, ts.map((t) => m.expected(params, t))]) };
}

function cmdPmf(a: Args): Output {
  const [name, m] = purchaseModel(flag(a, "model"));
  if (!m.pmf)
    throw new UsageError(
      `pmf is not available for ${name} (expected ${Object.keys(MODELS)
        .filter((k) => MODELS[k].pmf)
        .join(" or ")})`,
    );
  const params = parseParams(flag(a, "params"), "params", m.names);
  const t = numberFlag(a, "t");
  const nMax = numberFlag(a, "n");
  if (!(t >= 0)) throw new UsageError("invalid --t: must be ≥ 0");
  if (!Number.isInteger(nMax) || nMax < 0 || nMax > 100_000)
    throw new UsageError("invalid --n: must be an integer in 0..100000");
  const ns = Array.from({ length: nMax + 1 }, (_, n) => n);
  return { stdout: formatCsv(["n", "probability"], [ns, ns.map((n) => m.pmf!(params, t, n))]) };
}

function cmdDerl(a: Args): Output {
  const p = parseParams(flag(a, "params"), "params", SBG_PARAM_NAMES);
  const renewals = numberListFlag(a, "renewals");
  if (renewals.some((n) => !Number.isInteger(n) || n < 0))
    throw new UsageError("invalid --renewals: non-negative integers expected");
  const d = numberFlag(a, "period-discount");
  const sbg = { gamma: p.gamma, delta: p.delta };
  return {
    stdout: formatCsv(["renewals", "derl"], [renewals, renewals.map((n) => sbgExpectedResidualLifetime(sbg, n, d))]),
  };
}

function cmdSurvival(a: Args): Output {
  const p = parseParams(flag(a, "params"), "params", SBG_PARAM_NAMES);
  const periods = numberFlag(a, "periods");
  if (!Number.isInteger(periods) || periods < 0 || periods > 1_000_000)
    throw new UsageError("invalid --periods: must be an integer in 0..1000000");
  const size = flag(a, "cohort-size") === undefined ? undefined : numberFlag(a, "cohort-size");
  if (size !== undefined && !(size > 0)) throw new UsageError("invalid --cohort-size: must be > 0");
  const sbg = { gamma: p.gamma, delta: p.delta };
  const ts = Array.from({ length: periods + 1 }, (_, t) => t);
  const survival = ts.map((t) => sbgSurvival(sbg, t));
  const retention = ts.map((t) => (t === 0 ? NaN : sbgRetention(sbg, t)));
  const header = ["period", "survival", "retention"];
  const cols: Array<ArrayLike<number>> = [ts, survival, retention];
  if (size !== undefined) {
    header.push("survivors");
    cols.push(survival.map((s) => size * s));
  }
  return { stdout: formatCsv(header, cols) };
}

function cmdSummarize(a: Args): Output {
  const text = readText(a.positional[1]);
  const columns = flag(a, "columns")
    ?.split(",")
    .map((s) => s.trim());
  const t = columns || isWhitespaceDelimited(text) ? parseWhitespace(text, columns) : parseCsv(text);
  const unit = unitFlag(a);
  const id = textColumn(t, ID);
  const date = textColumn(t, ["date"]);
  const ac = findColumn(t, ["amount", "value", "dollar_value"]);
  const amount =
    ac >= 0 ? numericColumn(t, [t.header[ac]], (v) => (v >= 0 ? undefined : `negative amount ${v}`)) : undefined;
  const calibrationEnd = flag(a, "calibration-end");
  const holdoutEnd = flag(a, "holdout-end");
  let s;
  try {
    s = summarizeTransactions({ id, date, amount }, { unit, calibrationEnd, holdoutEnd });
  } catch (e) {
    const m = /at row (\d+)/.exec((e as Error).message);
    if (m) {
      const line = t.lines[Number(m[1])];
      throw new CsvError(
        `line ${line}, column date: ${(e as Error).message.replace(/^invalid date at row \d+: /, "")}`,
        line,
        "date",
      );
    }
    throw e;
  }
  const header = ["id", "frequency", "recency", "T", "monetary_value"];
  const cols: Array<ArrayLike<string | number>> = [s.id, s.frequency, s.recency, s.T, s.monetaryValue];
  if (s.frequencyHoldout) {
    header.push("frequency_holdout", "duration_holdout");
    cols.push(s.frequencyHoldout, new Float64Array(s.id.length).fill(s.durationHoldout!));
  }
  return { stdout: formatCsv(header, cols) };
}

/** The store's backtest.json as CSV rows (or as it is, with --format json). */
function cmdBacktest(a: Args): Output {
  const store = flag(a, "store") ?? ".atlas/store";
  const format = flag(a, "format") ?? "csv";
  if (format !== "csv" && format !== "json")
    throw new UsageError(`invalid --format: "${format}" (expected csv or json)`);
  let text: string;
  try {
    text = readFileSync(`${store}/backtest.json`, "utf8");
  } catch {
    throw new UsageError(`no backtest in ${store} (run "npm run build -- --prepare-only" first, or give --store DIR)`);
  }
  if (format === "json") return { stdout: text.endsWith("\n") ? text : `${text}\n` };
  const data = JSON.parse(text) as BacktestData;
  const money = (m: string) => m === "revenue" || m === "margin";
  const rows = data.runs.flatMap((run) =>
    run.rows.map((r) => {
      // Money in currency units to the cent, as the pages show it; counts as they are.
      const v = (x: number) => (money(r.measure) ? Math.round(x) / 100 : x);
      return {
        cut: run.cut,
        window_end: run.windowEnd,
        dimension: r.dimension,
        segment: r.segment,
        accounts: r.accounts,
        measure: r.measure,
        forecast: v(r.forecast),
        p10: v(r.band.p10),
        p50: v(r.band.p50),
        p90: v(r.band.p90),
        actual: v(r.actual),
        naive: v(r.naive),
        inside: r.actual >= r.band.p10 && r.actual <= r.band.p90,
      };
    }),
  );
  const columns = [
    "cut",
    "window_end",
    "dimension",
    "segment",
    "accounts",
    "measure",
    "forecast",
    "p10",
    "p50",
    "p90",
    "actual",
    "naive",
    "inside",
  ];
  const stderr = data.skipped.map((s) => `clv: backtest ${s.cut} skipped: ${s.reason}\n`).join("");
  return { stdout: toCsv(rows, columns, columns, [`backtest as of ${data.asOf}, currency ${data.currency}`]), stderr };
}

const COMMANDS: Record<string, (a: Args) => Output> = {
  backtest: cmdBacktest,
  fit: cmdFit,
  predict: cmdPredict,
  expected: cmdExpected,
  pmf: cmdPmf,
  derl: cmdDerl,
  survival: cmdSurvival,
  summarize: cmdSummarize,
};

export function main(argv: string[]): number {
  try {
    const a = readArgs(argv);
    if (a.values.help || a.positional.length === 0) {
      process.stdout.write(HELP);
      return a.values.help ? 0 : 1;
    }
    const cmd = COMMANDS[a.positional[0]];
    if (!cmd)
      throw new UsageError(
        `invalid command: "${a.positional[0]}" (expected ${Object.keys(COMMANDS).join(", ")}; see --help)`,
      );
    const out = cmd(a);
    process.stdout.write(out.stdout);
    if (out.stderr) process.stderr.write(out.stderr);
    return out.code ?? 0;
  } catch (e) {
    process.stderr.write(`clv: error: ${(e as Error).message}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  // A closed pipe (e.g. `| head`) is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  process.exitCode = main(process.argv.slice(2));
}
