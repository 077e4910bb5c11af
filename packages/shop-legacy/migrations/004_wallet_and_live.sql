-- Withdrawals from a seller's wallet, and live streams with their pinned item.

CREATE TABLE withdrawals (
  withdraw_id     bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  seller_id       bigint NOT NULL REFERENCES sellers,
  amount          rupiah NOT NULL CHECK (amount > 0),
  withdraw_status varchar(16) NOT NULL DEFAULT 'SUCCESS' CHECK (withdraw_status IN ('SUCCESS')),
  bank_account    varchar(60),
  ctime           bigint NOT NULL
);
CREATE INDEX withdrawals_seller ON withdrawals (seller_id, withdraw_id DESC);

CREATE TABLE live_streams (
  live_id        bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  seller_id      bigint NOT NULL REFERENCES sellers,
  live_title     varchar(120) NOT NULL CHECK (length(live_title) BETWEEN 1 AND 120),
  live_status    varchar(16) NOT NULL DEFAULT 'ONGOING' CHECK (live_status IN ('ONGOING', 'FINISHED')),
  pinned_item_id bigint REFERENCES items,
  start_ms       bigint NOT NULL,
  end_ms         bigint,
  CHECK ((live_status = 'FINISHED') = (end_ms IS NOT NULL))
);
-- One stream at a time per seller: the index, not the code, decides a race of two starts.
CREATE UNIQUE INDEX live_streams_one_ongoing ON live_streams (seller_id) WHERE live_status = 'ONGOING';
CREATE INDEX live_streams_seller ON live_streams (seller_id, live_id DESC);

CREATE TRIGGER live_streams_flow BEFORE UPDATE OF live_status ON live_streams
  FOR EACH ROW EXECUTE FUNCTION check_status_flow('live', 'live_status', 'live_id');
INSERT INTO status_flow VALUES ('live', 'ONGOING', 'FINISHED');
