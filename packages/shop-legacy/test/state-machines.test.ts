import { afterAll, beforeAll, expect, it } from "vitest";
import { statusFlow } from "../src/flows.js";
import { contractNames } from "../src/statuses.js";
import { buy, type Harness, someSku, startShop } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startShop();
});
afterAll(() => h.close());

it("the state machines in code and in the database are the same table", async () => {
  const { rows } = await h.db.query(
    "SELECT entity || ':' || from_status || '->' || to_status AS t FROM status_flow ORDER BY 1",
  );
  const inCode = Object.entries(statusFlow)
    .flatMap(([entity, moves]) =>
      Object.entries(moves).flatMap(([from, tos]) =>
        (tos as readonly string[]).map((to) => `${entity}:${from}->${to}`),
      ),
    )
    .sort();
  expect(rows.map((r) => r.t)).toEqual(inCode);
});

it("every status the schema allows has exactly one contract name, and back", async () => {
  const checks = await h.db.query(
    `SELECT conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE contype = 'c' AND connamespace = 'shop'::regnamespace`,
  );
  const allowed = (table: string, column: string) => {
    const def = checks.rows.find((r) => r.tbl === table && r.def.includes(`(${column})::text`))?.def as string;
    return [...def.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]).sort();
  };
  const pairs: [keyof typeof contractNames, string, string][] = [
    ["order", "orders", "order_status"],
    ["payment", "pay_records", "pay_status"],
    ["channel", "pay_records", "pay_channel"],
    ["cart", "carts", "cart_status"],
    ["item", "items", "item_status"],
    ["live", "live_streams", "live_status"],
    ["payout", "withdrawals", "withdraw_status"],
    ["role", "users", "user_type"],
  ];
  for (const [kind, table, column] of pairs) {
    expect(Object.keys(contractNames[kind]).sort(), `${table}.${column}`).toEqual(allowed(table, column));
    const names = Object.values(contractNames[kind]);
    expect(new Set(names).size, `${kind} names are one to one`).toBe(names.length);
  }
});

it("the database refuses a status change the machine does not list, whoever makes it", async () => {
  const buyer = await h.as("buyer9@pindah.test");
  const sku = await someSku(h.db, 2, 30);
  const c = await buy(buyer, [{ sku_id: sku.id, quantity: 1 }]);
  const orderId = c.body.order_ids[0];
  await expect(
    h.db.query("UPDATE orders SET order_status = 'COMPLETED' WHERE order_id = $1", [orderId]),
  ).rejects.toThrow(/order \d+ may not go from UNPAID to COMPLETED/);
  await expect(
    h.db.query("UPDATE pay_records SET pay_status = 'REFUNDED' WHERE pay_id = $1", [c.body.payment.id]),
  ).rejects.toThrow(/pay \d+ may not go from PENDING to REFUNDED/);
  await expect(
    h.db.query(
      "UPDATE carts SET cart_status = 'ACTIVE' WHERE cart_id = (SELECT cart_id FROM orders WHERE order_id = $1)",
      [orderId],
    ),
  ).rejects.toThrow(/cart \d+ may not go from ORDERED to ACTIVE/);
  expect((await buyer.get(`/orders/${orderId}`)).body.status).toBe("created");
});

it("amounts are whole rupiah: the schema refuses sen and negative wallets", async () => {
  await expect(
    h.db.query("UPDATE models SET price = 1000.5 WHERE model_id = (SELECT min(model_id) FROM models)"),
  ).rejects.toThrow(/rupiah/);
  await expect(
    h.db.query("UPDATE sellers SET wallet_balance = -1 WHERE seller_id = (SELECT min(seller_id) FROM sellers)"),
  ).rejects.toThrow(/wallet_balance/);
});
