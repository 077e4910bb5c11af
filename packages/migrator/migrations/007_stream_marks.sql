-- How far each running stream has applied its source, for the gateway's read-your-writes: a
-- client that wrote to a stream's source backend at time T may read from its target backend
-- only once applied_through >= T (everything the source committed before that time is in the
-- target, in commit order). The engine writes a row per stream it runs, a few times a second,
-- and deletes the row when it stops the stream; a stream that is down keeps its old row, so the
-- gateway keeps such clients' reads where they wrote. The gateway may read it (control.ts).
CREATE TABLE stream_marks (
  stream          text PRIMARY KEY,
  source_backend  text NOT NULL CHECK (source_backend IN ('shop-legacy', 'commerce')),
  target_backend  text NOT NULL CHECK (target_backend IN ('shop-legacy', 'commerce')),
  -- The source commit time of the newest source transaction the target has committed; NULL before one.
  applied_through timestamptz,
  at              timestamptz NOT NULL DEFAULT now()
);
