/**
 * Transactional accounts: BG/NBD for the number of future purchase days and Gamma-Gamma for
 * their value (weeks as the time unit), fitted on every purchase up to the as-of date; a
 * second BG/NBD fit on all but the last year checks the forecast against what happened.
 */
import {
  BGNBD_PARAM_NAMES,
  bgnbdConditionalExpectedPurchases,
  bgnbdProbabilityAliveOne,
  fitBgnbd,
  type BgnbdFit,
} from "../../src/lib/models/bgnbd.js";
import { fitGammaGamma, GAMMAGAMMA_PARAM_NAMES, type GammaGammaFit } from "../../src/lib/models/gammagamma.js";
import { checkIdentification } from "../../src/lib/models/identification.js";
import { fitNbd, NBD_PARAM_NAMES, type NbdFit } from "../../src/lib/models/nbd.js";
import { summarizeTransactions, toEpochDay, fromEpochDay } from "../../src/lib/models/rfm.js";
import { predictClvWithBands } from "../../src/lib/models/valuation.js";
import { createRng } from "../../src/lib/random.js";
import type {
  AccountValue,
  HistoryCheck,
  NotValued,
  PurchaseDiagnostics,
  PurchaseModelSummary,
} from "../../src/lib/valuation/models-data.js";
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
}

const BG_SYMBOLS = { r: "r", alpha: "α", a: "a", b: "b" };
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
  if (rows.accountId.length === 0) return { summary: null, values: [], totalDraws, notes, notValued: null };
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
      notValued: { segment: "transactional", model: "bgnbd", accounts, reason },
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

  let bgnbd: BgnbdFit;
  try {
    bgnbd = fitBgnbd(rfm);
  } catch (error) {
    return notValued(`the BG/NBD fit failed (${(error as Error).message}).`);
  }
  step("BG/NBD fitted");
  // α has the time unit: its plausible range scales with the length of the history.
  const bgCheck = checkIdentification(BGNBD_PARAM_NAMES, bgnbd, {
    symbols: BG_SYMBOLS,
    bounds: { alpha: [1e-4 * Math.max(1, weeks), 1e4 * Math.max(1, weeks)] },
  });
  // BG/NBD on a boundary: fall back to the simpler NBD (no dropout), the limit it runs to.
  let nbd: NbdFit | null = null;
  let purchaseFallback: string | null = null;
  if (bgCheck.unusable) {
    const bgWhy = `BG/NBD is not identified by these data: ${bgCheck.warnings.join(" ")}`;
    try {
      nbd = fitNbd(rfm);
    } catch (error) {
      return notValued(
        `${bgWhy} The simpler NBD model (no dropout) could not be fitted either (${(error as Error).message}).`,
      );
    }
    const nbdCheck = checkIdentification(NBD_PARAM_NAMES, nbd, {
      symbols: BG_SYMBOLS,
      bounds: { alpha: [1e-4 * Math.max(1, weeks), 1e4 * Math.max(1, weeks)] },
    });
    if (nbdCheck.weak)
      return notValued(
        `${bgWhy} The simpler NBD model (no dropout) is not identified either: ${nbdCheck.warnings.join(" ")}`,
      );
    purchaseFallback = `${bgWhy} Purchases are valued with the simpler NBD model instead (Poisson purchasing with Gamma-distributed rates and no dropout: the limit BG/NBD runs to as its dropout probability goes to 0), so every account's P(alive) is 100%.`;
    notes.push(purchaseFallback);
    step("NBD fitted (BG/NBD on a boundary)");
  }

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
    prediction = predictClvWithBands(nbd ? "nbd" : "bgnbd", nbd ?? bgnbd, gammaGamma, rfm, {
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
    model: nbd ? "nbd" : "bgnbd",
    segment: "transactional",
    clv_cents: prediction.clv[i],
    clv_p10_cents: prediction.clvP10[i],
    clv_p50_cents: prediction.clvP50[i],
    clv_p90_cents: prediction.clvP90[i],
    probability_alive: prediction.probabilityAlive[i],
    expected_purchases_12m: prediction.expectedPurchases[i],
  }));
  let holdout: PurchaseDiagnostics | null = null;
  try {
    holdout = holdoutCheck(rows, asOf, notes);
  } catch (error) {
    notes.push(`The forecast check was skipped: its fit failed (${(error as Error).message}).`);
  }
  step("holdout check");
  return {
    summary: {
      accounts,
      repeatCustomers: repeat,
      unit: "weeks",
      checks,
      warnings: { bgnbd: bgCheck.warnings, gammaGamma: ggWarnings },
      spendModel: gammaGamma ? "gamma-gamma" : "observed mean",
      purchaseModel: nbd ? "nbd" : "bgnbd",
      nbd: nbd ? { r: nbd.r, alpha: nbd.alpha, logLik: nbd.logLik, se: nbd.se ?? null } : null,
      fallback: [purchaseFallback, fallback].filter((f) => f !== null).join(" ") || null,
      rejectedDraws: prediction.rejectedDraws,
      bgnbd: { r: bgnbd.r, alpha: bgnbd.alpha, a: bgnbd.a, b: bgnbd.b, logLik: bgnbd.logLik, se: bgnbd.se ?? null },
      gammaGamma: gammaGamma
        ? {
            p: gammaGamma.p,
            q: gammaGamma.q,
            gamma: gammaGamma.gamma,
            logLik: gammaGamma.logLik,
            se: gammaGamma.se ?? null,
          }
        : null,
      holdout,
      aliveGrid: aliveGrid(nbd ? () => 1 : (x, tx, T) => bgnbdProbabilityAliveOne(bgnbd, x, tx, T), rfm.T),
      valueCents: prediction.totalClv,
      band: { p10: prediction.totalP10, p50: prediction.totalP50, p90: prediction.totalP90 },
    },
    values,
    totalDraws: prediction.totalDraws,
    notes,
    notValued: null,
  };
}

