import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDataCategory, KeyMap, timestamptzToMs } from "../../src/spec/index.js";
import { fold } from "../../src/stream/fold.js";
import type { Change, TargetOp } from "../../src/stream/index.js";

type Row = Record<string, string | null>;
// Legacy buyer1 (uid 1000000000005) is commerce user 7; every other uid is its own id.
const MATCHED = "1000000000005";
const keys = new KeyMap([[MATCHED, "7"]]);
const data = createDataCategory(keys);

const change = (table: string, op: Change["op"], row: Row, oldKey: Row | null = null): Change => ({
  schema: "shop",
  table,
  op,
  row,
  oldKey,
});

const address: Row = {
  addr_id: "1000000000100",
  uid: MATCHED,
  receiver_name: "Siti Rahayu",
  receiver_mobile: "+6281234567890",
  address_line: "Jl. Malioboro No. 12",
  city: "Yogyakarta",
  province: "DI Yogyakarta",
  zipcode: "55213",
  ctime: "1695891600123",
};
const token: Row = {
  token_sha256: `\\x${"ab".repeat(32)}`,
  uid: MATCHED,
  expire_ms: "1700000000000",
  ctime: "1695891600000",
};

describe("the data category's stream transform", () => {
  it("turns a legacy address insert, update and delete into ops on addresses for the mapped user", () => {
    const row = {
      id: "1000000000100",
      user_id: "7",
      recipient: "Siti Rahayu",
      phone: "+6281234567890",
      street: "Jl. Malioboro No. 12",
      city: "Yogyakarta",
      province: "DI Yogyakarta",
      postal_code: "55213",
      created_at: "2023-09-28T09:00:00.123Z",
    };
    expect(data.transform(change("user_addresses", "insert", address))).toEqual([
      { op: "insert", table: "addresses", key: ["id"], row },
    ]);
    const moved = { ...address, city: "Sleman" };
    expect(data.transform(change("user_addresses", "update", moved, { addr_id: address.addr_id ?? null }))).toEqual([
      { op: "update", table: "addresses", key: ["id"], row: { ...row, city: "Sleman" } },
    ]);
    // A delete with the default replica identity carries only the key.
    expect(data.transform(change("user_addresses", "delete", { addr_id: "1000000000100" }))).toEqual([
      { op: "delete", table: "addresses", key: ["id"], row: { id: "1000000000100" } },
    ]);
  });

  it("turns a legacy token into a commerce session of the mapped user with the same expiry", () => {
    const session = {
      token_hash: token.token_sha256,
      user_id: "7",
      created_at: "2023-09-28T09:00:00.000Z",
      expires_at: "2023-11-14T22:13:20.000Z",
    };
    expect(data.transform(change("user_tokens", "insert", token))).toEqual([
      { op: "insert", table: "sessions", key: ["token_hash"], row: session },
    ]);
    expect(data.transform(change("user_tokens", "update", { ...token, expire_ms: "1700000000001" }))).toEqual([
      {
        op: "update",
        table: "sessions",
        key: ["token_hash"],
        row: { ...session, expires_at: "2023-11-14T22:13:20.001Z" },
      },
    ]);
    expect(data.transform(change("user_tokens", "delete", { token_sha256: token.token_sha256 ?? null }))).toEqual([
      { op: "delete", table: "sessions", key: ["token_hash"], row: { token_hash: token.token_sha256 } },
    ]);
  });

  it("never deletes the commerce person a deleted legacy account was matched to", () => {
    expect(data.transform(change("users", "delete", { uid: MATCHED }))).toEqual([
      { op: "delete", table: "social_links", key: ["user_id"], row: { user_id: "7" } },
      { op: "update", table: "users", key: ["id"], row: { id: "7", legacy_password_hash: null } },
    ]);
    expect(data.transform(change("users", "delete", { uid: "1000000000009" }))).toEqual([
      { op: "delete", table: "social_links", key: ["user_id"], row: { user_id: "1000000000009" } },
      { op: "delete", table: "users", key: ["id"], row: { id: "1000000000009" } },
    ]);
  });

  it("refuses a table it has no transform for", () => {
    expect(() => data.transform(change("orders", "insert", { order_id: "1" }))).toThrow(/no transform/);
  });

  it("sends a commerce-born account back under its own id with a placeholder social uid; a regulator stays", () => {
    const born: Row = {
      id: "101",
      email: "new@pindah.test",
      password_hash: "scrypt$16384$c2FsdA==$aGFzaA==",
      legacy_password_hash: null,
      role: "buyer",
      display_name: "Baru",
      phone: null,
      national_id_hash: null,
      created_at: "2026-11-24 10:00:00.123456+00",
      updated_at: "2026-11-24 17:00:00.5+07",
    };
    const [op] = data.inverse({ schema: "public", table: "users", op: "insert", row: born, oldKey: null });
    expect(op).toMatchObject({ op: "insert", table: "shop.users", row: { uid: "101", social_uid: "-101" } });
    const ten = Date.UTC(2026, 10, 24, 10);
    expect(op?.row).toMatchObject({ ctime: String(ten + 123), mtime: String(ten + 500), user_type: "BUYER" });
    const regulator = { ...born, role: "regulator" };
    expect(data.inverse({ schema: "public", table: "users", op: "insert", row: regulator, oldKey: null })).toEqual([]);
  });

  it("sends back no session or address of an account the old shop does not have (a regulator logging in)", () => {
    const own = new KeyMap();
    const d = createDataCategory(own);
    const inverse = (table: string, row: Row) =>
      d.inverse({ schema: "public", table, op: "insert", row, oldKey: null });
    const session: Row = {
      token_hash: `\\x${"cd".repeat(32)}`,
      user_id: "202",
      created_at: "2026-11-24 10:00:00+00",
      expires_at: "2026-11-25 10:00:00+00",
    };
    expect(inverse("sessions", session)).toHaveLength(1); // a buyer's, as far as the map knows
    const regulator: Row = { id: "202", email: "pengawas@pindah.test", role: "regulator", password_hash: "x" };
    expect(inverse("users", regulator)).toEqual([]);
    expect(inverse("sessions", session)).toEqual([]);
    expect(inverse("sessions", { ...session, user_id: "203" })).toHaveLength(1);
  });
});

