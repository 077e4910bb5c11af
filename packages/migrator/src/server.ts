import { createHash, timingSafeEqual } from "node:crypto";
import { bearer } from "@pindah/kernel/auth";
import { type App, createService, mount } from "@pindah/kernel/http/service";
import type { Logger } from "@pindah/kernel/log";
import { conflict, forbidden, notFound, unauthorized, unavailable } from "@pindah/kernel/problem";
import { z } from "zod";
import { verifyJournal } from "./audit.js";
import { actions, type Engine, ReverseCancelled, WrongState } from "./engine/index.js";
import { SwitchCancelled } from "./switcher/switch.js";
import { IllegalTransition } from "./workflow.js";

export interface ServerOptions {
  engine: Engine;
  log: Logger;
  /** The operator's token (the `pindah` command line holds it): an admin without a session. */
  operatorToken: string;
  /** The public API, which knows who a bearer token belongs to (`GET /api/v1/me`). */
  apiUrl: string;
}

type Role = "admin" | "regulator";
const sha = (s: string) => createHash("sha256").update(s).digest();

/** Who is calling: the operator, or an admin or regulator whose session the public API confirms. */
function authorizer(o: ServerOptions) {
  const seen = new Map<string, { role: string; actor: string; until: number }>();
  const operator = sha(o.operatorToken);
  return async (header: string | undefined, allowed: Role[]): Promise<string> => {
    const token = bearer(header);
    if (!token) throw unauthorized();
    if (timingSafeEqual(sha(token), operator)) return "operator";
    const key = sha(token).toString("hex");
    let who = seen.get(key);
    if (!who || who.until < Date.now()) {
      const res = await fetch(`${o.apiUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status === 401) throw unauthorized("the session is not valid");
      if (!res.ok) throw unavailable(`the account service answered ${res.status}`, 1);
      const me = (await res.json()) as { id: string; role: string; email?: string };
      who = { role: me.role, actor: `${me.role}:${me.email ?? me.id}`, until: Date.now() + 10_000 };
      seen.set(key, who);
    }
    if (!allowed.includes(who.role as Role)) {
      throw forbidden(`this needs the ${allowed.join(" or ")} role`);
    }
    return who.actor;
  };
}

const Params = z.object({ category: z.string().regex(/^[a-z_]+$/), action: z.enum(actions) });

/** Errors of the engine as problems: a move the state does not allow is a 409, never a 500. */
function asProblem(err: unknown): unknown {
  if (err instanceof WrongState || err instanceof IllegalTransition)
    return conflict("wrong-migration-state", err.message);
  if (err instanceof SwitchCancelled) return conflict("switch-cancelled", err.message);
  if (err instanceof ReverseCancelled) return conflict("reverse-cancelled", err.message);
  if (err instanceof Error && /has no category/.test(err.message)) return notFound(err.message);
  return err;
}

/**
 * The control plane of API.md: `GET /migration`, `POST /migration/{category}/{action}`, the
 * journal and its audit (`GET /migration/journal`, `GET /migration/audit`).
 */
export async function buildMigratorServer(o: ServerOptions): Promise<App> {
  const { app } = await createService({
    name: "migrator",
    title: "Pindah migration control",
    logger: o.log,
    health: async () => {
      await o.engine.ctx.control.query("SELECT 1");
    },
  });
  const authorize = authorizer(o);
  await mount(app, "/api/v1", (api) => {
    api.get("/migration", { schema: { tags: ["control"] } }, async (req) => {
      await authorize(req.headers.authorization, ["admin", "regulator"]);
      return o.engine.status();
    });
    api.get(
      "/migration/journal",
      {
        schema: {
          tags: ["control"],
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        },
      },
      async (req) => {
        await authorize(req.headers.authorization, ["admin", "regulator"]);
        const { rows } = await o.engine.ctx.control.query(
          `SELECT id::text, at, category, actor, action, from_state, to_state, detail,
            encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash
          FROM control.journal j ORDER BY j.id DESC LIMIT $1`, // j.id: by the number, not the id's text
          [req.query.limit],
        );
        return { items: rows, next_cursor: null };
      },
    );
    // The journal's hash chain recomputed: a broken chain is a finding to report (200, ok false), not an error.
    api.get("/migration/audit", { schema: { tags: ["control"] } }, async (req) => {
      await authorize(req.headers.authorization, ["admin", "regulator"]);
      return verifyJournal(o.engine.ctx.control);
    });
    api.post("/migration/:category/:action", { schema: { tags: ["control"], params: Params } }, async (req, reply) => {
      const actor = await authorize(req.headers.authorization, ["admin"]);
      const { category, action } = req.params;
      let result: unknown;
      try {
        result = await o.engine.act(category, action, actor);
      } catch (err) {
        throw asProblem(err);
      }
      const status = await o.engine.status();
      const json = JSON.parse(JSON.stringify(result ?? null, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
      return reply.code(action === "start" ? 202 : 200).send({ action, category, result: json, status });
    });
  });
  return app;
}
