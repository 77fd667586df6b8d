/**
 * Transactional accounts: BG/NBD for the number of future purchase days and Gamma-Gamma for
 * their value (weeks as the time unit), fitted on every purchase up to the as-of date; a
 * second BG/NBD fit on all but the last year checks the forecast against what happened.
 */
import { bgnbdConditionalExpectedPurchases, bgnbdProbabilityAliveOne, fitBgnbd, type BgnbdFit } from "../../src/lib/models/bgnbd.js";
import { fitGammaGamma, type GammaGammaFit } from "../../src/lib/models/gammagamma.js";
import { summarizeTransactions, toEpochDay, fromEpochDay } from "../../src/lib/models/rfm.js";
import { predictClvWithBands } from "../../src/lib/models/valuation.js";
import { createRng } from "../../src/lib/random.js";
import type { AccountValue, PurchaseDiagnostics, PurchaseModelSummary } from "../../src/lib/valuation/models-data.js";
import type { ValuationConfig } from "../config.js";
import type { PurchaseRows } from "./inputs.js";

/** Holdout length for the forecast check. */
export const HOLDOUT_WEEKS = 52;
/** Gamma-Gamma needs repeat buyers; below this many the spend model is not fitted. */
const MIN_REPEAT_CUSTOMERS = 20;

export interface PurchaseResult {
  readonly summary: PurchaseModelSummary | null;
  readonly values: AccountValue[];
  readonly totalDraws: Float64Array;
  readonly notes: string[];
}

export function valuePurchases(rows: PurchaseRows, asOf: string, margin: number, config: ValuationConfig, step: (what: string) => void = () => {}): PurchaseResult {
  const notes: string[] = [];
  const empty = { summary: null, values: [], totalDraws: new Float64Array(config.draws), notes };
  if (rows.accountId.length === 0) return empty;
  // Amounts in cents keep the spend model in the same unit as every other value.
  const cents = rows.amount.map((a) => Math.round(a * 100));
  const rfm = summarizeTransactions({ id: rows.accountId, date: rows.day, amount: cents }, { unit: "weeks", calibrationEnd: asOf, holdoutEnd: asOf });
  step(`RFM summary of ${rfm.id.length.toLocaleString("en-US")} accounts`);
  const bgnbd = fitBgnbd(rfm);
  step("BG/NBD fitted");
  const repeat = rfm.frequency.filter((x) => x > 0).length;
  if (repeat < MIN_REPEAT_CUSTOMERS || !bgnbd.covLog) {
    notes.push(`Transactional accounts were not valued: ${repeat} repeat buyers (at least ${MIN_REPEAT_CUSTOMERS} are needed), or the purchase model has no standard errors.`);
    return empty;
  }
  const spendRows = { frequency: [] as number[], monetaryValue: [] as number[] };
  for (let i = 0; i < rfm.frequency.length; i++) {
    if (rfm.frequency[i] > 0) {
      spendRows.frequency.push(rfm.frequency[i]);
      spendRows.monetaryValue.push(rfm.monetaryValue[i]);
    }
  }
  const gammaGamma = fitGammaGamma(spendRows);
  step("Gamma-Gamma fitted");
  if (!gammaGamma.covLog) {
    notes.push("Transactional accounts were not valued: the spend model's maximum is on a boundary (no standard errors).");
    return empty;
  }
  const prediction = predictClvWithBands("bgnbd", bgnbd, gammaGamma, rfm, {
    unit: "weeks",
    months: config.horizonMonths,
    annualDiscount: config.annualDiscountRate,
    margin,
    t: 52,
    draws: config.draws,
    rng: createRng(config.seed + 1),
  });
  step(`${config.draws} parameter draws valued`);
  const values: AccountValue[] = rfm.id.map((id, i) => ({
    account_id: String(id),
    model: "bgnbd",
    segment: "transactional",
    clv_cents: prediction.clv[i],
    clv_p10_cents: prediction.clvP10[i],
    clv_p50_cents: prediction.clvP50[i],
    clv_p90_cents: prediction.clvP90[i],
    probability_alive: prediction.probabilityAlive[i],
    expected_purchases_12m: prediction.expectedPurchases[i],
  }));
  return {
    summary: {
      accounts: rfm.id.length,
      repeatCustomers: repeat,
      unit: "weeks",
      bgnbd: { r: bgnbd.r, alpha: bgnbd.alpha, a: bgnbd.a, b: bgnbd.b, logLik: bgnbd.logLik, se: bgnbd.se ?? null },
      gammaGamma: { p: gammaGamma.p, q: gammaGamma.q, gamma: gammaGamma.gamma, logLik: gammaGamma.logLik, se: gammaGamma.se ?? null },
      holdout: timed(() => holdoutCheck(rows, asOf, notes), () => step("holdout check")),
      aliveGrid: aliveGrid(bgnbd, rfm.T),
      valueCents: prediction.totalClv,
      band: { p10: prediction.totalP10, p50: prediction.totalP50, p90: prediction.totalP90 },
    },
    values,
    totalDraws: prediction.totalDraws,
    notes,
  };
}

/**
 * Fits on purchases up to one year before the as-of date and compares, week by week and by
 * calibration frequency, the expected repeat purchases (conditional on each history) with
 * the purchases that happened in that year.
 */
function holdoutCheck(rows: PurchaseRows, asOf: string, notes: string[]): PurchaseDiagnostics | null {
  const end = toEpochDay(asOf);
  const calibrationEnd = fromEpochDay(end - HOLDOUT_WEEKS * 7);
  const cal = summarizeTransactions({ id: rows.accountId, date: rows.day }, { unit: "weeks", calibrationEnd, holdoutEnd: asOf });
  if (cal.frequency.filter((x) => x > 0).length < MIN_REPEAT_CUSTOMERS) {
    notes.push("The forecast check was skipped: too few repeat buyers before the holdout year.");
    return null;
  }
  const fit = fitBgnbd(cal, { standardErrors: false });
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
  const week: number[] = [], actual: number[] = [], expected: number[] = [];
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
      return { frequency: label, customers: g.customers, actual: g.actual / g.customers, expected: g.expected / g.customers };
    });
  return { calibrationEnd, holdoutWeeks: HOLDOUT_WEEKS, params: { r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b }, weekly: { week, actual, expected }, byFrequency };
}

function timed<T>(work: () => T, done: () => void): T {
  const out = work();
  done();
  return out;
}

/** P(alive) on a grid of (x, t_x) for the median T of the accounts. */
function aliveGrid(fit: BgnbdFit, T: ArrayLike<number>) {
  const sortedT = Float64Array.from(T).sort();
  const medianT = Math.max(1, Math.round(sortedT[Math.floor(sortedT.length / 2)]));
  const frequency = Array.from({ length: 16 }, (_, i) => i);
  const steps = 20;
  const recency = Array.from({ length: steps + 1 }, (_, i) => Math.round(((medianT * i) / steps) * 10) / 10);
  // Impossible histories (x = 0 with t_x > 0, or x > 0 with t_x = 0) are null.
  const p = frequency.map((x) => recency.map((tx) => (x === 0 ? (tx === 0 ? 1 : null) : tx === 0 ? null : bgnbdProbabilityAliveOne(fit, x, tx, medianT))));
  return { T: medianT, frequency, recency, p };
}

export type { GammaGammaFit };
