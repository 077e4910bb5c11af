import { diffTable } from "../differ/differ.js";
import { reconcileAll } from "../differ/money.js";
import type { DiffResult } from "../differ/spec.js";
import { parseLsn } from "../stream/lsn.js";
import { replicationClient } from "../stream/slot.js";
import { readWorkflows, record, transition } from "../workflow.js";
import type { EngineContext } from "./context.js";
import { forwardKey } from "./flows.js";
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

/**
 * Runs `work` with the source read in a snapshot and the target held at exactly that point:
 * a temporary slot exports the snapshot and its consistent point, and the category's stream
 * applies everything before it and waits. Sums that keep changing under live traffic can only
 * be compared like this. A stream that does not run (writes switched: the source is fenced)
 * moves nothing, so then both sides are read as they are.
 */
async function atConsistentPoint<T>(ctx: EngineContext, cat: Category, work: (snapshot?: string) => Promise<T>) {
  const stream = forwardKey(cat.name);
  const state = (await readWorkflows(ctx.control)).find((w) => w.category === cat.name)?.state;
  if (state === "writes_switched" || state === "completed") return work();
  // Just started (or restarting after a lost connection): it runs within moments.
  for (let i = 0; ctx.streams.status(stream)?.state !== "running"; i++) {
    if (i > 200)
      throw new Error(`${cat.name}'s stream is not running: ${ctx.streams.status(stream)?.error ?? "stopped"}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  for (let attempt = 1; ; attempt++) {
    const repl = replicationClient(ctx.sourceUrl);
    repl.on("error", () => {});
    await repl.connect();
    try {
      const slot = ctx.names.verify(cat.name);
      const { rows } = await repl.query(
        `CREATE_REPLICATION_SLOT ${slot} TEMPORARY LOGICAL pgoutput (SNAPSHOT 'export')`,
      );
      const { consistent_point: at, snapshot_name: snapshot } = rows[0] as Record<string, string>;
      if (!(await ctx.streams.pauseAt(stream, at as string, 15_000)))
        throw new Error(`${cat.name}'s stream did not reach ${at}`);
      try {
        // A batch gathered just before the pause may have gone past it: then look again.
        const applied = ctx.streams.status(stream)?.stats?.appliedCommitLsn;
        if (applied && parseLsn(applied) >= parseLsn(at as string) && attempt < 5) continue;
        return await work(snapshot);
      } finally {
        ctx.streams.resume(stream);
      }
    } finally {
      await repl.end().catch(() => {});
    }
  }
}

const VERIFIABLE = ["streaming", "verified", "reads_switched", "writes_switched", "reversed"];

/**
 * Verify: the differ's transform-aware diff of every table the category lists, and its money
 * invariants, at one consistent point (when the stream no longer runs, as they are, with rows
 * still changing re-checked). A clean run moves `streaming` to `verified`; every run is stored
 * and journaled.
 */
export async function verifyCategory(ctx: EngineContext, cat: Category, actor: string): Promise<VerifyReport> {
  const state = (await readWorkflows(ctx.control)).find((w) => w.category === cat.name)?.state ?? "planned";
  if (!VERIFIABLE.includes(state)) throw new WrongState(`${cat.name} is ${state}: nothing to verify before it streams`);
  for (const sql of cat.verifySetup ?? []) await ctx.target.query(sql);
  // Rows and money both at one point: the source in a snapshot, the target held exactly there,
  // so nothing moves under the comparison and a difference is a difference (no re-check needed).
  const { results, money } = await atConsistentPoint(ctx, cat, async (sourceSnapshot) => {
    const results: DiffResult[] = [];
    await cat.beforeVerify?.(ctx.target);
    for (const spec of cat.verify ?? []) {
      results.push(
        await diffTable({
          source: ctx.source,
          target: ctx.target,
          spec,
          concurrency: 2,
          sourceSnapshot,
          ...(sourceSnapshot ? { recheck: { attempts: 0, delayMs: 0 } } : {}),
        }),
      );
    }
    const money = await reconcileAll({ source: ctx.source, target: ctx.target, sourceSnapshot }, cat.money ?? []);
    return { results, money };
  });
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
