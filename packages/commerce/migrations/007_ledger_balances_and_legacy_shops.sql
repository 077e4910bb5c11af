-- An account's balance is the sum of its entries, kept by the database for every writer (the
-- services post through ledger/post.ts; the migrator writes the old shop's history as rows).
-- One statement-level trigger per kind of change: one UPDATE per statement, grouped by account.
CREATE FUNCTION ledger_entries_move_balances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE ledger_accounts a SET balance = a.balance + s.amount
      FROM (SELECT account_id, sum(amount) AS amount FROM new_rows GROUP BY account_id) s
     WHERE a.id = s.account_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE ledger_accounts a SET balance = a.balance - s.amount
      FROM (SELECT account_id, sum(amount) AS amount FROM old_rows GROUP BY account_id) s
     WHERE a.id = s.account_id;
  ELSE
    UPDATE ledger_accounts a SET balance = a.balance + s.amount
      FROM (SELECT account_id, sum(amount) AS amount
              FROM (SELECT account_id, amount FROM new_rows
                    UNION ALL SELECT account_id, -amount FROM old_rows) d
             GROUP BY account_id) s
     WHERE a.id = s.account_id AND s.amount <> 0;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_entries_balances_insert AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_move_balances();
CREATE TRIGGER ledger_entries_balances_delete AFTER DELETE ON ledger_entries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_move_balances();
CREATE TRIGGER ledger_entries_balances_update AFTER UPDATE ON ledger_entries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION ledger_entries_move_balances();

-- A shop created from the old in-app shop keeps its legacy id (13 digits, docs/decisions/002)
-- and so does its payable account, so the migrator can post its history without a lookup.
CREATE OR REPLACE FUNCTION open_seller_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id >= 1000000000001 THEN
    INSERT INTO ledger_accounts (id, code, kind, shop_id) VALUES (NEW.id, 'seller_payable:' || NEW.id, 'liability', NEW.id);
  ELSE
    INSERT INTO ledger_accounts (code, kind, shop_id) VALUES ('seller_payable:' || NEW.id, 'liability', NEW.id);
  END IF;
  RETURN NEW;
END $$;

-- A legacy store whose seller already had a commerce shop maps onto that shop; its legacy id
-- keeps working wherever a client sends a shop id (`?shop_id=`, links it has kept).
CREATE TABLE shop_aliases (
  alias_id bigint PRIMARY KEY,
  shop_id  bigint NOT NULL REFERENCES shops ON DELETE CASCADE
);
CREATE INDEX shop_aliases_shop ON shop_aliases (shop_id);
