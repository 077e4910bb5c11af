export * from "./applier.js";
export * from "./canary.js";
export * from "./lag.js";
export * from "./lsn.js";
export * from "./position.js";
export * from "./slot.js";
export * from "./streamer.js";
export type { TargetOp, TargetRow, TargetValue } from "./target-sql.js";
export { ApplyConflict } from "./target-sql.js";
