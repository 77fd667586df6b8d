/**
 * Account attributes: firmographics, segment, channel, latent health and contact details.
 * Everything is drawn from the account's own random stream.
 */
import { bernoulli, normal, pickWeighted, randomInt, uniform, type Rng } from "../../src/lib/random.js";
import { TIERS, type Tier } from "./catalogue.js";
import {
  ACCOUNT_NOTES,
  CHANNELS,
  FIRST_NAMES,
  INDUSTRIES,
  INDUSTRY_NOUNS,
  KEY_ACCOUNT_MANAGERS,
  LAST_NAMES,
  NAME_PREFIXES,
  PHONE_PREFIX,
  REGIONS,
  REGION_SUFFIXES,
  SPECIAL_NAMES,
  SURNAME_FIRMS,
  type Channel,
  type Industry,
  type Region,
} from "./words.js";

export type Size = "small" | "mid" | "enterprise";
export const SIZES: readonly Size[] = ["small", "mid", "enterprise"];
export const SIZE_WEIGHTS = [0.62, 0.28, 0.1];

export interface Account {
  readonly index: number;
  readonly id: string;
  readonly acquiredOn: number;
  readonly name: string;
  readonly industry: Industry;
  readonly region: Region;
  readonly employees: number;
  readonly size: Size;
  readonly model: "subscription" | "transactional";
  /** Tier at acquisition (subscription only). */
  readonly tier: Tier | "";
  readonly initialSeats: number;
  readonly channel: Channel;
  readonly annual: boolean;
  readonly keyAccountManager: string;
  /** Latent health: higher means happier, stickier, more expansion. */
  readonly health: number;
  /** Needs far more support than its revenue justifies. */
  readonly highMaintenance: boolean;
  readonly contactName: string;
  readonly contactEmail: string;
  readonly contactPhone: string;
  readonly notes: string;
}

const INDUSTRY_WEIGHTS = [0.15, 0.14, 0.16, 0.11, 0.11, 0.1, 0.09, 0.14];
const TRANSACTIONAL_SHARE: Record<Industry, number> = {
  Manufacturing: 0.55,
  Retail: 0.6,
  Logistics: 0.55,
  Healthcare: 0.18,
  Software: 0.04,
  "Financial Services": 0.04,
  Education: 0.07,
  "Professional Services": 0.05,
};
const REGION_WEIGHTS = [0.45, 0.3, 0.15, 0.1];

/** Channel weights by size; Marketplace grows over the history (`progress` 0 → 1). */
export function channelWeights(size: Size, progress: number): number[] {
  const market = 0.35 + 1.3 * progress;
  switch (size) {
    case "enterprise":
      return [0.5, 0.25, 0.07, 0.15, 0.03 * market];
    case "mid":
      return [0.2, 0.25, 0.2, 0.25, 0.1 * market];
    default:
      return [0.03, 0.15, 0.4, 0.17, 0.25 * market];
  }
}

/** Shift of latent health by channel: referrals and direct deals stick better. */
const CHANNEL_HEALTH: Record<Channel, number> = {
  "Direct Sales": 0.25,
  Partner: 0.15,
  Inbound: 0.05,
  Outbound: -0.15,
  Marketplace: -0.3,
};

const TIER_WEIGHTS: Record<Size, number[]> = {
  small: [0.7, 0.27, 0.03],
  mid: [0.25, 0.55, 0.2],
  enterprise: [0.05, 0.35, 0.6],
};

const ANNUAL_SHARE: Record<Size, number> = { small: 0.25, mid: 0.55, enterprise: 0.85 };
const KAM_SHARE: Record<Size, number> = { small: 0.06, mid: 0.3, enterprise: 0.85 };

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)];
}

function lognormalInt(rng: Rng, median: number, sigma: number, lo: number, hi: number): number {
  const v = Math.round(median * Math.exp(normal(rng, 0, sigma)));
  return Math.min(hi, Math.max(lo, v));
}

function ascii(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ø/g, "o")
    .replace(/Ø/g, "O")
    .replace(/å/g, "a")
    .replace(/æ/g, "ae")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .replace(/ß/g, "ss");
}

