/**
 * The sample carries the signal the pages are built to show (loaders/sample/README.md):
 * churn falling with tenure and differing by segment, the dated price increase and add-on
 * launch, growth, NPS related to churn, CAC differing by channel, costly accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FILES, cents, generateTo, readTable, removeDir, type Table } from "./helpers.js";

const PRICE_INCREASE = "2024-10-01";
const ADDON_LAUNCH = "2024-04-01";
const NEW_PRODUCT_LAUNCH = "2023-10-01";
const WITHDRAWN_AFTER = "2025-03-31";
const AS_OF = "2026-09-30";

let dir: string;
const t: Record<string, Table> = {};

const day = (iso: string) => Date.parse(iso + "T00:00:00Z") / 86_400_000;

interface Spell {
  account: string;
  tier: string;
  keyAccount: boolean;
  /** Months from acquisition to the first churn (or to the as-of date). */
  months: number;
  churned: boolean;
}
let spells: Spell[];

beforeAll(() => {
  dir = generateTo({ accounts: 1500, years: 6, seed: 42, asOf: AS_OF });
  for (const f of FILES) t[f.replace(".csv", "")] = readTable(dir, f);
  const plans = new Map<string, Record<string, string>[]>();
  for (const r of t.contracts)
    if (r.product_id.startsWith("PLN-")) plans.set(r.account_id, [...(plans.get(r.account_id) ?? []), r]);
  const accounts = new Map(t.accounts.map((a) => [a.account_id, a]));
  spells = [...plans].map(([account, rows]) => {
    const starts = new Set(rows.map((r) => day(r.start_date)));
    const ends = rows
      .filter((r) => r.end_date !== "" && !starts.has(day(r.end_date) + 1))
      .map((r) => day(r.end_date) + 1);
    const acquired = day(accounts.get(account)!.acquired_on);
    const stop = ends.length ? Math.min(...ends) : day(AS_OF) + 1;
    const first = rows.find((r) => r.change_type === "new")!;
    return {
      account,
      tier: first.product_id,
      keyAccount: accounts.get(account)!.key_account_manager !== "",
      months: (stop - acquired) / 30.44,
      churned: ends.length > 0,
    };
  });
});
afterAll(() => removeDir(dir));

/** Churned accounts per account-month of exposure. */
function monthlyChurn(s: Spell[], fromMonth = 0, toMonth = Infinity): number {
  let exposure = 0;
  let churned = 0;
  for (const x of s) {
    exposure += Math.max(0, Math.min(x.months, toMonth) - fromMonth);
    if (x.churned && x.months > fromMonth && x.months <= toMonth + 0.5) churned++;
  }
  return churned / exposure;
}

