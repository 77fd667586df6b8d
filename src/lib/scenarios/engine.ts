/**
 * Applies a scenario's ledger to the per-account baseline and aggregates the result.
 *
 * The baseline value of an account is the models' point estimate V (loaders/models): for a
 * running contract V = margin × payment × F₀, F the value factor of ./series.ts. The scenario
 * value of an account is  V' = max(0, a · V · F ÷ F₀ + b · P(alive)),  where F is the factor
 * under the model levers that select the account (./levers.ts says how each acts) and the
 * mass adjustments of the ledger, in ledger order, compose the affine map (a, b): "+p %" maps
 * (a, b) → ((1 + p)a, (1 + p)b) and "+A" maps b → b + A. Model levers commute (their
 * multipliers multiply); mass adjustments act on the resulting value in ledger order. New
 * channels add accounts of their own, net of their acquisition cost (./channel.ts).
 *
 * Bands (./bands.ts): each account's P10 and P90 (from parameter draws of its model) are moved
 * by the same F ÷ F₀ and affine map as its value (P10 ≤ V ≤ P90 is enforced first). The band
 * covers the models' parameter uncertainty under the scenario's assumptions, not uncertainty
 * about the assumptions themselves. The change against the baseline carries its own band,
 * computed on the same draws.
 *
 * Revenue projection: expected billings per year for five years; revenue of period k =
 * V ÷ (margin × F₀) · R(k) · m(k), scaled by the account's final V' ÷ (V · F ÷ F₀) so that mass
 * adjustments move revenue in proportion to value.
 */
import { PoolSums, type Aggregate, type ChangeBand } from "./bands.js";
import { channelTotals, type ChannelValue } from "./channel.js";
import type { AccountArrays, ScenarioBase, ScenarioPool } from "./inputs.js";
import type { LedgerEntry, Scenario, SegmentDim } from "./ledger.js";
import { applyLever, isModelLever } from "./levers.js";
import { selectionMasks } from "./masks.js";
import { neutralEffects, periodsFor, PROJECTION_YEARS, survivalSeries, type PeriodEffects } from "./series.js";

// The engine's inputs keep their import path here (loaders/outputs/scenarios/base.ts).
export type { AccountArrays, ScenarioBase, ScenarioGroup, ScenarioPool } from "./inputs.js";
export type { Aggregate, ChangeBand } from "./bands.js";

/** Dimensions results can be broken down by (products are multi-valued, so not one of them). */
export type BreakdownDim = Exclude<SegmentDim, "products">;

export interface Evaluation {
  /** The existing base (accounts valued today); new-channel accounts are in `newChannel`. */
  readonly base: Aggregate;
  readonly newChannel: ChannelValue;
  /** base + the new channel net of its CAC (the channel adds its point value to the band as well). */
  readonly total: Aggregate;
  readonly by: { readonly dim: BreakdownDim; readonly rows: Aggregate[] };
  readonly abc: Aggregate[];
  /** scenario − baseline on shared parameter draws: the total, per `by` row and per ABC class. */
  readonly change: { readonly total: ChangeBand; readonly by: ChangeBand[]; readonly abc: ChangeBand[] };
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

/** Per (group, mask) combination: F ÷ F₀, the affine map and yearly billings per unit of value. */
interface ComboFactors {
  readonly ratio: Float64Array;
  readonly affA: Float64Array;
  readonly affB: Float64Array;
  /** Yearly billings ÷ (margin × F₀), combination-major. */
  readonly revenuePerPayment: Float64Array;
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
  /** Per group: expected billings per year without any lever. */
  private readonly baseYearly: Float64Array[];
  private maskKey = "";
  /** Per account: index of its (group, mask) combination. */
  private combo: Int32Array = new Int32Array(0);
  private comboGroup: number[] = [];
  private comboMask: number[] = [];
  private entryCounts: Array<{ selected: number; valued: number }> = [];

  constructor(base: ScenarioBase, accounts: AccountArrays) {
    this.base = base;
    this.accounts = accounts;
    const neutral = base.groups.map((g) => {
      const pool = base.pools[g.pool];
      return survivalSeries(
        pool,
        g.renewals,
        neutralEffects(periodsFor(pool, base.horizonMonths)),
        base.horizonMonths,
        base.annualDiscountRate,
      );
    });
    this.baseFactor = Float64Array.from(neutral, (s) => s.valueFactor);
    this.baseYearly = neutral.map((s) => s.yearly);
  }

