// Scenarios: one row per account (attribute codes, model value and band, P(alive), group) as an Arrow IPC stream; no rows in an aggregate-only build.
import { publishedAccountsArrow, readScenarioInputs } from "../../loaders/outputs/scenarios/base.js";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";

const { storeDir, config } = await prepare(optionsFromEnv());
process.stdout.write(publishedAccountsArrow(await readScenarioInputs(storeDir, config.abcThresholds)));
