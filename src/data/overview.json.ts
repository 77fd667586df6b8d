// Executive overview: KPIs and trend, precomputed so the home page needs no DuckDB-WASM.
import { buildOverview } from "../../loaders/outputs/overview.js";
import { optionsFromEnv, prepare } from "../../loaders/pipeline.js";

const { storeDir } = await prepare(optionsFromEnv());
process.stdout.write(JSON.stringify(await buildOverview(storeDir)));
