/**
 * The scenario engine on hand-worked bases: a few accounts whose values follow the
 * documented formulas, so every expected number can be checked by hand or by an independent
 * computation with the sBG survival function (src/lib/models/sbg.ts, lgamma-based).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sbgSurvival } from "../../src/lib/models/sbg.js";
import { closedFormDiscountedSurvival } from "../support/sbg-closed-form.js";
import { mostAffected } from "../../src/lib/scenarios/affected.js";
import {
  ScenarioEvaluator,
  type AccountArrays,
  type ScenarioBase,
  type ScenarioPool,
} from "../../src/lib/scenarios/engine.js";
import { SCENARIO_VERSION, type LedgerEntry, type Scenario } from "../../src/lib/scenarios/ledger.js";
import { applyLever } from "../../src/lib/scenarios/levers.js";
import { selectionMasks } from "../../src/lib/scenarios/masks.js";
import { neutralEffects, periodsFor, survivalSeries } from "../../src/lib/scenarios/series.js";
import { scenarioReport } from "../../src/lib/scenarios/report.js";

const POOLS: ScenarioPool[] = [
  { key: "monthly · Pro", kind: "sbg", gamma: 0.5, delta: 10, churn: 0, periodMonths: 1 },
  { key: "annual · Enterprise", kind: "sbg", gamma: 1.2, delta: 6, churn: 0, periodMonths: 12 },
  { key: "transactional", kind: "flat", gamma: 0, delta: 0, churn: 0.03, periodMonths: 1 },
];
const HORIZON = 60;
const DISCOUNT = 0.1;

/** value = margin × payment × F₀ for contracts (the models' own formula), as in the store. */
function makeBase(): { base: ScenarioBase; accounts: AccountArrays } {
  const base: ScenarioBase = {
    asOf: "2026-09-30",
    currency: "USD",
    horizonMonths: HORIZON,
    annualDiscountRate: DISCOUNT,
    dictionary: {
      size: ["Small (<50)", "Mid (50–999)", "Enterprise (1000+)"],
      industry: ["Manufacturing", "Retail", "Software"],
      region: ["EMEA", "North America"],
      tier: ["Starter", "Pro", "Enterprise", "(none)"],
      businessModel: ["subscription", "transactional"],
      products: ["ADD-ANALYTICS", "PLN-PRO"],
      abc: ["A", "B", "C", "none"],
    },
    productNames: ["Analytics add-on", "Pro plan"],
    margins: [0.7, 0.4],
    pools: POOLS,
    groups: [
      { pool: 0, renewals: 3 },
      { pool: 0, renewals: 20 },
      { pool: 1, renewals: 2 },
      { pool: 2, renewals: 0 },
    ],
    economics: { spendT12mCents: 1_000_000, newAccountsT12m: 2 },
  };
  // #: size industry region tier bm abc products seats group  payment(cents)/value  p(alive) recent
  const rows = [
    [1, 0, 0, 1, 0, 0, 0b10, 80, 0, 100_000, 1, 1], // mid manufacturing Pro, EMEA
    [1, 0, 1, 1, 0, 1, 0b11, 120, 1, 50_000, 1, 0], // mid manufacturing Pro, NA, holds analytics
    [2, 2, 1, 2, 0, 0, 0b00, 900, 2, 2_400_000, 1, 0], // enterprise software Enterprise (annual)
    [0, 1, 0, 3, 1, 2, 0b00, 0, 3, 0, 0.6, 1], // transactional retail: value given directly
    [0, 1, 0, 1, 0, 3, 0b00, 5, -1, 0, 0, 0], // churned: no value
  ];
  const n = rows.length;
  const col = (k: number) => rows.map((r) => r[k]);
  const factor = (g: number) => {
    const { pool, renewals } = base.groups[g];
    return survivalSeries(POOLS[pool], renewals, neutralEffects(periodsFor(POOLS[pool], HORIZON)), HORIZON, DISCOUNT)
      .valueFactor;
  };
  const value = rows.map((r) => (r[8] < 0 ? 0 : r[4] === 1 ? 5_000_000 : 0.7 * r[9] * factor(r[8])));
  return {
    base,
    accounts: {
      length: n,
      accountId: rows.map((_, i) => `ACC-${i + 1}`),
      size: Uint8Array.from(col(0)),
      industry: Uint8Array.from(col(1)),
      region: Uint8Array.from(col(2)),
      tier: Uint8Array.from(col(3)),
      businessModel: Uint8Array.from(col(4)),
      abc: Uint8Array.from(col(5)),
      products: Uint32Array.from(col(6)),
      seats: Int32Array.from(col(7)),
      group: Int32Array.from(col(8)),
      valueCents: Float64Array.from(value),
      p10Cents: Float64Array.from(value, (v) => v * 0.9),
      p90Cents: Float64Array.from(value, (v) => v * 1.15),
      probabilityAlive: Float64Array.from(col(10)),
      marginToDateCents: Float64Array.from(rows, () => 10_000),
      recent: Uint8Array.from(col(11)),
    },
  };
}

