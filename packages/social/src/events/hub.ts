import { randomUUID } from "node:crypto";
import type { Pool } from "@pindah/kernel/db/pool";
import type { Logger } from "@pindah/kernel/log";
import { type Listener, listen } from "./channel.js";
import type { EventName, LiveEvent } from "./notify.js";
import { dropPresence, refreshPresence, writePresence } from "./presence.js";

/** One connected SSE client of a room, as the hub sees it. */
export interface Watcher {
  readonly liveId: string;
  send(event: EventName, data: unknown): void;
  /** A comment line that keeps proxies and idle timers from dropping the stream. */
  ping(): void;
  close(): void;
}

export interface Hub {
  readonly instance: string;
  /** Registers a watcher; resolves once the room's viewer count includes it. */
  join(w: Watcher): Promise<void>;
  leave(w: Watcher): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Room {
  watchers: Set<Watcher>;
  /** The viewers count these watchers last heard. */
  lastViewers: number;
  /** Presence writes of one room run one after another, so the stored count is the latest. */
  tail: Promise<void>;
  queued: Promise<void> | null;
}

export function createHub(opts: { pool: Pool; listenUrl: string; log: Logger; heartbeatMs: number }): Hub {
  const { pool, log } = opts;
  const instance = randomUUID();
  const rooms = new Map<string, Room>();
  let listener: Listener | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;

  const room = (id: string): Room => {
    let r = rooms.get(id);
    if (!r) {
      r = { watchers: new Set(), lastViewers: 0, tail: Promise.resolve(), queued: null };
      rooms.set(id, r);
    }
    return r;
  };

  function sync(liveId: string): Promise<void> {
    const r = room(liveId);
    if (r.queued) return r.queued;
    const next = r.tail.then(async () => {
      r.queued = null;
      if (stopping) return;
      await writePresence(pool, liveId, instance, r.watchers.size).catch((err) =>
        log.warn({ err, liveId }, "presence write failed"),
      );
      if (r.watchers.size === 0 && r.queued === null && rooms.get(liveId) === r) rooms.delete(liveId);
    });
    r.queued = next;
    r.tail = next;
    return next;
  }

  function dispatch(e: LiveEvent) {
    const r = rooms.get(e.live_id);
    if (!r) return;
    if (e.event === "viewers") r.lastViewers = Number(e.data.count);
    for (const w of [...r.watchers]) {
      w.send(e.event, e.data);
      if (e.event === "ended") w.close();
    }
  }

  async function heartbeat() {
    for (const r of rooms.values()) for (const w of r.watchers) w.ping();
    const totals = await refreshPresence(pool, instance);
    // A count can change without an event (an instance died): tell our own watchers.
    for (const [liveId, n] of totals) {
      const r = rooms.get(liveId);
      if (r && r.lastViewers !== n) dispatch({ live_id: liveId, event: "viewers", data: { count: n } });
    }
  }

  return {
    instance,
    join(w) {
      room(w.liveId).watchers.add(w);
      return sync(w.liveId);
    },
    leave(w) {
      const r = rooms.get(w.liveId);
      if (!r?.watchers.delete(w)) return;
      if (!stopping) void sync(w.liveId);
    },
    async start() {
      listener = await listen(opts.listenUrl, log, dispatch, () => {
        for (const id of rooms.keys()) void sync(id);
      });
      const every = Math.min(opts.heartbeatMs, 15_000);
      timer = setInterval(() => heartbeat().catch((err) => log.warn({ err }, "heartbeat failed")), every);
      timer.unref();
    },
    async stop() {
      stopping = true;
      clearInterval(timer);
      for (const r of rooms.values()) for (const w of [...r.watchers]) w.close();
      await Promise.all([...rooms.values()].map((r) => r.tail));
      rooms.clear();
      await dropPresence(pool, instance).catch((err) => log.warn({ err }, "presence drop failed"));
      await listener?.stop();
    },
  };
}
