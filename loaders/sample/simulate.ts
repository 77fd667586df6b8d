/**
 * The life of one account: contracts, invoices, services, NPS answers and time sheets.
 *
 * Subscription accounts are simulated billing period by billing period (monthly periods
 * anchored on the acquisition day, clamped to the 28th). Conventions:
 * - A contract row is a period of constant MRR on one product line (plan or add-on).
 *   Monthly accounts keep one row until something changes; annual accounts get a new
 *   `renewal` row at every anniversary even when nothing changes, so each annual row is
 *   one contract year. A change starts a new row and ends the previous one the day before.
 * - Monthly accounts may change (and churn) at any monthly boundary; annual accounts only
 *   at anniversaries (their monthly hazards accumulate over the year).
 * - The list-price increase reaches monthly accounts at their first boundary on or after
 *   the increase date and annual accounts at their first renewal after it, as a
 *   `price_increase` row with unchanged seats (other changes wait for the next boundary).
 * - Invoices are issued in advance on the first day of each billing period: one per month
 *   (quantity = seats) or one per contract year (quantity = 12 × seats); the unit price is
 *   always the per-seat monthly price, so the amount is 12 × MRR for annual accounts.
 */
import {
  bernoulli,
  beta,
  exponential,
  gamma,
  normal,
  pickWeighted,
  poisson,
  randomInt,
  uniform,
  type Rng,
} from "../../src/lib/random.js";
import {
  ADDON_ID,
  ADDON_PRICE,
  CONSULTING_ID,
  ONBOARDING_ID,
  PLAN_ID,
  TRAINING_ID,
  planPrice,
  type Product,
  type Role,
  type Tier,
  type Timeline,
} from "./catalogue.js";
import { dayOf, ymdOf } from "../../src/lib/dates.js";
import type { AccountDraft, Size } from "./accounts.js";
import {
  AM_ACTIVITIES,
  CSM_ACTIVITIES,
  NPS_COMMENTS_DETRACTOR,
  NPS_COMMENTS_PASSIVE,
  NPS_COMMENTS_PROMOTER,
  SUPPORT_ACTIVITIES,
  type Channel,
  type Industry,
} from "./words.js";

export type ChangeType = "new" | "renewal" | "upgrade" | "downgrade" | "price_increase" | "addon" | "reactivation";
export type LineType = "subscription" | "service" | "product";

export interface ContractRow {
  productId: string;
  start: number;
  /** Last day of service, or -1 while running. */
  end: number;
  seats: number;
  mrrCents: number;
  changeType: ChangeType;
  tier: Tier | "";
}

export interface Line {
  productId: string;
  qty: number;
  unitCents: number;
  type: LineType;
}

export interface Doc {
  day: number;
  seq: number;
  credit: boolean;
  lines: Line[];
}

export interface TimeEntry {
  day: number;
  role: Role;
  /** Hours in quarter hours (> 0). */
  quarters: number;
  activity: string;
}

export interface NpsAnswer {
  day: number;
  score: number;
  comment: string;
}

export interface History {
  contracts: ContractRow[];
  docs: Doc[];
  time: TimeEntry[];
  nps: NpsAnswer[];
  finalTier: Tier | "";
  finalSeats: number;
}

export interface SimAccount extends AccountDraft {
  readonly acquiredOn: number;
}

// ---------------------------------------------------------------- churn hazard

/** Monthly churn hazard of a brand-new, average account (before multipliers). */
export const BASE_HAZARD = 0.03;
export const TIER_HAZARD: Record<Tier, number> = { Starter: 1.45, Pro: 1.0, Enterprise: 0.55 };
export const SIZE_HAZARD: Record<Size, number> = { small: 1.2, mid: 1.0, enterprise: 0.7 };
export const CHANNEL_HAZARD: Record<Channel, number> = {
  "Direct Sales": 0.8,
  Partner: 0.9,
  Inbound: 1.0,
  Outbound: 1.2,
  Marketplace: 1.45,
};
export const KEY_ACCOUNT_HAZARD = 0.6;
export const HEALTH_HAZARD_SLOPE = 0.5;

/** Tenure factor: 1 at month 0, falling to 0.35 of the initial hazard (time constant 12 months). */
export function tenureFactor(months: number): number {
  return 0.35 + 0.65 * Math.exp(-months / 12);
}

