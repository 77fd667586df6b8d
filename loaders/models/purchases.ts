/**
 * Transactional accounts: a purchase model for the number of future purchase days and
 * Gamma-Gamma for their value (weeks as the time unit). The purchase models (BG/NBD,
 * MBG/NBD, Pareto/NBD; purchase-models.ts) are fitted on all but the last year and scored on that
 * year (selection.ts); the best one identified on every purchase up to the as-of date values
 * the accounts.
 */
import { fitGammaGamma, GAMMAGAMMA_PARAM_NAMES, type GammaGammaFit } from "../../src/lib/models/gammagamma.js";
import { checkIdentification } from "../../src/lib/models/identification.js";
import { fitNbd, nbdConditionalExpectedPurchases, NBD_PARAM_NAMES, type NbdFit } from "../../src/lib/models/nbd.js";
import type { PurchaseState } from "../../src/lib/models/outcomes.js";
import {
  PURCHASE_MODEL_SPECS,
  purchaseModelSpec,
  type PurchaseFit,
  type PurchaseModelSpec,
} from "../../src/lib/models/purchase-models.js";
import { formatDay, toEpochDay } from "../../src/lib/dates.js";
import { summarizeTransactions, type RfmSummary } from "../../src/lib/models/rfm.js";
import { compareOnHoldout, rankedModels, type ComparisonResult } from "../../src/lib/models/selection.js";
import { predictClvWithBands } from "../../src/lib/models/clv.js";
import type { PurchaseModel } from "../../src/lib/models/purchase-models.js";
import { createRng } from "../../src/lib/random.js";
import type {
  AccountValue,
  HistoryCheck,
  NotValued,
  PurchaseDiagnostics,
  PurchaseFitSummary,
  PurchaseModelSummary,
} from "../../src/lib/shapes/models-data.js";
import type { ValuationConfig } from "../config.js";
import type { PurchaseRows } from "./inputs.js";

/** Holdout length for the forecast check. */
export const HOLDOUT_WEEKS = 52;
/** Minimum history before a purchase model is fitted: weeks from the first purchase to the as-of date, and repeat buyers. */
export const MIN_CALIBRATION_WEEKS = 26;
export const MIN_REPEAT_CUSTOMERS = 20;

export interface PurchaseResult {
  readonly summary: PurchaseModelSummary | null;
  readonly values: AccountValue[];
  readonly totalDraws: Float64Array;
  readonly notes: string[];
  /** Set when the transactional accounts could not be valued (they get the historical value). */
  readonly notValued: NotValued | null;
  /** What the outcome simulation needs (outcomes.ts); null when no model values the accounts. */
  readonly state: PurchaseState | null;
}

const NBD_SYMBOLS = { r: "r", alpha: "α" };
const GG_SYMBOLS = { p: "p", q: "q", gamma: "γ" };

/** Weeks from the first purchase of any account to the as-of date. */
function calibrationWeeks(T: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < T.length; i++) max = Math.max(max, T[i]);
  return max;
}

