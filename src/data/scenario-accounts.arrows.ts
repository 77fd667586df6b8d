// Scenarios: one row per account (attribute codes, model value and band, P(alive), group) as an Arrow IPC stream.
import { accountsToArrow, readScenarioInputs } from "../../loaders/outputs/scenarios/base.js";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";

const { storeDir, config } = await prepare(optionsFromEnv());
const { accounts } = await readScenarioInputs(storeDir, config.abcThresholds);
process.stdout.write(accountsToArrow(accounts));
