/**
 * Applies a scenario's ledger to the per-account baseline and aggregates the result.
 *
 * The baseline value of an account is the models' point estimate V (src/lib/valuation,
 * loaders/models): for a running contract V = margin × payment × F₀ with
 *   F = Σ_{k=1}^{H} R(k) · m(k) · v^k,   R(k) = Π_{j=1}^{k} r'(n + j),   r'(t) = 1 − h(t_k) · (1 − r(t)),
 * where r(t) = (δ + t − 1) ÷ (γ + δ + t − 1) is the sBG retention of the account's pool
 * (Fader & Hardie 2007 eq. 9), n its renewals so far, v = 1 ÷ (1 + d)^(L/12) the discount per
 * period of L months, t_k = k·L months from the as-of date, h the churn-hazard multiplier and
 * m the revenue multiplier of the levers that select the account; F₀ is F with h = m = 1.
 * Transactional (BG/NBD) accounts use the same form with a constant monthly churn q of their
 * pool ("flat" pool, see loaders/outputs/scenarios), L = 1.
 *
 * The scenario value of an account is  V' = max(0, a · V · F ÷ F₀ + b · P(alive)),  where the
 * mass adjustments of the ledger, in ledger order, compose the affine map (a, b): "+p %" maps
 * (a, b) → ((1 + p)a, (1 + p)b) and "+A" maps b → b + A. Model levers commute (their
 * multipliers multiply); mass adjustments act on the resulting value in ledger order.
 *
 * Levers (one `switch`, ./levers below):
 * - priceChange:      m × (1 + p),  h × max(0, 1 + ε · p)          (p the price change, ε the elasticity)
 * - productWithdrawn: m × (1 − s),  h × (1 + u)
 * - newProduct:       m × (1 + α · u · ramp(t)),  ramp(t) = min(1, t ÷ R)
 * - competitorEntry:  h × (1 + u · ramp(t − start)), no effect up to the start month
 * - macro:            d + Δd (per-account discount rate),  h × (1 + shock)
 * - massAdjustment:   the affine map above
 * - newChannel:       N new accounts a month for M months, each worth W at acquisition,
 *                     discounted to today: N · W · Σ_{j=1}^{M} v_m^j; they cost N · M · CAC.
 *
 * Bands: each account's P10 and P90 (from parameter draws of its model) are moved by the
 * same F ÷ F₀ and affine map as its value (P10 ≤ V ≤ P90 is enforced first). The band covers
 * the models' parameter uncertainty under the scenario's assumptions, not uncertainty
 * about the assumptions themselves. Accounts sharing a model pool move together (one draw
 * of the pool's parameters moves them all), pools are independent: half-widths add within
 * a pool and add in quadrature across pools.
 *
 * Revenue projection: expected billings per year for five years; revenue of period k =
 * V ÷ (margin × F₀) · R(k) · m(k), scaled by the account's final V' ÷ (V · F ÷ F₀) so that mass
 * adjustments move revenue in proportion to value.
 */
import type { LedgerEntry, Scenario, SegmentDim } from "./model.js";
import { SEGMENT_DIMS } from "./model.js";

/** A model pool: the accounts whose value comes from one set of parameters. */
export interface ScenarioPool {
  readonly key: string;
  /** "sbg": contract renewals (γ, δ); "flat": constant churn q per period (transactional accounts). */
  readonly kind: "sbg" | "flat";
  readonly gamma: number;
  readonly delta: number;
  /** Churn probability per period of a flat pool (0 for sBG pools). */
  readonly churn: number;
  /** Billing period, months: 1 (monthly) or 12 (annual). */
  readonly periodMonths: number;
}

/** Accounts of one pool with the same renewals so far share their value factors. */
export interface ScenarioGroup {
  readonly pool: number;
  readonly renewals: number;
}