  /** Groups accounts by (model group, selection mask): the factors are computed per combination. */
  private prepareMasks(ledger: readonly LedgerEntry[]): void {
    const key = JSON.stringify(ledger.map((e) => e.segment));
    if (key === this.maskKey && this.combo.length === this.accounts.length) return;
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

  /** The factors of every combination under the entries of `ledger` below index `upTo`. */
  private comboFactors(ledger: readonly LedgerEntry[], upTo: number): ComboFactors {
    const { base } = this;
    const E = Math.min(ledger.length, upTo);
    const Y = PROJECTION_YEARS;
    const nCombos = this.comboGroup.length;
    let modelBits = 0;
    for (let j = 0; j < E; j++) if (isModelLever(ledger[j])) modelBits |= 1 << j;
    modelBits >>>= 0;
    // Effects per distinct set of model levers (and period length).
    const effectCache = new Map<string, PeriodEffects>();
    const effectsFor = (bits: number, pool: ScenarioPool): PeriodEffects => {
      const K = periodsFor(pool, base.horizonMonths);
      const key = `${bits}|${pool.periodMonths}|${K}`;
      let eff = effectCache.get(key);
      if (!eff) {
        const e = { ...neutralEffects(K) };
        for (let j = 0; j < E; j++) if (bits & (1 << j)) applyLever(ledger[j], e, pool.periodMonths);
        effectCache.set(key, (eff = e));
      }
      return eff;
    };
    const ratio = new Float64Array(nCombos);
    const revenuePerPayment = new Float64Array(nCombos * Y);
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
      const bits = (mask & modelBits) >>> 0;
      const series =
        bits === 0
          ? null
          : survivalSeries(pool, group.renewals, effectsFor(bits, pool), base.horizonMonths, base.annualDiscountRate);
      ratio[c] = series === null ? 1 : f0 > 0 ? series.valueFactor / f0 : 1;
      const yearly = series?.yearly ?? this.baseYearly[g];
      for (let y = 0; y < Y; y++) revenuePerPayment[c * Y + y] = f0 > 0 ? yearly[y] / f0 : 0;
    }
    return { ratio, affA, affB, revenuePerPayment };
  }

  /** Account i's scenario value: max(0, a·V·F÷F₀ + b·P(alive)), 0 without value or an amount to add. */
  private valueOf(i: number, f: ComboFactors): number {
    const a = this.accounts;
    const c = this.combo[i];
    const V = a.valueCents[i];
    const B = f.affB[c] * a.probabilityAlive[i];
    return V > 0 || B !== 0 ? Math.max(0, f.affA[c] * V * f.ratio[c] + B) : 0;
  }

  /**
   * The total value (existing base plus new channels net of CAC) under the entries of
   * `scenario.ledger` below index `upTo`: the steps of the lever bridge (./bridge.ts). Sums in
   * the order evaluate() does, so `upTo = ledger.length` gives its total to the last bit.
   */
  totalUpTo(scenario: Scenario, upTo: number): number {
    const ledger = scenario.ledger;
    this.prepareMasks(ledger);
    const f = this.comboFactors(ledger, upTo);
    let sum = 0;
    for (let i = 0; i < this.accounts.length; i++) sum += this.valueOf(i, f);
    return sum + channelTotals(ledger, this.base, upTo).netCents;
  }

