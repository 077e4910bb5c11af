-- The copy phase: per workflow, the snapshot every copy worker imports, the source tables in
-- dependency order with their exact row counts at that snapshot, and the key-range chunks that
-- workers claim (FOR UPDATE SKIP LOCKED). A claim's owner holds a session advisory lock
-- (classid 1668247673 = 'copy', objid = chunk_id) while it works: a claimed chunk whose lock
-- is free belongs to a dead worker and may be claimed again.

CREATE TABLE copy_plans (
  workflow   text PRIMARY KEY,
  snapshot   text NOT NULL,
  chunk_rows integer NOT NULL CHECK (chunk_rows > 0),
  planned_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE copy_tables (
  workflow     text NOT NULL REFERENCES copy_plans ON DELETE CASCADE,
  table_name   text NOT NULL,
  -- The table as the planner resolved it (schema-qualified, quoted): workers read this one.
  relation     text NOT NULL,
  position     integer NOT NULL,
  depends_on   text[] NOT NULL DEFAULT '{}',
  key_columns  text[] NOT NULL CHECK (cardinality(key_columns) > 0),
  key_types    text[] NOT NULL,
  columns      text[] NOT NULL,
  column_types text[] NOT NULL,
  -- Exact count at the snapshot: the denominator of progress, never an estimate.
  rows_total   bigint NOT NULL CHECK (rows_total >= 0),
  PRIMARY KEY (workflow, table_name),
  UNIQUE (workflow, position)
);

CREATE TABLE copy_chunks (
  chunk_id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow         text NOT NULL,
  table_name       text NOT NULL,
  seq              integer NOT NULL,
  -- Key bounds as JSON arrays of the key columns' text forms: lo exclusive, hi inclusive,
  -- null for unbounded, so every row of the snapshot falls in exactly one chunk.
  lo               jsonb,
  hi               jsonb,
  rows_planned     bigint NOT NULL,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'claimed', 'done')),
  claimed_by       text,
  claimed_at       timestamptz,
  first_claimed_at timestamptz,
  attempts         integer NOT NULL DEFAULT 0,
  rows_copied      bigint,
  rows_written     bigint,
  done_at          timestamptz,
  last_error       text,
  UNIQUE (workflow, table_name, seq),
  FOREIGN KEY (workflow, table_name) REFERENCES copy_tables ON DELETE CASCADE,
  CHECK ((state = 'done') = (done_at IS NOT NULL AND rows_copied IS NOT NULL))
);
CREATE INDEX copy_chunks_open ON copy_chunks (workflow, table_name) WHERE state <> 'done';
