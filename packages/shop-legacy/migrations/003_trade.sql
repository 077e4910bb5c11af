-- Carts, checkout, pay records, the payment callback log, orders and refunds: the social
-- system processing payments itself, which is exactly what Permendag 31/2023 forbids.

CREATE TABLE carts (
  cart_id     bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  uid         bigint NOT NULL REFERENCES users,
  cart_status varchar(16) NOT NULL DEFAULT 'ACTIVE' CHECK (cart_status IN ('ACTIVE', 'ORDERED')),
  ctime       bigint NOT NULL,
  mtime       bigint NOT NULL
);
CREATE INDEX carts_uid ON carts (uid);

CREATE TABLE cart_items (
  cart_id  bigint NOT NULL REFERENCES carts ON DELETE CASCADE,
  model_id bigint NOT NULL REFERENCES models,
  qty      integer NOT NULL CHECK (qty BETWEEN 1 AND 999),
  ctime    bigint NOT NULL,
  PRIMARY KEY (cart_id, model_id)
);

-- Retried writes: the same key and body replay the stored response.
CREATE TABLE idem_keys (
  uid        bigint NOT NULL REFERENCES users,
  scope      varchar(16) NOT NULL,
  idem_key   varchar(255) NOT NULL CHECK (length(idem_key) >= 1),
  req_sha256 bytea NOT NULL,
  http_status integer,
  resp_body  text,
  ctime      bigint NOT NULL,
  PRIMARY KEY (uid, scope, idem_key)
);

-- State machines as data: one table of allowed moves for every kind of record, and one
-- trigger that refuses any status change it does not list, whoever makes it.
CREATE TABLE status_flow (
  entity      varchar(16) NOT NULL,
  from_status varchar(16) NOT NULL,
  to_status   varchar(16) NOT NULL,
  PRIMARY KEY (entity, from_status, to_status)
);

CREATE FUNCTION check_status_flow() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  before text := to_jsonb(OLD) ->> TG_ARGV[1];
  after  text := to_jsonb(NEW) ->> TG_ARGV[1];
BEGIN
  IF after IS DISTINCT FROM before AND NOT EXISTS (
       SELECT 1 FROM status_flow WHERE entity = TG_ARGV[0] AND from_status = before AND to_status = after) THEN
    RAISE EXCEPTION '% % may not go from % to %', TG_ARGV[0], to_jsonb(OLD) ->> TG_ARGV[2], before, after
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TABLE pay_records (
  pay_id      bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  uid         bigint NOT NULL REFERENCES users,
  amount      rupiah NOT NULL CHECK (amount > 0),
  pay_channel varchar(20) NOT NULL CHECK (pay_channel IN ('BANK_TRANSFER', 'EWALLET', 'CREDIT_CARD', 'COD')),
  pay_status  varchar(16) NOT NULL DEFAULT 'PENDING'
              CHECK (pay_status IN ('PENDING', 'PAYING', 'PAID', 'FAILED', 'CLOSED', 'REFUNDED')),
  provider    varchar(20) NOT NULL DEFAULT 'sandbox',
  expire_ms   bigint NOT NULL,
  paid_ms     bigint,
  ctime       bigint NOT NULL,
  mtime       bigint NOT NULL
);
CREATE INDEX pay_records_open ON pay_records (expire_ms) WHERE pay_status IN ('PENDING', 'PAYING');

-- Invoices were issued in the social app company's own name.
CREATE TABLE invoices (
  invoice_id  bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  pay_id      bigint NOT NULL UNIQUE REFERENCES pay_records,
  invoice_no  varchar(60) NOT NULL UNIQUE,
  issuer_name varchar(120) NOT NULL,
  issuer_npwp varchar(30) NOT NULL,
  ctime       bigint NOT NULL
);

-- Every provider callback lands here first; (provider, event_id) makes a redelivery a no-op.
CREATE TABLE pay_callbacks (
  provider   varchar(20) NOT NULL,
  event_id   varchar(100) NOT NULL,
  pay_id     bigint NOT NULL REFERENCES pay_records,
  event_type varchar(40) NOT NULL,
  raw_body   text NOT NULL,
  recv_ms    bigint NOT NULL,
  PRIMARY KEY (provider, event_id)
);
CREATE INDEX pay_callbacks_pay ON pay_callbacks (pay_id);

