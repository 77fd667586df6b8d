/**
 * Contract accounts: sBG fits per segment (billing term × tier × size band) on renewal
 * periods, and each running contract's expected discounted margin over the horizon with a
 * P10–P90 band from parameter draws. Segments with too few accounts, or without a single
 * churn to learn from, borrow the fit of the broader pool (term × tier, then term).
 */
import { quantileSorted } from "../../src/lib/models/data.js";
import { fitSbg, sbgSurvival, SBG_PARAM_NAMES, type SbgFit, type SbgParams } from "../../src/lib/models/sbg.js";
import { drawParameters } from "../../src/lib/models/uncertainty.js";
import { monthlyDiscountRate } from "../../src/lib/models/valuation.js";
import { createRng } from "../../src/lib/random.js";
import { empiricalSurvival, survivorCohorts, type Lifetime } from "../../src/lib/valuation/contract.js";
import type { AccountValue, ContractFit } from "../../src/lib/valuation/models-data.js";
import type { ValuationConfig } from "../config.js";
import type { ContractAccount } from "./inputs.js";

const PERIOD_MONTHS = { monthly: 1, annual: 12 } as const;
/** Survival curves on the Models page: periods shown per billing term. */
const CURVE_PERIODS = { monthly: 60, annual: 6 } as const;

interface Pool {
  readonly key: string;
  readonly level: ContractFit["pooledAt"];
  readonly term: "monthly" | "annual";
  readonly lifetimes: Lifetime[];
}

export interface ContractResult {
  readonly fits: ContractFit[];
  readonly values: AccountValue[];
  /** Portfolio total under each parameter draw (cents), in draw order. */
  readonly totalDraws: Float64Array;
  readonly notes: string[];
}

/** Lifetime of an account's first run, in its billing periods, as of `asOfMonth`. */
export function lifetimeOf(a: ContractAccount, asOfMonth: number): Lifetime {
  const len = PERIOD_MONTHS[a.billingTerm];
  const periodsObserved = Math.floor((asOfMonth - a.firstStart) / len);
  if (a.firstEnd >= asOfMonth) return { periodsObserved, churnedAfter: null };
  const paid = Math.max(1, Math.ceil((a.firstEnd - a.firstStart + 1) / len));
  return { periodsObserved: Math.max(periodsObserved, paid), churnedAfter: paid };
}

