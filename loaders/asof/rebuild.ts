/**
 * The models rebuilt as of an earlier date: derive + models on the data known then
 * (schema.ts), once per date per build. The backtest and the value bridge ask for the same
 * dates (a year before the as-of date); the cache makes that one rebuild.
 */
import type { ValuationConfig } from "../config.js";
import type { Db } from "../db.js";
import { buildDerivedTables } from "../derive/tables.js";
import { runModels, type ModelRun } from "../models/index.js";
import { withDataAsOf } from "./schema.js";

export interface AsOfRun extends ModelRun {
  readonly cut: string;
  /** Each account's value at the cut (cents), as the models then gave it. */
  readonly valueOf: ReadonlyMap<string, number>;
  readonly seconds: number;
}

export type Rebuild = (cut: string) => Promise<AsOfRun>;

/** A rebuild function that computes each cut once. */
export function asOfRebuilder(db: Db, currency: string, valuation: ValuationConfig): Rebuild {
  const done = new Map<string, Promise<AsOfRun>>();
  return (cut) => {
    let run = done.get(cut);
    if (!run) {
      run = (async () => {
        const started = performance.now();
        return withDataAsOf(db, cut, async (schema) => {
          await buildDerivedTables(db, cut);
          const models = await runModels(db, cut, currency, valuation, () => {}, { lean: true });
          const rows = await db.all<{ account_id: string; clv: number }>(
            `SELECT account_id, clv_cents AS clv FROM ${schema}.account_value`,
          );
          return {
            ...models,
            cut,
            valueOf: new Map(rows.map((r) => [r.account_id, r.clv])),
            seconds: (performance.now() - started) / 1000,
          };
        });
      })();
      done.set(cut, run);
    }
    return run;
  };
}