CREATE TABLE orders (
  order_id          bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  uid               bigint NOT NULL REFERENCES users,
  seller_id         bigint NOT NULL REFERENCES sellers,
  cart_id           bigint NOT NULL REFERENCES carts,
  pay_id            bigint NOT NULL REFERENCES pay_records,
  order_status      varchar(16) NOT NULL DEFAULT 'UNPAID'
                    CHECK (order_status IN ('UNPAID', 'TO_SHIP', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED',
                                            'REFUNDED')),
  total_amount      rupiah NOT NULL CHECK (total_amount > 0),
  receiver_name     varchar(100) NOT NULL,
  receiver_mobile   varchar(20) NOT NULL,
  address_line      varchar(200) NOT NULL,
  city              varchar(80) NOT NULL,
  province          varchar(80) NOT NULL,
  zipcode           char(5) NOT NULL,
  logistics_company varchar(40),
  tracking_no       varchar(60),
  ctime             bigint NOT NULL,
  mtime             bigint NOT NULL,
  UNIQUE (cart_id, seller_id)       -- exactly one path turns a cart into a seller's order
);
CREATE INDEX orders_uid ON orders (uid, order_id DESC);
CREATE INDEX orders_seller ON orders (seller_id, order_id DESC);
CREATE INDEX orders_pay ON orders (pay_id);

CREATE TABLE order_items (
  order_id   bigint NOT NULL REFERENCES orders,
  model_id   bigint NOT NULL REFERENCES models,
  item_title varchar(310) NOT NULL,
  qty        integer NOT NULL CHECK (qty > 0),
  unit_price rupiah NOT NULL CHECK (unit_price > 0),
  PRIMARY KEY (order_id, model_id)
);

-- Money given back: a cancelled paid order, or a capture that came after its payment closed.
CREATE TABLE refund_records (
  refund_id bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  pay_id    bigint NOT NULL REFERENCES pay_records,
  order_id  bigint UNIQUE REFERENCES orders,
  reason    varchar(20) NOT NULL CHECK (reason IN ('BUYER_CANCEL', 'LATE_CAPTURE')),
  amount    rupiah NOT NULL CHECK (amount > 0),
  ctime     bigint NOT NULL,
  CHECK ((reason = 'BUYER_CANCEL') = (order_id IS NOT NULL))
);
CREATE UNIQUE INDEX refund_records_late_capture ON refund_records (pay_id) WHERE reason = 'LATE_CAPTURE';

CREATE TRIGGER pay_records_flow BEFORE UPDATE OF pay_status ON pay_records
  FOR EACH ROW EXECUTE FUNCTION check_status_flow('pay', 'pay_status', 'pay_id');
CREATE TRIGGER orders_flow BEFORE UPDATE OF order_status ON orders
  FOR EACH ROW EXECUTE FUNCTION check_status_flow('order', 'order_status', 'order_id');
CREATE TRIGGER carts_flow BEFORE UPDATE OF cart_status ON carts
  FOR EACH ROW EXECUTE FUNCTION check_status_flow('cart', 'cart_status', 'cart_id');

INSERT INTO status_flow VALUES
  ('pay', 'PENDING', 'PAYING'), ('pay', 'PENDING', 'PAID'), ('pay', 'PENDING', 'FAILED'), ('pay', 'PENDING', 'CLOSED'),
  ('pay', 'PAYING', 'PAID'), ('pay', 'PAYING', 'FAILED'), ('pay', 'PAYING', 'CLOSED'),
  ('pay', 'PAID', 'REFUNDED'), ('pay', 'CLOSED', 'REFUNDED'),
  ('order', 'UNPAID', 'TO_SHIP'), ('order', 'UNPAID', 'CANCELLED'), ('order', 'TO_SHIP', 'SHIPPED'),
  ('order', 'TO_SHIP', 'REFUNDED'), ('order', 'SHIPPED', 'DELIVERED'), ('order', 'SHIPPED', 'COMPLETED'),
  ('order', 'DELIVERED', 'COMPLETED'),
  ('cart', 'ACTIVE', 'ORDERED');

-- Gives back the units of orders that will not be paid, locking models in model order like
-- take_stock, so a release and a checkout never deadlock.
CREATE FUNCTION return_stock(order_ids bigint[]) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM 1 FROM models
    WHERE model_id IN (SELECT model_id FROM order_items WHERE order_id = ANY (order_ids))
    ORDER BY model_id FOR NO KEY UPDATE;
  UPDATE models m SET stock = m.stock + x.q
    FROM (SELECT model_id, sum(qty)::integer AS q FROM order_items WHERE order_id = ANY (order_ids) GROUP BY model_id) x
   WHERE m.model_id = x.model_id;
END $$;
