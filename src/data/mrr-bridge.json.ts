// Overview: the MRR bridges of the last quarter and the last 12 months (see loaders/outputs/mrr-bridge.ts).
import { buildMrrBridge } from "../../loaders/outputs/mrr-bridge.js";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";

const { storeDir } = await prepare(optionsFromEnv());
process.stdout.write(JSON.stringify(await buildMrrBridge(storeDir)));