const entry = (e: Partial<LedgerEntry> & Pick<LedgerEntry, "lever" | "params">): LedgerEntry =>
  ({ segment: {}, reason: "test", author: "test", date: "2026-10-01", ...e }) as LedgerEntry;
const scenarioOf = (...ledger: LedgerEntry[]): Scenario => ({ version: SCENARIO_VERSION, title: "t", ledger });

describe("segment selection", () => {
  const { base, accounts } = makeBase();
  const selected = (e: LedgerEntry) => [...selectionMasks([e], base, accounts)].flatMap((m, i) => (m ? [i] : []));

  it("selects by every attribute, AND across attributes and OR within one", () => {
    expect(
      selected(
        entry({
          lever: "priceChange",
          params: { pricePct: 1, elasticity: 0 },
          segment: { industry: ["Manufacturing"], size: ["Mid (50–999)"], tier: ["Pro"] },
        }),
      ),
    ).toEqual([0, 1]);
    expect(
      selected(
        entry({
          lever: "priceChange",
          params: { pricePct: 1, elasticity: 0 },
          segment: { industry: ["Manufacturing"], region: ["EMEA"] },
        }),
      ),
    ).toEqual([0]);
    expect(
      selected(
        entry({
          lever: "priceChange",
          params: { pricePct: 1, elasticity: 0 },
          segment: { industry: ["Retail", "Software"] },
        }),
      ),
    ).toEqual([2, 3, 4]);
    expect(
      selected(
        entry({
          lever: "priceChange",
          params: { pricePct: 1, elasticity: 0 },
          segment: { businessModel: ["transactional"] },
        }),
      ),
    ).toEqual([3]);
    expect(
      selected(entry({ lever: "priceChange", params: { pricePct: 1, elasticity: 0 }, segment: { abc: ["A"] } })),
    ).toEqual([0, 2]);
    expect(
      selected(
        entry({
          lever: "priceChange",
          params: { pricePct: 1, elasticity: 0 },
          segment: { products: ["ADD-ANALYTICS"] },
        }),
      ),
    ).toEqual([1]);
    expect(
      selected(entry({ lever: "priceChange", params: { pricePct: 1, elasticity: 0 }, segment: { minSeats: 101 } })),
    ).toEqual([1, 2]);
    expect(selected(entry({ lever: "priceChange", params: { pricePct: 1, elasticity: 0 } }))).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("levers", () => {
  const { base, accounts } = makeBase();
  const ev = new ScenarioEvaluator(base, accounts);
  const baseline = ev.evaluate(scenarioOf());

  it("a zero-effect scenario equals the baseline exactly", () => {
    const r = ev.evaluate(
      scenarioOf(
        entry({ lever: "priceChange", params: { pricePct: 0, elasticity: 3 } }),
        entry({ lever: "massAdjustment", params: { mode: "percent", amount: 0 } }),
        entry({ lever: "competitorEntry", params: { churnUpliftPct: 0, startMonth: 3, rampMonths: 6 } }),
      ),
    );
    expect([...r.values]).toEqual([...baseline.values]);
    expect(r.base).toEqual(baseline.base);
    expect([...r.projection.revenueCents]).toEqual([...baseline.projection.revenueCents]);
  });

  it("a 10% price rise with zero elasticity raises value by exactly 10% of the affected margin", () => {
    const segment = { industry: ["Manufacturing"] };
    const r = ev.evaluate(
      scenarioOf(entry({ lever: "priceChange", segment, params: { pricePct: 10, elasticity: 0 } })),
    );
    const affected = accounts.valueCents[0] + accounts.valueCents[1];
    expect(r.base.valueCents - baseline.base.valueCents).toBeCloseTo(0.1 * affected, 4);
    expect(r.values[0]).toBeCloseTo(1.1 * accounts.valueCents[0], 6);
    expect(r.values[2]).toBe(accounts.valueCents[2]);
  });

  it("a churn uplift acts through the sBG retention recursion, checked against S(t) from lgamma", () => {
    const pool = POOLS[0];
    const n = 3;
    const h = 1.5;
    const r = ev.evaluate(
      scenarioOf(
        entry({ lever: "macro", segment: { region: ["EMEA"] }, params: { discountRatePts: 0, churnShockPct: 50 } }),
      ),
    );
    // Direct: r(t) = S(t)/S(t−1) from the closed-form survival; churn (1 − r) scaled by h.
    const v = Math.pow(1.1, -1 / 12);
    let R = 1,
      F = 0,
      F0 = 0,
      R0 = 1;
    for (let k = 1; k <= 60; k++) {
      const rt = sbgSurvival(pool, n + k) / sbgSurvival(pool, n + k - 1);
      R *= 1 - h * (1 - rt);
      R0 *= rt;
      F += R * v ** k;
      F0 += R0 * v ** k;
    }
    expect(r.values[0]).toBeCloseTo(0.7 * 100_000 * F, 4);
    expect(accounts.valueCents[0]).toBeCloseTo(0.7 * 100_000 * F0, 4);
    expect(r.values[0]).toBeLessThan(accounts.valueCents[0]);
  });

  it("a churn uplift shortens the expected lifetime as the sBG model says", () => {
    const pool = POOLS[0];
    const K = periodsFor(pool, HORIZON);
    const neutral = survivalSeries(pool, 3, neutralEffects(K), HORIZON, DISCOUNT);
    // With h = 1 the expected payments are the model's own: Σ S(n + k)/S(n) from the closed form.
    expect(neutral.payments).toBeCloseTo(closedFormDiscountedSurvival(pool, 3, 60, 0), 10);
    const doubled = survivalSeries(
      pool,
      3,
      { ...neutralEffects(K), hazard: new Float64Array(K).fill(2) },
      HORIZON,
      DISCOUNT,
    );
    let expected = 0,
      R = 1;
    for (let k = 1; k <= 60; k++) {
      R *= 1 - 2 * (1 - sbgSurvival(pool, 3 + k) / sbgSurvival(pool, 2 + k));
      expected += R;
    }
    expect(doubled.payments).toBeCloseTo(expected, 10);
    expect(doubled.payments).toBeLessThan(neutral.payments);
    // Hand-worked first step: γ = 0.5, δ = 10, t = 4: churn = γ / (γ + δ + t − 1) = 0.5 / 13.5.
    const one = survivalSeries(pool, 3, { ...neutralEffects(K), hazard: new Float64Array(K).fill(2) }, 1, 0);
    expect(one.payments).toBeCloseTo(1 - 2 * (0.5 / 13.5), 12);
  });

  it("a competitor's uplift starts after its start month and ramps", () => {
    const pool = POOLS[0];
    const K = periodsFor(pool, HORIZON);
    const hazard = new Float64Array(K).fill(1);
    const effects = { hazard, revenue: new Float64Array(K).fill(1), discountChange: 0 };
    applyLever(
      entry({ lever: "competitorEntry", params: { churnUpliftPct: 60, startMonth: 6, rampMonths: 4 } }),
      effects,
      1,
    );
    // t_k = k months: no uplift through month 6, then 15%, 30%, 45%, 60%, 60% …
    expect([...hazard.slice(0, 12)].map((x) => Math.round(x * 1000) / 1000)).toEqual([
      1, 1, 1, 1, 1, 1, 1.15, 1.3, 1.45, 1.6, 1.6, 1.6,
    ]);
  });

  it("a new product's uplift ramps in over the ramp-up months", () => {
    const r = ev.evaluate(
      scenarioOf(
        entry({
          lever: "newProduct",
          segment: { businessModel: ["transactional"] },
          params: { adoptionPct: 50, upliftPct: 20, rampMonths: 0 },
        }),
      ),
    );
    expect(r.values[3]).toBeCloseTo(accounts.valueCents[3] * 1.1, 6);
    const ramped = ev.evaluate(
      scenarioOf(
        entry({
          lever: "newProduct",
          segment: { businessModel: ["transactional"] },
          params: { adoptionPct: 50, upliftPct: 20, rampMonths: 12 },
        }),
      ),
    );
    expect(ramped.values[3]).toBeGreaterThan(accounts.valueCents[3]);
    expect(ramped.values[3]).toBeLessThan(r.values[3]);
  });

  it("a withdrawn product loses its revenue share and raises churn", () => {
    const r = ev.evaluate(
      scenarioOf(
        entry({
          lever: "productWithdrawn",
          segment: { products: ["ADD-ANALYTICS"] },
          params: { revenueLostPct: 10, churnUpliftPct: 0 },
        }),
      ),
    );
    expect(r.values[1]).toBeCloseTo(accounts.valueCents[1] * 0.9, 6);
    const churn = ev.evaluate(
      scenarioOf(
        entry({
          lever: "productWithdrawn",
          segment: { products: ["ADD-ANALYTICS"] },
          params: { revenueLostPct: 10, churnUpliftPct: 50 },
        }),
      ),
    );
    expect(churn.values[1]).toBeLessThan(r.values[1]);
  });

  it("a higher discount rate lowers value; the annual contract is discounted per year", () => {
    const r = ev.evaluate(scenarioOf(entry({ lever: "macro", params: { discountRatePts: 5, churnShockPct: 0 } })));
    const pool = POOLS[1];
    let F = 0,
      R = 1;
    for (let k = 1; k <= 5; k++) {
      R *= sbgSurvival(pool, 2 + k) / sbgSurvival(pool, 1 + k);
      F += R / 1.15 ** k;
    }
    expect(r.values[2]).toBeCloseTo(0.7 * 2_400_000 * F, 3);
  });

  it("mass adjustments apply in ledger order: +10% then +$1,000 differs from +$1,000 then +10%", () => {
    const pct = entry({ lever: "massAdjustment", segment: { abc: ["A"] }, params: { mode: "percent", amount: 10 } });
    const amt = entry({
      lever: "massAdjustment",
      segment: { abc: ["A"] },
      params: { mode: "amount", amount: 100_000 },
    });
    const a = ev.evaluate(scenarioOf(pct, amt)).values[0];
    const b = ev.evaluate(scenarioOf(amt, pct)).values[0];
    expect(a).toBeCloseTo(accounts.valueCents[0] * 1.1 + 100_000, 6);
    expect(b).toBeCloseTo((accounts.valueCents[0] + 100_000) * 1.1, 6);
    // Model levers commute.
    const price = entry({ lever: "priceChange", params: { pricePct: 5, elasticity: 1 } });
    const shock = entry({ lever: "macro", params: { discountRatePts: 1, churnShockPct: 20 } });
    expect(ev.evaluate(scenarioOf(price, shock)).values[0]).toBeCloseTo(
      ev.evaluate(scenarioOf(shock, price)).values[0],
      6,
    );
  });

  it("an amount is weighted by P(alive) and never revives a churned account", () => {
    const r = ev.evaluate(scenarioOf(entry({ lever: "massAdjustment", params: { mode: "amount", amount: 100_000 } })));
    expect(r.values[3]).toBeCloseTo(accounts.valueCents[3] + 0.6 * 100_000, 6);
    expect(r.values[4]).toBe(0);
    const cut = ev.evaluate(scenarioOf(entry({ lever: "massAdjustment", params: { mode: "percent", amount: -100 } })));
    expect(cut.base.valueCents).toBe(0);
  });

  it("a new channel adds its discounted value and moves LTV : CAC", () => {
    const r = ev.evaluate(
      scenarioOf(
        entry({
          lever: "newChannel",
          params: { acquisitionsPerMonth: 2, months: 12, cacCents: 100_000, valueCents: 1_000_000 },
        }),
      ),
    );
    const v = Math.pow(1.1, -1 / 12);
    let annuity = 0;
    for (let j = 1; j <= 12; j++) annuity += v ** j;
    expect(r.newChannel.grossCents).toBeCloseTo(2 * 1_000_000 * annuity, 4);
    expect(r.total.valueCents - r.base.valueCents).toBeCloseTo(r.newChannel.netCents, 4);
    // Baseline: two recent accounts (ACC-1 and ACC-4); CAC = 1,000,000 ÷ 2.
    expect(baseline.ltvCac.cacCents).toBe(500_000);
    expect(baseline.ltvCac.ltvCents).toBeCloseTo((20_000 + accounts.valueCents[0] + accounts.valueCents[3]) / 2, 6);
    expect(r.ltvCac.cacCents).toBeCloseTo((1_000_000 + 24 * 100_000) / 26, 6);
    expect(r.ltvCac.ltvCents).toBeCloseTo(
      (20_000 + accounts.valueCents[0] + accounts.valueCents[3] + 24 * 1_000_000) / 26,
      6,
    );
  });

  it("a new channel counts net of its CAC, gross beside it (hand-worked)", () => {
    // 3 accounts a month for 2 months, each worth $5,000 at acquisition and costing $1,200:
    // v = 1.1^(−1/12) = 0.9920889, v² = 0.9842405, v + v² = 1.9763294 (the two monthly cohorts).
    // gross = 3 × $5,000 × 1.9763294 = $29,644.94; CAC = 3 × $1,200 × 1.9763294 = $7,114.79;
    // net = 3 × $3,800 × 1.9763294 = $22,530.16.
    const r = ev.evaluate(
      scenarioOf(
        entry({
          lever: "newChannel",
          params: { acquisitionsPerMonth: 3, months: 2, cacCents: 120_000, valueCents: 500_000 },
        }),
      ),
    );
    const v = 1 / 1.1 ** (1 / 12);
    const perMonth = v + v * v; // the two monthly cohorts, discounted to today
    expect(v).toBeCloseTo(0.9920889, 6);
    expect(r.newChannel.accounts).toBe(6);
    expect(perMonth).toBeCloseTo(1.9763294, 6);
    expect(r.newChannel.grossCents).toBeCloseTo(3 * 500_000 * perMonth, 6);
    expect(r.newChannel.grossCents / 100).toBeCloseTo(29_644.94, 1);
    expect(r.newChannel.cacCents / 100).toBeCloseTo(7_114.79, 1);
    expect(r.newChannel.netCents / 100).toBeCloseTo(22_530.16, 1);
    expect(r.newChannel.netCents).toBeCloseTo(r.newChannel.grossCents - r.newChannel.cacCents, 6);
    // The scenario counts the channel net; the existing base is untouched.
    expect(r.base.valueCents).toBe(baseline.base.valueCents);
    expect(r.total.valueCents).toBe(baseline.total.valueCents + r.newChannel.netCents);
  });

  it("the lever bridge: each entry's step in ledger order, summing to scenario − baseline exactly", () => {
    const tenPercent = entry({ lever: "massAdjustment", params: { mode: "percent", amount: 10 } });
    const thousand = entry({ lever: "massAdjustment", params: { mode: "amount", amount: 100_000 } });
    const price = entry({ lever: "priceChange", segment: { tier: ["Pro"] }, params: { pricePct: 5, elasticity: 1 } });
    const channel = entry({
      lever: "newChannel",
      params: { acquisitionsPerMonth: 1, months: 3, cacCents: 50_000, valueCents: 200_000 },
    });
    const s = scenarioOf(price, tenPercent, thousand, channel);
    const report = scenarioReport(ev, s, ["tier"]);
    const { baselineCents, steps, scenarioCents } = report.bridge;
    expect(steps.map((x) => x.entry)).toEqual([0, 1, 2, 3]);
    expect(steps.reduce((t, x) => t + x.changeCents, 0)).toBe(scenarioCents - baselineCents);
    expect(baselineCents).toBe(Math.round(report.portfolio.baseline.valueCents));
    expect(scenarioCents).toBe(Math.round(report.portfolio.scenario.valueCents));
    // Step 2 (+10%) is 10% of what the price change left; step 3 adds $1,000 × P(alive) of the valued accounts.
    const afterPrice = baselineCents + steps[0].changeCents;
    expect(Math.abs(steps[1].changeCents - 0.1 * afterPrice)).toBeLessThanOrEqual(1);
    const alive = [0, 1, 2, 3].reduce((t, i) => t + accounts.probabilityAlive[i], 0); // ACC-5 carries no value
    expect(Math.abs(steps[2].changeCents - 100_000 * alive)).toBeLessThanOrEqual(1);
    expect(Math.abs(steps[3].changeCents - ev.evaluate(scenarioOf(channel)).newChannel.netCents)).toBeLessThanOrEqual(
      1,
    );
    // Order matters for mass adjustments: +$1,000 before +10% is worth 10% more.
    const swapped = scenarioReport(ev, scenarioOf(price, thousand, tenPercent, channel), ["tier"]).bridge;
    expect(Math.abs(swapped.steps[1].changeCents - 100_000 * alive)).toBeLessThanOrEqual(1);
    expect(swapped.steps.reduce((t, x) => t + x.changeCents, 0)).toBe(swapped.scenarioCents - swapped.baselineCents);
    // The empty ledger: no steps, baseline = scenario.
    const empty = scenarioReport(ev, scenarioOf(), ["tier"]).bridge;
    expect(empty.steps).toEqual([]);
    expect(empty.scenarioCents).toBe(empty.baselineCents);
  });

  it("the change band pairs the draws: exactly zero on the baseline, hand-worked for +10%", () => {
    expect(baseline.change.total).toEqual({ p10Cents: 0, p50Cents: 0, p90Cents: 0 });
    for (const row of [...baseline.change.by, ...baseline.change.abc])
      expect(row).toEqual({ p10Cents: 0, p50Cents: 0, p90Cents: 0 });
    // +10% on every account: at each pool's P10 draw the change is 10% of the P10 values, so it
    // deviates from the point change by 0.1 × (0.9 − 1) V = −0.01 V; at the P90 draw by +0.015 V.
    const r = ev.evaluate(scenarioOf(entry({ lever: "massAdjustment", params: { mode: "percent", amount: 10 } })));
    const v = accounts.valueCents;
    const point = 0.1 * (v[0] + v[1] + v[2] + v[3]);
    const pools = [v[0] + v[1], v[2], v[3]];
    const down = Math.sqrt(pools.reduce((t, x) => t + (0.01 * x) ** 2, 0));
    const up = Math.sqrt(pools.reduce((t, x) => t + (0.015 * x) ** 2, 0));
    expect(r.change.total.p50Cents).toBeCloseTo(point, 4);
    expect(r.change.total.p10Cents).toBeCloseTo(point - down, 4);
    expect(r.change.total.p90Cents).toBeCloseTo(point + up, 4);
    // A cut turns the band round: −50% halves the spread, so the change is largest at the P90 draw.
    const cut = ev.evaluate(scenarioOf(entry({ lever: "massAdjustment", params: { mode: "percent", amount: -50 } })));
    const cutDown = Math.sqrt(pools.reduce((t, x) => t + (0.5 * 0.15 * x) ** 2, 0));
    expect(cut.change.total.p10Cents).toBeCloseTo(-0.5 * (v[0] + v[1] + v[2] + v[3]) - cutDown, 4);
  });

  it("bands: accounts of one pool add up, pools add in quadrature", () => {
    // Pool 0 holds ACC-1 and ACC-2: half-widths 0.1·(V1 + V2) below; pools 1 and 2 one account each.
    const v = accounts.valueCents;
    const low = Math.sqrt((0.1 * (v[0] + v[1])) ** 2 + (0.1 * v[2]) ** 2 + (0.1 * v[3]) ** 2);
    expect(baseline.base.p10Cents).toBeCloseTo(baseline.base.valueCents - low, 4);
    const high = Math.sqrt((0.15 * (v[0] + v[1])) ** 2 + (0.15 * v[2]) ** 2 + (0.15 * v[3]) ** 2);
    expect(baseline.base.p90Cents).toBeCloseTo(baseline.base.valueCents + high, 4);
  });

  it("lists the most affected accounts, largest absolute change first", () => {
    const r = ev.evaluate(
      scenarioOf(entry({ lever: "priceChange", segment: { tier: ["Pro"] }, params: { pricePct: -20, elasticity: 0 } })),
    );
    const top = mostAffected(accounts, r.values, 5);
    expect(top.map((t) => t.accountId)).toEqual([
      accounts.valueCents[0] > accounts.valueCents[1] ? "ACC-1" : "ACC-2",
      accounts.valueCents[0] > accounts.valueCents[1] ? "ACC-2" : "ACC-1",
    ]);
    expect(top[0].changeCents).toBeLessThan(0);
  });

  it("reports baseline against scenario per segment, class and year", () => {
    const report = scenarioReport(
      ev,
      scenarioOf(
        entry({
          lever: "priceChange",
          segment: { industry: ["Manufacturing"] },
          params: { pricePct: 10, elasticity: 0 },
        }),
      ),
      ["industry"],
    );
    const mfg = report.breakdowns[0].rows.find((r) => r.label === "Manufacturing")!;
    expect(mfg.scenario.valueCents).toBeCloseTo(mfg.baseline.valueCents * 1.1, 4);
    expect(report.breakdowns[0].rows.find((r) => r.label === "Software")!.scenario.valueCents).toBeCloseTo(
      accounts.valueCents[2],
      6,
    );
    expect(report.projection).toHaveLength(10);
    expect(report.entries).toEqual([{ selected: 2, valued: 2 }]);
  });
});

describe("invariants (fast-check)", () => {
  const { base, accounts } = makeBase();
  const ev = new ScenarioEvaluator(base, accounts);
  const baseline = ev.evaluate(scenarioOf());
  const segmentArb = fc.record(
    {
      industry: fc.subarray(base.dictionary.industry as string[]),
      tier: fc.subarray(base.dictionary.tier as string[]),
    },
    { requiredKeys: [] },
  );
  const leverArb: fc.Arbitrary<LedgerEntry> = fc
    .oneof(
      fc.record({
        lever: fc.constant("priceChange" as const),
        segment: segmentArb,
        params: fc.record({
          pricePct: fc.integer({ min: -50, max: 100 }),
          elasticity: fc.double({ min: 0, max: 5, noNaN: true }),
        }),
      }),
      fc.record({
        lever: fc.constant("competitorEntry" as const),
        segment: segmentArb,
        params: fc.record({
          churnUpliftPct: fc.integer({ min: 0, max: 300 }),
          startMonth: fc.integer({ min: 0, max: 48 }),
          rampMonths: fc.integer({ min: 0, max: 36 }),
        }),
      }),
      fc.record({
        lever: fc.constant("newProduct" as const),
        segment: segmentArb,
        params: fc.record({
          adoptionPct: fc.integer({ min: 0, max: 100 }),
          upliftPct: fc.integer({ min: 0, max: 200 }),
          rampMonths: fc.integer({ min: 0, max: 36 }),
        }),
      }),
      fc.record({
        lever: fc.constant("macro" as const),
        segment: segmentArb,
        params: fc.record({
          discountRatePts: fc.integer({ min: -5, max: 15 }),
          churnShockPct: fc.integer({ min: -50, max: 300 }),
        }),
      }),
      fc.record({
        lever: fc.constant("massAdjustment" as const),
        segment: segmentArb,
        params: fc.record({
          mode: fc.constantFrom("percent" as const, "amount" as const),
          amount: fc.integer({ min: -100, max: 100 }),
        }),
      }),
    )
    .map((e) => entry(e as LedgerEntry));

  it("zero-size levers leave every value at the baseline", () => {
    fc.assert(
      fc.property(
        fc.array(segmentArb, { maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 48 }), { minLength: 4, maxLength: 4 }),
        (segments, months) => {
          const ledger = segments.map((segment, i) =>
            i % 2 === 0
              ? entry({
                  lever: "competitorEntry",
                  segment,
                  params: { churnUpliftPct: 0, startMonth: months[i], rampMonths: months[(i + 1) % 4] },
                })
              : entry({ lever: "priceChange", segment, params: { pricePct: 0, elasticity: 2 } }),
          );
          expect([...ev.evaluate(scenarioOf(...ledger)).values]).toEqual([...baseline.values]);
        },
      ),
    );
  });

  it("bands stay ordered, P10 ≤ value ≤ P90, for every aggregate", () => {
    fc.assert(
      fc.property(fc.array(leverArb, { maxLength: 5 }), (ledger) => {
        const r = ev.evaluate(scenarioOf(...ledger), { by: "industry" });
        for (const a of [r.base, r.total, ...r.by.rows, ...r.abc]) {
          expect(a.p10Cents).toBeLessThanOrEqual(a.valueCents + 1e-6);
          expect(a.valueCents).toBeLessThanOrEqual(a.p90Cents + 1e-6);
        }
        for (let y = 0; y < 5; y++)
          expect(r.projection.p10Cents[y]).toBeLessThanOrEqual(r.projection.p90Cents[y] + 1e-6);
        for (const v of r.values) expect(v).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("value is monotone in margin: a larger revenue uplift never lowers any account", () => {
    fc.assert(
      fc.property(
        segmentArb,
        fc.integer({ min: -50, max: 99 }),
        fc.integer({ min: 1, max: 50 }),
        (segment, p, extra) => {
          const lo = ev.evaluate(
            scenarioOf(entry({ lever: "priceChange", segment, params: { pricePct: p, elasticity: 0 } })),
          ).values;
          const hi = ev.evaluate(
            scenarioOf(
              entry({ lever: "priceChange", segment, params: { pricePct: Math.min(100, p + extra), elasticity: 0 } }),
            ),
          ).values;
          for (let i = 0; i < lo.length; i++) expect(hi[i]).toBeGreaterThanOrEqual(lo[i] - 1e-9);
        },
      ),
    );
  });

  it("more churn never raises any account's value", () => {
    fc.assert(
      fc.property(
        segmentArb,
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 100 }),
        (segment, u, extra) => {
          const lo = ev.evaluate(
            scenarioOf(entry({ lever: "macro", segment, params: { discountRatePts: 0, churnShockPct: u } })),
          ).values;
          const hi = ev.evaluate(
            scenarioOf(entry({ lever: "macro", segment, params: { discountRatePts: 0, churnShockPct: u + extra } })),
          ).values;
          for (let i = 0; i < lo.length; i++) expect(hi[i]).toBeLessThanOrEqual(lo[i] + 1e-9);
        },
      ),
    );
  });
});
