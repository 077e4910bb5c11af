import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { Problem } from "../problem.js";

const PROBLEM_JSON = "application/problem+json";

/** Fastify's own refusals (bad JSON, body too large, wrong media type) as problems. */
function fromFastify(err: FastifyError): Problem | undefined {
  switch (err.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new Problem(400, "malformed-json", "Malformed JSON", err.message);
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new Problem(413, "body-too-large", "Request body too large", err.message);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new Problem(415, "unsupported-media-type", "Unsupported media type", "send application/json");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new Problem(400, "bad-request", "Bad request", err.message);
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new Problem(err.statusCode, "bad-request", "Bad request", err.message);
  }
  return undefined;
}

export function toProblem(err: unknown): Problem | undefined {
  if (err instanceof Problem) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = err.validation.map((v) => ({
      path: `${v.instancePath.replace(/^\//, "").replaceAll("/", ".") || err.validationContext || ""}`,
      message: v.message ?? "invalid",
    }));
    return new Problem(
      400,
      "validation",
      "Invalid request",
      `the ${err.validationContext ?? "request"} is not valid`,
      errors,
    );
  }
  return fromFastify(err as FastifyError);
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  for (const [k, v] of Object.entries(p.headers ?? {})) reply.header(k, v);
  return reply.code(p.status).type(PROBLEM_JSON).send(p.toJSON());
}

export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const p = toProblem(err);
  if (p) return sendProblem(reply, p);
  req.log.error({ err }, "unhandled error");
  return sendProblem(reply, new Problem(500, "internal", "Internal error", `request ${req.id} failed; it is logged`));
}
