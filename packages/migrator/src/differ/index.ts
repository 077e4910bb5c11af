export type { Column, Kind } from "./catalog.js";
export { decimalText, scaledInteger } from "./decimal.js";
export { type DiffOptions, diffTable } from "./differ.js";
export { canonicalJson } from "./json.js";
export * from "./money.js";
export { lineOf, lineSql, normalSql, normalValue, timestampMicros } from "./normalise.js";
export type * from "./spec.js";
