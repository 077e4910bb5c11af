-- Takes units of several SKUs at once, locking their rows in SKU order, or takes nothing and
-- raises PN001 if any is short. Checkout sends it in one message with its COMMIT, so a hot
-- stock row is locked only while PostgreSQL itself works, never across a round trip.
CREATE FUNCTION take_stock(skus bigint[], quantities int[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  taken int;
BEGIN
  PERFORM 1 FROM stock WHERE sku_id = ANY (skus) ORDER BY sku_id FOR UPDATE;
  UPDATE stock s SET available = s.available - x.q, reserved = s.reserved + x.q
    FROM unnest(skus, quantities) AS x(sku, q)
   WHERE s.sku_id = x.sku AND s.available >= x.q;
  GET DIAGNOSTICS taken = ROW_COUNT;
  IF taken < cardinality(skus) THEN
    RAISE EXCEPTION 'not enough stock for this batch' USING ERRCODE = 'PN001';
  END IF;
END $$;
