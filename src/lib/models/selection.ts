/**
 * Choosing the purchase model by how well it predicts: every candidate is fitted on the
 * history up to a calibration end, asked for each account's purchases in the holdout period
 * that follows, and scored by the mean absolute error against what each account did. The
 * model with the smallest error among those the calibration data identify wins.
 *
 * Per-account error (not the error of the total) is the measure because the site values
 * accounts one by one: a model can get the total right by over-forecasting some accounts and
 * under-forecasting others. A naive forecast (each account keeps its calibration rate x / T)
 * is scored beside the models as a reference a model should beat.
 */
import type { RfmSummary } from "./rfm.js";
import { checkIdentification } from "./identification.js";
import type { PurchaseFit, PurchaseModelSpec } from "./purchase-models.js";

export const SELECTION_MEASURE =
  "mean absolute error of each account's forecast purchase days in the holdout period (smaller is better)";

export interface ComparisonRow {
  readonly model: string;
  readonly label: string;
  readonly dropout: string;
  /** "compared": fitted and identified on the calibration period; otherwise why it was left out. */
  readonly status: "compared" | "not identified" | "failed";
  /** The identification warnings or the error, in words (null when compared without remark). */
  readonly note: string | null;
  readonly params: Readonly<Record<string, number>> | null;
  readonly logLik: number | null;
  /** Mean over accounts of |forecast − actual| purchase days in the holdout period. */
  readonly meanAbsoluteError: number | null;
  /** Sum of the forecasts, to set beside the actual total. */
  readonly expectedTotal: number | null;
}

export interface HoldoutComparison {
  readonly measure: string;
  readonly calibrationEnd: string;
  /** Length of the holdout period, in `unit`. */
  readonly holdoutLength: number;
  readonly unit: RfmSummary["unit"];
  /** Accounts first seen by the calibration end: the ones scored. */
  readonly accounts: number;
  readonly actualTotal: number;
  readonly rows: ComparisonRow[];
  /** The naive reference: each account buys in the holdout at its calibration rate x / T. */
  readonly naive: { readonly meanAbsoluteError: number; readonly expectedTotal: number };
  /** The winning model's name, or null when no candidate was identified on the calibration period. */
  readonly chosen: string | null;
  readonly reason: string;
}

export interface ComparisonResult {
  readonly comparison: HoldoutComparison;
  /** Calibration fits of the compared models, by name (for the holdout charts). */
  readonly fits: ReadonlyMap<string, PurchaseFit>;
}

function meanAbsoluteError(forecast: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(forecast[i] - actual[i]);
  return actual.length > 0 ? sum / actual.length : 0;
}

const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

const two = (v: number) => v.toFixed(2);

/**
 * Fits each spec on `cal` (an RFM summary with a holdout: `frequencyHoldout` and
 * `durationHoldout`) and scores it. `historyUnits` is the length of the calibration history
 * (for the plausible range of the rate parameters).
 */
export function compareOnHoldout(
  cal: RfmSummary,
  specs: readonly PurchaseModelSpec[],
  calibrationEnd: string,
  historyUnits: number,
): ComparisonResult {
  const actual = cal.frequencyHoldout;
  const t = cal.durationHoldout;
  if (!actual || t === undefined) throw new RangeError("compareOnHoldout needs an RFM summary with a holdout period");
  const rows: ComparisonRow[] = [];
  const fits = new Map<string, PurchaseFit>();
  for (const spec of specs) {
    const base = { model: spec.name, label: spec.label, dropout: spec.dropout };
    let fit: PurchaseFit;
    try {
      fit = spec.fit(cal);
    } catch (error) {
      rows.push({
        ...base,
        status: "failed",
        note: `the fit failed (${(error as Error).message})`,
        params: null,
        logLik: null,
        meanAbsoluteError: null,
        expectedTotal: null,
      });
      continue;
    }
    const params = Object.fromEntries(spec.paramNames.map((k) => [k, fit[k]]));
    const check = checkIdentification(spec.paramNames, fit, {
      symbols: spec.symbols,
      bounds: spec.bounds(historyUnits),
    });
    if (check.unusable) {
      rows.push({
        ...base,
        status: "not identified",
        note: check.warnings.join(" "),
        params,
        logLik: fit.logLik,
        meanAbsoluteError: null,
        expectedTotal: null,
      });
      continue;
    }
    const forecast = spec.conditionalExpected(fit, t, cal);
    if (!forecast.every(Number.isFinite)) {
      rows.push({
        ...base,
        status: "failed",
        note: "its forecast is not a finite number for some accounts",
        params,
        logLik: fit.logLik,
        meanAbsoluteError: null,
        expectedTotal: null,
      });
      continue;
    }
    fits.set(spec.name, fit);
    rows.push({
      ...base,
      status: "compared",
      note: check.warnings.length ? check.warnings.join(" ") : null,
      params,
      logLik: fit.logLik,
      meanAbsoluteError: meanAbsoluteError(forecast, actual),
      expectedTotal: sum(forecast),
    });
  }
  const naiveForecast = Float64Array.from(cal.frequency, (x, i) => (cal.T[i] > 0 ? (x / cal.T[i]) * t : 0));
  const naive = { meanAbsoluteError: meanAbsoluteError(naiveForecast, actual), expectedTotal: sum(naiveForecast) };
  const compared = rows
    .filter((r) => r.status === "compared")
    .sort((a, b) => a.meanAbsoluteError! - b.meanAbsoluteError!);
  const winner = compared[0] ?? null;
  let reason: string;
  if (!winner) reason = "No purchase model was identified on the calibration period, so none could be compared.";
  else {
    const others = compared.slice(1).map((r) => `${two(r.meanAbsoluteError!)} for ${r.label}`);
    const left = rows.filter((r) => r.status !== "compared").map((r) => `${r.label} (${r.status})`);
    reason =
      `${winner.label} forecast each account's purchases in the holdout period best: off by ${two(winner.meanAbsoluteError!)} purchase days per account on average` +
      (others.length ? `, against ${others.join(" and ")}` : ", the only model identified on the calibration period") +
      (left.length ? `; left out: ${left.join(", ")}` : "") +
      `. The naive forecast (each account keeps its past rate) is off by ${two(naive.meanAbsoluteError)}` +
      (winner.meanAbsoluteError! < naive.meanAbsoluteError
        ? "."
        : ", no worse than the model: treat the model's forecasts with care.");
  }
  return {
    comparison: {
      measure: SELECTION_MEASURE,
      calibrationEnd,
      holdoutLength: t,
      unit: cal.unit,
      accounts: actual.length,
      actualTotal: sum(actual),
      rows,
      naive,
      chosen: winner?.model ?? null,
      reason,
    },
    fits,
  };
}

/** The compared models from best to worst, then the rest in their given order. */
export function rankedModels(comparison: HoldoutComparison): string[] {
  const compared = comparison.rows
    .filter((r) => r.status === "compared")
    .sort((a, b) => a.meanAbsoluteError! - b.meanAbsoluteError!);
  return [...compared, ...comparison.rows.filter((r) => r.status !== "compared")].map((r) => r.model);
}