// ---------------------------------------------------------------- helpers

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)];
}

function quarters(hours: number): number {
  return Math.max(1, Math.round(hours * 4));
}

function dayIn(rng: Rng, from: number, to: number): number {
  return to <= from ? from : from + Math.floor(rng.next() * (to - from + 1));
}

function npsScore(rng: Rng, z: number, penalty: number): number {
  const s = Math.round(8.0 + 1.5 * z + normal(rng, 0, 1.2) - penalty);
  return s < 0 ? 0 : s > 10 ? 10 : s;
}

function npsComment(rng: Rng, score: number): string {
  if (!bernoulli(rng, 0.35)) return "";
  return pick(rng, score >= 9 ? NPS_COMMENTS_PROMOTER : score >= 7 ? NPS_COMMENTS_PASSIVE : NPS_COMMENTS_DETRACTOR);
}

const SIZE_SERVICE: Record<Size, number> = { small: 0.6, mid: 1.0, enterprise: 2.0 };
const TIER_UP: Record<Tier, number> = { Starter: 0.006, Pro: 0.003, Enterprise: 0 };
const ADDON_ADOPT: Record<Tier, number> = { Starter: 0.004, Pro: 0.012, Enterprise: 0.02 };
const NEXT_TIER: Record<Tier, Tier> = { Starter: "Pro", Pro: "Enterprise", Enterprise: "Enterprise" };
const PREV_TIER: Record<Tier, Tier> = { Starter: "Starter", Pro: "Starter", Enterprise: "Pro" };

// ---------------------------------------------------------------- subscription