export interface ScenarioBase {
  readonly asOf: string;
  readonly currency: string;
  readonly horizonMonths: number;
  readonly annualDiscountRate: number;
  /** Labels per segment dimension; an account's code indexes them (products: bit i of its mask). */
  readonly dictionary: Readonly<Record<SegmentDim, readonly string[]>>;
  /** Display names of the products (same order as dictionary.products). */
  readonly productNames: readonly string[];
  /** Gross-margin share per business model code. */
  readonly margins: readonly number[];
  readonly pools: readonly ScenarioPool[];
  readonly groups: readonly ScenarioGroup[];
  readonly economics: {
    /** Sales and marketing spend of the 12 months to the as-of date, cents. */
    readonly spendT12mCents: number;
    /** Accounts acquired in those 12 months. */
    readonly newAccountsT12m: number;
    /** False when no marketing spend was provided: the pages leave LTV : CAC out (absent = provided). */
    readonly spendProvided?: boolean;
  };
  /**
   * Set by the loader for an aggregate-only build: the per-account arrays ship empty, so the
   * workbench cannot evaluate anything and says so instead (the engine does not read it).
   */
  readonly aggregateOnly?: boolean;
}

/** Per-account columns (typed arrays so 100,000 accounts evaluate in a few milliseconds). */
export interface AccountArrays {
  readonly length: number;
  readonly accountId: readonly string[];
  readonly size: Uint8Array;
  readonly industry: Uint8Array;
  readonly region: Uint8Array;
  readonly tier: Uint8Array;
  readonly businessModel: Uint8Array;
  readonly abc: Uint8Array;
  /** Bit i set: the account holds dictionary.products[i]. */
  readonly products: Uint32Array;
  readonly seats: Int32Array;
  /** Index into base.groups; −1 without a model value. */
  readonly group: Int32Array;
  readonly valueCents: Float64Array;
  readonly p10Cents: Float64Array;
  readonly p90Cents: Float64Array;
  /** P(alive): 1 for running contracts, the BG/NBD probability for transactional accounts, 0 without value. */
  readonly probabilityAlive: Float64Array;
  /** Gross margin billed to date (revenue − cost of goods − cost to serve), cents. */
  readonly marginToDateCents: Float64Array;
  /** 1 when acquired in the 12 months to the as-of date. */
  readonly recent: Uint8Array;
}

/** Years of the revenue projection. */
export const PROJECTION_YEARS = 5;

// ---------------------------------------------------------------------------------------------
// Per-period effects of the levers

