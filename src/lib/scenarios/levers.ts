/**
 * The levers, as one table: each lever's label, its numeric fields with their slider bounds
 * (validation uses the same bounds), its neutral parameters, how it acts and how it reads.
 * Adding a lever means adding its parameters' type and one row here.
 *
 * How the model levers act, on the grid t_k = k · L months (see ./series.ts):
 * - priceChange:      m × (1 + p),  h × max(0, 1 + ε · p)          (p the price change, ε the elasticity)
 * - productWithdrawn: m × (1 − s),  h × (1 + u)
 * - newProduct:       m × (1 + α · u · ramp(t)),  ramp(t) = min(1, t ÷ R)
 * - competitorEntry:  h × (1 + u · ramp(t − start)), no effect up to the start month
 * - macro:            d + Δd (per-account discount rate),  h × (1 + shock)
 * The other two are not model levers: a mass adjustment moves the resulting value (./engine.ts),
 * a new channel adds accounts of its own (./channel.ts).
 */
import { formatMoneyCompact } from "../format.js";
import type { PeriodEffects } from "./series.js";

export interface NewProductParams {
  /** Share of the segment's accounts that adopt, percent 0–100. */
  adoptionPct: number;
  /** Extra margin per adopter, percent of its current margin (equivalently revenue at the same margin share). */
  upliftPct: number;
  /** Months until adoption is complete (linear ramp); 0 = at once. */
  rampMonths: number;
}
export interface ProductWithdrawnParams {
  /** Share of the segment's revenue lost, percent 0–100. */
  revenueLostPct: number;
  /** Churn-hazard uplift among the segment's accounts, percent (50 = churn probability × 1.5). */
  churnUpliftPct: number;
}
export interface PriceChangeParams {
  /** Price change, percent (−50 … +100). */
  pricePct: number;
  /** Percent change of the churn hazard per 1% price change (0 = customers do not react). */
  elasticity: number;
}
export interface CompetitorEntryParams {
  /** Churn-hazard uplift once fully ramped, percent. */
  churnUpliftPct: number;
  /** Months from the as-of date until the competitor appears. */
  startMonth: number;
  /** Months from its start until the full uplift (linear ramp); 0 = at once. */
  rampMonths: number;
}
export interface NewChannelParams {
  /** New accounts per month through the channel. */
  acquisitionsPerMonth: number;
  /** Months the channel runs, from the month after the as-of date. */
  months: number;
  /** Acquisition cost per new account, cents. */
  cacCents: number;
  /** Expected lifetime margin of one new account, discounted to its acquisition, cents. */
  valueCents: number;
}
export interface MacroParams {
  /** Change of the annual discount rate, percentage points (e.g. 2 = 10% → 12%). */
  discountRatePts: number;
  /** Churn-hazard shock, percent. */
  churnShockPct: number;
}
export interface MassAdjustmentParams {
  /** "percent": value × (1 + amount / 100); "amount": value + amount cents (weighted by P(alive)). */
  mode: "percent" | "amount";
  /** Percent, or cents per account. */
  amount: number;
}

export interface LeverParams {
  newProduct: NewProductParams;
  productWithdrawn: ProductWithdrawnParams;
  priceChange: PriceChangeParams;
  competitorEntry: CompetitorEntryParams;
  newChannel: NewChannelParams;
  macro: MacroParams;
  massAdjustment: MassAdjustmentParams;
}
export type Lever = keyof LeverParams;

