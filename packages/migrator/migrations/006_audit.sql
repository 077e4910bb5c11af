-- The journal as a tamper-evident audit log. Every row carries the hash of the row before it
-- and its own hash, computed here on insert, so every writer gets them without code changes;
-- `pindah audit verify` (src/audit.ts) recomputes the chain in TypeScript from the raw columns,
-- independently of these functions.
--
-- hash = sha256(f(prev_hash) || f(id) || f(at) || f(category) || f(actor) || f(action)
--               || f(from_state) || f(to_state) || f(detail))
--   f(x)       = x's byte length as a 4-byte big-endian integer, then x; NULL is ff ff ff ff
--   prev_hash  32 bytes; the first row's is 32 zero bytes
--   id         decimal digits
--   at         UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ (always six fraction digits)
--   text, jsonb UTF-8; detail as jsonb's own text form (keys deduplicated, ordered by length then bytes)
--
-- One chain in commit order: ids are given by the trigger under the row lock of journal_head,
-- held until the writer's transaction ends, so a transaction that journals waits for the one
-- before it to commit or roll back; chain order = id order = commit order, without gaps. (An
-- identity default is evaluated before BEFORE triggers run: two writers could take ids in one
-- order and the lock in the other.) In REPEATABLE READ a writer that lost the race gets a
-- serialization failure instead of a stale head, so the chain never forks.

ALTER TABLE journal ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;
ALTER TABLE journal ALTER COLUMN id DROP IDENTITY;

CREATE FUNCTION journal_field(b bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN b IS NULL THEN '\xffffffff'::bytea ELSE int4send(octet_length(b)) || b END
$$;

CREATE FUNCTION journal_hash(
  prev_hash bytea, id bigint, at timestamptz, category text, actor text, action text,
  from_state text, to_state text, detail jsonb
) RETURNS bytea
LANGUAGE sql IMMUTABLE SET search_path FROM CURRENT AS $$
  SELECT sha256(
    journal_field(prev_hash)
    || journal_field(convert_to(id::text, 'UTF8'))
    || journal_field(convert_to(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'UTF8'))
    || journal_field(convert_to(category, 'UTF8'))
    || journal_field(convert_to(actor, 'UTF8'))
    || journal_field(convert_to(action, 'UTF8'))
    || journal_field(convert_to(from_state, 'UTF8'))
    || journal_field(convert_to(to_state, 'UTF8'))
    || journal_field(convert_to(detail::text, 'UTF8')))
$$;

-- The chain's head: the lock every writer queues on, and what the last row must be (a verify
-- that finds the journal ending before it knows rows were cut off the end).
CREATE TABLE journal_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id   bigint NOT NULL,
  hash      bytea NOT NULL CHECK (octet_length(hash) = 32)
);

-- Rows journaled before this migration are chained as they are, in id order.
DO $$
DECLARE
  r journal;
  prev bytea := decode(repeat('00', 32), 'hex');
  last bigint := 0;
BEGIN
  FOR r IN SELECT * FROM journal ORDER BY id LOOP
    UPDATE journal SET prev_hash = prev,
        hash = journal_hash(prev, r.id, r.at, r.category, r.actor, r.action, r.from_state, r.to_state, r.detail)
      WHERE id = r.id RETURNING hash INTO prev;
    last := r.id;
  END LOOP;
  INSERT INTO journal_head (last_id, hash) VALUES (last, prev);
END $$;

ALTER TABLE journal
  ALTER COLUMN prev_hash SET NOT NULL,
  ALTER COLUMN hash SET NOT NULL,
  ADD CHECK (octet_length(prev_hash) = 32 AND octet_length(hash) = 32);

-- Whatever a writer passes, the row's id, time, and hashes are the chain's: an entry cannot be
-- backdated or put in another's place.
CREATE FUNCTION journal_chain() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  head journal_head;
BEGIN
  SELECT * INTO STRICT head FROM journal_head FOR UPDATE;
  NEW.id := head.last_id + 1;
  NEW.at := clock_timestamp();
  NEW.prev_hash := head.hash;
  NEW.hash := journal_hash(NEW.prev_hash, NEW.id, NEW.at, NEW.category, NEW.actor, NEW.action,
    NEW.from_state, NEW.to_state, NEW.detail);
  UPDATE journal_head SET last_id = NEW.id, hash = NEW.hash;
  RETURN NEW;
END $$;
CREATE TRIGGER journal_chain BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION journal_chain();

-- Append-only, refused by the database itself and not only by privileges (the migrator runs as
-- the cluster's superuser under npm start). The head moves only from the trigger above.
CREATE FUNCTION journal_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'journal_head' AND TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '%.% is append-only: % is refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON journal
  FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();
CREATE TRIGGER journal_head_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON journal_head
  FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();

-- Also with session_replication_role = replica (which skips ordinary triggers).
ALTER TABLE journal ENABLE ALWAYS TRIGGER journal_chain, ENABLE ALWAYS TRIGGER journal_append_only;
ALTER TABLE journal_head ENABLE ALWAYS TRIGGER journal_head_guard;
