import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".woff2": "font/woff2",
};

async function fileAt(root: string, urlPath: string): Promise<string | undefined> {
  const file = path.join(root, path.normalize(decodeURIComponent(urlPath)));
  if (!file.startsWith(root + path.sep)) return undefined; // no way out of the web folder
  const s = await stat(file).catch(() => undefined);
  return s?.isFile() ? file : undefined;
}

/**
 * The screens: files of the built web app, and its index.html for every other path, since
 * the app routes in the browser (/live/12, /orders/7 ...). Hashed assets are immutable.
 */
export function staticWeb(root: string) {
  const dir = path.resolve(root);
  return async (req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<number> => {
    const found = await fileAt(dir, urlPath).catch(() => undefined);
    const file = found ?? (path.extname(urlPath) ? undefined : await fileAt(dir, "/index.html"));
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return 404;
    }
    const hashed = urlPath.startsWith("/assets/");
    res.writeHead(200, {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "cache-control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
    });
    if (req.method === "HEAD") {
      res.end();
      return 200;
    }
    createReadStream(file).pipe(res);
    return 200;
  };
}
