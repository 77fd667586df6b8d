/**
 * Property (issue 13): for any generated order-lines file — day-first dates, money with 0 to 4
 * decimals, and some broken cells (no customer, impossible or other-format dates, 5 decimals,
 * currency signs, text) — ingest of a `transactions` extract with moneyDecimals 4 accepts +
 * quarantines every row read, and the money reconciles exactly at 4 decimals: the report's
 * source, accepted and quarantined totals, and the accepted rows' own sum, equal an independent
 * decimal.js sum over the rows the documented rules accept (restated here, not taken from the loaders).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Decimal from "decimal.js";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../loaders/config.js";
import { openDb } from "../../loaders/db.js";
import { ingest } from "../../loaders/ingest/index.js";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const AS_OF = "2024-12-31";
const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** A day-first date that exists and lies in [1990-01-01, as-of], else null. */
function validDate(cell: string): boolean {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(cell);
  if (!m) return false;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return false;
  const iso = t.toISOString().slice(0, 10);
  return iso >= "1990-01-01" && iso <= AS_OF;
}

/** Money under the documented rules with moneyDecimals 4: optional sign, ≤ 12 integer digits, ≤ 4 decimals. */
function readableMoney(cell: string): Decimal | null {
  const s = cell.trim();
  return /^-?\d{1,12}(\.\d{1,4})?$/.test(s) ? new Decimal(s) : null;
}

const amountArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.integer({ min: -2_000_000_000, max: 20_000_000_000 }), fc.integer({ min: 0, max: 4 }))
      .map(([n, scale]) => new Decimal(n).div(10_000).toFixed(scale, Decimal.ROUND_DOWN)),
  },
  { weight: 2, arbitrary: fc.constantFrom("261.96", "22.368", "3.0576", "-383.031", "0.0001", "957.5775", "0") },
  { weight: 1, arbitrary: fc.constantFrom("1.23456", "$3.00", "", "abc", "1e3", "12,5", "9999999999999.0000") },
);

const dateArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2024, 11, 31) })
      .map((ms) => new Date(ms).toISOString().slice(0, 10).split("-").reverse().join("/")),
  },
  { weight: 1, arbitrary: fc.constantFrom("31/02/2023", "2023-01-05", "", "13/13/2023", "01/01/2025") },
);

interface Row {
  customer: string;
  name: string;
  order: string;
  date: string;
  quantity: number;
  sales: string;
}

const rowArb: fc.Arbitrary<Row> = fc.record({
  customer: fc.constantFrom("CG-12520", "EP-10001", "山田-2", "ŁN-33", ""),
  name: fc.constantFrom("Claire Gute", "Ελένη Π.", 'Müller, "Hans"', "山田 太郎"),
  order: fc.constantFrom("CA-2021-152156", "CA-2021-138688", "US-2022-108966", "US-2023-115812"),
  date: dateArb,
  quantity: fc.integer({ min: 1, max: 14 }),
  sales: amountArb,
});

describe("ingest of generated order lines (moneyDecimals 4)", () => {
  it("accepts + quarantines every row read, and reconciles money exactly at 4 decimals", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 40 }), async (rows) => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-orderlines-"));
        made.push(dir);
        const header = "Row ID,Order ID,Order Date,Customer ID,Customer Name,Quantity,Sales";
        const body = rows.map((r, i) =>
          [String(i + 1), r.order, r.date, r.customer, r.name, String(r.quantity), r.sales].map(csvField).join(","),
        );
        writeFileSync(path.join(dir, "orders.csv"), [header, ...body].join("\n") + "\n");
        const configFile = path.join(dir, "atlas.config.json");
        writeFileSync(
          configFile,
          JSON.stringify({
            sourceDir: ".",
            asOf: AS_OF,
            currency: "USD",
            format: { dateFormat: "%d/%m/%Y", moneyDecimals: 4 },
            quarantineLimit: { rows: 1, money: 1 },
            extracts: {
              transactions: {
                file: "orders.csv",
                columns: {
                  account_id: "Customer ID",
                  account_name: "Customer Name",
                  date: "Order Date",
                  order_id: "Order ID",
                  quantity: "Quantity",
                  amount: "Sales",
                },
              },
            },
          }),
        );

        // Independent expectation.
        let source = new Decimal(0);
        let accepted = new Decimal(0);
        let acceptedRows = 0;
        for (const r of rows) {
          const money = readableMoney(r.sales);
          if (money) source = source.plus(money);
          if (money && r.customer !== "" && validDate(r.date)) {
            accepted = accepted.plus(money);
            acceptedRows++;
          }
        }

        const db = await openDb();
        try {
          const report = await ingest(db, loadConfig(configFile));
          const e = report.extracts.find((x) => x.extract === "transactions");
          expect(e, "no transactions in the report").toBeDefined();
          expect(e!.rowsRead).toBe(rows.length);
          expect(e!.accepted + e!.quarantined).toBe(e!.rowsRead);
          expect(e!.accepted).toBe(acceptedRows);
          const m = e!.money!;
          expect({
            source: new Decimal(m.sourceTotal).toFixed(4),
            accepted: new Decimal(m.acceptedTotal).toFixed(4),
            quarantined: new Decimal(m.quarantinedTotal).toFixed(4),
            balanced: m.balanced,
          }).toEqual({
            source: source.toFixed(4),
            accepted: accepted.toFixed(4),
            quarantined: source.minus(accepted).toFixed(4),
            balanced: true,
          });
          const [sum] = await db.all<{ total: string | null; n: string }>(
            "SELECT CAST(sum(amount) AS VARCHAR) AS total, count(*) AS n FROM accepted_transactions",
          );
          expect({ n: Number(sum.n), total: new Decimal(sum.total ?? 0).toFixed(4) }).toEqual({
            n: acceptedRows,
            total: accepted.toFixed(4),
          });
        } finally {
          db.close();
        }
      }),
      { numRuns: 30, seed: 13 },
    );
  });
});
