import type { Logger } from "@pindah/kernel/log";
import pg from "pg";
import { CHANNEL, LiveEvent } from "./notify.js";

export interface Listener {
  stop(): Promise<void>;
}

/**
 * One LISTEN connection per process: every room event of every instance arrives here once and
 * is handed to `onEvent`. A lost connection is re-opened with backoff; `onReconnect` lets the
 * caller resynchronise what it may have missed meanwhile.
 */
export async function listen(
  url: string,
  log: Logger,
  onEvent: (e: LiveEvent) => void,
  onReconnect: () => void,
): Promise<Listener> {
  let stopped = false;
  let client: pg.Client | undefined;
  let backoff = 250;

  async function open(): Promise<void> {
    const c = new pg.Client({ connectionString: url, application_name: "social-listener" });
    c.on("notification", (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      const parsed = LiveEvent.safeParse(safeJson(n.payload));
      if (parsed.success) onEvent(parsed.data);
      else log.warn({ payload: n.payload }, "ignored a malformed room event");
    });
    c.on("error", (err) => log.warn({ err }, "listener connection failed"));
    c.on("end", () => {
      if (stopped || client !== c) return;
      client = undefined;
      setTimeout(reopen, backoff);
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
    backoff = 250;
  }

  function reopen() {
    if (stopped) return;
    open().then(
      () => {
        log.info("listener reconnected");
        onReconnect();
      },
      (err) => {
        log.warn({ err }, "listener reconnect failed");
        backoff = Math.min(backoff * 2, 5_000);
        setTimeout(reopen, backoff);
      },
    );
  }

  await open();
  return {
    async stop() {
      stopped = true;
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
