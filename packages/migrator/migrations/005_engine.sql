-- What the engine must remember across its own crashes, beside the workflows and the journal.

-- Each category's streams. The slot's identity is pinned here as well as next to the applied
-- position in the stream's target (PITFALLS DBZ-5739): a slot re-created under the same name is
-- refused rather than streamed from.
CREATE TABLE streams (
  category         text NOT NULL REFERENCES workflows,
  direction        text NOT NULL CHECK (direction IN ('forward', 'reverse')),
  stream           text NOT NULL,
  slot             text NOT NULL,
  publication      text NOT NULL,
  database         text NOT NULL,
  consistent_point pg_lsn NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (category, direction)
);

-- Every verify run: the differ's ranges and mismatches and the money reconciliation.
CREATE TABLE verifications (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category        text NOT NULL REFERENCES workflows,
  at              timestamptz NOT NULL DEFAULT now(),
  ranges          integer NOT NULL,
  ranges_verified integer NOT NULL,
  rows_compared   bigint NOT NULL,
  mismatches      integer NOT NULL,
  money_ok        boolean NOT NULL,
  ok              boolean NOT NULL,
  detail          jsonb NOT NULL
);
CREATE INDEX verifications_category ON verifications (category, id DESC);

-- Source tables retired at completion: exported, then purged from the social system (rule R1).
CREATE TABLE retirements (
  category     text NOT NULL REFERENCES workflows,
  source_table text NOT NULL,
  rows         bigint NOT NULL,
  export_file  text NOT NULL,
  sha256       text NOT NULL,
  purged_at    timestamptz,
  PRIMARY KEY (category, source_table)
);
