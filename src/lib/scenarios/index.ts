/** What-if scenarios: the ledger model, the engine, URL state, reports. See engine.ts for the mathematics. */
export * from "./model.js";
export * from "./engine.js";
export * from "./url.js";
export * from "./report.js";
export * from "./describe.js";
