import pg from "pg";
import { withDatabase } from "./cluster.js";
import { migrate } from "./migrate.js";

export interface Component {
  database: string;
  /** The component's login role; the database's name unless several components share it. */
  role?: string;
  /** Schemas the role works in; the first is its search_path and holds its migration history. */
  schemas: string[];
}

const roleOf = (c: Component) => c.role ?? c.database;

/** duplicate_object, duplicate_database, or the catalog's unique index losing a race. */
function unlessExists(err: { code?: string }): void {
  if (!["42710", "42P04", "23505"].includes(err.code ?? "")) throw err;
}

const ident = (s: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`bad identifier ${s}`);
  return `"${s}"`;
};

/**
 * One database and one least-privilege role per component: the role may log in to its own
 * database only and read and write rows there; it owns nothing, so it can change no schema.
 * Returns the role's connection string.
 */
export async function provision(adminUrl: string, c: Component, password: string): Promise<string> {
  const role = roleOf(c);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Roles are cluster-wide rows: two starters altering one at once get "tuple concurrently updated".
    await admin.query("SELECT pg_advisory_lock(7244)");
    const pw = admin.escapeLiteral(password);
    // Roles and databases are cluster-wide: two starters may race to create the same one.
    await admin
      .query(`CREATE ROLE ${ident(role)} LOGIN PASSWORD ${pw} NOSUPERUSER NOCREATEDB NOCREATEROLE`)
      .catch(unlessExists);
    await admin.query(`ALTER ROLE ${ident(role)} LOGIN PASSWORD ${pw}`);
    const db = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [c.database]);
    if (!db.rowCount) await admin.query(`CREATE DATABASE ${ident(c.database)}`).catch(unlessExists);
    await admin.query(`REVOKE ALL ON DATABASE ${ident(c.database)} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(c.database)} TO ${ident(role)}`);
    await admin.query(
      `ALTER ROLE ${ident(role)} IN DATABASE ${ident(c.database)} SET search_path = ${c.schemas.map(ident).join(", ")}`,
    );
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, c.database, { name: role, password });
}

/** After migrations: row-level privileges on everything in the component's schemas. */
export async function grantRows(adminUrl: string, c: Component): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(adminUrl, c.database) });
  await admin.connect();
  try {
    const role = ident(roleOf(c));
    await admin.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    for (const s of c.schemas.map(ident)) {
      await admin.query(`GRANT USAGE ON SCHEMA ${s} TO ${role}`);
      await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role}`);
      await admin.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${role}`);
      await admin.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${s} TO ${role}`);
    }
  } finally {
    await admin.end();
  }
}

/** Everything a component needs before it starts: database, role, schema, grants. */
export async function prepareComponent(
  adminUrl: string,
  c: Component,
  migrationsDir: string,
  password: string,
): Promise<string> {
  const url = await provision(adminUrl, c, password);
  await migrate(withDatabase(adminUrl, c.database), migrationsDir, c.schemas[0]);
  await grantRows(adminUrl, c);
  return url;
}
