/**
 * The purchase models that compete to value transactional accounts, behind one interface, so
 * the build can fit each on a calibration period, score it on a holdout and use the winner.
 * Each model differs only in how a customer leaves:
 * - BG/NBD: after any purchase, with probability p (never before the first repeat purchase);
 * - MBG/NBD: after any purchase and also at time 0, so a customer with no repeat purchase can be gone;
 * - Pareto/NBD: at any moment, at an exponential rate μ.
 */
import {
  BGNBD_PARAM_NAMES,
  bgnbdConditionalExpectedPurchases,
  bgnbdDiscountedPurchasesIfAlive,
  bgnbdExpectedPurchasesIfAlive,
  bgFamilyProbabilityAliveByHistory,
  bgnbdProbabilityAliveOne,
  fitBgnbd,
  type BgnbdParams,
} from "./bgnbd.js";
import type { HistoryTable, PairTable, RfmColumns } from "./data.js";
import {
  MBGNBD_PARAM_NAMES,
  fitMbgnbd,
  mbgnbdConditionalExpectedPurchases,
  mbgnbdDiscountedPurchasesIfAlive,
  mbgnbdExpectedPurchasesIfAlive,
  mbgnbdProbabilityAliveOne,
  type MbgnbdParams,
} from "./mbgnbd.js";
import type { FitOptions, FitUncertainty } from "./fitting.js";
import { NBD_PARAM_NAMES, nbdConditionalExpectedPurchases, nbdDiscountedPurchases, type NbdParams } from "./nbd.js";
import {
  PARETONBD_PARAM_NAMES,
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdDiscountedPurchasesIfAlive,
  paretoNbdExpectedPurchasesIfAlive,
  paretoNbdProbabilityAliveByHistory,
  paretoNbdProbabilityAliveOne,
  type ParetoNbdParams,
} from "./paretonbd.js";

/** Which purchase model values the accounts ("nbd": no dropout, the boundary limit of all three). */
export type PurchaseModel = "bgnbd" | "mbgnbd" | "paretonbd" | "nbd";

/** A model's parameters by name (a fit's point estimate or one parameter draw). */
type Params = Readonly<Record<string, number>>;

/** What valuing accounts needs of a purchase model (clv.ts). */
export interface PurchaseValuation {
  readonly name: PurchaseModel;
  /** Parameter names, in the order of the fit's `covLog`. */
  readonly paramNames: readonly string[];
  /**
   * Σ_{k=1}^{H} [E(kΔ) − E((k−1)Δ)] vᵏ for every (x, T) pair, E(t) the expected purchases in
   * (T, T + t] of a customer still alive, Δ one month, v the monthly discount factor.
   */
  discountedPurchasesIfAlive(p: Params, pairs: PairTable, delta: number, H: number, v: number, out: Float64Array): void;
  /** E(t) of one (x, T) pair. */
  expectedPurchasesIfAlive(p: Params, t: number, x: number, T: number): number;
  /** P(alive) of every (x, t_x, T) history. */
  probabilityAliveByHistory(p: Params, histories: HistoryTable, out: Float64Array): void;
  /**
   * Whether the parameter draws may be valued on binned (x, T) pairs when there are many
   * (clv.ts): the BG family's discounted purchases move smoothly with x and T; a test bounds the effect.
   */
  readonly binnedDraws: boolean;
}

/** A fitted purchase model's parameters by name, its log-likelihood and (when identified) its uncertainty. */
export type PurchaseFit = Readonly<Record<string, number>> & { readonly logLik: number } & FitUncertainty<string>;

export interface PurchaseModelSpec extends PurchaseValuation {
  readonly name: Exclude<PurchaseModel, "nbd">;
  /** As written on the pages. */
  readonly label: string;
  /** How a customer leaves, in a few words for the comparison table. */
  readonly dropout: string;
  readonly paramNames: readonly string[];
  readonly symbols: Readonly<Record<string, string>>;
  fit(data: RfmColumns, opts?: FitOptions): PurchaseFit;
  /** Expected purchases of each customer in (T, T + t]. */
  conditionalExpected(p: PurchaseFit, t: number, data: RfmColumns): Float64Array;
  probabilityAliveOne(p: PurchaseFit, x: number, tx: number, T: number): number;
  /**
   * Expected dropout rate per time unit of an average customer while alive: the purchase rate
   * r/α times the dropout probability per purchase a/(a + b) for the BG family, E[μ] = s/β for
   * Pareto/NBD. The scenario engine uses it as a flat churn rate.
   */
  dropoutRate(p: PurchaseFit): number;
  /**
   * Plausible range of each parameter for a history `units` long: the rate parameters (α, β)
   * carry the time unit, so their range scales with the history; the others are unit-free.
   */
  bounds(units: number): Record<string, readonly [number, number]>;
}

const timeScaled = (units: number): readonly [number, number] => [1e-4 * Math.max(1, units), 1e4 * Math.max(1, units)];

const bg = (p: Params) => p as unknown as BgnbdParams;
const mbg = (p: Params) => p as unknown as MbgnbdParams;
const pareto = (p: Params) => p as unknown as ParetoNbdParams;
const nbd = (p: Params) => p as unknown as NbdParams;

