/**
 * Unit economics per acquisition channel and period.
 *
 * - CAC = sales and marketing spend of the channel in the period ÷ accounts acquired through
 *   it in the period (null without new accounts).
 * - LTV per new account = (gross margin billed to date + predicted future value) ÷ new accounts;
 *   without a model the predicted part is missing and the LTV is the margin to date.
 * - Payback months = CAC ÷ (gross margin of the first 12 months ÷ 12), per new account.
 */
export interface ChannelPeriodInput {
  readonly channel: string;
  readonly period: string;
  readonly newAccounts: number;
  readonly marginToDateCents: number;
  /** Null when no model value exists for these accounts. */
  readonly predictedCents: number | null;
  readonly marginFirst12Cents: number;
}

export interface SpendInput {
  readonly channel: string;
  readonly period: string;
  readonly spendCents: number;
}

export interface ChannelEconomics {
  readonly channel: string;
  readonly period: string;
  readonly newAccounts: number;
  readonly spendCents: number;
  readonly cacCents: number | null;
  readonly ltvCents: number | null;
  readonly ltvToCac: number | null;
  readonly paybackMonths: number | null;
}

export function channelEconomics(
  rows: readonly ChannelPeriodInput[],
  spend: readonly SpendInput[],
): ChannelEconomics[] {
  const key = (c: string, p: string) => `${c}\u0000${p}`;
  const spendBy = new Map<string, number>();
  for (const s of spend)
    spendBy.set(key(s.channel, s.period), (spendBy.get(key(s.channel, s.period)) ?? 0) + s.spendCents);
  const seen = new Set<string>();
  const out: ChannelEconomics[] = [];
  const add = (r: ChannelPeriodInput) => {
    const spendCents = spendBy.get(key(r.channel, r.period)) ?? 0;
    const cac = r.newAccounts > 0 ? spendCents / r.newAccounts : null;
    const ltv = r.newAccounts > 0 ? (r.marginToDateCents + (r.predictedCents ?? 0)) / r.newAccounts : null;
    const monthlyMargin = r.newAccounts > 0 ? r.marginFirst12Cents / r.newAccounts / 12 : null;
    out.push({
      channel: r.channel,
      period: r.period,
      newAccounts: r.newAccounts,
      spendCents,
      cacCents: cac,
      ltvCents: ltv,
      ltvToCac: ltv !== null && cac !== null && cac > 0 ? ltv / cac : null,
      paybackMonths: cac !== null && monthlyMargin !== null && monthlyMargin > 0 ? cac / monthlyMargin : null,
    });
  };
  for (const r of rows) {
    seen.add(key(r.channel, r.period));
    add(r);
  }
  // Spend without any new account still costs money: CAC is undefined, shown as such.
  for (const s of spend) {
    if (seen.has(key(s.channel, s.period))) continue;
    seen.add(key(s.channel, s.period));
    add({
      channel: s.channel,
      period: s.period,
      newAccounts: 0,
      marginToDateCents: 0,
      predictedCents: null,
      marginFirst12Cents: 0,
    });
  }
  return out.sort((x, y) => x.channel.localeCompare(y.channel) || x.period.localeCompare(y.period));
}

/** NPS = % promoters (9–10) − % detractors (0–6), in points; null without answers. */
export function nps(promoters: number, detractors: number, answers: number): number | null {
  return answers > 0 ? (100 * (promoters - detractors)) / answers : null;
}

/** Wilson score interval (95%) for a proportion k / n; null when n = 0. */
export function wilson(k: number, n: number, z = 1.96): readonly [number, number] | null {
  if (n <= 0) return null;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
