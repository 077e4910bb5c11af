import type { AuditResult } from "../audit.js";
import type { MigrationStatus } from "../engine/index.js";

const WIDTH = 24;

function bar(percent: number): string {
  const full = Math.round((Math.min(100, Math.max(0, percent)) / 100) * WIDTH);
  return `[${"#".repeat(full)}${"-".repeat(WIDTH - full)}]`;
}

const lag = (ms: number | null) => (ms === null ? "" : `lag ${ms} ms`);

/** One line per category and the overall figure; bars on a terminal, plain figures elsewhere. */
export function statusLines(s: MigrationStatus, bars: boolean): string[] {
  const lines = s.categories.map((c) => {
    const rows = c.rows_total === "0" ? "" : `${c.rows_copied}/${c.rows_total} rows`;
    const verify = c.verify ? (c.verify.ok ? "verified" : `${c.verify.mismatches} mismatches`) : "";
    const stream = c.stream && c.stream.state !== "running" ? `stream ${c.stream.state}: ${c.stream.error}` : "";
    const head = bars ? `${c.name.padEnd(9)}${bar(c.percent)}` : c.name.padEnd(9);
    return [head, `${c.percent.toFixed(1).padStart(5)}%`, c.state.padEnd(15), rows, verify, lag(c.lag_ms), stream]
      .filter(Boolean)
      .join("  ");
  });
  return [...lines, `${"overall".padEnd(bars ? 9 + WIDTH : 9)}  ${s.overall_percent.toFixed(1).padStart(5)}%`];
}

/** Redraws the same lines in place on a terminal; elsewhere prints them only when they change. */
export function liveStatus(out: NodeJS.WriteStream) {
  let shown = 0;
  let last = "";
  return (s: MigrationStatus) => {
    const lines = statusLines(s, out.isTTY === true);
    const text = lines.join("\n");
    if (text === last) return;
    last = text;
    if (out.isTTY && shown) out.write(`\x1b[${shown}A\x1b[0J`);
    shown = lines.length;
    out.write(`${text}\n`);
  };
}

/** `pindah audit verify`'s one line: the full head, which is what an auditor writes down to compare later. */
export function auditLine(r: AuditResult): string {
  const entries = `audit log: ${r.rows.toLocaleString("en-US")} ${r.rows === 1 ? "entry" : "entries"}`;
  if (r.ok) return `${entries}, chain intact, head ${r.head}`;
  return `${entries}, chain BROKEN at entry ${r.firstBroken?.id}: ${r.firstBroken?.reason}`;
}
