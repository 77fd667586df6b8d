/**
 * CLV command line: fit models, predict per-customer CLV, summarise transactions.
 * Run `npm run -s clv -- --help` (or `npx tsx scripts/clv.ts --help`) for usage.
 * Reads CSV from a file or stdin (`-`); writes JSON (fit) or CSV (predict, summarize) to stdout;
 * errors go to stderr with the file's line number and column, exit code 1.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import {
  BGNBD_PARAM_NAMES,
  MBGNBD_PARAM_NAMES,
  mbgnbdGroupedLogLik,
  CsvError,
  GAMMAGAMMA_PARAM_NAMES,
  PARETONBD_PARAM_NAMES,
  NBD_PARAM_NAMES,
  nbdGroupedLogLik,
  bgnbdGroupedLogLik,
  findColumn,
  fitBgnbd,
  fitGammaGamma,
  fitParetoNbd,
  fitSbg,
  formatCsv,
  gammaGammaLogLik,
  groupRfm,
  hessianFromGradient,
  logScaleCovariance,
  monthLength,
  numericalHessian,
  numericColumn,
  paretoNbdLogLik,
  parseCsv,
  predictClv,
  predictClvWithBands,
  summarizeTransactions,
  textColumn,
  type CsvTable,
  type PurchaseModel,
  type TimeUnit,
} from "../src/lib/models/index.js";
import { createRng } from "../src/lib/random.js";

const HELP = `Usage: npm run -s clv -- <command> [options]

Commands
  fit sbg FILE         Survivor counts, columns period,alive (one cohort) or cohort,period,alive
                       (several cohorts; periods 0..n, alive at period 0 = cohort size).
                       Prints {"gamma","delta","logLik","se":{...},"covLog":[[...]],"n"}.
  fit bgnbd FILE       RFM columns id,frequency,recency,T (also ID, x, t_x). Times in one unit
                       (weeks for CDNOW). Prints {"r","alpha","a","b","logLik","se","covLog","n"}.
  fit paretonbd FILE   Same input; prints {"r","alpha","s","beta","logLik","se","covLog","n"}.
  fit gammagamma FILE  Columns frequency,monetary_value (also x, zbar); uses rows with
                       frequency > 0. Prints {"p","q","gamma","logLik","se","covLog","n"}.
  predict FILE         Per-customer CSV: id,expected_purchases,probability_alive,expected_spend,
                       clv,clv_p10,clv_p50,clv_p90. FILE has id,frequency,recency,T,monetary_value
                       (aliases ID, x, t_x, zbar). Options:
      --model bgnbd|paretonbd   purchase model (required)
      --params JSON             purchase-model parameters, e.g. the output of "fit bgnbd"
      --spend-params JSON       Gamma-Gamma parameters, e.g. the output of "fit gammagamma"
      --t N                     horizon of expected_purchases, in the file's time unit (required)
      --unit weeks|days         time unit of recency, T and the parameters (default weeks)
      --months M                CLV horizon in months (default: t converted to months, rounded)
      --margin M                gross margin in [0,1] (default 1)
      --discount D              annual discount rate (default 0.1), applied monthly
      --draws K                 parameter draws for the P10/P50/P90 bands (default 200; 0 = none)
      --seed S                  random seed for the draws (default 1)
                       The bands cover parameter uncertainty only (draws from the asymptotic
                       normal of the log-parameters), not purchase randomness. They use "covLog"
                       from the JSON when present, otherwise the observed information of FILE at
                       the given parameters. The portfolio total and its band go to stderr.
  summarize FILE       Transactions id,date,amount (amount optional; date YYYY-MM-DD, time part
                       ignored, or YYYYMMDD) -> id,frequency,recency,T,monetary_value
                       [,frequency_holdout,duration_holdout]. Purchases on one day count once.
      --unit weeks|days         unit of recency and T (default weeks)
      --calibration-end DATE    last day of calibration (default: last date in the file);
                                adds the holdout columns
      --holdout-end DATE        last day of the holdout (default: last date in the file)

FILE may be "-" for stdin. Bad input (missing column, non-numeric value, recency > T,
negative spend, ...) prints "clv: error: line L, column C: ..." to stderr and exits with 1.

Examples
  npm run -s clv -- fit bgnbd ../shared/datasets/cdnow_customers_summary.csv
  npm run -s clv -- predict rfm.csv --model bgnbd --params "$(cat bgnbd.json)" \\
      --spend-params "$(cat gg.json)" --t 52 --margin 0.3 --discount 0.1 --draws 200 --seed 1
  npm run -s clv -- summarize transactions.csv --unit weeks --calibration-end 1997-09-30
`;

class UsageError extends Error {}

interface Args {
  positional: string[];
  flags: Map<string, string>;
}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") flags.set("help", "1");
    else if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else {
        if (i + 1 >= argv.length) throw new UsageError(`option ${a} needs a value`);
        flags.set(a.slice(2), argv[++i]);
      }
    } else positional.push(a);
  }
  return { positional, flags };
}

function readInput(path: string | undefined): CsvTable {
  if (!path) throw new UsageError("missing FILE argument (a path or - for stdin)");
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
  return parseCsv(text);
}

function numberFlag(a: Args, name: string, def?: number): number {
  const s = a.flags.get(name);
  if (s === undefined) {
    if (def === undefined) throw new UsageError(`missing option --${name}`);
    return def;
  }
  const v = Number(s);
  if (s.trim() === "" || !Number.isFinite(v)) throw new UsageError(`invalid --${name}: "${s}" is not a number`);
  return v;
}

function unitFlag(a: Args): TimeUnit {
  const u = a.flags.get("unit") ?? "weeks";
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
    return undefined;
  });
  const idc = findColumn(t, ID);
  const id = idc >= 0 ? t.rows.map((r) => r[idc]) : t.rows.map((_, i) => String(i + 1));
  return { id, frequency, recency, T };
}

function readMoney(t: CsvTable, frequency: Float64Array): Float64Array {
  return numericColumn(t, MONEY, (v, r) => {
    if (v < 0) return `negative spend ${v}`;
    if (frequency[r] > 0 && v === 0) return `spend must be > 0 when frequency > 0`;
    return undefined;
  });
}

function fitJson(names: readonly string[], fit: Record<string, unknown>, n: number): string {
  const out: Record<string, unknown> = {};
  for (const k of names) out[k] = fit[k];
  out.logLik = fit.logLik;
  if (fit.se) out.se = fit.se;
  if (fit.covLog) out.covLog = fit.covLog;
  out.n = n;
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

function cmdFit(a: Args): string {
  const [, model, file] = a.positional;
  switch (model) {
    case "sbg": {
      const cohorts = readSbgCohorts(readInput(file));
      const fit = fitSbg(cohorts);
      return fitJson(
        ["gamma", "delta"],
        fit as unknown as Record<string, unknown>,
        cohorts.reduce((s, c) => s + c[0], 0),
      );
    }
    case "bgnbd":
    case "paretonbd": {
      const rfm = readRfm(readInput(file));
      const fit = model === "bgnbd" ? fitBgnbd(rfm) : fitParetoNbd(rfm);
      const names = model === "bgnbd" ? BGNBD_PARAM_NAMES : PARETONBD_PARAM_NAMES;
      return fitJson(names, fit as unknown as Record<string, unknown>, rfm.id.length);
    }
    case "gammagamma": {
      const t = readInput(file);
      const frequency = numericColumn(t, FREQ, nonNegativeInteger);
      const monetaryValue = readMoney(t, frequency);
      const fit = fitGammaGamma({ frequency, monetaryValue });
      return fitJson(
        GAMMAGAMMA_PARAM_NAMES,
        fit as unknown as Record<string, unknown>,
        frequency.filter((x) => x > 0).length,
      );
    }
    default:
      throw new UsageError(`invalid model for fit: "${model ?? ""}" (expected sbg, bgnbd, paretonbd or gammagamma)`);
  }
}

function parseParams(
  json: string | undefined,
  flag: string,
  names: readonly string[],
): Record<string, number> & { covLog?: number[][] } {
  if (json === undefined) throw new UsageError(`missing option --${flag}`);
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(json);
  } catch (e) {
    throw new UsageError(`invalid --${flag}: not JSON (${(e as Error).message})`);
  }
  const out: Record<string, number> & { covLog?: number[][] } = {};
  for (const k of names) {
    const v = obj[k];
    if (typeof v !== "number" || !(v > 0)) throw new UsageError(`invalid --${flag}: "${k}" must be a positive number`);
    out[k] = v;
  }
  const cov = obj.covLog ?? obj.cov_log;
  if (cov !== undefined) {
    if (
      !Array.isArray(cov) ||
      cov.length !== names.length ||
      !cov.every((r) => Array.isArray(r) && r.length === names.length && r.every((x) => typeof x === "number"))
    )
      throw new UsageError(`invalid --${flag}: covLog must be a ${names.length}×${names.length} array of numbers`);
    out.covLog = cov as number[][];
  }
  return out;
}

function cmdPredict(a: Args): { csv: string; log: string } {
  const file = a.positional[1];
  const model = a.flags.get("model") as PurchaseModel | undefined;
  if (model !== "bgnbd" && model !== "paretonbd")
    throw new UsageError(`invalid --model: "${model ?? ""}" (expected bgnbd or paretonbd)`);
  const names = model === "bgnbd" ? BGNBD_PARAM_NAMES : PARETONBD_PARAM_NAMES;
  const params = parseParams(a.flags.get("params"), "params", names);
  const spend = parseParams(a.flags.get("spend-params"), "spend-params", GAMMAGAMMA_PARAM_NAMES);
  if (!(spend.q > 1)) throw new UsageError("invalid --spend-params: q must be > 1 for a finite mean spend");
  const unit = unitFlag(a);
  const t = numberFlag(a, "t");
  if (!(t >= 0)) throw new UsageError("invalid --t: must be ≥ 0");
  const months = numberFlag(a, "months", Math.round(t / monthLength(unit)));
  const margin = numberFlag(a, "margin", 1);
  const annualDiscount = numberFlag(a, "discount", 0.1);
  const draws = numberFlag(a, "draws", 200);
  const seed = numberFlag(a, "seed", 1);
  const table = readInput(file);
  const rfm = readRfm(table);
  const monetaryValue = readMoney(table, rfm.frequency);
  const data = { frequency: rfm.frequency, recency: rfm.recency, T: rfm.T, monetaryValue };
  const opts = { unit, t, months, margin, annualDiscount };
  const header = ["id", "expected_purchases", "probability_alive", "expected_spend", "clv"];
  if (draws === 0) {
    const p = predictClv(model, params as never, spend as never, data, opts);
    return {
      csv: formatCsv(header, [rfm.id, p.expectedPurchases, p.probabilityAlive, p.expectedSpend, p.clv]),
      log: `total CLV ${p.totalClv.toFixed(2)} over ${months} months\n`,
    };
  }
  if (!params.covLog) params.covLog = observedCovLog(model, params, data);
  if (!spend.covLog) spend.covLog = observedCovLog("gammagamma", spend, data);
  const p = predictClvWithBands(model, params as never, spend as never, data, { ...opts, draws, rng: createRng(seed) });
  return {
    csv: formatCsv(
      [...header, "clv_p10", "clv_p50", "clv_p90"],
      [rfm.id, p.expectedPurchases, p.probabilityAlive, p.expectedSpend, p.clv, p.clvP10, p.clvP50, p.clvP90],
    ),
    log: `total CLV ${p.totalClv.toFixed(2)} over ${months} months; P10 ${p.totalP10.toFixed(2)}, P50 ${p.totalP50.toFixed(2)}, P90 ${p.totalP90.toFixed(2)} (${draws} parameter draws, seed ${seed})\n`,
  };
}

/** Covariance of the log-parameters from the observed information of `data` at `p`. */
function observedCovLog(
  model: PurchaseModel | "gammagamma",
  p: Record<string, number>,
  data: { frequency: Float64Array; recency: Float64Array; T: Float64Array; monetaryValue: Float64Array },
): number[][] {
  let H: number[][];
  let values: number[];
  switch (model) {
    case "bgnbd": {
      const g = groupRfm(data);
      values = BGNBD_PARAM_NAMES.map((k) => p[k]);
      const toP = (th: Float64Array) => ({
        r: Math.exp(th[0]),
        alpha: Math.exp(th[1]),
        a: Math.exp(th[2]),
        b: Math.exp(th[3]),
      });
      H = hessianFromGradient((th, gr) => bgnbdGroupedLogLik(toP(th), g, gr), values.map(Math.log));
      break;
    }
    case "mbgnbd": {
      const g = groupRfm(data);
      values = MBGNBD_PARAM_NAMES.map((k) => p[k]);
      const toP = (th: Float64Array) => ({
        r: Math.exp(th[0]),
        alpha: Math.exp(th[1]),
        a: Math.exp(th[2]),
        b: Math.exp(th[3]),
      });
      H = hessianFromGradient((th, gr) => mbgnbdGroupedLogLik(toP(th), g, gr), values.map(Math.log));
      break;
    }
    case "paretonbd": {
      const g = groupRfm(data);
      values = PARETONBD_PARAM_NAMES.map((k) => p[k]);
      H = numericalHessian(
        (th) =>
          paretoNbdLogLik({ r: Math.exp(th[0]), alpha: Math.exp(th[1]), s: Math.exp(th[2]), beta: Math.exp(th[3]) }, g),
        values.map(Math.log),
      );
      break;
    }
    case "nbd": {
      const g = groupRfm(data);
      values = NBD_PARAM_NAMES.map((k) => p[k]);
      H = hessianFromGradient(
        (th, gr) => nbdGroupedLogLik({ r: Math.exp(th[0]), alpha: Math.exp(th[1]) }, g, gr),
        values.map(Math.log),
      );
      break;
    }
    case "gammagamma": {
      values = GAMMAGAMMA_PARAM_NAMES.map((k) => p[k]);
      H = numericalHessian(
        (th) => gammaGammaLogLik({ p: Math.exp(th[0]), q: Math.exp(th[1]), gamma: Math.exp(th[2]) }, data),
        values.map(Math.log),
      );
      break;
    }
  }
  try {
    return logScaleCovariance(H, values).covLog;
  } catch {
    throw new UsageError(
      `the ${model} parameters are not at a maximum of FILE's likelihood (information not positive definite): pass "covLog" in the parameter JSON or --draws 0`,
    );
  }
}