function slug(s: string): string {
  return ascii(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function companyName(rng: Rng, industry: Industry, region: Region): string {
  if (bernoulli(rng, 0.015)) return pick(rng, SPECIAL_NAMES[region]);
  const noun = pick(rng, INDUSTRY_NOUNS[industry]);
  const suffix = pick(rng, REGION_SUFFIXES[region]);
  const head = bernoulli(rng, 0.3) ? pick(rng, SURNAME_FIRMS) : pick(rng, NAME_PREFIXES);
  const base = bernoulli(rng, 0.08) ? `${head} & ${pick(rng, SURNAME_FIRMS)} ${noun}` : `${head} ${noun}`;
  return suffix ? `${base} ${suffix}` : base;
}

export interface AccountDraft extends Omit<Account, "name" | "id" | "index" | "acquiredOn"> {
  readonly baseName: string;
}

/** Draws an account's attributes (the name is made unique by the caller). */
export function drawAccount(rng: Rng, progress: number): AccountDraft {
  const industry = pickWeighted(rng, INDUSTRIES, INDUSTRY_WEIGHTS);
  const region = pickWeighted(rng, REGIONS, REGION_WEIGHTS);
  const size = pickWeighted(rng, SIZES, SIZE_WEIGHTS);
  const employees =
    size === "small"
      ? lognormalInt(rng, 45, 0.7, 5, 199)
      : size === "mid"
        ? lognormalInt(rng, 550, 0.6, 200, 1999)
        : lognormalInt(rng, 5000, 0.8, 2000, 150000);
  const transactional = bernoulli(rng, TRANSACTIONAL_SHARE[industry]);
  const model = transactional ? "transactional" : "subscription";
  const tier: Tier | "" = transactional ? "" : pickWeighted(rng, TIERS, TIER_WEIGHTS[size]);
  const seatShare = transactional
    ? uniform(rng, 0.004, 0.03)
    : size === "small"
      ? uniform(rng, 0.1, 0.4)
      : size === "mid"
        ? uniform(rng, 0.03, 0.15)
        : uniform(rng, 0.01, 0.05);
  const initialSeats = Math.max(transactional ? 1 : 3, Math.round(employees * seatShare));
  const channel = pickWeighted(rng, CHANNELS, channelWeights(size, progress));
  const annual = !transactional && bernoulli(rng, ANNUAL_SHARE[size] + (tier === "Enterprise" ? 0.1 : 0));
  const keyAccountManager = bernoulli(rng, KAM_SHARE[size])
    ? bernoulli(rng, 0.85)
      ? pick(rng, KEY_ACCOUNT_MANAGERS[region])
      : pick(rng, KEY_ACCOUNT_MANAGERS[pick(rng, REGIONS)])
    : "";
  const health = normal(rng, CHANNEL_HEALTH[channel], 1);
  const highMaintenance = bernoulli(rng, size === "enterprise" ? 0.02 : 0.045);
  const baseName = companyName(rng, industry, region);
  const first = pick(rng, FIRST_NAMES[region]);
  const last = pick(rng, LAST_NAMES[region]);
  const hasContact = bernoulli(rng, 0.96);
  const contactName = hasContact ? `${first} ${last}` : "";
  const domain =
    slug(
      baseName.replace(
        /\b(Inc|LLC|Corp|Co|Ltd|GmbH|SA|BV|AB|plc|S\.r\.l|Pty|Pte|K\.K|Limited|Ltda|S\.A|de C\.V|SpA|LLP)\b\.?/g,
        "",
      ),
    ) || "company";
  const contactEmail =
    hasContact && bernoulli(rng, 0.95) ? `${slug(first)}.${slug(last).replace(/-/g, "")}@${domain}.example` : "";
  const contactPhone =
    hasContact && bernoulli(rng, 0.85)
      ? `${pick(rng, PHONE_PREFIX[region])} ${String(randomInt(rng, 100, 199)).padStart(4, "0")}`
      : "";
  const notes = bernoulli(rng, 0.3) ? pick(rng, ACCOUNT_NOTES) : "";
  return {
    industry,
    region,
    employees,
    size,
    model,
    tier,
    initialSeats,
    channel,
    annual,
    keyAccountManager,
    health,
    highMaintenance,
    baseName,
    contactName,
    contactEmail,
    contactPhone,
    notes,
  };
}