/** Hazard and revenue multipliers and discount change of a set of model levers, on a time grid. */
export interface PeriodEffects {
  /** h(t_k) and m(t_k), k = 1 … K. */
  readonly hazard: Float64Array;
  readonly revenue: Float64Array;
  /** Annual discount rate change (fraction). */
  readonly discountChange: number;
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const ramp = (t: number, months: number) => (months <= 0 ? (t > 0 ? 1 : 0) : clamp01(t / months));

/** Multiplies one lever's effect into `effects` on the grid t_k = k · periodMonths. */
export function applyLever(
  entry: LedgerEntry,
  effects: { hazard: Float64Array; revenue: Float64Array; discountChange: number },
  periodMonths: number,
): void {
  const { hazard, revenue } = effects;
  const K = hazard.length;
  switch (entry.lever) {
    case "priceChange": {
      const p = entry.params.pricePct / 100;
      const h = Math.max(0, 1 + entry.params.elasticity * p);
      for (let k = 0; k < K; k++) {
        revenue[k] *= 1 + p;
        hazard[k] *= h;
      }
      return;
    }
    case "productWithdrawn": {
      const m = 1 - entry.params.revenueLostPct / 100;
      const h = 1 + entry.params.churnUpliftPct / 100;
      for (let k = 0; k < K; k++) {
        revenue[k] *= m;
        hazard[k] *= h;
      }
      return;
    }
    case "newProduct": {
      const gain = (entry.params.adoptionPct / 100) * (entry.params.upliftPct / 100);
      for (let k = 0; k < K; k++) revenue[k] *= 1 + gain * ramp((k + 1) * periodMonths, entry.params.rampMonths);
      return;
    }
    case "competitorEntry": {
      const u = entry.params.churnUpliftPct / 100;
      for (let k = 0; k < K; k++)
        hazard[k] *= 1 + u * ramp((k + 1) * periodMonths - entry.params.startMonth, entry.params.rampMonths);
      return;
    }
    case "macro": {
      const h = 1 + entry.params.churnShockPct / 100;
      for (let k = 0; k < K; k++) hazard[k] *= Math.max(0, h);
      effects.discountChange += entry.params.discountRatePts / 100;
      return;
    }
    case "massAdjustment":
    case "newChannel":
      return; // not model levers: see evaluate()
    default:
      throw new Error(`invalid lever: ${String((entry as { lever: unknown }).lever)}`);
  }
}

/** True for levers that change model inputs (churn, revenue, discount). */
export function isModelLever(entry: LedgerEntry): boolean {
  switch (entry.lever) {
    case "priceChange":
    case "productWithdrawn":
    case "newProduct":
    case "competitorEntry":
    case "macro":
      return true;
    case "massAdjustment":
    case "newChannel":
      return false;
    default:
      throw new Error(`invalid lever: ${String((entry as { lever: unknown }).lever)}`);
  }
}

export interface SeriesResult {
  /** F = Σ_{k ≤ H} R(k) m(k) v^k. */
  readonly valueFactor: number;
  /** Expected payments in the horizon, Σ_{k ≤ H} R(k) (the expected lifetime in periods, truncated). */
  readonly payments: number;
  /** Expected billings per year from now, in payments: Σ_{k: t_k in year y} R(k) m(k). */
  readonly yearly: Float64Array;
}

/**
 * The value factor of an account with `renewals` renewals in `pool` under `effects` (on the
 * grid t_k = k · pool.periodMonths, at least max(H, 5 years) long).
 */
export function survivalSeries(
  pool: ScenarioPool,
  renewals: number,
  effects: PeriodEffects,
  horizonMonths: number,
  annualDiscountRate: number,
): SeriesResult {
  const L = pool.periodMonths;
  const H = Math.floor(horizonMonths / L);
  const K = Math.max(H, Math.ceil((PROJECTION_YEARS * 12) / L));
  if (effects.hazard.length < K || effects.revenue.length < K)
    throw new RangeError(`invalid effects: ${effects.hazard.length} periods, ${K} needed`);
  const d = annualDiscountRate + effects.discountChange;
  const v = Math.pow(1 + Math.max(d, -0.99), -L / 12);
  const yearly = new Float64Array(PROJECTION_YEARS);
  let R = 1;
  let discount = 1;
  let valueFactor = 0;
  let payments = 0;
  const sbg = pool.kind === "sbg";
  for (let k = 1; k <= K; k++) {
    // Churn probability in the period: sBG 1 − r(t) = γ ÷ (γ + δ + t − 1) at t = n + k, or the flat q.
    const c = sbg ? pool.gamma / (pool.gamma + pool.delta + renewals + k - 1) : pool.churn;
    const churn = effects.hazard[k - 1] * (Number.isFinite(c) ? c : 0);
    R *= churn >= 1 ? 0 : 1 - churn;
    const m = effects.revenue[k - 1];
    discount *= v;
    if (k <= H) {
      valueFactor += R * m * discount;
      payments += R;
    }
    const year = Math.ceil((k * L) / 12) - 1;
    if (year < PROJECTION_YEARS) yearly[year] += R * m;
  }
  return { valueFactor, payments, yearly };
}

/** Neutral effects (h = m = 1) on a grid of K periods. */
export function neutralEffects(K: number): PeriodEffects {
  return { hazard: new Float64Array(K).fill(1), revenue: new Float64Array(K).fill(1), discountChange: 0 };
}

// ---------------------------------------------------------------------------------------------
// Segment selection

/** Per-account bit masks: bit j set when ledger entry j selects the account. */
export function selectionMasks(ledger: readonly LedgerEntry[], base: ScenarioBase, a: AccountArrays): Uint32Array {
  const masks = new Uint32Array(a.length);
  const columns: Record<Exclude<SegmentDim, "products">, Uint8Array> = {
    size: a.size,
    industry: a.industry,
    region: a.region,
    tier: a.tier,
    businessModel: a.businessModel,
    abc: a.abc,
  };
  ledger.forEach((entry, j) => {
    const tests: Array<{ column: Uint8Array; allowed: Uint8Array }> = [];
    let productMask = 0;
    let anyProducts = false;
    for (const dim of SEGMENT_DIMS) {
      const labels = entry.segment[dim];
      if (!labels || labels.length === 0) continue;
      if (dim === "products") {
        anyProducts = true;
        for (const l of labels) {
          const i = base.dictionary.products.indexOf(l);
          if (i >= 0 && i < 32) productMask |= 1 << i;
        }
        continue;
      }
      const allowed = new Uint8Array(256);
      for (const l of labels) {
        const i = base.dictionary[dim].indexOf(l);
        if (i >= 0) allowed[i] = 1;
      }
      tests.push({ column: columns[dim], allowed });
    }
    const minSeats = entry.segment.minSeats ?? 0;
    const bit = (1 << j) >>> 0;
    outer: for (let i = 0; i < a.length; i++) {
      for (const t of tests) if (t.allowed[t.column[i]] === 0) continue outer;
      if (anyProducts && (a.products[i] & productMask) === 0) continue;
      if (a.seats[i] < minSeats) continue;
      masks[i] |= bit;
    }
  });
  return masks;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Dimensions results can be broken down by (products are multi-valued, so not one of them). */
export type BreakdownDim = Exclude<SegmentDim, "products">;

export interface Aggregate {
  readonly accounts: number;
  readonly valueCents: number;
  readonly p10Cents: number;
  readonly p90Cents: number;
}

export interface Evaluation {
  /** The existing base (accounts valued today); new-channel accounts are in `newChannel`. */
  readonly base: Aggregate;
  readonly newChannel: { readonly accounts: number; readonly valueCents: number; readonly costCents: number };
  /** base + new channel (the channel adds its point value to the band as well). */
  readonly total: Aggregate;
  readonly by: { readonly dim: BreakdownDim; readonly rows: Aggregate[] };
  readonly abc: Aggregate[];
  /** Per year 1 … 5: expected billings, cents, with band. */
  readonly projection: {
    readonly revenueCents: Float64Array;
    readonly p10Cents: Float64Array;
    readonly p90Cents: Float64Array;
  };
  /** Per account scenario value, cents. */
  readonly values: Float64Array;
  /** LTV of the last 12 months' acquisitions (margin to date + value), CAC, ratio. */
  readonly ltvCac: {
    readonly accounts: number;
    readonly ltvCents: number | null;
    readonly cacCents: number | null;
    readonly ratio: number | null;
  };
  /** Accounts selected by each ledger entry (all accounts, and those carrying value). */
  readonly entryAccounts: ReadonlyArray<{ readonly selected: number; readonly valued: number }>;
}

export interface EvaluateOptions {
  readonly by?: BreakdownDim;
}

/**
 * Evaluates scenarios against one base. Segment masks and value factors are cached: a slider
 * that changes only a lever's size recomputes the factors of the few (pool, renewals, levers)
 * combinations and then one pass over the accounts.
 */
export class ScenarioEvaluator {
  readonly base: ScenarioBase;
  readonly accounts: AccountArrays;
  private readonly baseFactor: Float64Array;
  private maskKey = "";
  private masks: Uint32Array = new Uint32Array(0);
  /** Per account: index of its (group, mask) combination; −1 without a model value. */
  private combo: Int32Array = new Int32Array(0);
  private comboGroup: number[] = [];
  private comboMask: number[] = [];
  private entryCounts: Array<{ selected: number; valued: number }> = [];
  /** Per group: expected billings per year without any lever. */
  private readonly baseYearly: Float64Array[];

  constructor(base: ScenarioBase, accounts: AccountArrays) {
    this.base = base;
    this.accounts = accounts;
    this.baseFactor = Float64Array.from(base.groups, (g) => {
      const pool = base.pools[g.pool];
      return survivalSeries(
        pool,
        g.renewals,
        neutralEffects(periodsFor(pool, base.horizonMonths)),
        base.horizonMonths,
        base.annualDiscountRate,
      ).valueFactor;
    });
    this.baseYearly = base.groups.map((g) => {
      const pool = base.pools[g.pool];
      return survivalSeries(
        pool,
        g.renewals,
        neutralEffects(periodsFor(pool, base.horizonMonths)),
        base.horizonMonths,
        base.annualDiscountRate,
      ).yearly;
    });
  }

  private prepareMasks(ledger: readonly LedgerEntry[]): void {
    const key = JSON.stringify(ledger.map((e) => e.segment));
    if (key === this.maskKey && this.masks.length === this.accounts.length) return;
    const masks = selectionMasks(ledger, this.base, this.accounts);
    const index = new Map<number, number>();
    const combo = new Int32Array(this.accounts.length);
    this.comboGroup = [];
    this.comboMask = [];
    const stride = 2 ** ledger.length;
    for (let i = 0; i < combo.length; i++) {
      const g = this.accounts.group[i];
      const m = masks[i];
      const k = (g + 1) * stride + m;
      let c = index.get(k);
      if (c === undefined) {
        c = this.comboGroup.length;
        index.set(k, c);
        this.comboGroup.push(g);
        this.comboMask.push(m);
      }
      combo[i] = c;
    }
    this.masks = masks;
    this.combo = combo;
    this.maskKey = key;
    this.entryCounts = ledger.map((_, j) => {
      let selected = 0,
        valued = 0;
      const bit = 1 << j;
      for (let i = 0; i < masks.length; i++) {
        if (masks[i] & bit) {
          selected++;
          if (this.accounts.valueCents[i] > 0) valued++;
        }
      }
      return { selected, valued };
    });
  }

  evaluate(scenario: Scenario, options: EvaluateOptions = {}): Evaluation {
    const { base, accounts: a } = this;
    const ledger = scenario.ledger;
    this.prepareMasks(ledger);
    const E = ledger.length;
    const nCombos = this.comboGroup.length;
    const Y = PROJECTION_YEARS;

    // Effects per distinct set of model levers (and period length), then factors per combination.
    const modelBits = ledger.reduce((bits, e, j) => (isModelLever(e) ? bits | (1 << j) : bits), 0) >>> 0;
    const effectCache = new Map<string, PeriodEffects>();
    const effectsFor = (mask: number, pool: ScenarioPool): PeriodEffects => {
      const m = (mask & modelBits) >>> 0;
      const K = periodsFor(pool, base.horizonMonths);
      const key = `${m}|${pool.periodMonths}|${K}`;
      let eff = effectCache.get(key);
      if (!eff) {
        const e = { hazard: new Float64Array(K).fill(1), revenue: new Float64Array(K).fill(1), discountChange: 0 };
        for (let j = 0; j < E; j++) if (m & (1 << j)) applyLever(ledger[j], e, pool.periodMonths);
        effectCache.set(key, (eff = e));
      }
      return eff;
    };
    const ratio = new Float64Array(nCombos);
    const revenuePerPayment = new Float64Array(nCombos * Y); // yearly billings ÷ (margin × F₀) factor, per combination
    const affA = new Float64Array(nCombos);
    const affB = new Float64Array(nCombos);
    for (let c = 0; c < nCombos; c++) {
      const mask = this.comboMask[c];
      // Mass adjustments in ledger order compose the affine map (a, b).
      let A = 1;
      let B = 0;
      for (let j = 0; j < E; j++) {
        const e = ledger[j];
        if (!(mask & (1 << j)) || e.lever !== "massAdjustment") continue;
        if (e.params.mode === "percent") {
          A *= 1 + e.params.amount / 100;
          B *= 1 + e.params.amount / 100;
        } else B += e.params.amount;
      }
      affA[c] = A;
      affB[c] = B;
      const g = this.comboGroup[c];
      if (g < 0) continue;
      const group = base.groups[g];
      const pool = base.pools[group.pool];
      const f0 = this.baseFactor[g];
      const series =
        (mask & modelBits) === 0
          ? null
          : survivalSeries(pool, group.renewals, effectsFor(mask, pool), base.horizonMonths, base.annualDiscountRate);
      ratio[c] = series === null ? 1 : f0 > 0 ? series.valueFactor / f0 : 1;
      const yearly = series?.yearly ?? this.baseYearly[g];
      for (let y = 0; y < Y; y++) revenuePerPayment[c * Y + y] = f0 > 0 ? yearly[y] / f0 : 0;
    }

    // One pass over the accounts.
    const by = options.by ?? "tier";
    const byColumn = a[by];
    const nBy = base.dictionary[by].length;
    const P = base.pools.length;
    const values = new Float64Array(a.length);
    const sum = { n: 0, v: 0, lo: new Float64Array(P), hi: new Float64Array(P) };
    const byV = new Float64Array(nBy),
      byN = new Float64Array(nBy),
      byLo = new Float64Array(nBy * P),
      byHi = new Float64Array(nBy * P);
    const abcV = new Float64Array(4),
      abcN = new Float64Array(4),
      abcLo = new Float64Array(4 * P),
      abcHi = new Float64Array(4 * P);
    const rev = new Float64Array(Y),
      revLo = new Float64Array(Y * P),
      revHi = new Float64Array(Y * P);
    let recentN = 0,
      recentLtv = 0;
    for (let i = 0; i < a.length; i++) {
      const c = this.combo[i];
      const V = a.valueCents[i];
      const g = a.group[i];
      const pa = a.probabilityAlive[i];
      let x = 0,
        lo = 0,
        hi = 0;
      if (V > 0 || (pa > 0 && affB[c] !== 0)) {
        const r = ratio[c];
        const A = affA[c],
          B = affB[c] * pa;
        const lo0 = Math.min(a.p10Cents[i], V),
          hi0 = Math.max(a.p90Cents[i], V);
        x = Math.max(0, A * V * r + B);
        lo = Math.max(0, A * lo0 * r + B);
        hi = Math.max(0, A * hi0 * r + B);
      }
      values[i] = x;
      if (a.recent[i]) {
        recentN++;
        recentLtv += a.marginToDateCents[i] + x;
      }
      // Segment and class counts are of every account (the population the other pages count); values only of those valued.
      const b = byColumn[i];
      const k = a.abc[i];
      byN[b]++;
      abcN[k]++;
      if (x === 0 && hi === 0) continue;
      sum.n++;
      sum.v += x;
      const p = g >= 0 ? base.groups[g].pool : 0;
      const dl = x - lo,
        dh = hi - x;
      sum.lo[p] += dl;
      sum.hi[p] += dh;
      byV[b] += x;
      byLo[b * P + p] += dl;
      byHi[b * P + p] += dh;
      abcV[k] += x;
      abcLo[k * P + p] += dl;
      abcHi[k * P + p] += dh;
      if (g >= 0 && V > 0) {
        // Billings: V ÷ (margin × F₀) · Σ R m per year, scaled by the final value ÷ model value.
        const modelValue = V * ratio[c];
        const scale = modelValue > 0 ? (V * x) / modelValue : 0;
        const margin = base.margins[a.businessModel[i]] || 1;
        const lowShare = x > 0 ? lo / x : 0,
          highShare = x > 0 ? hi / x : 0;
        for (let y = 0; y < Y; y++) {
          const rv = (scale / margin) * revenuePerPayment[c * Y + y];
          rev[y] += rv;
          revLo[y * P + p] += rv * (1 - lowShare);
          revHi[y * P + p] += rv * (highShare - 1);
        }
      }
    }

    // New sales channels: acquisitions valued at acquisition, discounted to today.
    let channelAccounts = 0,
      channelValue = 0,
      channelCost = 0,
      channelYearAccounts = 0,
      channelYearValue = 0,
      channelYearCost = 0;
    const channelRevenue = new Float64Array(Y);
    const vMonth = Math.pow(1 + base.annualDiscountRate, -1 / 12);
    const subscriptionMargin = base.margins[Math.max(0, base.dictionary.businessModel.indexOf("subscription"))] || 1;
    for (const e of ledger) {
      if (e.lever !== "newChannel") continue;
      const { acquisitionsPerMonth: N, months: M, cacCents, valueCents: W } = e.params;
      let annuity = 0;
      for (let j = 1; j <= M; j++) annuity += Math.pow(vMonth, j);
      channelAccounts += N * M;
      channelValue += N * W * annuity;
      channelCost += N * M * cacCents;
      channelYearAccounts += N * Math.min(M, 12);
      channelYearValue += N * Math.min(M, 12) * W;
      channelYearCost += N * Math.min(M, 12) * cacCents;
      // Revenue: each new account's value spread evenly over five years at the subscription margin.
      const perMonth = W / (subscriptionMargin * 60);
      for (let j = 1; j <= M; j++)
        for (let t = j + 1; t <= Math.min(j + 60, Y * 12); t++) channelRevenue[Math.ceil(t / 12) - 1] += N * perMonth;
    }

    const combine = (v: number, n: number, lo: Float64Array, hi: Float64Array, offset = 0): Aggregate => {
      let l = 0,
        h = 0;
      for (let p = 0; p < P; p++) {
        l += lo[offset + p] ** 2;
        h += hi[offset + p] ** 2;
      }
      return { accounts: n, valueCents: v, p10Cents: v - Math.sqrt(l), p90Cents: v + Math.sqrt(h) };
    };
    const baseAgg = combine(sum.v, sum.n, sum.lo, sum.hi);
    const projection = {
      revenueCents: new Float64Array(Y),
      p10Cents: new Float64Array(Y),
      p90Cents: new Float64Array(Y),
    };
    for (let y = 0; y < Y; y++) {
      const agg = combine(rev[y], 0, revLo, revHi, y * P);
      projection.revenueCents[y] = agg.valueCents + channelRevenue[y];
      projection.p10Cents[y] = agg.p10Cents + channelRevenue[y];
      projection.p90Cents[y] = agg.p90Cents + channelRevenue[y];
    }
    // LTV : CAC over a year of acquisitions: the last 12 months' new accounts (valued under the
    // scenario) plus twelve months of any new channel.
    const newAccounts = recentN + channelYearAccounts;
    const ltv = newAccounts > 0 ? (recentLtv + channelYearValue) / newAccounts : null;
    const acquired = base.economics.newAccountsT12m + channelYearAccounts;
    const cac = acquired > 0 ? (base.economics.spendT12mCents + channelYearCost) / acquired : null;
    const entryAccounts = this.entryCounts;
    return {
      base: baseAgg,
      newChannel: { accounts: channelAccounts, valueCents: channelValue, costCents: channelCost },
      total: {
        accounts: baseAgg.accounts,
        valueCents: baseAgg.valueCents + channelValue,
        p10Cents: baseAgg.p10Cents + channelValue,
        p90Cents: baseAgg.p90Cents + channelValue,
      },
      by: { dim: by, rows: Array.from({ length: nBy }, (_, b) => combine(byV[b], byN[b], byLo, byHi, b * P)) },
      abc: Array.from({ length: 4 }, (_, k) => combine(abcV[k], abcN[k], abcLo, abcHi, k * P)),
      projection,
      values,
      ltvCac: {
        accounts: newAccounts,
        ltvCents: ltv,
        cacCents: cac,
        ratio: ltv !== null && cac !== null && cac > 0 ? ltv / cac : null,
      },
      entryAccounts,
    };
  }
}

/** Periods computed per account: the valuation horizon and at least the five projected years. */
export function periodsFor(pool: ScenarioPool, horizonMonths: number): number {
  return Math.max(
    Math.floor(horizonMonths / pool.periodMonths),
    Math.ceil((PROJECTION_YEARS * 12) / pool.periodMonths),
  );
}

export interface AffectedAccount {
  readonly index: number;
  readonly accountId: string;
  readonly baselineCents: number;
  readonly scenarioCents: number;
  readonly changeCents: number;
}

/** The `count` accounts with the largest absolute change, largest first (ties by position). */
export function mostAffected(accounts: AccountArrays, scenarioValues: Float64Array, count = 10): AffectedAccount[] {
  const top: number[] = [];
  const change = (i: number) => Math.abs(scenarioValues[i] - accounts.valueCents[i]);
  for (let i = 0; i < accounts.length; i++) {
    const d = change(i);
    if (d <= 0.5) continue; // less than a cent
    if (top.length < count || d > change(top[top.length - 1])) {
      let pos = top.length;
      while (pos > 0 && change(top[pos - 1]) < d) pos--;
      top.splice(pos, 0, i);
      if (top.length > count) top.pop();
    }
  }
  return top.map((i) => ({
    index: i,
    accountId: accounts.accountId[i],
    baselineCents: accounts.valueCents[i],
    scenarioCents: scenarioValues[i],
    changeCents: scenarioValues[i] - accounts.valueCents[i],
  }));
}
