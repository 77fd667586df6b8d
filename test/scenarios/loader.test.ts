/**
 * The scenario loader on the prepared sample store: the per-account inputs reproduce the
 * models' values (V = margin × payment × F₀ for every running contract), and saved scenario
 * files are validated with messages naming the file and the field.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../loaders/db.js";
import { readContractAccounts } from "../../loaders/models/inputs.js";
import {
  accountsFromArrow,
  accountsToArrow,
  readScenarioInputs,
  type ScenarioInputs,
} from "../../loaders/outputs/scenarios/base.js";
import { readSavedScenarios, SAVED_DIR, savedScenarioNames } from "../../loaders/outputs/scenarios/saved.js";
import { prepare } from "../../loaders/pipeline.js";
import { extractParquet, STORE_FILES } from "../../loaders/store.js";
import { literal } from "../../loaders/db.js";
import { monthIndexOf } from "../../src/lib/dates.js";
import { ScenarioEvaluator } from "../../src/lib/scenarios/engine.js";
import { neutralEffects, periodsFor, survivalSeries } from "../../src/lib/scenarios/series.js";

let inputs: ScenarioInputs;
let storeDir: string;

beforeAll(async () => {
  ({ storeDir } = await prepare({ quiet: true }));
  inputs = await readScenarioInputs(storeDir, [0.8, 0.95]);
}, 600_000);

describe("scenario inputs from the sample store", () => {
  it("reproduce each running contract's value from margin, payment and the pool's F₀", async () => {
    const { base, accounts } = inputs;
    const db = await openDb();
    await db.run(
      `CREATE VIEW dim_accounts AS SELECT * FROM read_parquet(${literal(path.join(storeDir, STORE_FILES.accounts))})`,
    );
    await db.run(
      `CREATE VIEW account_month AS SELECT * FROM read_parquet(${literal(path.join(storeDir, STORE_FILES.accountMonth))})`,
    );
    await db.run(
      `CREATE VIEW accepted_contracts AS SELECT * FROM read_parquet(${literal(path.join(storeDir, extractParquet("contracts")))})`,
    );
    const contracts = new Map((await readContractAccounts(db, base.asOf)).map((c) => [c.accountId, c]));
    db.close();
    let checked = 0;
    for (let i = 0; i < accounts.length; i++) {
      const g = accounts.group[i];
      if (g < 0) continue;
      const { pool: p, renewals } = base.groups[g];
      const pool = base.pools[p];
      if (pool.kind !== "sbg") continue;
      const c = contracts.get(accounts.accountId[i])!;
      expect(renewals).toBe(Math.floor((monthIndexOf(base.asOf) - c.currentStart!) / pool.periodMonths));
      const f0 = survivalSeries(
        pool,
        renewals,
        neutralEffects(periodsFor(pool, base.horizonMonths)),
        base.horizonMonths,
        base.annualDiscountRate,
      ).valueFactor;
      expect(accounts.valueCents[i] / (base.margins[0] * c.mrrCents * pool.periodMonths * f0)).toBeCloseTo(1, 9);
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("sum to the models' portfolio value, and survive the Arrow stream unchanged", async () => {
    const models = JSON.parse((await import("node:fs")).readFileSync(path.join(storeDir, STORE_FILES.models), "utf8"));
    const evaluation = new ScenarioEvaluator(inputs.base, inputs.accounts).evaluate({
      version: 1,
      title: "",
      ledger: [],
    });
    expect(evaluation.base.valueCents).toBeCloseTo(models.portfolio.valueCents, 0);
    const back = accountsFromArrow(accountsToArrow(inputs.accounts));
    expect(back.length).toBe(inputs.accounts.length);
    expect([...back.valueCents]).toEqual([...inputs.accounts.valueCents]);
    expect([...back.products]).toEqual([...inputs.accounts.products]);
    expect([...back.accountId]).toEqual([...inputs.accounts.accountId]);
  });
});

describe("saved scenarios", () => {
  it("validates and computes the files in data/scenarios", () => {
    const saved = readSavedScenarios(inputs);
    expect(saved.map((s) => s.name)).toEqual(savedScenarioNames(SAVED_DIR));
    expect(saved.length).toBeGreaterThanOrEqual(2);
    for (const s of saved) {
      expect(s.scenario.ledger.every((e) => e.reason.trim().length > 0)).toBe(true);
      expect(s.report.portfolio.scenario.valueCents).not.toBe(s.report.portfolio.baseline.valueCents);
    }
  });

  it("on the sample: the change band on shared draws is narrower than treating the two as independent, and zero on the baseline", () => {
    const evaluator = new ScenarioEvaluator(inputs.base, inputs.accounts);
    const empty = evaluator.evaluate({ version: 1, title: "baseline", ledger: [] });
    expect(empty.change.total).toEqual({ p10Cents: 0, p50Cents: 0, p90Cents: 0 });
    expect([...empty.change.by, ...empty.change.abc].every((c) => c.p10Cents === 0 && c.p90Cents === 0)).toBe(true);
    for (const { name, report } of readSavedScenarios(inputs)) {
      const { baseline: b, scenario: s, change } = report.portfolio;
      const delta = s.valueCents - b.valueCents;
      // Unpaired: the scenario's and the baseline's own bands, as if drawn independently.
      const unpaired = {
        p10: delta - Math.hypot(s.valueCents - s.p10Cents, b.p90Cents - b.valueCents),
        p90: delta + Math.hypot(s.p90Cents - s.valueCents, b.valueCents - b.p10Cents),
      };
      expect(change.p50Cents, name).toBeCloseTo(delta, 2);
      expect(change.p10Cents, name).toBeLessThanOrEqual(change.p50Cents);
      expect(change.p90Cents, name).toBeGreaterThanOrEqual(change.p50Cents);
      expect(change.p90Cents - change.p10Cents, name).toBeLessThan((unpaired.p90 - unpaired.p10) / 2);
      // The bridge's steps add up to the change to the cent, exactly.
      const { steps, baselineCents, scenarioCents } = report.bridge;
      expect(steps.reduce((t, x) => t + x.changeCents, 0)).toBe(scenarioCents - baselineCents);
      expect(scenarioCents - baselineCents).toBe(Math.round(s.valueCents) - Math.round(b.valueCents));
    }
  });

  it("stops with a message naming the file and the field", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-scenarios-"));
    const good = {
      version: 1,
      title: "t",
      ledger: [
        {
          lever: "priceChange",
          segment: { industry: ["Manufacturing"] },
          params: { pricePct: 8, elasticity: 0 },
          reason: "why",
          author: "me",
          date: "2026-10-01",
        },
      ],
    };
    writeFileSync(
      path.join(dir, "bad-field.json"),
      JSON.stringify({ ...good, ledger: [{ ...good.ledger[0], params: { pricePct: "8%" } }] }),
    );
    expect(() => readSavedScenarios(inputs, dir)).toThrow(
      /bad-field\.json: ledger\[0\]\.params\.pricePct: must be a number/,
    );
    writeFileSync(
      path.join(dir, "bad-field.json"),
      JSON.stringify({ ...good, ledger: [{ ...good.ledger[0], reason: "" }] }),
    );
    expect(() => readSavedScenarios(inputs, dir)).toThrow(/bad-field\.json: ledger\[0\]\.reason: is required/);
    writeFileSync(
      path.join(dir, "bad-field.json"),
      JSON.stringify({ ...good, ledger: [{ ...good.ledger[0], segment: { industry: ["Mining"] } }] }),
    );
    expect(() => readSavedScenarios(inputs, dir)).toThrow(
      /bad-field\.json: ledger\[0\]\.segment\.industry: "Mining" is not in this data/,
    );
    writeFileSync(path.join(dir, "bad-field.json"), "{ not json");
    expect(() => readSavedScenarios(inputs, dir)).toThrow(/bad-field\.json: not valid JSON/);
  });
});
