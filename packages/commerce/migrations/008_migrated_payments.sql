-- What the old shop's payment records need to work here as they are (docs/decisions/002).

-- A late capture (the provider captured a payment after it closed) refunds the payment, not an
-- order: its orders are already cancelled. The old shop records it with no order; so does
-- commerce now, and reverse replication tells the two kinds of refund apart by exactly that.
ALTER TABLE refunds ALTER COLUMN order_id DROP NOT NULL;

-- A status change stamps updated_at, unless the writer set updated_at itself: the migrator
-- writes the old shop's own time of the change, so a copied and a streamed row are the same.
CREATE OR REPLACE FUNCTION check_transition() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  allowed boolean;
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE from_status = $1 AND to_status = $2)', TG_ARGV[0])
      INTO allowed USING OLD.status, NEW.status;
    IF NOT allowed THEN
      RAISE EXCEPTION '% % may not go from % to %', TG_TABLE_NAME, OLD.id, OLD.status, NEW.status
        USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
      NEW.updated_at := now();
    END IF;
  END IF;
  RETURN NEW;
END $$;
