// Customer-value bridge: why the value moved since a quarter and a year before the as-of date (models rebuilt then).
import { readFileSync } from "node:fs";
import path from "node:path";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";
import { STORE_FILES } from "../../loaders/store.js";

const { storeDir } = await prepare(optionsFromEnv());
process.stdout.write(readFileSync(path.join(storeDir, STORE_FILES.valueBridge)));