export function valuePurchases(
  rows: PurchaseRows,
  asOf: string,
  margin: number,
  config: ValuationConfig,
  step: (what: string) => void = () => {},
): PurchaseResult {
  const notes: string[] = [];
  const totalDraws = new Float64Array(config.draws);
  if (rows.accountId.length === 0)
    return { summary: null, values: [], totalDraws, notes, notValued: null, state: null };
  // Amounts in cents keep the spend model in the same unit as every other value.
  const cents = rows.amount.map((a) => Math.round(a * 100));
  const rfm = summarizeTransactions(
    { id: rows.accountId, date: rows.day, amount: cents },
    { unit: "weeks", calibrationEnd: asOf, holdoutEnd: asOf },
  );
  step(`RFM summary of ${rfm.id.length.toLocaleString("en-US")} accounts`);
  const accounts = rfm.id.length;
  const notValued = (reason: string): PurchaseResult => {
    notes.push(`Transactional accounts were not valued by a model: ${reason}`);
    return {
      summary: null,
      values: [],
      totalDraws,
      notes,
      notValued: { segment: "transactional", model: "purchase", accounts, reason },
      state: null,
    };
  };
  const repeat = rfm.frequency.filter((x) => x > 0).length;
  const weeks = calibrationWeeks(rfm.T);
  const checks: HistoryCheck[] = [
    {
      what: "weeks of purchase history",
      needed: MIN_CALIBRATION_WEEKS,
      found: Math.floor(weeks * 10) / 10,
      ok: weeks >= MIN_CALIBRATION_WEEKS,
    },
    { what: "repeat buyers", needed: MIN_REPEAT_CUSTOMERS, found: repeat, ok: repeat >= MIN_REPEAT_CUSTOMERS },
  ];
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0)
    return notValued(
      `${failed.map((c) => `${formatCount(c.found)} ${c.what} (at least ${c.needed} needed)`).join(" and ")}.`,
    );

  // The purchase model: the candidates compete on a holdout year; the best one identified on the
  // whole history values the accounts; NBD (no dropout) when none is.
  const holdout = compareModels(rows, asOf, notes);
  step(holdout ? `purchase models compared on the holdout year` : "holdout comparison skipped");
  const fullFits = new Map<string, PurchaseFit | Error>();
  const fitFull = (spec: PurchaseModelSpec) => {
    if (!fullFits.has(spec.name))
      try {
        fullFits.set(spec.name, spec.fit(rfm));
      } catch (error) {
        fullFits.set(spec.name, error as Error);
      }
    return fullFits.get(spec.name)!;
  };
  let order: PurchaseModelSpec[];
  let choice: string;
  if (holdout?.comparison.chosen) {
    order = rankedModels(holdout.comparison).map(purchaseModelSpec);
    choice = holdout.comparison.reason;
  } else {
    // Without a holdout verdict, the likelihood on the whole history decides: every candidate
    // has four parameters, so this is also the AIC choice.
    const ll = (spec: PurchaseModelSpec) => {
      const f = fitFull(spec);
      return f instanceof Error ? -Infinity : f.logLik;
    };
    order = [...PURCHASE_MODEL_SPECS].sort((a, b) => ll(b) - ll(a));
    choice = `${holdout ? "No purchase model was identified on the history before the holdout year" : "The history is too short to test the models on a holdout year"}, so the model with the highest likelihood on the whole history is used (every candidate has four parameters: this is also the AIC choice).`;
  }
  const fits: PurchaseFitSummary[] = [];
  const problems: string[] = [];
  let chosen: { spec: PurchaseModelSpec; fit: PurchaseFit } | null = null;
  for (const spec of order) {
    const fit = fitFull(spec);
    if (fit instanceof Error) {
      problems.push(`${spec.label}: the fit failed (${fit.message}).`);
      continue;
    }
    const check = checkIdentification(spec.paramNames, fit, { symbols: spec.symbols, bounds: spec.bounds(weeks) });
    const usable = !chosen && !check.unusable;
    if (usable) chosen = { spec, fit };
    else if (!chosen) problems.push(`${spec.label}: ${check.warnings.join(" ")}`);
    fits.push(fitSummary(spec.name, spec.label, spec.paramNames, spec.symbols, fit, check.warnings, usable));
  }
  step(chosen ? `${chosen.spec.label} fitted on the whole history` : "no purchase model with dropout identified");
  if (chosen && chosen.spec.name !== order[0].name)
    choice += ` ${order[0].label} is not identified on the whole history, so ${chosen.spec.label}, the next best, values the accounts.`;
  let nbd: NbdFit | null = null;
  let purchaseFallback: string | null = null;
  if (!chosen) {
    const why = `No purchase model with dropout is identified by these data. ${problems.join(" ")}`;
    try {
      nbd = fitNbd(rfm);
    } catch (error) {
      return notValued(
        `${why} The simpler NBD model (no dropout) could not be fitted either (${(error as Error).message}).`,
      );
    }
    const nbdCheck = checkIdentification(NBD_PARAM_NAMES, nbd, {
      symbols: NBD_SYMBOLS,
      bounds: { alpha: [1e-4 * Math.max(1, weeks), 1e4 * Math.max(1, weeks)] },
    });
    if (nbdCheck.weak)
      return notValued(
        `${why} The simpler NBD model (no dropout) is not identified either: ${nbdCheck.warnings.join(" ")}`,
      );
    purchaseFallback = `${why} Purchases are valued with the simpler NBD model instead (Poisson purchasing with Gamma-distributed rates and no dropout: the limit the models with dropout run to as their dropout goes to 0), so every account's P(alive) is 100%.`;
    choice = purchaseFallback;
    notes.push(purchaseFallback);
    fits.unshift(
      fitSummary("nbd", "NBD (no dropout)", NBD_PARAM_NAMES, NBD_SYMBOLS, nbd as never, nbdCheck.warnings, true),
    );
    step("NBD fitted (no model with dropout identified)");
  }
  const model: PurchaseModel = chosen ? chosen.spec.name : "nbd";
  const modelFit = (chosen?.fit ?? nbd)!;

  const spendRows = { frequency: [] as number[], monetaryValue: [] as number[] };
  for (let i = 0; i < rfm.frequency.length; i++) {
    if (rfm.frequency[i] > 0) {
      spendRows.frequency.push(rfm.frequency[i]);
      spendRows.monetaryValue.push(rfm.monetaryValue[i]);
    }
  }
  // The spend model: Gamma-Gamma when identified, else each account's own mean (the simpler model).
  let gammaGamma: GammaGammaFit | null = null;
  let ggWarnings: string[] = [];
  let fallback: string | null = null;
  try {
    gammaGamma = fitGammaGamma(spendRows);
    const ggCheck = checkIdentification(GAMMAGAMMA_PARAM_NAMES, gammaGamma, {
      symbols: GG_SYMBOLS,
      bounds: { gamma: [1e-4, 1e12] },
    });
    ggWarnings = ggCheck.warnings;
    if (ggCheck.unusable || !(gammaGamma.q > 1)) {
      fallback = `Gamma-Gamma is not identified by these data (${ggCheck.warnings.join(" ") || `q = ${gammaGamma.q} ≤ 1 gives an infinite mean spend`}); purchases are valued at each account's own mean spend per purchase day (one-time buyers: the mean over all repeat purchases), without a spend band.`;
      gammaGamma = null;
    }
  } catch (error) {
    fallback = `Gamma-Gamma could not be fitted (${(error as Error).message}); purchases are valued at each account's own mean spend per purchase day (one-time buyers: the mean over all repeat purchases), without a spend band.`;
    gammaGamma = null;
  }
  step("Gamma-Gamma fitted");
  let fixedSpend: Float64Array | undefined;
  if (!gammaGamma) {
    let sum = 0,
      count = 0;
    for (let i = 0; i < rfm.frequency.length; i++) {
      sum += rfm.frequency[i] * rfm.monetaryValue[i];
      count += rfm.frequency[i];
    }
    const overall = count > 0 ? sum / count : 0;
    fixedSpend = Float64Array.from(rfm.frequency, (x, i) => (x > 0 ? rfm.monetaryValue[i] : overall));
    notes.push(fallback!);
  }
  let prediction: ReturnType<typeof predictClvWithBands>;
  try {
    prediction = predictClvWithBands(model, modelFit as never, gammaGamma, rfm, {
      unit: "weeks",
      months: config.horizonMonths,
      annualDiscount: config.annualDiscountRate,
      margin,
      t: 52,
      draws: config.draws,
      rng: createRng(config.seed + 1),
      fixedSpend,
    });
  } catch (error) {
    return notValued(`the prediction failed (${(error as Error).message}).`);
  }
  step(
    `${config.draws} parameter draws valued${prediction.rejectedDraws ? ` (${prediction.rejectedDraws} replaced)` : ""}`,
  );
  if (prediction.rejectedDraws > 0)
    notes.push(
      `${prediction.rejectedDraws} parameter draws of the purchase or spend model fell outside the valid region (or gave non-finite values) and were replaced by new draws.`,
    );
  const values: AccountValue[] = rfm.id.map((id, i) => ({
    account_id: String(id),
    model,
    segment: "transactional",
    clv_cents: prediction.clv[i],
    clv_p10_cents: prediction.clvP10[i],
    clv_p50_cents: prediction.clvP50[i],
    clv_p90_cents: prediction.clvP90[i],
    probability_alive: prediction.probabilityAlive[i],
    expected_purchases_12m: prediction.expectedPurchases[i],
  }));
  const diagnostics =
    chosen && holdout?.fits.has(model)
      ? holdoutDiagnostics(rows, asOf, holdout.cal, chosen.spec, holdout.fits.get(model)!)
      : null;
  step("holdout diagnostics");
  return {
    summary: {
      accounts,
      repeatCustomers: repeat,
      unit: "weeks",
      checks,
      warnings: { gammaGamma: ggWarnings },
      spendModel: gammaGamma ? "gamma-gamma" : "observed mean",
      purchaseModel: model,
      choice,
      fits,
      comparison: holdout?.comparison ?? null,
      fallback: [purchaseFallback, fallback].filter((f) => f !== null).join(" ") || null,
      rejectedDraws: prediction.rejectedDraws,
      gammaGamma: gammaGamma
        ? {
            p: gammaGamma.p,
            q: gammaGamma.q,
            gamma: gammaGamma.gamma,
            logLik: gammaGamma.logLik,
            se: gammaGamma.se ?? null,
          }
        : null,
      holdout: diagnostics,
      aliveGrid: aliveGrid(
        chosen ? (x, tx, T) => chosen.spec.probabilityAliveOne(chosen.fit, x, tx, T) : () => 1,
        rfm.T,
      ),
      valueCents: prediction.totalClv,
      band: { p10: prediction.totalP10, p50: prediction.totalP50, p90: prediction.totalP90 },
    },
    values,
    totalDraws: prediction.totalDraws,
    notes,
    notValued: null,
    state: {
      model,
      point: Object.fromEntries(
        (chosen?.spec.paramNames ?? NBD_PARAM_NAMES).map((k) => [k, (modelFit as Record<string, number>)[k]]),
      ),
      modelDraws: prediction.modelDraws,
      spendPoint: gammaGamma ? { p: gammaGamma.p, q: gammaGamma.q, gamma: gammaGamma.gamma } : null,
      spendDraws: gammaGamma ? prediction.spendDraws : null,
      fixedSpend: fixedSpend ?? null,
      accountId: rfm.id.map(String),
      frequency: rfm.frequency,
      recency: rfm.recency,
      T: rfm.T,
      monetaryValue: rfm.monetaryValue,
      probabilityAlive: chosen ? (p, x, tx, T) => chosen.spec.probabilityAliveOne(p as PurchaseFit, x, tx, T) : () => 1,
      expectedPurchases: chosen
        ? (p, t, x, tx, T) =>
            chosen.spec.conditionalExpected(p as PurchaseFit, t, { frequency: [x], recency: [tx], T: [T] })[0]
        : (p, t, x, _tx, T) => nbdConditionalExpectedPurchases({ r: p.r, alpha: p.alpha }, t, x, T),
    },
  };
}

