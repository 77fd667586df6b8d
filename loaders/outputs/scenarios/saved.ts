/**
 * Saved scenarios: `data/scenarios/<name>.json`, reviewed like code, each built into the
 * executive page `/scenarios/<name>`. Every file is validated against the data (segment
 * labels must exist; every entry needs a reason, an author and a date); a problem stops the
 * build with a message naming the file and the field. Results are computed here, at build
 * time, so the executive pages load a few kilobytes and never the per-account data. From an
 * aggregate-only store the reports' most-affected accounts list is empty (`aggregateOnly`
 * tells the page why); the other results are sums over accounts and are unchanged.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { AtlasError } from "../../errors.js";
import { REPO_ROOT } from "../../store.js";
import { ScenarioEvaluator } from "../../../src/lib/scenarios/engine.js";
import { ScenarioError, validateScenario, type Scenario } from "../../../src/lib/scenarios/ledger.js";
import { scenarioReport, type ScenarioReport } from "../../../src/lib/scenarios/report.js";
import type { ScenarioInputs } from "./base.js";

export const SAVED_DIR = path.join(REPO_ROOT, "data", "scenarios");
/** A saved scenario's name is its file name without `.json`: lower-case words and digits joined by hyphens. */
export const NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface SavedScenario {
  readonly name: string;
  /** Path relative to the repository, for messages and the page. */
  readonly file: string;
  readonly scenario: Scenario;
  readonly report: ScenarioReport;
  /** Built from an aggregate-only store: `report.mostAffected` is withheld. */
  readonly aggregateOnly: boolean;
}

/** The names of the saved scenarios (for the config's dynamicPaths). */
export function savedScenarioNames(dir: string | null = SAVED_DIR): string[] {
  if (dir === null || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** `dir`: the config's scenarios folder (null: the data has no saved scenarios). */
export function readSavedScenarios(inputs: ScenarioInputs, dir: string | null = SAVED_DIR): SavedScenario[] {
  const evaluator = new ScenarioEvaluator(inputs.base, inputs.accounts);
  const baseline = new Map();
  return savedScenarioNames(dir).map((name) => {
    const file = path.relative(REPO_ROOT, path.join(dir!, `${name}.json`)) || `${name}.json`;
    if (!NAME_PATTERN.test(name))
      throw new AtlasError(
        `${file}: the file name must be lower-case words and digits joined by hyphens (it becomes the page address)`,
      );
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.join(dir!, `${name}.json`), "utf8"));
    } catch (error) {
      throw new AtlasError(`${file}: not valid JSON: ${(error as Error).message}`);
    }
    let scenario: Scenario;
    try {
      scenario = validateScenario(raw, { dictionary: inputs.base.dictionary, requireReasons: true });
    } catch (error) {
      if (error instanceof ScenarioError) throw new AtlasError(`${file}: ${error.message}`);
      throw error;
    }
    const report = scenarioReport(evaluator, scenario, ["industry", "size", "tier"], { baseline });
    const aggregateOnly = inputs.base.aggregateOnly === true;
    return { name, file, scenario, report: aggregateOnly ? { ...report, mostAffected: [] } : report, aggregateOnly };
  });
}