export function simulateSubscription(acc: SimAccount, rng: Rng, tl: Timeline): History {
  const contracts: ContractRow[] = [];
  const docs: Doc[] = [];
  const time: TimeEntry[] = [];
  const nps: NpsAnswer[] = [];
  let seq = 0;

  const [ay, am, ad] = ymdOf(acc.acquiredOn);
  const anchorDay = Math.min(ad, 28);
  const boundary = (k: number) => (k === 0 ? acc.acquiredOn : dayOf(ay, am + k, anchorDay));
  const annual = acc.annual;
  const pm = (p: number) => (annual ? 1 - Math.pow(1 - p, 12) : p);
  const minSeats = 3;
  const segmentHazard =
    BASE_HAZARD *
    SIZE_HAZARD[acc.size] *
    CHANNEL_HAZARD[acc.channel] *
    (acc.keyAccountManager ? KEY_ACCOUNT_HAZARD : 1) *
    (annual ? 0.85 : 1);

  let tier = acc.tier as Tier;
  let seats = acc.initialSeats;
  let era: 0 | 1 = acc.acquiredOn >= tl.priceIncrease ? 1 : 0;
  let active = true;
  let plan: ContractRow | null = null;
  let addon: ContractRow | null = null;
  let tenure = 0;
  let termStartK = 0;
  let survival = 1;
  let w = 0;
  let reactivateAt = -1;
  let reactivated = false;
  let bumpUntil = -1;
  let lastPriceUp = -1e9;
  const npsOffset = randomInt(rng, 3, 10);

  const open = (
    productId: string,
    start: number,
    rowSeats: number,
    unit: number,
    changeType: ChangeType,
    rowTier: Tier | "",
  ): ContractRow => {
    const row: ContractRow = {
      productId,
      start,
      end: -1,
      seats: rowSeats,
      mrrCents: rowSeats * unit,
      changeType,
      tier: rowTier,
    };
    contracts.push(row);
    return row;
  };
  const entry = (day: number, role: Role, hours: number, activity: string) => {
    time.push({ day, role, quarters: quarters(hours), activity });
  };

  for (let k = 0; ; k++) {
    const b = boundary(k);
    if (b > tl.asOf) break;
    const periodEnd = Math.min(boundary(k + 1) - 1, tl.asOf);
    w = 0.9 * w + normal(rng, 0, 0.2);
    const z = acc.health + w;
    let starting = k === 0;

    if (!active) {
      if (k !== reactivateAt) continue;
      // A churned account comes back, usually smaller.
      active = true;
      reactivated = true;
      starting = true;
      if (bernoulli(rng, 0.3)) tier = PREV_TIER[tier];
      seats = Math.max(minSeats, Math.round(seats * uniform(rng, 0.5, 1)));
      era = b >= tl.priceIncrease ? 1 : 0;
      termStartK = k;
      survival = 1;
      tenure = 3;
      plan = open(PLAN_ID[tier], b, seats, planPrice(tier, era), "reactivation", tier);
    }

    const anniversary = (k - termStartK) % 12 === 0;
    const decision = !annual || anniversary;
    let upgraded = false;

    if (k === 0) {
      plan = open(PLAN_ID[tier], b, seats, planPrice(tier, era), "new", tier);
    } else if (!starting) {
      // 1. churn
      const newEra: 0 | 1 = b >= tl.priceIncrease ? 1 : 0;
      const priceUp = decision && newEra > era;
      let h =
        segmentHazard *
        TIER_HAZARD[tier] *
        Math.exp(-HEALTH_HAZARD_SLOPE * z) *
        tenureFactor(tenure) *
        (reactivated ? 1.3 : 1);
      if (h > 0.5) h = 0.5;
      let churn: boolean;
      if (!annual) {
        churn = bernoulli(rng, k <= bumpUntil ? Math.min(0.6, h * 1.5) : h);
      } else {
        survival *= 1 - h;
        churn = anniversary ? bernoulli(rng, Math.min(0.9, (1 - survival) * (priceUp ? 1.3 : 1))) : false;
        if (anniversary) survival = 1;
      }
      if (churn) {
        plan!.end = b - 1;
        if (addon) addon.end = b - 1;
        plan = null;
        addon = null;
        active = false;
        if (!reactivated && bernoulli(rng, 0.12)) reactivateAt = k + randomInt(rng, 3, 15);
        continue;
      }

      // 2. changes at a decision point
      if (decision) {
        let newTier = tier;
        let newSeats = seats;
        let planChange: ChangeType | null = null;
        if (priceUp) {
          planChange = "price_increase";
          bumpUntil = k + 3;
          lastPriceUp = b;
        } else {
          if (TIER_UP[tier] > 0 && bernoulli(rng, pm(TIER_UP[tier] * Math.exp(0.4 * z)))) newTier = NEXT_TIER[tier];
          else if (tier !== "Starter" && bernoulli(rng, pm(0.0025 * Math.exp(-0.4 * z)))) newTier = PREV_TIER[tier];
          if (bernoulli(rng, annual ? 0.6 : 0.06)) {
            const f = Math.exp(normal(rng, (annual ? 0.07 : 0.04) + 0.05 * z, annual ? 0.2 : 0.15));
            newSeats = Math.max(minSeats, Math.round(seats * f));
          }
          if (newTier !== tier || newSeats !== seats) {
            const before = seats * planPrice(tier, newEra);
            const after = newSeats * planPrice(newTier, newEra);
            planChange = after > before ? "upgrade" : after < before ? "downgrade" : null;
            if (planChange === null) {
              newTier = tier;
              newSeats = seats;
            }
          }
          if (planChange === null && annual && anniversary) planChange = "renewal";
        }
        const seatsChanged = newSeats !== seats;
        upgraded = planChange === "upgrade" && newTier !== tier;
        if (planChange !== null) {
          plan!.end = b - 1;
          tier = newTier;
          seats = newSeats;
          era = newEra;
          plan = open(PLAN_ID[tier], b, seats, planPrice(tier, era), planChange, tier);
        }
        // add-on line: follows the plan's seats, renews with it, may be dropped
        if (addon) {
          if (bernoulli(rng, pm(0.004))) {
            addon.end = b - 1;
            addon = null;
          } else if (seatsChanged || (annual && anniversary)) {
            const type: ChangeType = seats > addon.seats ? "upgrade" : seats < addon.seats ? "downgrade" : "renewal";
            addon.end = b - 1;
            addon = open(ADDON_ID, b, seats, ADDON_PRICE, type, "");
          }
        } else if (b >= tl.addonLaunch && bernoulli(rng, pm(ADDON_ADOPT[tier] * Math.exp(0.3 * z)))) {
          addon = open(ADDON_ID, b, seats, ADDON_PRICE, "addon", "");
        }
      }
    }

    // 3. invoice for the period (in advance)
    if (!annual || anniversary) {
      const mult = annual ? 12 : 1;
      const lines: Line[] = [
        { productId: plan!.productId, qty: seats * mult, unitCents: planPrice(tier, era), type: "subscription" },
      ];
      if (addon)
        lines.push({ productId: ADDON_ID, qty: addon.seats * mult, unitCents: ADDON_PRICE, type: "subscription" });
      if (k === 0 && bernoulli(rng, tier === "Enterprise" ? 1 : tier === "Pro" ? 0.9 : 0.75)) {
        const days =
          tier === "Enterprise" ? randomInt(rng, 5, 12) : tier === "Pro" ? randomInt(rng, 2, 5) : randomInt(rng, 1, 2);
        lines.push({ productId: ONBOARDING_ID, qty: days, unitCents: 120000, type: "service" });
        entry(dayIn(rng, b, periodEnd), "Solutions Consultant", days * uniform(rng, 4, 7), "Onboarding");
      }
      docs.push({ day: b, seq: seq++, credit: false, lines });
    }

    // 4. occasional services, invoiced when delivered
    const serviceScale = SIZE_SERVICE[acc.size] * (tier === "Enterprise" ? 1.5 : 1);
    if (bernoulli(rng, 0.012 * serviceScale + (upgraded ? 0.3 : 0))) {
      const day = dayIn(rng, b, periodEnd);
      docs.push({
        day,
        seq: seq++,
        credit: false,
        lines: [{ productId: TRAINING_ID, qty: randomInt(rng, 1, 3), unitCents: 150000, type: "service" }],
      });
      entry(day, "Solutions Consultant", uniform(rng, 2, 5), "Training prep");
    }
    if (bernoulli(rng, 0.008 * serviceScale)) {
      const day = dayIn(rng, b, periodEnd);
      docs.push({
        day,
        seq: seq++,
        credit: false,
        lines: [{ productId: CONSULTING_ID, qty: randomInt(rng, 1, 5), unitCents: 180000, type: "service" }],
      });
    }

    // 5. time sheets for the period
    if (upgraded) entry(dayIn(rng, b, periodEnd), "Solutions Consultant", uniform(rng, 2, 6), "Upgrade scoping");
    const seatFactor = Math.pow(seats / 20, 0.2);
    const hm = acc.highMaintenance ? 2.5 : 1;
    const struggling = z < -1 ? 1.4 : 1;
    const csmBase = tier === "Enterprise" ? 5 : tier === "Pro" ? 2 : 0.7;
    if (bernoulli(rng, tier === "Starter" ? 0.3 : 0.9) || acc.highMaintenance) {
      entry(
        dayIn(rng, b, periodEnd),
        "Customer Success Manager",
        csmBase * seatFactor * hm * struggling * gamma(rng, 4, 4),
        pick(rng, CSM_ACTIVITIES),
      );
    }
    const tickets = poisson(rng, (0.25 + 0.12 * Math.log1p(seats)) * (acc.highMaintenance ? 8 : 1) * struggling);
    if (tickets > 0) {
      let hours = 0;
      for (let i = 0; i < tickets; i++) hours += uniform(rng, 0.5, 2.5);
      entry(dayIn(rng, b, periodEnd), "Support Engineer", hours, pick(rng, SUPPORT_ACTIVITIES));
    }
    if (acc.keyAccountManager) {
      entry(
        dayIn(rng, b, periodEnd),
        "Account Manager",
        gamma(rng, 3, 3 / (tier === "Enterprise" ? 6 : 3.5)),
        pick(rng, AM_ACTIVITIES),
      );
    } else if (annual && anniversary && k > 0) {
      entry(dayIn(rng, b, periodEnd), "Account Manager", uniform(rng, 1, 2), "Renewal call");
    }

    // 6. one survey a year (about 40% answer)
    if (k >= npsOffset && (k - npsOffset) % 12 === 0 && bernoulli(rng, 0.4)) {
      const day = dayIn(rng, b, Math.min(periodEnd, b + 20));
      const score = npsScore(rng, z, b - lastPriceUp < 200 ? 0.6 : 0);
      nps.push({ day, score, comment: npsComment(rng, score) });
    }
    tenure++;
  }

  addCreditNotes(rng, docs, tl.asOf, seq);
  const last = [...contracts].reverse().find((r) => r.productId !== ADDON_ID);
  return {
    contracts,
    docs,
    time,
    nps,
    finalTier: (last?.tier ?? acc.tier) as Tier,
    finalSeats: last?.seats ?? acc.initialSeats,
  };
}