describe("the sample's signal", () => {
  it("has a monthly churn hazard that declines with tenure (first year above third year)", () => {
    const year1 = monthlyChurn(spells, 0, 12);
    const year3 = monthlyChurn(spells, 24, 36);
    expect(year1).toBeGreaterThan(1.4 * year3);
    expect(year1).toBeLessThan(0.06);
    expect(year3).toBeGreaterThan(0.002);
  });

  it("churns Starter accounts faster than Pro, and Pro faster than Enterprise", () => {
    const by = (plan: string) => monthlyChurn(spells.filter((s) => s.tier === plan));
    expect(by("PLN-STARTER")).toBeGreaterThan(by("PLN-PRO"));
    expect(by("PLN-PRO")).toBeGreaterThan(by("PLN-ENTERPRISE"));
  });

  it("churns accounts with a key account manager less", () => {
    expect(monthlyChurn(spells.filter((s) => s.keyAccount))).toBeLessThan(
      0.7 * monthlyChurn(spells.filter((s) => !s.keyAccount)),
    );
  });

  it("shows the list-price increase as price_increase rows on or after its date, 8% above the old price", () => {
    const rows = t.contracts.filter((r) => r.change_type === "price_increase");
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.start_date < PRICE_INCREASE)).toEqual([]);
    const perSeat = (r: Record<string, string>) => cents(r.mrr) / Number(r.seats);
    expect(new Set(rows.map(perSeat))).toEqual(new Set([2700, 5940, 10260]));
    const before = t.contracts
      .filter((r) => r.product_id.startsWith("PLN-") && r.start_date < PRICE_INCREASE)
      .map(perSeat);
    expect(new Set(before)).toEqual(new Set([2500, 5500, 9500]));
  });

  it("has no add-on before its launch and a share of subscription accounts adopting it after", () => {
    const addon = t.contracts.filter((r) => r.product_id === "ADD-ANALYTICS");
    expect(addon.filter((r) => r.start_date < ADDON_LAUNCH)).toEqual([]);
    const invoiceDate = new Map(t.invoices.map((r) => [r.invoice_id, r.invoice_date]));
    expect(
      t.invoice_lines.filter((r) => r.product_id === "ADD-ANALYTICS" && invoiceDate.get(r.invoice_id)! < ADDON_LAUNCH),
    ).toEqual([]);
    const adopters = new Set(addon.filter((r) => r.change_type === "addon").map((r) => r.account_id)).size;
    const subscribers = t.accounts.filter((a) => a.business_model === "subscription").length;
    expect(adopters / subscribers).toBeGreaterThan(0.05);
    expect(adopters / subscribers).toBeLessThan(0.4);
  });

  it("sells the new product only after its launch and the withdrawn one only before its withdrawal", () => {
    const invoiceDate = new Map(t.invoices.map((r) => [r.invoice_id, r.invoice_date]));
    const sold = (id: string) =>
      t.invoice_lines.filter((r) => r.product_id === id).map((r) => invoiceDate.get(r.invoice_id)!);
    const launched = t.products.find((p) => p.launched_on === NEW_PRODUCT_LAUNCH)!;
    const withdrawn = t.products.find((p) => p.withdrawn_on !== "")!;
    expect(withdrawn.withdrawn_on).toBe(WITHDRAWN_AFTER);
    expect(sold(launched.product_id).length).toBeGreaterThan(0);
    expect(Math.min(...sold(launched.product_id).map(day))).toBeGreaterThanOrEqual(day(NEW_PRODUCT_LAUNCH));
    // credit notes may follow a last order by a few weeks
    const orders = t.invoice_lines
      .filter((r) => r.product_id === withdrawn.product_id && cents(r.amount) > 0)
      .map((r) => invoiceDate.get(r.invoice_id)!);
    expect(orders.filter((d) => d > WITHDRAWN_AFTER)).toEqual([]);
  });

  it("acquires more accounts in later years, about a quarter of them transactional", () => {
    const inYear = (from: string, to: string) =>
      t.accounts.filter((a) => a.acquired_on >= from && a.acquired_on <= to).length;
    expect(inYear("2025-10-01", "2026-09-30")).toBeGreaterThan(1.8 * inYear("2020-10-01", "2021-09-30"));
    const transactional = t.accounts.filter((a) => a.business_model === "transactional").length / t.accounts.length;
    expect(transactional).toBeGreaterThan(0.18);
    expect(transactional).toBeLessThan(0.32);
  });

  it("averages 60 to 100 invoice lines per account", () => {
    const perAccount = t.invoice_lines.length / t.accounts.length;
    expect(perAccount).toBeGreaterThan(60);
    expect(perAccount).toBeLessThan(100);
  });

  it("gives lower NPS scores, on average, to accounts that later churn", () => {
    const churned = new Set(spells.filter((s) => s.churned).map((s) => s.account));
    const kept = new Set(spells.filter((s) => !s.churned).map((s) => s.account));
    const mean = (set: Set<string>) => {
      const scores = t.nps_responses.filter((r) => set.has(r.account_id)).map((r) => Number(r.score));
      return scores.reduce((a, b) => a + b, 0) / scores.length;
    };
    expect(mean(churned)).toBeLessThan(mean(kept) - 0.3);
    const answered = new Set(t.nps_responses.map((r) => r.account_id)).size;
    expect(answered / t.accounts.length).toBeGreaterThan(0.25);
  });

  it("costs far more to acquire through Direct Sales than through the Marketplace", () => {
    const cac = (channel: string) =>
      t.marketing_spend.filter((r) => r.channel === channel).reduce((s, r) => s + cents(r.amount), 0) /
      t.accounts.filter((a) => a.acquisition_channel === channel).length;
    expect(cac("Direct Sales")).toBeGreaterThan(5 * cac("Marketplace"));
    expect(cac("Partner")).toBeGreaterThan(cac("Inbound"));
  });

  it("has accounts that cost more to serve than the gross margin they bring", () => {
    const rate = new Map(t.role_rates.map((r) => [r.role, cents(r.hourly_cost)]));
    const cost = new Map(t.products.map((p) => [p.product_id, cents(p.unit_cost)]));
    const account = new Map(t.invoices.map((r) => [r.invoice_id, r.account_id]));
    const margin = new Map<string, number>();
    for (const l of t.invoice_lines) {
      const a = account.get(l.invoice_id)!;
      margin.set(a, (margin.get(a) ?? 0) + cents(l.amount) - Number(l.quantity) * cost.get(l.product_id)!);
    }
    const serve = new Map<string, number>();
    for (const e of t.time_entries)
      serve.set(e.account_id, (serve.get(e.account_id) ?? 0) + Number(e.hours) * rate.get(e.role)!);
    const losing = [...margin].filter(([a, m]) => (serve.get(a) ?? 0) > m).length;
    expect(losing).toBeGreaterThan(10);
    const totalServe = [...serve.values()].reduce((a, b) => a + b, 0);
    const totalMargin = [...margin.values()].reduce((a, b) => a + b, 0);
    expect(totalServe / totalMargin).toBeGreaterThan(0.03);
    expect(totalServe / totalMargin).toBeLessThan(0.25);
  });
});
