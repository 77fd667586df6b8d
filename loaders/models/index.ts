/**
 * The models stage of the pipeline: sBG for contract accounts, BG/NBD + Gamma-Gamma for
 * transactional ones, valued over the configured horizon with P10–P90 bands. Leaves the
 * table `account_value` in DuckDB and returns the content of `models.json`.
 *
 * The portfolio band adds, draw by draw, the totals of every model: parameter draws of
 * different models are independent, so draw j of each together is one joint draw.
 */
import { quantileSorted } from "../../src/lib/models/data.js";
import { monthIndexOf } from "../../src/lib/months.js";
import type { AccountValue, ModelsData } from "../../src/lib/valuation/models-data.js";
import type { ValuationConfig } from "../config.js";
import type { Db } from "../db.js";
import { valueContracts } from "./contractual.js";
import { readContractAccounts, readMargins, readPurchases } from "./inputs.js";
import { valuePurchases } from "./purchases.js";

export async function runModels(db: Db, asOf: string, currency: string, config: ValuationConfig, log: (line: string) => void = () => {}): Promise<ModelsData> {
  const asOfMonth = monthIndexOf(asOf);
  const started = performance.now();
  const step = (what: string) => log(`models: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const margins = await readMargins(db, asOf);
  const contractAccounts = await readContractAccounts(db, asOf);
  step(`read ${contractAccounts.length.toLocaleString("en-US")} subscription accounts`);
  const contracts = valueContracts(contractAccounts, asOfMonth, margins.subscription, config);
  step(`sBG: ${contracts.fits.length} segments fitted and valued`);
  const purchaseRows = await readPurchases(db);
  step(`read ${purchaseRows.accountId.length.toLocaleString("en-US")} purchase days of transactional accounts`);
  const purchases = valuePurchases(purchaseRows, asOf, margins.transactional, config, step);
  step("BG/NBD + Gamma-Gamma fitted and valued");
  const values = [...contracts.values, ...purchases.values];
  await writeAccountValues(db, values);

  const totals = new Float64Array(config.draws);
  for (let j = 0; j < config.draws; j++) totals[j] = contracts.totalDraws[j] + purchases.totalDraws[j];
  totals.sort();
  const valueCents = values.reduce((sum, v) => sum + v.clv_cents, 0);
  return {
    asOf,
    currency,
    horizonMonths: config.horizonMonths,
    annualDiscountRate: config.annualDiscountRate,
    draws: config.draws,
    seed: config.seed,
    margins,
    contractFits: contracts.fits,
    purchases: purchases.summary,
    portfolio: {
      valueCents,
      band: { p10: quantileSorted(totals, 0.1), p50: quantileSorted(totals, 0.5), p90: quantileSorted(totals, 0.9) },
      accountsValued: values.filter((v) => v.model !== "none").length,
      activeAccountsValued: values.filter((v) => v.clv_cents > 0).length,
    },
    notes: [...contracts.notes, ...purchases.notes],
  };
}

async function writeAccountValues(db: Db, values: readonly AccountValue[]): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE account_value (
    account_id VARCHAR, model VARCHAR, segment VARCHAR, clv_cents DOUBLE, clv_p10_cents DOUBLE, clv_p50_cents DOUBLE,
    clv_p90_cents DOUBLE, probability_alive DOUBLE, expected_purchases_12m DOUBLE)`);
  const appender = await db.connection.createAppender("account_value");
  for (const v of values) {
    appender.appendVarchar(v.account_id);
    appender.appendVarchar(v.model);
    appender.appendVarchar(v.segment);
    appender.appendDouble(v.clv_cents);
    appender.appendDouble(v.clv_p10_cents);
    appender.appendDouble(v.clv_p50_cents);
    appender.appendDouble(v.clv_p90_cents);
    appender.appendDouble(v.probability_alive);
    appender.appendDouble(v.expected_purchases_12m);
    appender.endRow();
  }
  appender.closeSync();
}