export function valueContracts(accounts: readonly ContractAccount[], asOfMonth: number, margin: number, config: ValuationConfig): ContractResult {
  const notes: string[] = [];
  const segmentKey = (a: ContractAccount) => `${a.billingTerm} · ${a.tier} · ${a.sizeBand}`;
  const pools = new Map<string, Pool>();
  const add = (key: string, level: Pool["level"], term: Pool["term"], lifetime: Lifetime) => {
    let pool = pools.get(key);
    if (!pool) pools.set(key, (pool = { key, level, term, lifetimes: [] }));
    pool.lifetimes.push(lifetime);
  };
  const lifetimes = accounts.map((a) => lifetimeOf(a, asOfMonth));
  accounts.forEach((a, i) => {
    add(segmentKey(a), "segment", a.billingTerm, lifetimes[i]);
    add(`${a.billingTerm} · ${a.tier}`, "tier", a.billingTerm, lifetimes[i]);
    add(a.billingTerm, "term", a.billingTerm, lifetimes[i]);
  });

  // Fit each pool that is usable: enough accounts, at least one churn, one period observed.
  const fitted = new Map<string, SbgFit | null>();
  const fitOf = (pool: Pool): SbgFit | null => {
    if (fitted.has(pool.key)) return fitted.get(pool.key)!;
    const churned = pool.lifetimes.filter((l) => l.churnedAfter !== null).length;
    let fit: SbgFit | null = null;
    if (pool.lifetimes.length >= config.minSegmentAccounts && churned > 0) {
      const cohorts = survivorCohorts(pool.lifetimes).filter((c) => c.length >= 2);
      if (cohorts.length > 0) fit = fitSbg(cohorts);
    }
    fitted.set(pool.key, fit);
    return fit;
  };
  const chooseFit = (a: ContractAccount): { pool: Pool; fit: SbgFit } | null => {
    for (const key of [segmentKey(a), `${a.billingTerm} · ${a.tier}`, a.billingTerm]) {
      const pool = pools.get(key)!;
      const fit = fitOf(pool);
      if (fit && fit.covLog) return { pool, fit };
    }
    return null;
  };

  // Value factor per (fit, renewals): f = Σ_k S(n+k)/S(n) / (1 + d)^k, for the point estimate and each draw.
  const draws = config.draws;
  const rng = createRng(config.seed);
  const drawsOf = new Map<string, SbgParams[]>();
  const factorCache = new Map<string, { point: number; draws: Float64Array; payments12: number }>();
  const factors = (pool: Pool, fit: SbgFit, n: number) => {
    const cacheKey = `${pool.key}#${n}`;
    let f = factorCache.get(cacheKey);
    if (f) return f;
    let paramDraws = drawsOf.get(pool.key);
    if (!paramDraws) drawsOf.set(pool.key, (paramDraws = drawParameters(rng, SBG_PARAM_NAMES, fit, fit.covLog, draws)));
    const len = PERIOD_MONTHS[pool.term];
    const periods = Math.floor(config.horizonMonths / len);
    const d = len === 1 ? monthlyDiscountRate(config.annualDiscountRate) : Math.pow(1 + config.annualDiscountRate, len / 12) - 1;
    const drawFactors = Float64Array.from(paramDraws, (p) => discountedSurvival(p, n, periods, d));
    f = { point: discountedSurvival(fit, n, periods, d), draws: drawFactors, payments12: discountedSurvival(fit, n, Math.floor(12 / len), 0) };
    factorCache.set(cacheKey, f);
    return f;
  };

  const values: AccountValue[] = [];
  const totalDraws = new Float64Array(draws);
  const poolTotals = new Map<string, { value: number; draws: Float64Array }>();
  const sorted = new Float64Array(draws);
  let unmodelled = 0;
  for (const a of accounts) {
    const chosen = chooseFit(a);
    if (!chosen) {
      unmodelled++;
      values.push({ account_id: a.accountId, model: "none", segment: segmentKey(a), clv_cents: 0, clv_p10_cents: 0, clv_p50_cents: 0, clv_p90_cents: 0, probability_alive: a.currentStart === null ? 0 : 1, expected_purchases_12m: 0 });
      continue;
    }
    const active = a.currentStart !== null && a.mrrCents > 0;
    if (!active) {
      values.push({ account_id: a.accountId, model: "sbg", segment: chosen.pool.key, clv_cents: 0, clv_p10_cents: 0, clv_p50_cents: 0, clv_p90_cents: 0, probability_alive: 0, expected_purchases_12m: 0 });
      continue;
    }
    const len = PERIOD_MONTHS[a.billingTerm];
    const renewals = Math.floor((asOfMonth - a.currentStart!) / len);
    const f = factors(chosen.pool, chosen.fit, renewals);
    const payment = a.mrrCents * len * margin;
    for (let j = 0; j < draws; j++) sorted[j] = payment * f.draws[j];
    let segment = poolTotals.get(segmentKey(a));
    if (!segment) poolTotals.set(segmentKey(a), (segment = { value: 0, draws: new Float64Array(draws) }));
    for (let j = 0; j < draws; j++) {
      totalDraws[j] += sorted[j];
      segment.draws[j] += sorted[j];
    }
    segment.value += payment * f.point;
    sorted.sort();
    values.push({
      account_id: a.accountId,
      model: "sbg",
      segment: chosen.pool.key,
      clv_cents: payment * f.point,
      clv_p10_cents: quantileSorted(sorted, 0.1),
      clv_p50_cents: quantileSorted(sorted, 0.5),
      clv_p90_cents: quantileSorted(sorted, 0.9),
      probability_alive: 1,
      expected_purchases_12m: f.payments12,
    });
  }
  if (unmodelled > 0) notes.push(`${unmodelled} subscription accounts could not be valued: no pool had enough accounts with at least one churn (minSegmentAccounts = ${config.minSegmentAccounts}).`);

  // One entry per segment present in the data, with the parameters it used.
  const fits: ContractFit[] = [];
  const bySegment = new Map<string, ContractAccount[]>();
  for (const a of accounts) {
    const list = bySegment.get(segmentKey(a)) ?? [];
    list.push(a);
    bySegment.set(segmentKey(a), list);
  }
  for (const [key, members] of [...bySegment.entries()].sort((x, y) => x[0].localeCompare(y[0]))) {
    const chosen = chooseFit(members[0]);
    if (!chosen) continue;
    const own = pools.get(key)!;
    const horizon = CURVE_PERIODS[own.term];
    const km = empiricalSurvival(own.lifetimes, horizon);
    const t = Array.from({ length: horizon + 1 }, (_, i) => i);
    const totals = poolTotals.get(key) ?? { value: 0, draws: new Float64Array(draws) };
    const sortedTotals = Float64Array.from(totals.draws).sort();
    fits.push({
      key,
      billingTerm: members[0].billingTerm,
      tier: members[0].tier,
      sizeBand: members[0].sizeBand,
      pooledAt: chosen.pool.level,
      accounts: members.length,
      activeAccounts: members.filter((m) => m.currentStart !== null && m.mrrCents > 0).length,
      churned: own.lifetimes.filter((l) => l.churnedAfter !== null).length,
      gamma: chosen.fit.gamma,
      delta: chosen.fit.delta,
      se: chosen.fit.se ? { gamma: chosen.fit.se.gamma, delta: chosen.fit.se.delta } : null,
      logLik: chosen.fit.logLik,
      survival: {
        t,
        actual: t.map((i) => km[i]?.survival ?? null),
        atRisk: t.map((i) => km[i]?.atRisk ?? 0),
        fitted: t.map((i) => sbgSurvival(chosen.fit, i)),
      },
      valueCents: totals.value,
      band: { p10: quantileSorted(sortedTotals, 0.1), p50: quantileSorted(sortedTotals, 0.5), p90: quantileSorted(sortedTotals, 0.9) },
    });
  }
  return { fits, values, totalDraws, notes };
}

/**
 * Σ_{k=1}^{H} [S(n + k) ÷ S(n)] ÷ (1 + d)^k by the retention recursion S(t) ÷ S(t − 1) =
 * (δ + t − 1) ÷ (γ + δ + t − 1) (Fader & Hardie 2007 eq. 9): no special functions per term.
 * Equals `contractValue` (src/lib/valuation/contract.ts) with margin and payment 1; a test checks it.
 */
export function discountedSurvival(p: SbgParams, n: number, periods: number, discount: number): number {
  let ratio = 1;
  let sum = 0;
  const v = 1 / (1 + discount);
  let factor = 1;
  for (let k = 1; k <= periods; k++) {
    // (δ + t − 1)/(γ + δ + t − 1) written as 1/(1 + γ/(δ + t − 1)): stays exact when a far
    // parameter draw makes δ overflow to Infinity (retention → 1).
    const c = p.gamma / (p.delta + n + k - 1);
    ratio *= Number.isFinite(c) ? 1 / (1 + c) : 0;
    factor *= v;
    sum += ratio * factor;
  }
  return sum;
}
