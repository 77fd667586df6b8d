/**
 * The product catalogue, role rates and the dated events of the synthetic history.
 * Event dates are placed relative to the history window so that any --years / --as-of
 * keeps them inside it; with the defaults (2020-10-01 … 2026-09-30) they fall on:
 *   add-on launch      2024-04-01  (42 of 72 months in)
 *   new product launch 2023-10-01  (36 months in)
 *   list-price +8%     2024-10-01  (48 months in; plans only)
 *   product withdrawn  2025-03-31  (last day; 54 months in)
 */
import { dayOf, monthStartAfter, ymdOf } from "../../src/lib/dates.js";

export type Tier = "Starter" | "Pro" | "Enterprise";
export const TIERS: readonly Tier[] = ["Starter", "Pro", "Enterprise"];

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly category: "subscription" | "service" | "product";
  /** List price in cents before the price increase (only plans change). */
  readonly priceCents: number;
  readonly costCents: number;
  readonly launchedOn: number;
  readonly withdrawnOn?: number;
  /** Transactional products: typical quantity per order line (medium-size account). */
  readonly typicalQty?: number;
  /** Transactional products: relative popularity by industry group. */
  readonly affinity?: "consumable" | "equipment" | "cold-chain" | "retail";
}

export interface Timeline {
  readonly start: number;
  readonly asOf: number;
  /** First day of the first month of the history (month index 0). */
  readonly firstMonth: number;
  readonly months: number;
  readonly addonLaunch: number;
  readonly newProductLaunch: number;
  readonly priceIncrease: number;
  readonly withdrawal: number;
}

/** The list-price increase on all plans, as a factor. */
export const PRICE_INCREASE = 1.08;

export function makeTimeline(asOf: number, years: number): Timeline {
  const [y, m, d] = ymdOf(asOf);
  const start = dayOf(y - years, m, d) + 1;
  const firstMonth = monthStartAfter(start, 0);
  const months = (ymdOf(asOf)[0] - ymdOf(firstMonth)[0]) * 12 + ymdOf(asOf)[1] - ymdOf(firstMonth)[1] + 1;
  const span = years * 12;
  const at = (fraction: number) => Math.max(start, monthStartAfter(start, Math.round(span * fraction)));
  return {
    start,
    asOf,
    firstMonth,
    months,
    addonLaunch: at(42 / 72),
    newProductLaunch: at(36 / 72),
    priceIncrease: at(48 / 72),
    withdrawal: at(54 / 72) - 1,
  };
}

export const PLAN_ID: Record<Tier, string> = { Starter: "PLN-STARTER", Pro: "PLN-PRO", Enterprise: "PLN-ENTERPRISE" };
export const ADDON_ID = "ADD-ANALYTICS";
export const ONBOARDING_ID = "SVC-ONBOARDING";
export const TRAINING_ID = "SVC-TRAINING";
export const CONSULTING_ID = "SVC-CONSULTING";

/** Plan price per seat-month in cents, before (era 0) or after (era 1) the increase. */
export function planPrice(tier: Tier, era: 0 | 1): number {
  const base = tier === "Starter" ? 2500 : tier === "Pro" ? 5500 : 9500;
  return era === 0 ? base : Math.round(base * PRICE_INCREASE);
}

export const ADDON_PRICE = 1200;

export function makeCatalogue(t: Timeline): Product[] {
  const before = (months: number) => monthStartAfter(t.start, -months);
  const plans: Product[] = [
    {
      id: PLAN_ID.Starter,
      name: "Starter plan (per seat-month)",
      category: "subscription",
      priceCents: planPrice("Starter", 0),
      costCents: 600,
      launchedOn: before(48),
    },
    {
      id: PLAN_ID.Pro,
      name: "Pro plan (per seat-month)",
      category: "subscription",
      priceCents: planPrice("Pro", 0),
      costCents: 1100,
      launchedOn: before(48),
    },
    {
      id: PLAN_ID.Enterprise,
      name: "Enterprise plan (per seat-month)",
      category: "subscription",
      priceCents: planPrice("Enterprise", 0),
      costCents: 1800,
      launchedOn: before(30),
    },
    {
      id: ADDON_ID,
      name: "Analytics add-on (per seat-month)",
      category: "subscription",
      priceCents: ADDON_PRICE,
      costCents: 300,
      launchedOn: t.addonLaunch,
    },
    {
      id: ONBOARDING_ID,
      name: "Onboarding package (per day)",
      category: "service",
      priceCents: 120000,
      costCents: 65000,
      launchedOn: before(48),
    },
    {
      id: TRAINING_ID,
      name: "Training day",
      category: "service",
      priceCents: 150000,
      costCents: 60000,
      launchedOn: before(48),
    },
    {
      id: CONSULTING_ID,
      name: "Consulting day",
      category: "service",
      priceCents: 180000,
      costCents: 90000,
      launchedOn: before(40),
    },
  ];
  const p = (
    n: number,
    name: string,
    price: number,
    cost: number,
    qty: number,
    affinity: Product["affinity"],
    launchedOn = before(60 - n),
    withdrawnOn?: number,
  ): Product => ({
    id: `PRD-${String(n).padStart(3, "0")}`,
    name,
    category: "product",
    priceCents: price,
    costCents: cost,
    launchedOn,
    withdrawnOn,
    typicalQty: qty,
    affinity,
  });
  const goods: Product[] = [
    p(1, "Thermal label roll, case of 12", 4800, 2900, 20, "consumable"),
    p(2, "RFID tags, pack of 500", 12500, 6200, 8, "consumable"),
    p(3, "Printer ribbon, box of 10", 6900, 3800, 10, "consumable"),
    p(4, "Handheld barcode scanner", 42900, 24000, 3, "equipment"),
    p(5, "Rugged mobile terminal", 89900, 61000, 2, "equipment"),
    p(6, "Desktop label printer", 38900, 27500, 2, "equipment"),
    p(7, "Replacement battery pack", 5900, 2400, 6, "equipment"),
    p(8, "Charging cradle, 4-slot", 24900, 13900, 2, "equipment"),
    p(9, "Temperature data logger", 8900, 3600, 12, "cold-chain"),
    p(10, "Cold-chain sensor kit", 31900, 17500, 3, "cold-chain"),
    p(11, "Pallet tracking beacon", 3900, 1600, 40, "cold-chain"),
    p(12, "Shelf-edge label kit", 2900, 1300, 30, "retail"),
    p(13, "Receipt paper, case of 50", 5500, 4600, 15, "retail"),
    p(14, "Smart shelf sensor", 14900, 6000, 10, "retail", t.newProductLaunch),
    p(15, "Legacy pager unit", 9900, 7900, 4, "equipment", before(70), t.withdrawal),
  ];
  return [...plans, ...goods];
}

export const ROLES = [
  "Account Manager",
  "Customer Success Manager",
  "Support Engineer",
  "Solutions Consultant",
] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_RATES: Record<Role, number> = {
  "Account Manager": 8500,
  "Customer Success Manager": 7000,
  "Support Engineer": 5500,
  "Solutions Consultant": 9500,
};
