/**
 * Contract accounts: sBG fits per segment (billing term × tier × size band) on renewal
 * periods, and each running contract's expected discounted margin over the horizon with a
 * P10–P90 band from parameter draws. Segments with too few accounts, or without a single
 * churn to learn from, borrow the fit of the broader pool (term × tier, then term).
 */
import { quantileSorted } from "../../src/lib/models/quantiles.js";
import {
  fitSbg,
  sbgDiscountedSurvival,
  sbgSurvival,
  SBG_PARAM_NAMES,
  type SbgFit,
  type SbgParams,
} from "../../src/lib/models/sbg.js";
import { drawParameters } from "../../src/lib/models/uncertainty.js";
import { monthlyDiscountRate } from "../../src/lib/models/discounting.js";
import { createRng } from "../../src/lib/random.js";
import { empiricalSurvival, survivorCohorts, type Lifetime } from "../../src/lib/models/lifetimes.js";
import { checkIdentification } from "../../src/lib/models/identification.js";
import type { AccountValue, ContractFit, HistoryCheck, NotValued } from "../../src/lib/shapes/models-data.js";
import type { ValuationConfig } from "../config.js";
import type { ContractAccountState } from "../../src/lib/models/outcomes.js";
import type { ContractAccount } from "./inputs.js";

const PERIOD_MONTHS = { monthly: 1, annual: 12 } as const;
/** A pool with fewer churn events than this is not fitted (its own data cannot say how churn varies). */
export const MIN_CHURN_EVENTS = 5;
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
  /** Segments no sBG fit could value, with the reason. */
  readonly notValued: NotValued[];
  /** Each valued running contract's state, for the outcome simulation (outcomes.ts). */
  readonly states: ContractAccountState[];
}

/** Lifetime of an account's first run, in its billing periods, as of `asOfMonth`. */
export function lifetimeOf(a: ContractAccount, asOfMonth: number): Lifetime {
  const len = PERIOD_MONTHS[a.billingTerm];
  const periodsObserved = Math.floor((asOfMonth - a.firstStart) / len);
  if (a.firstEnd >= asOfMonth) return { periodsObserved, churnedAfter: null };
  const paid = Math.max(1, Math.ceil((a.firstEnd - a.firstStart + 1) / len));
  return { periodsObserved: Math.max(periodsObserved, paid), churnedAfter: paid };
}

