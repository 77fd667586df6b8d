// Analyst pages: dictionaries, spend and each page's first chart, precomputed (renders before DuckDB-WASM starts).
import { buildAnalystSummary } from "../../loaders/outputs/analyst/summary.js";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";

const { storeDir } = await prepare(optionsFromEnv());
process.stdout.write(JSON.stringify(await buildAnalystSummary(storeDir)));
