import { diffTable } from "../differ/differ.js";
import { reconcileAll } from "../differ/money.js";
import type { DiffResult } from "../differ/spec.js";
import { readWorkflows, record, transition } from "../workflow.js";
import type { EngineContext } from "./context.js";
import type { Category } from "./spec.js";
import { WrongState } from "./switching.js";

export interface VerifyReport {
  ok: boolean;
  ranges: number;
  rangesVerified: number;
  rowsCompared: number;
  mismatches: number;
  moneyOk: boolean;
  tables: Omit<DiffResult, "mismatches">[];
  /** The first mismatches per table, for a person to look at. */
  examples: DiffResult["mismatches"];
  money: {
    name: string;
    equal: boolean;
    keys: number;
    differences: number;
    sourceTotal: string;
    targetTotal: string;
  }[];
}

const VERIFIABLE = ["streaming", "verified", "reads_switched", "writes_switched", "reversed"];

/**
 * Verify: the differ's transform-aware diff of every table the category lists, and its money
 * invariants, while the stream keeps applying (rows still changing are re-checked). A clean run
 * moves `streaming` to `verified`; every run is stored and journaled.
 */
export async function verifyCategory(ctx: EngineContext, cat: Category, actor: string): Promise<VerifyReport> {
  const state = (await readWorkflows(ctx.control)).find((w) => w.category === cat.name)?.state ?? "planned";
  if (!VERIFIABLE.includes(state)) throw new WrongState(`${cat.name} is ${state}: nothing to verify before it streams`);
  for (const sql of cat.verifySetup ?? []) await ctx.target.query(sql);
  const results: DiffResult[] = [];
  for (const spec of cat.verify ?? []) {
    results.push(await diffTable({ source: ctx.source, target: ctx.target, spec, concurrency: 2 }));
  }
  const money = await reconcileAll({ source: ctx.source, target: ctx.target }, cat.money ?? []);
  const moneyOk = money.every((m) => m.equal);
  const mismatches = results.reduce((n, r) => n + r.mismatches.length + r.rangesUndrilled, 0);
  const report: VerifyReport = {
    ok: mismatches === 0 && moneyOk && results.every((r) => r.verified),
    ranges: results.reduce((n, r) => n + r.ranges, 0),
    rangesVerified: results.reduce((n, r) => n + (r.verified ? r.ranges : r.rangesVerified), 0),
    rowsCompared: results.reduce((n, r) => n + r.rowsCompared, 0),
    mismatches,
    moneyOk,
    tables: results.map(({ mismatches: _, ...rest }) => rest),
    examples: results.flatMap((r) => r.mismatches.slice(0, 5)),
    money: money.map((m) => ({
      name: m.name,
      equal: m.equal,
      keys: m.keys,
      differences: m.differences.length,
      sourceTotal: m.sourceTotal.toString(),
      targetTotal: m.targetTotal.toString(),
    })),
  };
  const detail = JSON.parse(JSON.stringify(report, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
  await ctx.control.query(
    `INSERT INTO control.verifications (category, ranges, ranges_verified, rows_compared, mismatches, money_ok, ok, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [cat.name, report.ranges, report.rangesVerified, report.rowsCompared, mismatches, moneyOk, report.ok, detail],
  );
  if (report.ok && (state === "streaming" || state === "verified")) {
    await transition(ctx.control, cat.name, state, "verified", actor, { rows: report.rowsCompared });
  } else {
    await record(ctx.control, cat.name, "verify", actor, { ok: report.ok, mismatches, moneyOk });
  }
  return report;
}