const formatCount = (v: number) => v.toLocaleString("en-US");

/**
 * Fits on purchases up to one year before the as-of date and compares, week by week and by
 * calibration frequency, the expected repeat purchases (conditional on each history) with
 * the purchases that happened in that year.
 */
function holdoutCheck(rows: PurchaseRows, asOf: string, notes: string[]): PurchaseDiagnostics | null {
  const end = toEpochDay(asOf);
  const calibrationEnd = fromEpochDay(end - HOLDOUT_WEEKS * 7);
  const cal = summarizeTransactions(
    { id: rows.accountId, date: rows.day },
    { unit: "weeks", calibrationEnd, holdoutEnd: asOf },
  );
  const calRepeat = cal.frequency.filter((x) => x > 0).length;
  const calWeeks = calibrationWeeks(cal.T);
  if (calRepeat < MIN_REPEAT_CUSTOMERS || calWeeks < MIN_CALIBRATION_WEEKS) {
    notes.push(
      `The forecast check was skipped: before the holdout year there are ${formatCount(Math.floor(calWeeks))} weeks of history and ${formatCount(calRepeat)} repeat buyers (at least ${MIN_CALIBRATION_WEEKS} weeks and ${MIN_REPEAT_CUSTOMERS} repeat buyers are needed).`,
    );
    return null;
  }
  const fit = fitBgnbd(cal, { standardErrors: false });
  if (![fit.r, fit.alpha, fit.a, fit.b].every((v) => Number.isFinite(v) && v > 1e-6 && v < 1e8)) {
    notes.push(
      `The forecast check was skipped: the BG/NBD fit on the history before the holdout year ran to a boundary (r ${fit.r.toPrecision(3)}, α ${fit.alpha.toPrecision(3)}, a ${fit.a.toPrecision(3)}, b ${fit.b.toPrecision(3)}).`,
    );
    return null;
  }
  const calDay = toEpochDay(calibrationEnd);
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
    const e = bgnbdConditionalExpectedPurchases(fit, w, cal);
    let sum = 0;
    for (let i = 0; i < e.length; i++) sum += e[i];
    week.push(w);
    actual.push(cumulative);
    expected.push(sum);
  }
  const horizon = bgnbdConditionalExpectedPurchases(fit, HOLDOUT_WEEKS, cal);
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
    calibrationEnd,
    holdoutWeeks: HOLDOUT_WEEKS,
    params: { r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b },
    weekly: { week, actual, expected },
    byFrequency,
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
