/**
 * The prepare stage on the two histories of issue 14 (test/fixtures/model-histories, written by
 * its seeded generate.ts): a 20-day retail export, which used to stop the build with a hyp2f1
 * RangeError from a parameter draw, and a 4-year order history in which nobody leaves, whose
 * BG/NBD fit runs to the boundary a → 0, b → ∞ (valued with the simpler NBD instead). Both must
 * prepare; every segment is valued or listed with its reason; the accounts no model can value
 * carry the historical value. Figures are re-computed here from the raw CSVs in plain JavaScript
 * (no SQL, no model code): trailing-12-month margin × observed 12-month retention, the NBD
 * score equations and one account's NBD value.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { prepare } from "../../loaders/pipeline.js";
import { STORE_FILES } from "../../loaders/store.js";
import type { AccountValue, ModelsData } from "../../src/lib/shapes/models-data.js";
import { REPO } from "../support/fixtures.js";

const FIXTURES = path.join(REPO, "test", "fixtures", "model-histories");
const AS_OF = "2026-09-30";
const stores: string[] = [];
afterAll(() => stores.forEach((s) => rmSync(s, { recursive: true, force: true })));

async function build(name: string): Promise<{ models: ModelsData; values: AccountValue[] }> {
  const store = mkdtempSync(path.join(os.tmpdir(), `atlas-${name}-`));
  stores.push(store);
  const { storeDir } = await prepare({
    sourceDir: path.join(FIXTURES, name),
    storeDir: store,
    quiet: true,
    force: true,
  });
  const models = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.models), "utf8")) as ModelsData;
  const instance = await DuckDBInstance.create(":memory:");
  const c = await instance.connect();
  const values = (
    await c.runAndReadAll(`SELECT * FROM read_parquet('${path.join(storeDir, STORE_FILES.accountValue)}')`)
  ).getRowObjectsJS() as unknown as AccountValue[];
  c.closeSync();
  instance.closeSync();
  return { models, values };
}

/** Per account: margin (amount − quantity × unit cost 12.00) by month "YYYY-MM", from the CSVs. */
function marginsByMonth(name: string): Map<string, Map<string, number>> {
  const read = (file: string) =>
    readFileSync(path.join(FIXTURES, name, file), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","));
  const invoiceOf = new Map(
    read("invoices.csv").map(([id, account, date]) => [id, { account, month: date.slice(0, 7) }]),
  );
  const out = new Map<string, Map<string, number>>();
  for (const [id, , , quantity, , amount] of read("invoice_lines.csv")) {
    const inv = invoiceOf.get(id)!;
    const months = out.get(inv.account) ?? new Map<string, number>();
    months.set(inv.month, (months.get(inv.month) ?? 0) + Math.round(Number(amount) * 100) - Number(quantity) * 1200);
    out.set(inv.account, months);
  }
  return out;
}

const monthsBack = (from: string, n: number) => {
  const [y, m] = from.split("-").map(Number);
  const k = y * 12 + (m - 1) - n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
};

/** Trailing 12 months: (asOf − 12 months, asOf]; the year before: 12 months earlier. */
function expectedHistorical(name: string): { perAccount: Map<string, number>; retention: number | null } {
  const months = marginsByMonth(name);
  const recent = new Set(Array.from({ length: 12 }, (_, i) => monthsBack(AS_OF.slice(0, 7), i)));
  const before = new Set(Array.from({ length: 12 }, (_, i) => monthsBack(AS_OF.slice(0, 7), 12 + i)));
  const firstMonth = [...months.values()].flatMap((m) => [...m.keys()]).sort()[0];
  let base = 0,
    kept = 0;
  for (const m of months.values()) {
    const wasActive = [...m.keys()].some((k) => before.has(k));
    if (!wasActive) continue;
    base++;
    if ([...m.keys()].some((k) => recent.has(k))) kept++;
  }
  const retention = firstMonth <= monthsBack(AS_OF.slice(0, 7), 23) && base >= 10 ? kept / base : null;
  const perAccount = new Map<string, number>();
  for (const [account, m] of months) {
    let margin = 0;
    for (const [k, v] of m) if (recent.has(k)) margin += v;
    perAccount.set(account, margin * (retention ?? 1));
  }
  return { perAccount, retention };
}

function expectEverySegmentValuedOrExplained(models: ModelsData, values: AccountValue[]) {
  for (const v of values) {
    expect(["sbg", "bgnbd", "mbgnbd", "paretonbd", "nbd", "historical"]).toContain(v.model);
    expect(Number.isFinite(v.clv_cents)).toBe(true);
  }
  for (const n of models.notValued) expect(n.reason.length).toBeGreaterThan(20);
  const historical = values.filter((v) => v.model === "historical").length;
  expect(models.notValued.reduce((s, n) => s + n.accounts, 0)).toBe(historical);
}