const formatCount = (v: number) => v.toLocaleString("en-US");

interface HoldoutRun extends ComparisonResult {
  /** The calibration summary (purchases up to the calibration end; holdout purchase counts after it). */
  readonly cal: RfmSummary;
}

/**
 * Fits every candidate on the purchases up to one year before the as-of date and scores each
 * on the year that follows (selection.ts); null, with a note, when that calibration history is
 * too short for any fit.
 */
function compareModels(rows: PurchaseRows, asOf: string, notes: string[]): HoldoutRun | null {
  const calibrationEnd = formatDay(toEpochDay(asOf) - HOLDOUT_WEEKS * 7);
  const cal = summarizeTransactions(
    { id: rows.accountId, date: rows.day },
    { unit: "weeks", calibrationEnd, holdoutEnd: asOf },
  );
  const calRepeat = cal.frequency.filter((x) => x > 0).length;
  const calWeeks = calibrationWeeks(cal.T);
  if (calRepeat < MIN_REPEAT_CUSTOMERS || calWeeks < MIN_CALIBRATION_WEEKS) {
    notes.push(
      `The purchase models were not compared on a holdout year: before it there are ${formatCount(Math.floor(calWeeks))} weeks of history and ${formatCount(calRepeat)} repeat buyers (at least ${MIN_CALIBRATION_WEEKS} weeks and ${MIN_REPEAT_CUSTOMERS} repeat buyers are needed).`,
    );
    return null;
  }
  return { ...compareOnHoldout(cal, PURCHASE_MODEL_SPECS, calibrationEnd, calWeeks), cal };
}