export const BGNBD_SPEC: PurchaseModelSpec = {
  name: "bgnbd",
  label: "BG/NBD",
  dropout: "may leave right after each purchase",
  paramNames: BGNBD_PARAM_NAMES,
  symbols: { r: "r", alpha: "α", a: "a", b: "b" },
  fit: (data, opts) => fitBgnbd(data, opts) as unknown as PurchaseFit,
  conditionalExpected: (p, t, data) => bgnbdConditionalExpectedPurchases(bg(p), t, data),
  probabilityAliveOne: (p, x, tx, T) => bgnbdProbabilityAliveOne(bg(p), x, tx, T),
  discountedPurchasesIfAlive: (p, pairs, delta, H, v, out) =>
    bgnbdDiscountedPurchasesIfAlive(bg(p), pairs, delta, H, v, out),
  expectedPurchasesIfAlive: (p, t, x, T) => bgnbdExpectedPurchasesIfAlive(bg(p), t, x, T),
  probabilityAliveByHistory: (p, h, out) => bgFamilyProbabilityAliveByHistory(bg(p), h, out, false),
  binnedDraws: true,
  dropoutRate: (p) => (p.r / p.alpha) * (p.a / (p.a + p.b)),
  bounds: (units) => ({ alpha: timeScaled(units) }),
};

export const MBGNBD_SPEC: PurchaseModelSpec = {
  name: "mbgnbd",
  label: "MBG/NBD",
  dropout: "may leave right after each purchase, or before the first",
  paramNames: MBGNBD_PARAM_NAMES,
  symbols: { r: "r", alpha: "α", a: "a", b: "b" },
  fit: (data, opts) => fitMbgnbd(data, opts) as unknown as PurchaseFit,
  conditionalExpected: (p, t, data) => mbgnbdConditionalExpectedPurchases(mbg(p), t, data),
  probabilityAliveOne: (p, x, tx, T) => mbgnbdProbabilityAliveOne(mbg(p), x, tx, T),
  discountedPurchasesIfAlive: (p, pairs, delta, H, v, out) =>
    mbgnbdDiscountedPurchasesIfAlive(mbg(p), pairs, delta, H, v, out),
  expectedPurchasesIfAlive: (p, t, x, T) => mbgnbdExpectedPurchasesIfAlive(mbg(p), t, x, T),
  // MBG/NBD has the parameters of BG/NBD, with a dropout also at time 0.
  probabilityAliveByHistory: (p, h, out) => bgFamilyProbabilityAliveByHistory(bg(p), h, out, true),
  binnedDraws: true,
  dropoutRate: (p) => (p.r / p.alpha) * (p.a / (p.a + p.b)),
  bounds: (units) => ({ alpha: timeScaled(units) }),
};

export const PARETONBD_SPEC: PurchaseModelSpec = {
  name: "paretonbd",
  label: "Pareto/NBD",
  dropout: "may leave at any moment",
  paramNames: PARETONBD_PARAM_NAMES,
  symbols: { r: "r", alpha: "α", s: "s", beta: "β" },
  fit: (data, opts) => fitParetoNbd(data, opts) as unknown as PurchaseFit,
  conditionalExpected: (p, t, data) => paretoNbdConditionalExpectedPurchases(pareto(p), t, data),
  probabilityAliveOne: (p, x, tx, T) => paretoNbdProbabilityAliveOne(pareto(p), x, tx, T),
  discountedPurchasesIfAlive: (p, pairs, delta, H, v, out) =>
    paretoNbdDiscountedPurchasesIfAlive(pareto(p), pairs, delta, H, v, out),
  expectedPurchasesIfAlive: (p, t, x, T) => paretoNbdExpectedPurchasesIfAlive(pareto(p), t, x, T),
  probabilityAliveByHistory: (p, h, out) => paretoNbdProbabilityAliveByHistory(pareto(p), h, out),
  binnedDraws: false,
  dropoutRate: (p) => p.s / p.beta,
  // The fit keeps β ≤ 100 (α + T) (paretonbd.ts): β at half of that is taken to sit on the edge.
  bounds: (units) => ({ alpha: timeScaled(units), beta: [1e-4 * Math.max(1, units), 50 * Math.max(1, units)] }),
};

/** Every candidate, in the order used when nothing else decides (the first is the default). */
export const PURCHASE_MODEL_SPECS: readonly PurchaseModelSpec[] = [BGNBD_SPEC, MBGNBD_SPEC, PARETONBD_SPEC];

/**
 * NBD without dropout: not a candidate (the selection's fallback when no model with dropout
 * is identified), valued like them with P(alive) = 1.
 */
export const NBD_VALUATION: PurchaseValuation = {
  name: "nbd",
  paramNames: NBD_PARAM_NAMES,
  discountedPurchasesIfAlive: (p, pairs, delta, H, v, out) => nbdDiscountedPurchases(nbd(p), pairs, delta, H, v, out),
  expectedPurchasesIfAlive: (p, t, x, T) => nbdConditionalExpectedPurchases(nbd(p), t, x, T),
  probabilityAliveByHistory: (_p, _h, out) => out.fill(1),
  binnedDraws: false,
};

/** How `model` values accounts. */
export function purchaseValuation(model: PurchaseModel): PurchaseValuation {
  const spec = model === "nbd" ? NBD_VALUATION : PURCHASE_MODEL_SPECS.find((s) => s.name === model);
  if (!spec) throw new RangeError(`invalid purchase model: ${String(model)}`);
  return spec;
}

export function purchaseModelSpec(name: string): PurchaseModelSpec {
  const spec = PURCHASE_MODEL_SPECS.find((s) => s.name === name);
  if (!spec) throw new RangeError(`unknown purchase model "${name}"`);
  return spec;
}