  evaluate(scenario: Scenario, options: EvaluateOptions = {}): Evaluation {
    const { base, accounts: a } = this;
    const ledger = scenario.ledger;
    this.prepareMasks(ledger);
    const f = this.comboFactors(ledger, ledger.length);
    const Y = PROJECTION_YEARS;

    // One pass over the accounts.
    const by = options.by ?? "tier";
    const byColumn = a[by];
    const nBy = base.dictionary[by].length;
    const P = base.pools.length;
    const values = new Float64Array(a.length);
    // Rows of the sums: 0 the portfolio, 1 … nBy the `by` rows, then the four ABC classes.
    const R = 1 + nBy + 4;
    const abcRow = 1 + nBy;
    const value = new Float64Array(R),
      accounts = new Float64Array(R),
      baseline = new Float64Array(R);
    const level = new PoolSums(R, P);
    const change = new PoolSums(R, P);
    const rev = new Float64Array(Y);
    const revBand = new PoolSums(Y, P);
    let recentN = 0,
      recentLtv = 0;
    for (let i = 0; i < a.length; i++) {
      const c = this.combo[i];
      const V = a.valueCents[i];
      const g = a.group[i];
      const x = this.valueOf(i, f);
      // The account at its P10 and P90 draws, under the baseline and under the scenario.
      const b0 = V > 0 ? Math.min(a.p10Cents[i], V) : 0,
        b1 = V > 0 ? Math.max(a.p90Cents[i], V) : 0;
      let lo = 0,
        hi = 0;
      if (x > 0 || V > 0) {
        const A = f.affA[c] * f.ratio[c],
          B = f.affB[c] * a.probabilityAlive[i];
        lo = Math.max(0, A * b0 + B);
        hi = Math.max(0, A * b1 + B);
      }
      values[i] = x;
      if (a.recent[i]) {
        recentN++;
        recentLtv += a.marginToDateCents[i] + x;
      }
      // Segment and class counts are of every account (the population the other pages count); values only of those valued.
      accounts[1 + byColumn[i]]++;
      accounts[abcRow + a.abc[i]]++;
      if (x === 0 && hi === 0 && V <= 0) continue;
      const p = g >= 0 ? base.groups[g].pool : 0;
      const moved = x - V;
      // The account adds to three rows: the portfolio, its `by` row and its ABC class.
      for (let k = 0; k < 3; k++) {
        const r = k === 0 ? 0 : k === 1 ? 1 + byColumn[i] : abcRow + a.abc[i];
        if (x !== 0 || hi !== 0) {
          value[r] += x;
          if (k === 0) accounts[r]++;
          level.add(r, p, x - lo, hi - x);
        }
        if (V > 0) baseline[r] += V;
        change.add(r, p, lo - b0 - moved, hi - b1 - moved);
      }
      if (g >= 0 && V > 0 && x > 0) {
        // Billings: V ÷ (margin × F₀) · Σ R m per year, scaled by the final value ÷ model value.
        const modelValue = V * f.ratio[c];
        const scale = modelValue > 0 ? (V * x) / modelValue : 0;
        const margin = base.margins[a.businessModel[i]] || 1;
        const lowShare = lo / x,
          highShare = hi / x;
        for (let y = 0; y < Y; y++) {
          const rv = (scale / margin) * f.revenuePerPayment[c * Y + y];
          rev[y] += rv;
          revBand.add(y, p, rv * (1 - lowShare), rv * (highShare - 1));
        }
      }
    }

    const channel = channelTotals(ledger, base);
    const baseAgg = level.level(0, value[0], accounts[0]);
    const projection = {
      revenueCents: new Float64Array(Y),
      p10Cents: new Float64Array(Y),
      p90Cents: new Float64Array(Y),
    };
    for (let y = 0; y < Y; y++) {
      const agg = revBand.level(y, rev[y], 0);
      projection.revenueCents[y] = agg.valueCents + channel.revenueCents[y];
      projection.p10Cents[y] = agg.p10Cents + channel.revenueCents[y];
      projection.p90Cents[y] = agg.p90Cents + channel.revenueCents[y];
    }
    // LTV : CAC over a year of acquisitions: the last 12 months' new accounts (valued under the
    // scenario) plus twelve months of any new channel.
    const newAccounts = recentN + channel.firstYear.accounts;
    const ltv = newAccounts > 0 ? (recentLtv + channel.firstYear.valueCents) / newAccounts : null;
    const acquired = base.economics.newAccountsT12m + channel.firstYear.accounts;
    const cac = acquired > 0 ? (base.economics.spendT12mCents + channel.firstYear.cacCents) / acquired : null;
    const total = baseAgg.valueCents + channel.netCents;
    return {
      base: baseAgg,
      newChannel: {
        accounts: channel.accounts,
        grossCents: channel.grossCents,
        cacCents: channel.cacCents,
        netCents: channel.netCents,
      },
      total: {
        accounts: baseAgg.accounts,
        valueCents: total,
        p10Cents: baseAgg.p10Cents + channel.netCents,
        p90Cents: baseAgg.p90Cents + channel.netCents,
      },
      by: { dim: by, rows: Array.from({ length: nBy }, (_, b) => level.level(1 + b, value[1 + b], accounts[1 + b])) },
      abc: Array.from({ length: 4 }, (_, k) => level.level(abcRow + k, value[abcRow + k], accounts[abcRow + k])),
      change: {
        total: change.change(0, total - baseline[0]),
        by: Array.from({ length: nBy }, (_, b) => change.change(1 + b, value[1 + b] - baseline[1 + b])),
        abc: Array.from({ length: 4 }, (_, k) => change.change(abcRow + k, value[abcRow + k] - baseline[abcRow + k])),
      },
      projection,
      values,
      ltvCac: {
        accounts: newAccounts,
        ltvCents: ltv,
        cacCents: cac,
        ratio: ltv !== null && cac !== null && cac > 0 ? ltv / cac : null,
      },
      entryAccounts: this.entryCounts,
    };
  }
}
