// Every quarantined row as an Arrow IPC stream (.arrows: Framework would fetch apache-arrow from a CDN for .arrow), for DuckDB-WASM.
import { buildQuarantineArrow } from "../../loaders/outputs/quarantine.js";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";

const { storeDir } = await prepare(optionsFromEnv());
process.stdout.write(await buildQuarantineArrow(storeDir));
