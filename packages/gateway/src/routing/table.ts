import { createPool } from "@pindah/kernel/db/pool";
import type { Logger } from "@pindah/kernel/log";
import { type Backend, type Route, type RouteGroup, readRoutes, routeGroups } from "@pindah/migrator";
import pg from "pg";
import { createGates } from "./gates.js";

const CHANNEL = "pindah_routes";
const TICK_MS = 1_000;
/** How often the streams' marks are read: the engine writes them every 100 ms. */
const MARKS_MS = 200;

interface Mark {
  source: Backend;
  /** Null before the stream applied anything. */
  throughMs: number | null;
}

/**
 * This instance's copy of the routing table. A NOTIFY brings a change within milliseconds;
 * a reload every second heals a missed one. After applying a version, and whenever a held
 * group runs dry, the instance reports it in gateway_acks, which the switcher waits on.
 */
export async function watchRoutes(opts: { url: string; instance: string; log: Logger }) {
  const { instance, log } = opts;
  const pool = createPool(opts.url, 3);
  const routes = new Map<RouteGroup, Route>();
  let acks = Promise.resolve();
  let closed = false;

  const ack = (g: RouteGroup) => {
    acks = acks
      .then(async () => {
        const r = routes.get(g) as Route;
        await pool.query(
          `INSERT INTO control.gateway_acks (instance, route_group, version, held, inflight) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (instance, route_group) DO UPDATE
             SET version = EXCLUDED.version, held = EXCLUDED.held, inflight = EXCLUDED.inflight, at = now()`,
          [instance, g, r.version, r.held, gates.state(g).inflight],
        );
      })
      .catch((err) => log.warn({ err, group: g }, "could not report to the control database"));
  };
  const gates = createGates(routeGroups, ack);

  const heartbeat = () =>
    pool.query(
      `INSERT INTO control.gateway_instances (instance) VALUES ($1)
       ON CONFLICT (instance) DO UPDATE SET heartbeat_at = now()`,
      [instance],
    );

  /**
   * How far each migration stream has applied its source (`control.stream_marks`), for
   * read-your-writes. When they cannot be read (the control database restarting) the last ones
   * stand: older than the truth, they keep clients' reads where they wrote a little longer.
   */
  let marks: Mark[] = [];
  async function readMarks() {
    const { rows } = await pool.query(
      `SELECT source_backend AS source, (extract(epoch FROM applied_through) * 1000)::float8 AS through
         FROM control.stream_marks`,
    );
    marks = rows.map((r) => ({
      source: r.source as Backend,
      throughMs: r.through === null ? null : Number(r.through),
    }));
  }

  async function reload() {
    for (const r of await readRoutes(pool)) {
      const known = routes.get(r.group);
      if (known && known.version >= r.version) continue;
      routes.set(r.group, r);
      gates.setHeld(r.group, r.held);
      log.info({ group: r.group, reads: r.reads, writes: r.writes, held: r.held, version: `${r.version}` }, "route");
      ack(r.group);
    }
  }

  let listener: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  /**
   * Opens the LISTEN session again in 500 ms, and again after each try that fails: a restart of
   * PostgreSQL refuses connections for a while, and a listener given up on would leave every
   * change to the 1 s reload, too slow for a switch's hold.
   */
  function relisten() {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      listen().then(
        // Whatever changed while we were not listening (a failure here is the tick's to heal).
        () => reload().catch((err) => log.warn({ err }, "reload failed")),
        (err) => {
          log.warn({ err }, "routing listener not back yet");
          relisten();
        },
      );
    }, 500);
  }
  async function listen() {
    if (closed) return;
    const client = new pg.Client({ connectionString: opts.url });
    client.on("notification", () => void reload().catch((err) => log.warn({ err }, "reload failed")));
    client.on("error", (err) => {
      log.warn({ err }, "lost the routing listener; reconnecting");
      client.end().catch(() => {});
      relisten();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      client.end().catch(() => {});
      throw err;
    }
    if (closed) return void (await client.end().catch(() => {}));
    listener = client;
  }

  await heartbeat();
  await listen();
  await reload();
  await readMarks();
  const timer = setInterval(() => {
    void Promise.all([heartbeat(), reload()]).catch((err) => log.warn({ err }, "routing tick failed"));
  }, TICK_MS);
  let marksFailing = false;
  let marksReading = false;
  const marksTimer = setInterval(() => {
    if (marksReading) return;
    marksReading = true;
    readMarks()
      .then(
        () => {
          marksFailing = false;
        },
        (err) => {
          if (!marksFailing) log.warn({ err }, "could not read the streams' marks; keeping the last ones");
          marksFailing = true;
        },
      )
      .finally(() => {
        marksReading = false;
      });
  }, MARKS_MS);

  return {
    gates,
    route: (g: RouteGroup) => routes.get(g) as Route,
    all: () => [...routes.values()],
    /** Has every stream out of `from` applied what `from` committed before `atMs`? True when none leaves it. */
    caughtUp: (from: Backend, atMs: number) =>
      marks.every((m) => m.source !== from || (m.throughMs !== null && m.throughMs >= atMs)),
    async close() {
      closed = true;
      clearInterval(timer);
      clearInterval(marksTimer);
      clearTimeout(retry);
      await acks;
      await listener?.end().catch(() => {});
      // Gone from the table at once, so no switch waits for an instance that has stopped.
      await pool.query("DELETE FROM control.gateway_instances WHERE instance = $1", [instance]).catch(() => {});
      await pool.end();
    },
  };
}
export type RoutingTable = Awaited<ReturnType<typeof watchRoutes>>;
