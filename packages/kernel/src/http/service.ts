import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { Logger } from "../log.js";
import { notFound, Problem } from "../problem.js";
import { errorHandler, sendProblem } from "./errors.js";
import { createMetrics, type Metrics } from "./metrics.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Served without a session (catalog, login, webhooks); every other route needs one. */
    public?: boolean;
  }
}

/** PostgreSQL stores no NUL character in text: the path of the first string holding one. */
function nulAt(v: unknown, path: string): string | undefined {
  if (typeof v === "string") return v.includes("\u0000") ? path : undefined;
  if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      const found = nulAt(x, path ? `${path}.${k}` : k);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** Registers `routes` under `prefix`, keeping zod typing inside the scope. */
export async function mount(app: App, prefix: string, routes: (api: App) => void): Promise<void> {
  await app.register(async (scope) => routes(scope.withTypeProvider<ZodTypeProvider>()), { prefix });
}

export interface ServiceOptions {
  name: string;
  title: string;
  logger: Logger;
  /** Readiness check for /healthz, such as `SELECT 1` on the service's database. */
  health: () => Promise<void>;
  bodyLimit?: number;
}

/**
 * A service with what every Pindah service has: zod validation at the edge, problem+json
 * errors, request ids, /healthz, /metrics and the OpenAPI document of its routes.
 */
export async function createService(opts: ServiceOptions): Promise<{ app: App; metrics: Metrics }> {
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit ?? 64 * 1024,
    requestIdHeader: "x-request-id",
    genReqId: () => randomUUID(),
    // Our own onResponse hook logs each request once, with its route and duration.
    logController: new LogController({ disableRequestLogging: true }),
    keepAliveTimeout: 30_000,
  }).withTypeProvider<ZodTypeProvider>();
  const metrics = createMetrics(opts.name);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // JSON only: any other body is a 415, not text to be mistaken for a value.
  app.removeContentTypeParser("text/plain");
  app.addHook("preValidation", async (req) => {
    const path = nulAt(req.body, "") ?? nulAt(req.query, "") ?? nulAt(req.params, "");
    if (path !== undefined) {
      throw new Problem(400, "validation", "Invalid request", "text may not contain NUL characters", [
        { path, message: "contains a NUL character" },
      ]);
    }
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, notFound(`route ${req.method} ${req.url}`)));

  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });
  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    metrics.requests.inc({ method: req.method, route, status: reply.statusCode });
    metrics.duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500)
      req.log.warn({ route, status: reply.statusCode, ms: reply.elapsedTime }, "request failed");
    else req.log.debug({ route, status: reply.statusCode, ms: reply.elapsedTime }, "request");
  });

  await app.register(swagger, {
    openapi: { openapi: "3.1.0", info: { title: opts.title, version: "1.0.0" } },
    transform: jsonSchemaTransform,
  });

  app.get("/healthz", { schema: { hide: true } }, async (_req, reply) => {
    try {
      await opts.health();
      return { status: "ok", service: opts.name };
    } catch (err) {
      return reply.code(503).send({ status: "unavailable", service: opts.name, detail: (err as Error).message });
    }
  });
  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.get("/api/v1/openapi.json", { schema: { hide: true }, config: { public: true } }, async () => app.swagger());
  return { app, metrics };
}
