import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { Problem } from "@pindah/kernel/problem";
import { Pool } from "undici";

// Hop-by-hop headers belong to one connection, never forwarded (RFC 9110 7.6.1).
const HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

function copyHeaders(from: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(from)) if (v !== undefined && !HOP.has(k)) out[k] = v;
  return out;
}

export class UpstreamError extends Error {}

type Upstream = Awaited<ReturnType<Pool["request"]>>;

/** A request's body in memory, for sending it twice; refused past `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Problem(413, "too-large", "Payload too large", `a body of at most ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const BUFFERED_BYTES = 256 * 1024;

/** Keep-alive connection pools to the backends, one per origin. */
export function createForwarder() {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string) => {
    let p = pools.get(origin);
    if (!p) {
      // Streams (SSE) stay open as long as the client watches: no body timeout.
      p = new Pool(origin, { connections: 128, headersTimeout: 30_000, bodyTimeout: 0 });
      pools.set(origin, p);
    }
    return p;
  };

  /** Sends the request (or `body`, the request's body read before) to `origin`; throws UpstreamError when it could not. */
  async function send(req: IncomingMessage, origin: string, add: Record<string, string>, body?: Buffer) {
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    try {
      return await poolFor(origin).request({
        path: req.url ?? "/",
        method: (req.method ?? "GET") as "GET",
        headers: { ...copyHeaders(req.headers), ...add },
        body: body ?? (hasBody ? req : null),
      });
    } catch (err) {
      throw new UpstreamError((err as Error).message);
    }
  }

  /** Sends an answer to the client; resolves with its status once it has been sent. */
  async function deliver(res: ServerResponse, upstream: Upstream, add: Record<string, string>): Promise<number> {
    const headers = { ...copyHeaders(upstream.headers), ...add };
    // An answer of known, small length goes out in one write; streams (SSE) flow as they come.
    const length = Number(upstream.headers["content-length"] ?? Number.NaN);
    if (length <= BUFFERED_BYTES) {
      const body = Buffer.from(await upstream.body.arrayBuffer());
      res.writeHead(upstream.statusCode, headers).end(body);
    } else {
      res.writeHead(upstream.statusCode, headers);
      if (String(upstream.headers["content-type"]).startsWith("text/event-stream")) res.flushHeaders();
      await pipeline(upstream.body, res).catch(() => {
        // The client went away (a closed live room, say): nothing left to deliver.
      });
    }
    return upstream.statusCode;
  }

  return {
    send,
    deliver,
    /** Streams the request to `origin` and the answer back: `send`, then `deliver`. */
    async forward(
      req: IncomingMessage,
      res: ServerResponse,
      origin: string,
      add: { request: Record<string, string>; response: Record<string, string> },
    ): Promise<number> {
      return deliver(res, await send(req, origin, add.request), add.response);
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
    },
  };
}
