-- What sellers list: items with models (variants), each model with its price and its stock.

CREATE TABLE items (
  item_id     bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  seller_id   bigint NOT NULL REFERENCES sellers,
  item_name   varchar(200) NOT NULL CHECK (length(item_name) BETWEEN 1 AND 200),
  item_desc   text NOT NULL DEFAULT '',
  category    varchar(60) NOT NULL,
  item_status varchar(16) NOT NULL DEFAULT 'NORMAL' CHECK (item_status IN ('NORMAL', 'UNLISTED')),
  ctime       bigint NOT NULL,
  mtime       bigint NOT NULL
);
CREATE INDEX items_seller ON items (seller_id, item_id);
CREATE INDEX items_search ON items USING gin (to_tsvector('simple', item_name || ' ' || item_desc));

-- `stock` is what can be sold now; checkout takes from it and a failed payment gives back.
CREATE TABLE models (
  model_id   bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  item_id    bigint NOT NULL REFERENCES items,
  model_name varchar(100) NOT NULL CHECK (length(model_name) BETWEEN 1 AND 100),
  price      rupiah NOT NULL CHECK (price > 0),
  stock      integer NOT NULL CHECK (stock >= 0),
  ctime      bigint NOT NULL,
  mtime      bigint NOT NULL
);
CREATE INDEX models_item ON models (item_id, model_id);

-- Takes units of several models, or none: rows locked in model order (so checkouts never
-- deadlock), then ONE conditional UPDATE that cannot oversell. False when any is short; the
-- caller then rolls back. NO KEY UPDATE, because order and cart lines hold KEY SHARE locks.
CREATE FUNCTION take_stock(ids bigint[], qtys integer[]) RETURNS boolean
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  taken integer;
BEGIN
  PERFORM 1 FROM models WHERE model_id = ANY (ids) ORDER BY model_id FOR NO KEY UPDATE;
  UPDATE models m SET stock = m.stock - x.q
    FROM unnest(ids, qtys) AS x(id, q)
   WHERE m.model_id = x.id AND m.stock >= x.q;
  GET DIAGNOSTICS taken = ROW_COUNT;
  RETURN taken = cardinality(ids);
END $$;