export function valueContracts(
  accounts: readonly ContractAccount[],
  asOfMonth: number,
  margin: number,
  config: ValuationConfig,
): ContractResult {
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

  // Fit each pool whose data can support a model: enough accounts, enough churn events, at
  // least one cohort observed for two periods. A fit that is weakly identified (a parameter at
  // a bound, a standard error above its estimate, a flat direction) is not used when a broader
  // pool is well determined; it is used, with its warnings, when no level does better.
  type PoolFit = {
    fit: SbgFit | null;
    status: "ok" | "weak" | "unusable";
    reason: string;
    warnings: string[];
    checks: HistoryCheck[];
  };
  const fitted = new Map<string, PoolFit>();
  const fitOf = (pool: Pool): PoolFit => {
    const known = fitted.get(pool.key);
    if (known) return known;
    const churned = pool.lifetimes.filter((l) => l.churnedAfter !== null).length;
    const checks: HistoryCheck[] = [
      {
        what: "accounts",
        needed: config.minSegmentAccounts,
        found: pool.lifetimes.length,
        ok: pool.lifetimes.length >= config.minSegmentAccounts,
      },
      { what: "churn events", needed: MIN_CHURN_EVENTS, found: churned, ok: churned >= MIN_CHURN_EVENTS },
    ];
    let out: PoolFit;
    const failed = checks.filter((c) => !c.ok);
    const cohorts = survivorCohorts(pool.lifetimes).filter((c) => c.length >= 2);
    if (failed.length > 0) {
      out = {
        fit: null,
        status: "unusable",
        reason: `${failed.map((c) => `${c.found} ${c.what} (at least ${c.needed} needed)`).join(" and ")}`,
        warnings: [],
        checks,
      };
    } else if (cohorts.length === 0) {
      out = { fit: null, status: "unusable", reason: "no account observed for a full period", warnings: [], checks };
    } else {
      try {
        const fit = fitSbg(cohorts);
        const id = checkIdentification(SBG_PARAM_NAMES, fit, { symbols: { gamma: "γ", delta: "δ" } });
        out = {
          fit,
          status: id.unusable ? "unusable" : id.weak ? "weak" : "ok",
          reason: id.warnings.join(" "),
          warnings: id.warnings,
          checks,
        };
      } catch (error) {
        out = {
          fit: null,
          status: "unusable",
          reason: `the fit failed (${(error as Error).message})`,
          warnings: [],
          checks,
        };
      }
    }
    fitted.set(pool.key, out);
    return out;
  };
  const capitalize = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);
  const LEVEL_WORDS = { segment: "the segment", tier: "the term × tier pool", term: "the billing-term pool" } as const;
  type Chosen = { pool: Pool; fit: SbgFit; warnings: string[]; fallback: string | null };
  const chosenOf = new Map<string, Chosen | { reason: string }>();
  const chooseFit = (a: ContractAccount): Chosen | { reason: string } => {
    const key = segmentKey(a);
    const known = chosenOf.get(key);
    if (known) return known;
    const levels = [key, `${a.billingTerm} · ${a.tier}`, a.billingTerm].map((k) => pools.get(k)!);
    const skipped: string[] = [];
    let choice: Chosen | { reason: string } | null = null;
    for (const pool of levels) {
      const f = fitOf(pool);
      if (f.status === "ok") {
        choice = {
          pool,
          fit: f.fit!,
          warnings: [],
          fallback: skipped.length
            ? `${skipped.join(" ")} Parameters from ${LEVEL_WORDS[pool.level]} (${pool.key}).`
            : null,
        };
        break;
      }
      const why = f.reason.endsWith(".") ? f.reason : `${f.reason}.`;
      skipped.push(
        `${capitalize(LEVEL_WORDS[pool.level])} ${f.status === "weak" ? "is weakly identified" : "cannot be fitted"}: ${why}`,
      );
    }
    if (!choice) {
      // No level is well determined: use the first usable (weakly identified) one and say so.
      const weak = levels.find((pool) => fitOf(pool).status === "weak");
      choice = weak
        ? {
            pool: weak,
            fit: fitOf(weak).fit!,
            warnings: fitOf(weak).warnings,
            fallback:
              weak.level === "segment"
                ? null
                : `${skipped.join(" ")} Parameters from ${LEVEL_WORDS[weak.level]} (${weak.key}), the first that can be fitted, although weakly identified.`,
          }
        : { reason: `No sBG fit can value it. ${skipped.join(" ")}` };
    }
    chosenOf.set(key, choice);
    return choice;
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
    const d =
      len === 1
        ? monthlyDiscountRate(config.annualDiscountRate)
        : Math.pow(1 + config.annualDiscountRate, len / 12) - 1;
    const drawFactors = Float64Array.from(paramDraws, (p) => sbgDiscountedSurvival(p, n, periods, d));
    f = {
      point: sbgDiscountedSurvival(fit, n, periods, d),
      draws: drawFactors,
      payments12: sbgDiscountedSurvival(fit, n, Math.floor(12 / len), 0),
    };
    if (!(Number.isFinite(f.point) && Number.isFinite(f.payments12) && drawFactors.every(Number.isFinite))) {
      throw new RangeError(
        `the value of a contract after ${n} renewals is not finite for γ ${fit.gamma}, δ ${fit.delta} or one of their draws`,
      );
    }
    factorCache.set(cacheKey, f);
    return f;
  };

  const values: AccountValue[] = [];
  const states: ContractAccountState[] = [];
  const totalDraws = new Float64Array(draws);
  const poolTotals = new Map<string, { value: number; draws: Float64Array }>();
  const sorted = new Float64Array(draws);
  // Segments that could not be valued, with the reason; their accounts get model "none" here and the historical value later.
  const failedSegments = new Map<string, { reason: string; accounts: number }>();
  const notValuedRow = (a: ContractAccount): AccountValue => ({
    account_id: a.accountId,
    model: "none",
    segment: segmentKey(a),
    clv_cents: 0,
    clv_p10_cents: 0,
    clv_p50_cents: 0,
    clv_p90_cents: 0,
    probability_alive: a.currentStart === null ? 0 : 1,
    expected_purchases_12m: 0,
  });
  const failSegment = (a: ContractAccount, reason: string) => {
    const entry = failedSegments.get(segmentKey(a)) ?? { reason, accounts: 0 };
    entry.accounts++;
    failedSegments.set(segmentKey(a), entry);
    values.push(notValuedRow(a));
  };
  for (const a of accounts) {
    const chosen = chooseFit(a);
    if (!("fit" in chosen)) {
      failSegment(a, chosen.reason);
      continue;
    }
    const active = a.currentStart !== null && a.mrrCents > 0;
    if (!active) {
      values.push({
        account_id: a.accountId,
        model: "sbg",
        segment: chosen.pool.key,
        clv_cents: 0,
        clv_p10_cents: 0,
        clv_p50_cents: 0,
        clv_p90_cents: 0,
        probability_alive: 0,
        expected_purchases_12m: 0,
      });
      continue;
    }
    const len = PERIOD_MONTHS[a.billingTerm];
    const renewals = Math.floor((asOfMonth - a.currentStart!) / len);
    let f: ReturnType<typeof factors>;
    try {
      f = factors(chosen.pool, chosen.fit, renewals);
    } catch (error) {
      failSegment(a, `The valuation failed: ${(error as Error).message}.`);
      continue;
    }
    const payment = a.mrrCents * len * margin;
    states.push({
      accountId: a.accountId,
      pool: chosen.pool.key,
      periodMonths: len,
      renewals,
      monthsLeftInPeriod: len - 1 - ((asOfMonth - a.currentStart!) % len),
      mrrCents: a.mrrCents,
      draws: drawsOf.get(chosen.pool.key)!,
      point: chosen.fit,
    });
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
  // A segment whose valuation failed for one account is not valued at all: move its valued accounts too.
  if (failedSegments.size > 0) {
    const byId = new Map(accounts.map((c) => [c.accountId, c]));
    for (const key of failedSegments.keys()) {
      const seg = poolTotals.get(key);
      if (seg) for (let j = 0; j < draws; j++) totalDraws[j] -= seg.draws[j];
      poolTotals.delete(key);
    }
    for (let i = 0; i < values.length; i++) {
      const a = byId.get(values[i].account_id);
      if (a && values[i].model === "sbg" && failedSegments.has(segmentKey(a))) {
        values[i] = notValuedRow(a);
        failedSegments.get(segmentKey(a))!.accounts++;
      }
    }
  }
  const notValued: NotValued[] = [...failedSegments.entries()]
    .sort((x, y) => x[0].localeCompare(y[0]))
    .map(([segment, e]) => ({ segment, model: "sbg", accounts: e.accounts, reason: e.reason }));
  const unmodelled = notValued.reduce((s, n) => s + n.accounts, 0);
  if (unmodelled > 0)
    notes.push(
      `${unmodelled} subscription accounts in ${notValued.length} segment(s) could not be valued by sBG (reasons on the Models page); they carry the historical value.`,
    );

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
    if (!("fit" in chosen) || failedSegments.has(key)) continue;
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
      band: {
        p10: quantileSorted(sortedTotals, 0.1),
        p50: quantileSorted(sortedTotals, 0.5),
        p90: quantileSorted(sortedTotals, 0.9),
      },
      checks: fitOf(own).checks,
      fallback: chosen.fallback,
      warnings: chosen.warnings,
    });
  }
  const valued = new Set(values.filter((v) => v.model === "sbg").map((v) => v.account_id));
  return { fits, values, totalDraws, notes, notValued, states: states.filter((st) => valued.has(st.accountId)) };
}
