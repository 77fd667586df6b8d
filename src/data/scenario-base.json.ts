// Scenarios: dictionaries, model pools, (pool, renewals) groups, margins and acquisition economics (a few kB).
import { readScenarioInputs } from "../../loaders/outputs/scenarios/base.js";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";

const { storeDir, config } = await prepare(optionsFromEnv());
const { base } = await readScenarioInputs(storeDir, config.abcThresholds);
process.stdout.write(JSON.stringify(base));
