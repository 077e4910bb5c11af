export type { EngineContext } from "./context.js";
export { type Action, actions, type Engine, type EngineOptions, startEngine } from "./engine.js";
export { type ReplicationNames, replicationNames } from "./names.js";
export type { CategoryStatus, MigrationStatus } from "./progress.js";
export * from "./spec.js";
export { ReverseCancelled, WrongState } from "./switching.js";
export { SpecInvalid, specProblems, uncoveredSourceTables, validateSpec } from "./validate.js";
export type { VerifyReport } from "./verifying.js";
