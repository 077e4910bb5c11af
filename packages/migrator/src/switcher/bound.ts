/** A step that did not finish within its bound (gh-ost #1364 / #971: every cut-over wait has one). */
export class StepTimeout extends Error {
  constructor(
    readonly step: string,
    readonly ms: number,
    detail?: string,
  ) {
    super(`step ${step} did not finish within ${ms} ms${detail ? `: ${detail}` : ""}`);
  }
}

/**
 * Runs `work` and rejects with `StepTimeout` if it takes longer than `ms`. The work itself
 * also carries a server-side bound (lock_timeout, statement_timeout, a deadline), so a
 * timed-out step does not keep running behind the cancellation.
 */
export async function bounded<T>(step: string, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout(step, ms)), ms);
  });
  const running = work();
  running.catch(() => {}); // a late failure after the timeout has nothing to report to
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Identifiers go into DDL (REVOKE, LOCK TABLE): only plain, optionally schema-qualified names. */
export function qualified(t: string): string {
  if (!/^([a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*$/.test(t)) throw new Error(`bad table name ${t}`);
  return t;
}

export function ident(s: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`bad identifier ${s}`);
  return s;
}