/**
 * The chosen model's holdout forecast, week by week and by calibration frequency, against the
 * purchases that happened in that year.
 */
function holdoutDiagnostics(
  rows: PurchaseRows,
  asOf: string,
  cal: RfmSummary,
  spec: PurchaseModelSpec,
  fit: PurchaseFit,
): PurchaseDiagnostics {
  const end = toEpochDay(asOf);
  const calDay = end - HOLDOUT_WEEKS * 7;
  const index = new Map(cal.id.map((id, i) => [id, i]));
  // Actual: distinct purchase days per account after the calibration end, by week.
  const weeklyActual = new Float64Array(HOLDOUT_WEEKS + 1);
  const seen = new Set<string>();
  for (let i = 0; i < rows.accountId.length; i++) {
    const day = toEpochDay(rows.day[i]);
    if (day <= calDay || day > end || !index.has(rows.accountId[i])) continue;
    const key = `${rows.accountId[i]}|${day}`;
    if (seen.has(key)) continue;
    seen.add(key);
    weeklyActual[Math.min(HOLDOUT_WEEKS, Math.ceil((day - calDay) / 7))]++;
  }
  const week: number[] = [],
    actual: number[] = [],
    expected: number[] = [];
  let cumulative = 0;
  for (let w = 1; w <= HOLDOUT_WEEKS; w++) {
    cumulative += weeklyActual[w];
    const e = spec.conditionalExpected(fit, w, cal);
    let sum = 0;
    for (let i = 0; i < e.length; i++) sum += e[i];
    week.push(w);
    actual.push(cumulative);
    expected.push(sum);
  }
  const horizon = spec.conditionalExpected(fit, HOLDOUT_WEEKS, cal);
  const groups = new Map<string, { customers: number; actual: number; expected: number }>();
  for (let i = 0; i < cal.frequency.length; i++) {
    const label = cal.frequency[i] >= 7 ? "7+" : String(cal.frequency[i]);
    const g = groups.get(label) ?? { customers: 0, actual: 0, expected: 0 };
    g.customers++;
    g.actual += cal.frequencyHoldout![i];
    g.expected += horizon[i];
    groups.set(label, g);
  }
  const byFrequency = ["0", "1", "2", "3", "4", "5", "6", "7+"]
    .filter((label) => groups.has(label))
    .map((label) => {
      const g = groups.get(label)!;
      return {
        frequency: label,
        customers: g.customers,
        actual: g.actual / g.customers,
        expected: g.expected / g.customers,
      };
    });
  return {
    model: spec.name,
    label: spec.label,
    calibrationEnd: formatDay(calDay),
    holdoutWeeks: HOLDOUT_WEEKS,
    params: Object.fromEntries(spec.paramNames.map((k) => [k, fit[k]])),
    weekly: { week, actual, expected },
    byFrequency,
  };
}

