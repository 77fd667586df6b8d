/**
 * The strict build: above the config's quarantineLimit (default 1% of an extract's rows or
 * money) the build stops with the top reasons and a file of every rejected row;
 * `allowQuarantine` (the build's --allow-quarantine) builds anyway.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AtlasError } from "../../loaders/errors.js";
import { quarantineShare } from "../../loaders/ingest/strict.js";
import { prepare } from "../../loaders/pipeline.js";
import type { ExtractReport } from "../../src/lib/shapes/ingest-report.js";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** 200 good order rows for 20 customers, plus `bad` rows with an unreadable amount. */
function orders(bad: number, limit?: Record<string, number>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-strict-"));
  made.push(dir);
  const rows = ["Customer,Date,Amount"];
  for (let i = 0; i < 200; i++) rows.push(`C${i % 20},2024-0${1 + (i % 9)}-1${i % 10},${10 + (i % 7)}.50`);
  for (let i = 0; i < bad; i++) rows.push(`C${i},2024-03-03,12 EUR`);
  writeFileSync(path.join(dir, "orders.csv"), rows.join("\n") + "\n");
  writeFileSync(
    path.join(dir, "atlas.config.json"),
    JSON.stringify({
      asOf: "2024-09-30",
      extracts: {
        transactions: { file: "orders.csv", columns: { account_id: "Customer", date: "Date", amount: "Amount" } },
      },
      ...(limit ? { quarantineLimit: limit } : {}),
    }),
  );
  return dir;
}

describe("strict build", () => {
  it("builds when 1 row in 201 (0.5%) is quarantined", async () => {
    const dir = orders(1);
    const result = await prepare({
      configPath: path.join(dir, "atlas.config.json"),
      storeDir: path.join(dir, "store"),
      quiet: true,
    });
    expect(result.rebuilt).toBe(true);
  });

  it("stops when 3 rows in 203 (1.5%) are quarantined, naming the reason and the file of rejected rows", async () => {
    const dir = orders(3);
    let message = "";
    try {
      await prepare({
        configPath: path.join(dir, "atlas.config.json"),
        storeDir: path.join(dir, "store"),
        quiet: true,
      });
    } catch (error) {
      expect(error).toBeInstanceOf(AtlasError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/transactions: 3 rows quarantined = 1\.48% of rows/);
    expect(message).toMatch(/invalid_money in amount × 3 \(e\.g\. line 202: amount "12EUR" is not an amount/);
    expect(message).toMatch(/--allow-quarantine/);
    const file = path.join(dir, "rejected", "transactions.csv");
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(4);
    expect(existsSync(path.join(dir, "store"))).toBe(false);
  });

  it("builds anyway with allowQuarantine, or with a higher configured limit", async () => {
    const dir = orders(3);
    expect(
      (
        await prepare({
          configPath: path.join(dir, "atlas.config.json"),
          storeDir: path.join(dir, "store"),
          quiet: true,
          allowQuarantine: true,
        })
      ).rebuilt,
    ).toBe(true);
    const relaxed = orders(3, { rows: 0.02 });
    expect(
      (
        await prepare({
          configPath: path.join(relaxed, "atlas.config.json"),
          storeDir: path.join(relaxed, "store"),
          quiet: true,
        })
      ).rebuilt,
    ).toBe(true);
  });
});

describe("quarantineShare", () => {
  const report = (over: Partial<ExtractReport>): ExtractReport =>
    ({
      extract: "transactions",
      rowsRead: 110,
      quarantined: 2,
      filtered: [{ rule: "Stage", count: 10 }],
      money: null,
      ...over,
    }) as ExtractReport;

  it("measures rows against those no filter left out", () => {
    expect(quarantineShare(report({})).rows).toBeCloseTo(0.02, 12);
  });

  it("measures money against the larger of the source and accepted totals (returns may cancel sales)", () => {
    const money = {
      column: "amount",
      sourceTotal: "50.00",
      acceptedTotal: "100.00",
      quarantinedTotal: "-50.00",
      unreadableRows: 0,
      balanced: true,
    };
    expect(quarantineShare(report({ money })).money).toBeCloseTo(0.5, 12);
  });
});
