-- What the move of the old in-app shop's accounts needs (docs/decisions/002): the link to the
-- social app's id namespace, the map of matched legacy accounts, and the legacy password.

-- A linked person keeps the password the old shop knew: login accepts either hash.
ALTER TABLE users ADD COLUMN legacy_password_hash text;
-- The legacy model keeps a modification time per account; reverse replication needs it back.
ALTER TABLE users ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- The buyer's consented link to the social app's account: commerce reads no social data without it.
-- The key is checked at commit: the migrator writes a user and its link in one transaction, in
-- whichever order its COPY streams happen to run.
CREATE TABLE social_links (
  user_id      bigint PRIMARY KEY REFERENCES users ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  social_uid   bigint NOT NULL UNIQUE,
  consented_at timestamptz NOT NULL
);

-- Legacy accounts matched onto an existing commerce user (same person). An account created
-- from legacy keeps its uid as its id and has no row here: absent means the identity.
CREATE TABLE legacy_user_map (
  legacy_uid bigint PRIMARY KEY,
  user_id    bigint NOT NULL UNIQUE REFERENCES users ON DELETE CASCADE,
  matched_by text NOT NULL CHECK (matched_by IN ('email+phone', 'phone-or-nik', 'email'))
);
