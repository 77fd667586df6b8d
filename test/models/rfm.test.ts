import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDay, toEpochDay } from "../../src/lib/dates.js";
import { summarizeTransactions } from "../../src/lib/models/rfm.js";
import { datasets, readCsvNumbers } from "./helpers.js";

describe("RFM summaries", () => {
  it("reproduces the CDNOW calibration summary (x, t_x, T in weeks, zbar) from the raw sample transactions", () => {
    // Oracle: cdnow_customers_summary_with_transactions.csv (FHL 2005 data, 2 decimals),
    // calibration ending 1997-09-30.
    const lines = readFileSync(path.join(datasets, "CDNOW_sample.txt"), "utf8").trim().split(/\r?\n/);
    const rows = lines.map((l) => l.trim().split(/\s+/));
    const s = summarizeTransactions(
      { id: rows.map((r) => Number(r[1])), date: rows.map((r) => r[2]), amount: rows.map((r) => Number(r[4])) },
      { unit: "weeks", calibrationEnd: "1997-09-30" },
    );
    const want = readCsvNumbers("cdnow_customers_summary_with_transactions.csv").rows;
    expect(s.id.length).toBe(2357);
    const byId = new Map(s.id.map((id, i) => [id, i]));
    for (const [id, x, tx, T, zbar] of want) {
      const i = byId.get(id)!;
      expect(s.frequency[i]).toBe(x);
      expect(Math.abs(s.recency[i] - tx)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.T[i] - T)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.monetaryValue[i] - zbar)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    // holdout: 1997-10-01 … 1998-06-30 is 273 days = 39 weeks
    expect(s.durationHoldout).toBeCloseTo(39, 10);
  });

  it("counts several purchases on one day once and sums their amounts (hand fixture)", () => {
    // a: days 0, 0, 7, 14, 14 → first day 0, repeat days 7 and 14, totals 5 and 3 + 4.
    const s = summarizeTransactions(
      {
        id: ["a", "a", "a", "a", "a", "b"],
        date: ["2024-01-01", "2024-01-01", "2024-01-08", "2024-01-15", "2024-01-15 13:45:00", "2024-01-29"],
        amount: [10, 2, 5, 3, 4, 9],
      },
      { unit: "days" },
    );
    expect(s.id).toEqual(["a", "b"]);
    expect(Array.from(s.frequency)).toEqual([2, 0]);
    expect(Array.from(s.recency)).toEqual([14, 0]);
    expect(Array.from(s.T)).toEqual([28, 0]); // calibration end = last date, 2024-01-29
    expect(Array.from(s.monetaryValue)).toEqual([6, 0]); // (5 + 7) / 2
    expect(s.frequencyHoldout).toBeUndefined();
  });

  it("splits calibration and holdout at the calibration end, inclusive, and drops customers first seen later", () => {
    const s = summarizeTransactions(
      { id: [1, 1, 1, 2], date: ["2024-01-01", "2024-01-10", "2024-01-20", "2024-01-15"] },
      { unit: "weeks", calibrationEnd: "2024-01-10", holdoutEnd: "2024-01-24" },
    );
    expect(s.id).toEqual([1]);
    expect(s.frequency[0]).toBe(1);
    expect(s.T[0]).toBeCloseTo(9 / 7, 12);
    expect(Array.from(s.frequencyHoldout!)).toEqual([1]);
    expect(s.durationHoldout).toBeCloseTo(2, 12);
  });

  it("parses dates as time-zone-free calendar days, rejecting impossible ones", () => {
    expect(toEpochDay("1970-01-02")).toBe(1);
    expect(toEpochDay("19970101")).toBe(toEpochDay("1997-01-01"));
    expect(formatDay(toEpochDay("2024-02-29"))).toBe("2024-02-29");
    expect(() => toEpochDay("2023-02-29")).toThrow(/invalid date/);
    expect(() => summarizeTransactions({ id: [1, 1], date: ["2024-01-01", "2024-13-01"] }, { unit: "days" })).toThrow(
      /invalid date at row 1/,
    );
    expect(() => summarizeTransactions({ id: [1], date: ["2024-01-01"], amount: [-1] }, { unit: "days" })).toThrow(
      /invalid amount at row 0/,
    );
  });
});