/** What PostgreSQL prints for an ISO timestamp (what the reverse stream hands the inverse). */
const pgText = (iso: string) =>
  iso.replace("T", " ").replace(/\.(\d*?)0*Z$/, (_m, d: string) => (d ? `.${d}+00` : "+00"));
const TIMES = new Set(["created_at", "updated_at", "expires_at", "consented_at"]);
const ORDER = ["users", "social_links", "sessions", "addresses"];

/** Forward ops (as the applier writes them) -> the target's changes -> inverse -> folded source rows. */
function roundTrip(legacy: Change[]): Map<string, Row | null> {
  const forward = legacy.flatMap((c) => data.transform(c));
  forward.sort((a, b) => ORDER.indexOf(a.table) - ORDER.indexOf(b.table));
  const back: TargetOp[] = forward.flatMap((op) => {
    const row = Object.fromEntries(
      Object.entries(op.row).map(([k, v]) => [k, v === null ? null : TIMES.has(k) ? pgText(String(v)) : String(v)]),
    );
    return data.inverse({ schema: "public", table: op.table, op: "insert", row, oldKey: null });
  });
  return new Map(fold(back).map((n) => [`${n.table}/${Object.values(n.keyRow).join()}`, n.final as Row | null]));
}

const ms = fc.integer({ min: 0, max: 4_102_444_800_000 }).map(String);
const id = fc.bigInt({ min: 1000000000010n, max: 9999999999999n }).map(String);
const uid = fc.oneof(fc.constant(MATCHED), id);
const text = fc.string({ minLength: 1, maxLength: 40 });
const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString("hex"));

const legacyAddress = fc.record({
  addr_id: id,
  uid,
  receiver_name: text,
  receiver_mobile: fc.stringMatching(/^\+62[0-9]{9,12}$/),
  address_line: text,
  city: text,
  province: text,
  zipcode: fc.stringMatching(/^[0-9]{5}$/),
  ctime: ms,
});
const legacyToken = fc.record({ token_sha256: hex(32).map((h) => `\\x${h}`), uid, expire_ms: ms, ctime: ms });
const legacyUser = fc.record({
  uid: id,
  social_uid: fc.bigInt({ min: 1n, max: 2n ** 62n }).map(String),
  email: fc.emailAddress().map((e) => e.toLowerCase()),
  pwd_hash: text.map((t) => `scrypt$16384$${t}`),
  user_type: fc.constantFrom("BUYER", "SELLER", "ADMIN"),
  nick_name: text,
  mobile: fc.option(fc.stringMatching(/^\+62[0-9]{9,12}$/), { nil: null }),
  nik_sha256: fc.option(hex(32), { nil: null }),
  ctime: ms,
  mtime: ms,
});

describe("the inverse transforms", () => {
  it("round-trip legacy rows: legacy -> commerce ops -> inverse -> the same legacy row", () => {
    fc.assert(
      fc.property(legacyUser, legacyToken, legacyAddress, (user, tok, addr) => {
        const out = roundTrip([
          change("users", "insert", user),
          change("user_tokens", "insert", tok),
          change("user_addresses", "insert", addr),
        ]);
        expect(out.get(`shop.users/${user.uid}`)).toEqual(user);
        expect(out.get(`shop.user_tokens/${tok.token_sha256}`)).toEqual(tok);
        expect(out.get(`shop.user_addresses/${addr.addr_id}`)).toEqual(addr);
      }),
      { numRuns: 300 },
    );
  });

  it("reads PostgreSQL's timestamptz text exactly to the millisecond, in any offset", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: -12, max: 14 }), (t, h) => {
        const local = new Date(t + h * 3_600_000).toISOString().replace("T", " ").replace("Z", "");
        const zone = `${h < 0 ? "-" : "+"}${String(Math.abs(h)).padStart(2, "0")}`;
        expect(timestamptzToMs(`${local}${zone}`)).toBe(String(t));
      }),
    );
  });
});
