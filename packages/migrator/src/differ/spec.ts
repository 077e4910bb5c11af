/**
 * What the differ compares: one source table through its transform against the target tables
 * it writes. Only the transform's shape is shared with the copy spec; keys, ranges and queries
 * are the differ's own, so a copier bug cannot hide from it (Ghostferry #305).
 */
import type { SourceRow, TargetRow } from "../copy/spec.js";

export type { SourceRow, TargetRow };

export interface DiffTargetSpec {
  /**
   * The relation read for this target table (default the table): a view that keeps only the
   * rows the source accounts for, or adds the source key a mapped row no longer carries.
   */
  relation?: string;
  /** Target key columns (unique per target row). */
  key: readonly string[];
  /**
   * Target columns that hold the source key, in the source key's order (default: `key`). A
   * target row belongs to the source key range these values fall in; ids are kept (decision 002).
   */
  sourceKey?: readonly string[];
  /** Columns compared besides the key. */
  compare: readonly string[];
  /**
   * The source keeps times to the millisecond: this table's timestamps are compared to the
   * millisecond on both sides. A row born on the target after a write switch has microseconds,
   * which its way back to the source truncated; every other row has none to lose.
   */
  millis?: boolean;
}

export interface DiffTableSpec {
  /** Source table, schema-qualified or on the search_path. */
  source: string;
  /** Source key columns, in index order. */
  key: readonly string[];
  /** Source columns read (all when omitted). */
  columns?: readonly string[];
  /** The workflow's row transform, as in the copy spec. */
  transform: (row: SourceRow) => TargetRow[];
  /** Every target table the transform writes. */
  targets: Readonly<Record<string, DiffTargetSpec>>;
}

export type MismatchKind = "missing" | "extra" | "different";

/** Normalised values (the text both sides hash), by column; null is SQL NULL. */
export type NormalRow = Record<string, string | null>;

export interface Mismatch {
  kind: MismatchKind;
  /** Target table. */
  table: string;
  /** The target key, normalised. */
  key: NormalRow;
  /** The source key (text) whose range the row belongs to. */
  sourceKey: readonly string[];
  /** Columns that differ ("different" only). */
  columns: string[];
  /** The source row as read (null when the source has none). */
  sourceRow: SourceRow | null;
  /** The transformed row, normalised (null for "extra"). */
  expected: NormalRow | null;
  /** The target row, normalised (null for "missing"). */
  actual: NormalRow | null;
}

export interface DiffProgress {
  table: string;
  rangesDone: number;
  rangesTotal: number;
  rangesVerified: number;
  rowsCompared: number;
}

export interface DiffResult {
  table: string;
  ranges: number;
  /** Ranges whose hashes matched at the first pass. */
  rangesVerified: number;
  /** Source rows read and compared (target rows are counted in the hashes). */
  rowsCompared: number;
  /** Keys re-checked after a delay because they differed when first read. */
  rechecked: number;
  mismatches: Mismatch[];
  /** Ranges that differed after `maxMismatches` was reached: not drilled into, never verified. */
  rangesUndrilled: number;
  verified: boolean;
  ms: number;
}