describe("a 20-day retail history (it used to crash the build)", () => {
  it("prepares, says why no purchase model is fitted and values every account historically", async () => {
    const { models, values } = await build("retail-20d");
    expect(values.length).toBe(400);
    expectEverySegmentValuedOrExplained(models, values);
    expect(models.purchases).toBeNull();
    expect(models.notValued).toHaveLength(1);
    // The first purchase is 19 days before the as-of date: 19/7 = 2.7 weeks, 26 needed.
    expect(models.notValued[0].reason).toContain("2.7 weeks of purchase history (at least 26 needed)");
    const expected = expectedHistorical("retail-20d");
    expect(expected.retention).toBeNull();
    expect(models.historical?.retention.transactional).toBeNull();
    for (const v of values) expect(v.clv_cents).toBeCloseTo(expected.perAccount.get(v.account_id)!, 6);
    expect(models.portfolio.historicalShare).toBe(1);
    expect(models.historical?.method).toContain("100% assumed");
  }, 120_000);
});

describe("a 4-year order history without dropout (BG/NBD runs to a boundary)", () => {
  it("prepares, names the boundary parameters and values every account with the simpler NBD model", async () => {
    const { models, values } = await build("orders-4y");
    expect(values.length).toBe(1000);
    expectEverySegmentValuedOrExplained(models, values);
    expect(models.notValued).toEqual([]);
    const p = models.purchases!;
    expect(p.purchaseModel).toBe("nbd");
    const fit = (model: string) => p.fits.find((f) => f.model === model)!;
    expect(fit("bgnbd").warnings.join(" ")).toMatch(/a = [0-9.e+-]+ is at the edge of its range/);
    // Every model with dropout runs to its no-dropout boundary here, so none is used.
    for (const f of p.fits) expect(f.used).toBe(f.model === "nbd");
    expect(p.choice).toContain("No purchase model with dropout is identified");
    expect(p.fallback).toContain("simpler NBD model");
    expect(values.every((v) => v.model === "nbd" && v.probability_alive === 1)).toBe(true);
    // The boundary BG/NBD and NBD have the same maximum: BG/NBD's likelihood tends to NBD's as a → 0.
    expect(fit("nbd").logLik).toBeCloseTo(fit("bgnbd").logLik, 6);

    // RFM from the CSVs: distinct invoice days per account, weeks to the as-of date.
    const read = (file: string) =>
      readFileSync(path.join(FIXTURES, "orders-4y", file), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(","));
    const days = new Map<string, Set<string>>();
    for (const [, account, date] of read("invoices.csv")) days.set(account, (days.get(account) ?? new Set()).add(date));
    const asOf = Date.parse(`${AS_OF}T00:00:00Z`);
    const rfm = [...days.entries()].map(([account, set]) => {
      const sorted = [...set].sort();
      return { account, x: sorted.length - 1, T: (asOf - Date.parse(`${sorted[0]}T00:00:00Z`)) / 86_400_000 / 7 };
    });
    // The NBD maximum: ∂ℓ/∂α = Σ r/α − (r + x)/(α + T) = 0 and ∂ℓ/∂r = Σ [Σ_{k<x} 1/(r + k)] + ln α − ln(α + T) = 0.
    const { r, alpha } = fit("nbd").params;
    let dAlpha = 0,
      dR = 0;
    for (const { x, T } of rfm) {
      dAlpha += r / alpha - (r + x) / (alpha + T);
      for (let k = 0; k < x; k++) dR += 1 / (r + k);
      dR += Math.log(alpha) - Math.log(alpha + T);
    }
    expect(Math.abs(dAlpha * alpha)).toBeLessThan(1e-3);
    expect(Math.abs(dR * r)).toBeLessThan(1e-3);
    // Value of the most frequent buyer: margin × E[spend] × (r + x)/(α + T) × Δ × Σ_{k=1}^{60} 1/(1 + d_m)^k.
    const top = rfm.reduce((a, b) => (b.x > a.x ? b : a));
    const gg = p.gammaGamma!;
    const lines = read("invoice_lines.csv");
    const invoiceDay = new Map(read("invoices.csv").map(([id, account, date]) => [id, `${account}|${date}`]));
    const byDay = new Map<string, number>();
    for (const [id, , , , , amount] of lines)
      byDay.set(invoiceDay.get(id)!, (byDay.get(invoiceDay.get(id)!) ?? 0) + Math.round(Number(amount) * 100));
    const own = [...byDay.entries()]
      .filter(([k]) => k.startsWith(`${top.account}|`))
      .sort((a, b) => a[0].localeCompare(b[0]));
    const zbar = own.slice(1).reduce((s, [, c]) => s + c, 0) / top.x;
    const spend = (gg.p * (gg.gamma + top.x * zbar)) / (gg.p * top.x + gg.q - 1);
    const v = 1 / Math.pow(1.1, 1 / 12);
    let geo = 0;
    for (let k = 1; k <= 60; k++) geo += Math.pow(v, k);
    const expected = models.margins.transactional * spend * ((r + top.x) / (alpha + top.T)) * (365.25 / 12 / 7) * geo;
    const got = values.find((a) => a.account_id === top.account)!;
    expect(got.clv_cents).toBeCloseTo(expected, 4);
    expect(got.clv_p10_cents).toBeLessThan(got.clv_cents);
    expect(got.clv_p90_cents).toBeGreaterThan(got.clv_cents);
  }, 120_000);
});
