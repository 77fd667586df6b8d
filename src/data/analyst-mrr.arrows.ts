// Analyst pages: the `mrr` table as an Arrow IPC stream for DuckDB-WASM (see loaders/outputs/analyst/tables.ts).
import { buildAnalystArrow } from "../../loaders/outputs/analyst/tables.js";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";

const { storeDir } = await prepare(optionsFromEnv());
process.stdout.write(await buildAnalystArrow(storeDir, "mrr"));
