export type { Session } from "./api.js";
export { classify, type Outcome, problemSlug, type Refusal, retryable } from "./classify.js";
export { type Group, groupOf, groups } from "./groups.js";
export { DEMO_PASSWORD, demoBuyers, demoSellers, type LoadOptions } from "./options.js";
export {
  type Failure,
  type GroupStats,
  type Ledger,
  type LedgerCart,
  type LedgerOrder,
  type LedgerPayment,
  type LedgerPayout,
  type LedgerRefund,
  type LedgerUnanswered,
  type LoadReport,
  reportJson,
  type StopReason,
  summary,
} from "./report.js";
export { type LoadHandle, progressLine, startLoad } from "./run.js";