// ---------------------------------------------------------------- transactional

const AFFINITY: Record<Industry, Record<NonNullable<Product["affinity"]>, number>> = {
  Manufacturing: { consumable: 3, equipment: 3, "cold-chain": 1, retail: 0.3 },
  Retail: { consumable: 2, equipment: 1.5, "cold-chain": 0.8, retail: 4 },
  Logistics: { consumable: 3, equipment: 2, "cold-chain": 3, retail: 0.3 },
  Healthcare: { consumable: 1.5, equipment: 1.5, "cold-chain": 4, retail: 0.3 },
  Software: { consumable: 1, equipment: 2, "cold-chain": 0.5, retail: 0.5 },
  "Financial Services": { consumable: 1, equipment: 2, "cold-chain": 0.3, retail: 0.5 },
  Education: { consumable: 2, equipment: 2, "cold-chain": 0.3, retail: 0.5 },
  "Professional Services": { consumable: 1.5, equipment: 2, "cold-chain": 0.3, retail: 0.5 },
};
const ORDER_RATE: Record<Size, number> = { small: 5, mid: 8, enterprise: 11 };
const QTY_SCALE: Record<Size, number> = { small: 0.3, mid: 0.6, enterprise: 1.5 };
const LINES_PER_ORDER = [1, 2, 3, 4, 5];
const LINES_WEIGHTS = [0.08, 0.17, 0.27, 0.26, 0.22];

