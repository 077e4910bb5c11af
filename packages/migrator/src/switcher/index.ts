export { bounded, StepTimeout } from "./bound.js";
export { emitMarker, SWITCH_PREFIX, waitPassed } from "./drain.js";
export { type Fence, fence, fencePlan, unfence } from "./fence.js";
export { createReverse, dropReverse, prepareReverse, type ReverseSlot, startReverseAt } from "./reverse.js";
export { bumpSequences, type SequenceColumn } from "./sequences.js";
export * from "./switch.js";