export interface LeverField {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** Hazard and revenue multipliers being built up for one set of model levers (see ./series.ts). */
export type MutableEffects = { -readonly [K in keyof PeriodEffects]: PeriodEffects[K] };

interface LeverRow<P> {
  readonly label: string;
  /** Numeric parameters: label, unit, slider range and step. */
  readonly fields: readonly LeverField[];
  /** Neutral parameters (no effect), the starting point of a new entry. */
  readonly neutral: P;
  /** "model": changes churn, revenue or discounting; "mass": moves the resulting value; "channel": adds accounts. */
  readonly kind: "model" | "mass" | "channel";
  /** Multiplies the lever's effect into `effects` on the grid t_k = k · periodMonths (model levers). */
  readonly apply?: (params: P, effects: MutableEffects, periodMonths: number) => void;
  /** The size of the change in words, for the ledger. */
  readonly describe: (params: P, currency: string) => string;
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const ramp = (t: number, months: number) => (months <= 0 ? (t > 0 ? 1 : 0) : clamp01(t / months));
const signed = (x: number, unit = "%") => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x)}${unit}`;

/** Multiplies every period's hazard by h(t_k) and revenue by m(t_k). */
function scale(effects: MutableEffects, periodMonths: number, h: (t: number) => number, m: (t: number) => number) {
  for (let k = 0; k < effects.hazard.length; k++) {
    const t = (k + 1) * periodMonths;
    effects.hazard[k] *= h(t);
    effects.revenue[k] *= m(t);
  }
}
const one = () => 1;

export const LEVER_TABLE: { readonly [L in Lever]: LeverRow<LeverParams[L]> } = {
  newProduct: {
    label: "New product or service",
    fields: [
      { key: "adoptionPct", label: "Adoption share", unit: "%", min: 0, max: 100, step: 1 },
      { key: "upliftPct", label: "Margin uplift per adopter", unit: "%", min: 0, max: 200, step: 1 },
      { key: "rampMonths", label: "Ramp-up", unit: "months", min: 0, max: 36, step: 1 },
    ],
    neutral: { adoptionPct: 0, upliftPct: 0, rampMonths: 0 },
    kind: "model",
    apply: (p, e, L) => {
      const gain = (p.adoptionPct / 100) * (p.upliftPct / 100);
      scale(e, L, one, (t) => 1 + gain * ramp(t, p.rampMonths));
    },
    describe: (p) => `${p.adoptionPct}% adopt, ${signed(p.upliftPct)} margin each, over ${p.rampMonths} months`,
  },
  productWithdrawn: {
    label: "Product withdrawn",
    fields: [
      { key: "revenueLostPct", label: "Revenue lost", unit: "%", min: 0, max: 100, step: 1 },
      { key: "churnUpliftPct", label: "Churn uplift among users", unit: "%", min: 0, max: 300, step: 5 },
    ],
    neutral: { revenueLostPct: 0, churnUpliftPct: 0 },
    kind: "model",
    apply: (p, e, L) =>
      scale(
        e,
        L,
        () => 1 + p.churnUpliftPct / 100,
        () => 1 - p.revenueLostPct / 100,
      ),
    describe: (p) => `${p.revenueLostPct}% of revenue lost, churn ${signed(p.churnUpliftPct)}`,
  },
  priceChange: {
    label: "Price change",
    fields: [
      { key: "pricePct", label: "Price change", unit: "%", min: -50, max: 100, step: 0.5 },
      { key: "elasticity", label: "Churn response (% hazard per 1% price)", unit: "×", min: 0, max: 10, step: 0.1 },
    ],
    neutral: { pricePct: 0, elasticity: 0 },
    kind: "model",
    apply: (p, e, L) => {
      const price = p.pricePct / 100;
      const h = Math.max(0, 1 + p.elasticity * price);
      scale(
        e,
        L,
        () => h,
        () => 1 + price,
      );
    },
    describe: (p) => `price ${signed(p.pricePct)}, churn response ${p.elasticity}`,
  },
  competitorEntry: {
    label: "Competitor entry",
    fields: [
      { key: "churnUpliftPct", label: "Churn uplift", unit: "%", min: 0, max: 300, step: 5 },
      { key: "startMonth", label: "Starts after", unit: "months", min: 0, max: 48, step: 1 },
      { key: "rampMonths", label: "Ramp", unit: "months", min: 0, max: 36, step: 1 },
    ],
    neutral: { churnUpliftPct: 0, startMonth: 0, rampMonths: 0 },
    kind: "model",
    apply: (p, e, L) => scale(e, L, (t) => 1 + (p.churnUpliftPct / 100) * ramp(t - p.startMonth, p.rampMonths), one),
    describe: (p) => `churn ${signed(p.churnUpliftPct)} from month ${p.startMonth}, ramp ${p.rampMonths} months`,
  },
  newChannel: {
    label: "New sales channel",
    fields: [
      { key: "acquisitionsPerMonth", label: "Extra acquisitions", unit: "/ month", min: 0, max: 500, step: 1 },
      { key: "months", label: "Runs for", unit: "months", min: 1, max: 60, step: 1 },
      { key: "cacCents", label: "CAC per new account", unit: "cents", min: 0, max: 100_000_00, step: 100_00 },
      { key: "valueCents", label: "Value per new account", unit: "cents", min: 0, max: 500_000_00, step: 100_00 },
    ],
    neutral: { acquisitionsPerMonth: 0, months: 12, cacCents: 0, valueCents: 0 },
    kind: "channel",
    describe: (p, currency) =>
      `${p.acquisitionsPerMonth} new accounts a month for ${p.months} months, CAC ${formatMoneyCompact(p.cacCents, currency)}, value ${formatMoneyCompact(p.valueCents, currency)} each`,
  },
  macro: {
    label: "Macro shock",
    fields: [
      { key: "discountRatePts", label: "Discount-rate change", unit: "pts", min: -5, max: 15, step: 0.5 },
      { key: "churnShockPct", label: "Churn shock", unit: "%", min: -50, max: 300, step: 5 },
    ],
    neutral: { discountRatePts: 0, churnShockPct: 0 },
    kind: "model",
    apply: (p, e, L) => {
      const h = Math.max(0, 1 + p.churnShockPct / 100);
      scale(e, L, () => h, one);
      e.discountChange += p.discountRatePts / 100;
    },
    describe: (p) => `discount rate ${signed(p.discountRatePts, " pts")}, churn ${signed(p.churnShockPct)}`,
  },
  massAdjustment: {
    label: "Mass adjustment",
    // The bounds depend on the mode: ./ledger.ts validates the amount itself.
    fields: [{ key: "amount", label: "Adjustment", unit: "% or cents", min: -100, max: 100, step: 0.5 }],
    neutral: { mode: "percent", amount: 0 },
    kind: "mass",
    describe: (p, currency) =>
      p.mode === "percent"
        ? `value ${signed(p.amount)}`
        : `value ${p.amount < 0 ? "−" : "+"}${formatMoneyCompact(Math.abs(p.amount), currency)} per account`,
  },
};

/** The levers, in the order the workbench offers them. */
export const LEVERS = Object.keys(LEVER_TABLE) as Lever[];

function row(lever: Lever): LeverRow<LeverParams[Lever]> {
  const r = (LEVER_TABLE as Record<string, LeverRow<LeverParams[Lever]> | undefined>)[lever];
  if (!r || !Object.hasOwn(LEVER_TABLE, lever)) throw new Error(`invalid lever: ${String(lever)}`);
  return r;
}

export interface LeverInfo {
  readonly label: string;
  readonly fields: readonly LeverField[];
}

/** A lever's label and the ranges of its sliders. */
export function leverInfo(lever: Lever): LeverInfo {
  const { label, fields } = row(lever);
  return { label, fields };
}

/** A lever's neutral parameters (no effect), a fresh copy. */
export function defaultParams<L extends Lever>(lever: L): LeverParams[L] {
  return structuredClone(row(lever).neutral) as LeverParams[L];
}

/** True for levers that change model inputs (churn, revenue, discount). */
export function isModelLever(entry: { readonly lever: Lever }): boolean {
  return row(entry.lever).kind === "model";
}

/** Multiplies one model lever's effect into `effects` (other levers: no effect here). */
export function applyLever(
  entry: { readonly lever: Lever; readonly params: LeverParams[Lever] },
  effects: MutableEffects,
  periodMonths: number,
): void {
  row(entry.lever).apply?.(entry.params, effects, periodMonths);
}

/** The size of an entry's change in words. */
export function describeParams(
  entry: { readonly lever: Lever; readonly params: LeverParams[Lever] },
  currency = "USD",
): string {
  return row(entry.lever).describe(entry.params, currency);
}
