import type { App } from "@pindah/kernel/http/service";
import type { Ctx } from "../context.js";
import { IdParams } from "../ids.js";
import { findRoom, loadRoom } from "../lives/store.js";
import type { Watcher } from "./hub.js";

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

// What lets the stream pass proxies unbuffered: no caching or transforming, nginx's switch off,
// and every frame written as soon as it exists (Node does not buffer response writes).
const STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
  connection: "keep-alive",
};

export function eventRoutes(app: App, ctx: Ctx) {
  app.get(
    "/lives/:id/events",
    { schema: { params: IdParams, tags: ["social"] }, config: { public: true } },
    async (req, reply) => {
      const liveId = req.params.id;
      const first = await loadRoom(ctx.pool, liveId); // a 404 problem while we still can send one
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { ...STREAM_HEADERS, "x-request-id": req.id });
      req.raw.socket.setNoDelay(true);
      req.raw.socket.setTimeout(0);
      res.write("retry: 3000\n\n");
      if (first.status === "ended") {
        res.end(frame("snapshot", first) + frame("ended", { id: first.id, ended_at: first.ended_at }));
        return;
      }

      // Events that arrive before the snapshot is out wait, so a watcher sees the snapshot first.
      let ready = false;
      let closed = false;
      const queue: string[] = [];
      const write = (f: string) => {
        if (closed) return;
        if (ready) res.write(f);
        else queue.push(f);
      };
      const watcher: Watcher = {
        liveId,
        send: (event, data) => write(frame(event, data)),
        ping: () => {
          if (ready && !closed) res.write(": heartbeat\n\n");
        },
        close: () => {
          if (closed) return;
          closed = true;
          ctx.hub.leave(watcher);
          res.end();
        },
      };
      res.on("close", watcher.close);
      try {
        await ctx.hub.join(watcher);
        const room = await findRoom(ctx.pool, liveId);
        if (closed || !room) return watcher.close();
        res.write(frame("snapshot", room));
        ready = true;
        for (const f of queue.splice(0)) res.write(f);
        // Ended between our first look and joining: its event went out before we listened.
        if (room.status === "ended") {
          write(frame("ended", { id: room.id, ended_at: room.ended_at }));
          watcher.close();
        }
      } catch (err) {
        req.log.warn({ err, liveId }, "event stream failed");
        watcher.close();
      }
    },
  );
}
