export { type Chunk, claimChunk } from "./claims.js";
export { encodeRow, encodeValue, rowReader } from "./codec.js";
export { type ChunkResult, copyChunk } from "./copier.js";
export { COPY_LEDGER, prepareCopyTarget } from "./ledger.js";
export { type PlanOptions, planCopy } from "./plan.js";
export { type CopyProgress, copyProgress, type TableProgress } from "./progress.js";
export * from "./spec.js";
export { type CopyWorkerOptions, type CopyWorkerResult, runCopyWorker } from "./worker.js";
