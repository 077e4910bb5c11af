import type { Pool, PoolClient } from "@pindah/kernel/db/pool";
import type { Logger } from "@pindah/kernel/log";

const TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext('pindah-engine')) AS ok";
const MAX_DELAY_MS = 1_000;

export interface Leadership {
  /** Resolves if another engine took the lock while this one's session was gone: this engine must stop. */
  lost: Promise<void>;
  /** Gives the lock up (its session is closed, not returned to the pool with the lock held). */
  release(): void;
}

async function tryLock(pool: Pool): Promise<PoolClient | null> {
  const client = await pool.connect();
  try {
    if ((await client.query(TRY_LOCK)).rows[0].ok) return client;
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  client.release();
  return null;
}

/**
 * One engine per control database: an advisory lock held by a session of it. A session that is
 * lost (the server restarted) takes the lock with it, so the engine takes it again on a new
 * session, retrying while the server is away; if another engine got it first, `lost` resolves.
 * Null when another engine leads already.
 */
export async function takeLeadership(pool: Pool, log: Logger): Promise<Leadership | null> {
  const first = await tryLock(pool);
  if (!first) return null;
  let session: PoolClient | null = null;
  let released = false;
  let lose = () => {};
  const lost = new Promise<void>((resolve) => {
    lose = resolve;
  });

  async function retake() {
    for (let delay = 250; !released; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
      await new Promise((r) => setTimeout(r, delay));
      if (released) return;
      try {
        const client = await tryLock(pool);
        if (!client) {
          log.error({}, "another migration engine took the lead while the control database was away");
          lose();
          return;
        }
        if (released) return client.release(true);
        watch(client);
        log.warn({}, "took the lead again on a new control database session");
        return;
      } catch (err) {
        log.warn({ err: (err as Error).message }, "control database still away; taking the lead again soon");
      }
    }
  }

  function watch(client: PoolClient) {
    session = client;
    let gone = false;
    const onGone = (err?: Error) => {
      if (gone || released) return;
      gone = true;
      session = null;
      log.error({ err: err?.message ?? "session ended" }, "lost the control database's leader session");
      client.release(err ?? true);
      void retake();
    };
    client.on("error", onGone);
    client.on("end", () => onGone());
  }

  watch(first);
  return {
    lost,
    release() {
      released = true;
      session?.release(true);
      session = null;
    },
  };
}