/**
 * Repeat purchases, BG/NBD-like: the account orders at its own Poisson rate
 * (orders per month ~ Gamma) and after each order drops out for good with its own
 * probability (~ Beta, raised by poor health). The first order is on the acquisition day.
 */
export function simulateTransactional(acc: SimAccount, rng: Rng, tl: Timeline, goods: readonly Product[]): History {
  const docs: Doc[] = [];
  const time: TimeEntry[] = [];
  const nps: NpsAnswer[] = [];
  let seq = 0;
  const rate = gamma(rng, 2.5, 2.5 / ORDER_RATE[acc.size]);
  const dropout = Math.min(0.5, beta(rng, 1.2, 110) * Math.exp(-0.5 * acc.health));
  const discount =
    acc.size === "enterprise"
      ? uniform(rng, 0.05, 0.15)
      : acc.size === "mid"
        ? uniform(rng, 0.02, 0.08)
        : uniform(rng, 0, 0.03);
  const qtyScale = QTY_SCALE[acc.size] * Math.exp(normal(rng, 0, 0.4));
  const aff = AFFINITY[acc.industry];

  // The account's basket: the products it buys, each with a weight.
  const basketSize = randomInt(rng, 3, 7);
  const basket: Product[] = [];
  const weights: number[] = [];
  const candidates = goods.filter((p) => p.launchedOn <= tl.newProductLaunch - 1 || p.launchedOn < acc.acquiredOn);
  const candWeights = candidates.map((p) => aff[p.affinity!]);
  while (basket.length < Math.min(basketSize, candidates.length)) {
    const p = pickWeighted(rng, candidates, candWeights);
    if (basket.includes(p)) continue;
    basket.push(p);
    weights.push(uniform(rng, 0.5, 2));
  }
  const newProduct = goods.find((p) => p.launchedOn === tl.newProductLaunch && !basket.includes(p));
  let newProductConsidered = false;

  const unitPrice = (p: Product) => Math.round(p.priceCents * (1 - discount));
  let t = acc.acquiredOn;
  let lastOrder = acc.acquiredOn;
  while (t <= tl.asOf) {
    if (newProduct && !newProductConsidered && t >= newProduct.launchedOn) {
      newProductConsidered = true;
      if (bernoulli(rng, aff[newProduct.affinity!] >= 2 ? 0.5 : 0.15)) {
        basket.push(newProduct);
        weights.push(uniform(rng, 1, 2.5));
      }
    }
    const avail: Product[] = [];
    const availW: number[] = [];
    for (let i = 0; i < basket.length; i++) {
      const p = basket[i];
      if (p.launchedOn <= t && (p.withdrawnOn === undefined || t <= p.withdrawnOn)) {
        avail.push(p);
        availW.push(weights[i]);
      }
    }
    if (avail.length > 0) {
      const n = Math.min(avail.length, pickWeighted(rng, LINES_PER_ORDER, LINES_WEIGHTS));
      const lines: Line[] = [];
      const used = new Set<number>();
      while (lines.length < n) {
        const i = pickWeighted(
          rng,
          avail.map((_, j) => j),
          availW,
        );
        if (used.has(i)) continue;
        used.add(i);
        const p = avail[i];
        const qty = Math.max(1, poisson(rng, p.typicalQty! * qtyScale));
        lines.push({ productId: p.id, qty, unitCents: unitPrice(p), type: "product" });
      }
      docs.push({ day: t, seq: seq++, credit: false, lines });
      lastOrder = t;
      if (bernoulli(rng, 0.08))
        time.push({
          day: t,
          role: "Support Engineer",
          quarters: quarters(uniform(rng, 0.5, 2)),
          activity: "Order issue",
        });
      if (bernoulli(rng, dropout)) break;
    }
    t += Math.max(1, Math.round(exponential(rng, rate) * 30.44));
  }

  // Relationship time while the account looks alive (until 90 days after its last order).
  const aliveUntil = Math.min(tl.asOf, lastOrder + 90);
  if (acc.size !== "small")
    time.push({
      day: acc.acquiredOn,
      role: "Solutions Consultant",
      quarters: quarters(uniform(rng, 1, 4)),
      activity: "Account setup",
    });
  const npsOffset = randomInt(rng, 3, 10);
  const [y, mo, d] = ymdOf(acc.acquiredOn);
  for (let m = 0; ; m++) {
    const from = m === 0 ? acc.acquiredOn : dayOf(y, mo + m, Math.min(d, 28));
    if (from > aliveUntil) break;
    const to = Math.min(dayOf(y, mo + m + 1, Math.min(d, 28)) - 1, aliveUntil);
    if (acc.keyAccountManager)
      time.push({
        day: dayIn(rng, from, to),
        role: "Account Manager",
        quarters: quarters(gamma(rng, 3, 3 / 2.5)),
        activity: pick(rng, AM_ACTIVITIES),
      });
    if (acc.highMaintenance)
      time.push({
        day: dayIn(rng, from, to),
        role: "Support Engineer",
        quarters: quarters(uniform(rng, 3, 10)),
        activity: pick(rng, SUPPORT_ACTIVITIES),
      });
    if (m >= npsOffset && (m - npsOffset) % 12 === 0 && bernoulli(rng, 0.4)) {
      const score = npsScore(rng, acc.health + normal(rng, 0, 0.3), 0);
      nps.push({ day: dayIn(rng, from, Math.min(to, from + 20)), score, comment: npsComment(rng, score) });
    }
  }
  time.sort((a, b) => a.day - b.day);

  addCreditNotes(rng, docs, tl.asOf, seq);
  return { contracts: [], docs, time, nps, finalTier: "", finalSeats: acc.initialSeats };
}

// ---------------------------------------------------------------- credit notes

/** About 0.5% of invoices get a credit note a few weeks later for part of one line. */
function addCreditNotes(rng: Rng, docs: Doc[], asOf: number, seqStart: number): void {
  let seq = seqStart;
  const n = docs.length;
  for (let i = 0; i < n; i++) {
    if (!bernoulli(rng, 0.005)) continue;
    const inv = docs[i];
    const day = inv.day + randomInt(rng, 3, 45);
    if (day > asOf) continue;
    const line = inv.lines[Math.floor(rng.next() * inv.lines.length)];
    const qty = Math.min(line.qty, Math.max(1, Math.round(line.qty * uniform(rng, 0.05, 1))));
    docs.push({
      day,
      seq: seq++,
      credit: true,
      lines: [{ productId: line.productId, qty: -qty, unitCents: line.unitCents, type: line.type }],
    });
  }
  docs.sort((a, b) => a.day - b.day || a.seq - b.seq);
}
