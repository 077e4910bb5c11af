import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { withDatabase } from "@pindah/kernel/db/cluster";
import { createPool, type Pool } from "@pindah/kernel/db/pool";
import { prepareComponent } from "@pindah/kernel/db/provision";
import { createLogger } from "@pindah/kernel/log";
import { type Running, startProcess, stopProcess, waitHealthy } from "@pindah/kernel/processes";
import pg from "pg";
import { inject } from "vitest";
import { type ApiClient, client } from "../../../test/support/api-client.js";
import { buildSocial, type Config, type Ctx, createContext, migrationsDir } from "../src/index.js";

export const PASSWORD = "pindah-demo";

export { client, type Reply } from "../../../test/support/api-client.js";
export type Client = ApiClient;

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject("adminUrl") });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

export interface Backend {
  url: string;
  /** Superuser access to the backend's database, for assertions. */
  db: Pool;
  anon: Client;
  login(email: string): Promise<string>;
  as(email: string): Promise<Client>;
  stop(): Promise<void>;
}

/** The real commerce platform, as its own process, on a fresh clone of the seeded template. */
export async function startBackend(): Promise<Backend> {
  const adminUrl = inject("adminUrl");
  const name = `c_${randomBytes(6).toString("hex")}`;
  await admin(async (a) => {
    await a.query(`CREATE DATABASE ${name} TEMPLATE commerce`);
    await a.query(`GRANT CONNECT ON DATABASE ${name} TO commerce`);
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const entry = fileURLToPath(new URL("../../commerce/src/main.ts", import.meta.url));
  const proc: Running = startProcess("commerce", entry, {
    COMMERCE_DATABASE_URL: withDatabase(adminUrl, name, { name: "commerce", password: inject("rolePassword") }),
    PORT: String(port),
    PUBLIC_URL: url,
    SANDBOX_WEBHOOK_SECRET: "test-webhook-secret",
    PINDAH_DEMO: "0",
  });
  await waitHealthy(url, proc.child, 60_000);
  const db = createPool(withDatabase(adminUrl, name), 2);
  const anon = client(url);
  const login = async (email: string) => {
    const r = await anon.post("/auth/login", { email, password: PASSWORD });
    if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.text}`);
    return r.body.token as string;
  };
  return {
    url,
    db,
    anon,
    login,
    as: async (email) => client(url, await login(email)),
    async stop() {
      await stopProcess(proc);
      await db.end();
      await admin((a) => a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export interface SocialDb {
  /** The component role's URL, as the social process gets it. */
  url: string;
  /** Superuser access, for assertions. */
  db: Pool;
  drop(): Promise<void>;
}

/** A fresh database for this test file, prepared like production, with a role of its own. */
export async function socialDatabase(): Promise<SocialDb> {
  const adminUrl = inject("adminUrl");
  const hex = randomBytes(6).toString("hex");
  const component = { database: `t_${hex}`, role: `social_${hex}`, schemas: ["content"] };
  const url = await prepareComponent(adminUrl, component, migrationsDir, inject("rolePassword"));
  const db = createPool(withDatabase(adminUrl, component.database), 2);
  return {
    url,
    db,
    async drop() {
      await db.end();
      await admin(async (a) => {
        await a.query(`DROP DATABASE IF EXISTS ${component.database} WITH (FORCE)`);
        await a.query(`DROP ROLE IF EXISTS ${component.role}`).catch(() => {});
      });
    },
  };
}

export interface Social {
  url: string;
  ctx: Ctx;
  anon: Client;
  as(token: string): Client;
  close(): Promise<void>;
}

/** A social instance on a real port; several may share one database. */
export async function startSocial(dbUrl: string, apiUrl: string, config: Partial<Config> = {}): Promise<Social> {
  const pool = createPool(dbUrl, 8);
  const ctx = createContext({
    pool,
    databaseUrl: dbUrl,
    log: createLogger("social"),
    config: { apiUrl, heartbeatMs: 15_000, meCacheMs: 2_000, upstreamTimeoutMs: 5_000, ...config },
  });
  const app = await buildSocial(ctx);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    ctx,
    anon: client(url),
    as: (token) => client(url, token),
    async close() {
      await app.close();
      await pool.end();
    },
  };
}

export interface SseEvent {
  event: string;
  data: any;
}

/** An SSE watcher over fetch: every frame is kept, and `next(name)` takes them in order. */
export async function watch(url: string) {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal, headers: { accept: "text/event-stream" } });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const taken = new Set<number>();
  let ended = false;
  let wake: () => void = () => {};
  const changed = () => new Promise<void>((r) => (wake = r));

  const pump = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf("\n\n");
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = "message";
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) comments.push(line.slice(1).trim());
            else if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).trim());
          }
          if (data.length) events.push({ event, data: JSON.parse(data.join("\n")) });
          wake();
          cut = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // aborted by close()
    }
    ended = true;
    wake();
  })();

  async function until<T>(found: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = found();
      if (hit !== undefined) return hit;
      if (ended) throw new Error(`stream ended before ${what}; got ${JSON.stringify(events)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
      await Promise.race([changed(), new Promise((r) => setTimeout(r, Math.min(left, 50)))]);
    }
  }

  return {
    res,
    events,
    comments,
    /** The next event of that name not taken yet. */
    next(name: string, timeoutMs = 5_000): Promise<SseEvent> {
      return until(
        () => {
          const i = events.findIndex((e, k) => e.event === name && !taken.has(k));
          if (i < 0) return undefined;
          taken.add(i);
          return events[i];
        },
        `"${name}" event`,
        timeoutMs,
      );
    },
    /** The next `viewers` event with that count (earlier counts are passed over). */
    async viewers(count: number, timeoutMs = 5_000): Promise<void> {
      await until(
        () => {
          const i = events.findIndex((e, k) => e.event === "viewers" && !taken.has(k) && e.data.count === count);
          if (i < 0) return undefined;
          for (let k = 0; k <= i; k++) if (events[k]?.event === "viewers") taken.add(k);
          return true;
        },
        `viewers ${count}`,
        timeoutMs,
      );
    },
    heartbeat: (timeoutMs = 5_000) =>
      until(() => (comments.includes("heartbeat") ? true : undefined), "heartbeat", timeoutMs),
    closed: (timeoutMs = 5_000) => until(() => (ended ? true : undefined), "end of stream", timeoutMs),
    close() {
      ac.abort();
      return pump;
    },
  };
}
export type Watch = Awaited<ReturnType<typeof watch>>;

/** Row counts and digests of every content table, to prove a refused request changed nothing. */
export async function contentDigest(db: Pool): Promise<string> {
  const tables = ["creators", "videos", "video_products", "lives", "live_products", "comments"];
  const parts = await Promise.all(
    tables.map(async (t) => {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h FROM content.${t} x`,
      );
      return `${t}:${rows[0].n}:${rows[0].h}`;
    }),
  );
  return parts.join(" ");
}
