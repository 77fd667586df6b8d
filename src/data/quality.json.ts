// Data quality: per extract rows read / accepted / quarantined, reasons, money reconciliation.
import { buildQuality } from "../../loaders/outputs/quality.js";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";

const { storeDir } = await prepare(optionsFromEnv());
process.stdout.write(JSON.stringify(buildQuality(storeDir)));
