/** Predictive CLV model library: re-exports of every module (see README.md in this folder). */
export * from "./special.js";
export * from "./hyp2f1.js";
export * from "./optimize.js";
export * from "./hessian.js";
export * from "./data.js";
export * from "./fitting.js";
export * from "./sbg.js";
export * from "./bgnbd.js";
export * from "./mbgnbd.js";
export * from "./paretonbd.js";
export * from "./nbd.js";
export * from "./identification.js";
export * from "./gammagamma.js";
export * from "./rfm.js";
export * from "./clv.js";
export * from "./uncertainty.js";
export * from "./csv.js";
