-- One workflow per category, moving through the states of ARCHITECTURE.md. The allowed moves
-- are a table (the same one src/workflow.ts reads); a trigger refuses any other, and every
-- move is written to the journal in the same statement that makes it.

CREATE TABLE workflow_transitions (
  from_state text NOT NULL,
  to_state   text NOT NULL,
  PRIMARY KEY (from_state, to_state)
);
INSERT INTO workflow_transitions VALUES
  ('planned', 'copying'), ('copying', 'streaming'), ('streaming', 'verified'), ('verified', 'verified'),
  ('verified', 'reads_switched'), ('reads_switched', 'writes_switched'), ('writes_switched', 'completed'),
  ('writes_switched', 'reversed'), ('reversed', 'writes_switched'), ('reversed', 'cancelled'),
  ('reads_switched', 'verified'),
  ('planned', 'cancelled'), ('copying', 'cancelled'), ('streaming', 'cancelled'), ('verified', 'cancelled'),
  ('cancelled', 'planned');

CREATE TABLE workflows (
  category   text PRIMARY KEY CHECK (category ~ '^[a-z][a-z_]*$'),
  weight     integer NOT NULL CHECK (weight > 0),
  state      text NOT NULL DEFAULT 'planned',
  changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION workflows_check_transition() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM workflow_transitions WHERE from_state = OLD.state AND to_state = NEW.state) THEN
    RAISE EXCEPTION 'workflow % may not go from % to %', OLD.category, OLD.state, NEW.state
      USING ERRCODE = 'check_violation';
  END IF;
  NEW.changed_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER workflows_check_transition BEFORE UPDATE OF state ON workflows
  FOR EACH ROW EXECUTE FUNCTION workflows_check_transition();

-- Append-only: what happened, who asked, and what it was about. The compliance monitor reads it.
CREATE TABLE journal (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  category   text REFERENCES workflows,
  actor      text NOT NULL,
  action     text NOT NULL,
  from_state text,
  to_state   text,
  detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX journal_category ON journal (category, id);