function fitSummary(
  model: string,
  label: string,
  names: readonly string[],
  symbols: Readonly<Record<string, string>>,
  fit: Readonly<Record<string, number>> & { logLik: number; se?: Readonly<Record<string, number>> },
  warnings: string[],
  used: boolean,
): PurchaseFitSummary {
  return {
    model,
    label,
    params: Object.fromEntries(names.map((k) => [k, fit[k]])),
    symbols,
    se: fit.se ? { ...fit.se } : null,
    logLik: fit.logLik,
    warnings,
    used,
  };
}

/** P(alive) on a grid of (x, t_x) for the median T of the accounts. */
function aliveGrid(alive: (x: number, tx: number, T: number) => number, T: ArrayLike<number>) {
  const sortedT = Float64Array.from(T).sort();
  const medianT = Math.max(1, Math.round(sortedT[Math.floor(sortedT.length / 2)]));
  const frequency = Array.from({ length: 16 }, (_, i) => i);
  const steps = 20;
  const recency = Array.from({ length: steps + 1 }, (_, i) => Math.round(((medianT * i) / steps) * 10) / 10);
  // Impossible histories (x = 0 with t_x > 0, or x > 0 with t_x = 0) are null.
  const p = frequency.map((x) =>
    recency.map((tx) => (x === 0 ? (tx === 0 ? 1 : null) : tx === 0 ? null : alive(x, tx, medianT))),
  );
  return { T: medianT, frequency, recency, p };
}

export type { GammaGammaFit };
