// Fitted models: sBG per contract segment with survival curves, BG/NBD + Gamma-Gamma with the holdout check, portfolio value band.
import { readFileSync } from "node:fs";
import path from "node:path";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";
import { STORE_FILES } from "../../loaders/store.js";

const { storeDir } = await prepare(optionsFromEnv());
process.stdout.write(readFileSync(path.join(storeDir, STORE_FILES.models)));
