import { readdir, readFile } from "node:fs/promises";
import pg from "pg";

/**
 * CPU time spent by one PostgreSQL cluster and by this process, in microseconds, so a bench can
 * say where a row's cost goes and not only how long it took. On a machine the cores of which are
 * all busy, time follows CPU: the part that costs more CPU than the baseline is the part to cut.
 */
const TICK_US = 1_000_000 / 100; // USER_HZ is 100 on Linux

/** utime, stime, cutime, cstime of a process (fields 14-17 of /proc/PID/stat), in ticks. */
async function ticks(pid: number): Promise<{ ppid: number; own: number; children: number } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (!stat) return undefined;
  // The command name is in parentheses and may hold spaces: count fields after its closing one.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const n = (i: number) => Number(f[i - 3]);
  return { ppid: n(4), own: n(14) + n(15), children: n(16) + n(17) };
}

/**
 * The cluster's CPU so far: the postmaster's own and its reaped children's, plus every live
 * child's (backends, walsenders, the WAL writer, the checkpointer).
 */
export async function clusterCpu(adminUrl: string): Promise<() => Promise<number>> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  const backend = (await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
  const postmaster = (await ticks(backend))?.ppid; // while the backend still runs
  await c.end();
  if (!postmaster) throw new Error("cannot read the cluster's processes in /proc");
  return async () => {
    const root = await ticks(postmaster);
    if (!root) throw new Error("the cluster's postmaster is gone");
    let total = root.own + root.children;
    for (const name of await readdir("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      const t = await ticks(Number(name));
      if (t?.ppid === postmaster) total += t.own;
    }
    return total * TICK_US;
  };
}

/** This process's CPU so far (user + system), in microseconds. */
export const processCpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
