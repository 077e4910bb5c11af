-- The gateway's routing table: for each route group, which backend serves its reads and
-- its writes, and whether the gateway holds the group's requests (during a write switch).
-- Every change bumps the row's version and notifies the gateways on channel pindah_routes.

CREATE TABLE routes (
  route_group   text PRIMARY KEY CHECK (route_group IN ('payment', 'data', 'merchant')),
  read_backend  text NOT NULL CHECK (read_backend IN ('shop-legacy', 'commerce')),
  write_backend text NOT NULL CHECK (write_backend IN ('shop-legacy', 'commerce')),
  held          boolean NOT NULL DEFAULT false,
  version       bigint NOT NULL DEFAULT 1,
  changed_at    timestamptz NOT NULL DEFAULT now()
);

-- The "before" world: the old in-app shop serves everything.
INSERT INTO routes (route_group, read_backend, write_backend) VALUES
  ('payment', 'shop-legacy', 'shop-legacy'),
  ('data', 'shop-legacy', 'shop-legacy'),
  ('merchant', 'shop-legacy', 'shop-legacy');

CREATE FUNCTION routes_versioned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  NEW.changed_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER routes_versioned BEFORE UPDATE ON routes
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION routes_versioned();

CREATE FUNCTION routes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pindah_routes', '');
  RETURN NULL;
END $$;
CREATE TRIGGER routes_notify AFTER INSERT OR UPDATE ON routes
  FOR EACH STATEMENT EXECUTE FUNCTION routes_notify();

-- Each gateway instance says it is alive, and per group which version of the table it has
-- applied and how many requests of the group it still has in flight: a hold is complete
-- when every live instance has applied it and has nothing in flight.
CREATE TABLE gateway_instances (
  instance     text PRIMARY KEY,
  started_at   timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE gateway_acks (
  instance    text NOT NULL REFERENCES gateway_instances ON DELETE CASCADE,
  route_group text NOT NULL REFERENCES routes,
  version     bigint NOT NULL,
  held        boolean NOT NULL,
  inflight    integer NOT NULL CHECK (inflight >= 0),
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instance, route_group)
);
