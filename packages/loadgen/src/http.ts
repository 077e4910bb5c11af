import http from "node:http";

/** One answer as the wire gave it: status 0 when no answer came (network error or timeout). */
export interface Wire {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
  body: unknown;
  error?: string;
}

export interface WireRequest {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The gateway's address; refused unless it is this machine, so a load run can never hit anyone else. */
export function localBase(baseUrl: string): URL {
  const url = new URL(baseUrl);
  if (url.protocol !== "http:") throw new Error(`loadgen: only http is supported, not ${url.protocol}`);
  if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
    throw new Error(`loadgen: targets 127.0.0.1 only, not ${url.hostname}`);
  }
  url.hostname = "127.0.0.1";
  return url;
}

const parse = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined; // a problem body is always JSON; anything else is kept as text
  }
};

/** A keep-alive client for /api/v1 (the kernel's load client gives no headers and no timeout). */
export function wireClient(baseUrl: string, sockets: number, timeoutMs: number) {
  const base = localBase(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const send = (r: WireRequest) =>
    new Promise<Wire>((resolve) => {
      const payload = r.body === undefined ? undefined : JSON.stringify(r.body);
      const req = http.request(
        {
          host: base.hostname,
          port: base.port || 80,
          method: r.method,
          path: `${base.pathname.replace(/\/$/, "")}/api/v1${r.path}`,
          agent,
          timeout: timeoutMs,
          headers: { ...r.headers, ...(payload === undefined ? {} : { "content-type": "application/json" }) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", (err) => resolve({ status: 0, headers: {}, text: "", body: undefined, error: err.message }));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString();
            const headers: Record<string, string | undefined> = {};
            for (const [k, v] of Object.entries(res.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
            resolve({ status: res.statusCode ?? 0, headers, text, body: parse(text) });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", (err) => resolve({ status: 0, headers: {}, text: "", body: undefined, error: err.message }));
      req.end(payload);
    });
  return { send, close: () => agent.destroy() };
}
export type WireClient = ReturnType<typeof wireClient>;
