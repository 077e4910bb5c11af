-- Joget's in-app shop, schema `shop` in the social system's own database (the "before" world).
-- Every id of every table comes from ONE sequence, the social system's id service: 13 digits,
-- so they never collide with the commerce platform's small identities and survive the move.
CREATE SEQUENCE id_seq START WITH 1000000000001 MINVALUE 1000000000001;

-- Amounts are whole rupiah in numeric columns, as the shop always kept them (the API shows x100).
CREATE DOMAIN rupiah AS numeric CHECK (VALUE = trunc(VALUE) AND VALUE < 1e15);

-- Shop accounts of Joget app users: a buyer or seller is a social account first (social_uid).
CREATE TABLE users (
  uid         bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  social_uid  bigint NOT NULL UNIQUE,
  email       varchar(254) NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
  pwd_hash    text NOT NULL,
  user_type   varchar(16) NOT NULL CHECK (user_type IN ('BUYER', 'SELLER', 'ADMIN')),
  nick_name   varchar(100) NOT NULL,
  mobile      varchar(20),          -- verified, E.164
  nik_sha256  char(64),             -- SHA-256 hex of a seller's NIK, never the number
  ctime       bigint NOT NULL,      -- epoch milliseconds, like every time in this schema
  mtime       bigint NOT NULL
);

-- Bearer tokens, stored only as SHA-256.
CREATE TABLE user_tokens (
  token_sha256 bytea PRIMARY KEY,
  uid          bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  expire_ms    bigint NOT NULL,
  ctime        bigint NOT NULL
);
CREATE INDEX user_tokens_uid ON user_tokens (uid);

CREATE TABLE user_addresses (
  addr_id         bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  uid             bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  receiver_name   varchar(100) NOT NULL,
  receiver_mobile varchar(20) NOT NULL,
  address_line    varchar(200) NOT NULL,
  city            varchar(80) NOT NULL,
  province        varchar(80) NOT NULL,
  zipcode         char(5) NOT NULL CHECK (zipcode ~ '^[0-9]{5}$'),
  ctime           bigint NOT NULL
);
CREATE INDEX user_addresses_uid ON user_addresses (uid, addr_id);

-- A seller is one account with one store and one wallet: no ledger, a balance column that is
-- credited when an order completes (less the commission) and debited by withdrawals.
CREATE TABLE sellers (
  seller_id       bigint PRIMARY KEY DEFAULT nextval('id_seq'),
  uid             bigint NOT NULL UNIQUE REFERENCES users,
  store_name      varchar(120) NOT NULL,
  store_category  varchar(40) NOT NULL,
  city            varchar(80) NOT NULL,
  bank_account    varchar(60),
  commission_rate numeric(5, 4) NOT NULL DEFAULT 0.0500 CHECK (commission_rate >= 0 AND commission_rate < 0.5),
  wallet_balance  rupiah NOT NULL DEFAULT 0 CHECK (wallet_balance >= 0),
  ctime           bigint NOT NULL,
  mtime           bigint NOT NULL
);
