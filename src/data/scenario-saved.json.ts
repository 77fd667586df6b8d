// This data's saved scenarios (the config's "scenarios" folder), validated against the data, with their results precomputed.
import { AtlasError } from "../../loaders/errors.js";
import { readScenarioInputs } from "../../loaders/outputs/scenarios/base.js";
import { readSavedScenarios } from "../../loaders/outputs/scenarios/saved.js";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";

try {
  const { storeDir, config } = await prepare(optionsFromEnv());
  process.stdout.write(JSON.stringify(readSavedScenarios(await readScenarioInputs(storeDir, config.abcThresholds), config.scenariosDir)));
} catch (error) {
  if (!(error instanceof AtlasError)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(1);
}
