// Backtest: forecasts made as of 12 and 24 months before the as-of date from the data known then, against what happened.
import { readFileSync } from "node:fs";
import path from "node:path";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";
import { STORE_FILES } from "../../loaders/store.js";

const { storeDir } = await prepare(optionsFromEnv());
process.stdout.write(readFileSync(path.join(storeDir, STORE_FILES.backtest)));