function cmdSummarize(a: Args): string {
  const t = readInput(a.positional[1]);
  const unit = unitFlag(a);
  const id = textColumn(t, ID);
  const date = textColumn(t, ["date"]);
  const ac = findColumn(t, ["amount", "value", "dollar_value"]);
  const amount =
    ac >= 0 ? numericColumn(t, [t.header[ac]], (v) => (v >= 0 ? undefined : `negative amount ${v}`)) : undefined;
  const calibrationEnd = a.flags.get("calibration-end");
  const holdoutEnd = a.flags.get("holdout-end");
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
  return formatCsv(header, cols);
}

export function main(argv: string[]): number {
  try {
    const a = parseArgs(argv);
    if (a.flags.has("help") || a.positional.length === 0) {
      process.stdout.write(HELP);
      return a.flags.has("help") ? 0 : 1;
    }
    switch (a.positional[0]) {
      case "fit":
        process.stdout.write(cmdFit(a));
        return 0;
      case "predict": {
        const { csv, log } = cmdPredict(a);
        process.stdout.write(csv);
        process.stderr.write(log);
        return 0;
      }
      case "summarize":
        process.stdout.write(cmdSummarize(a));
        return 0;
      default:
        throw new UsageError(`invalid command: "${a.positional[0]}" (expected fit, predict or summarize; see --help)`);
    }
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
