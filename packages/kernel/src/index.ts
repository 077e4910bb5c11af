export * from "./money.js";
export * from "./problem.js";
