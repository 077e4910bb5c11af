import { afterAll, beforeAll, expect, it } from "vitest";
import { orderTransitions } from "../src/orders/machine.js";
import { paymentTransitions } from "../src/payments/machine.js";
import { buy, type Harness, someSku, startCommerce } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startCommerce();
});
afterAll(() => h.close());

const pairs = (machine: Record<string, readonly string[]>) =>
  Object.entries(machine)
    .flatMap(([from, tos]) => tos.map((to) => `${from}->${to}`))
    .sort();

it("the state machines in code and in the database are the same tables", async () => {
  for (const [table, machine] of [
    ["payment_transitions", paymentTransitions],
    ["order_transitions", orderTransitions],
  ] as const) {
    const { rows } = await h.db.query(`SELECT from_status || '->' || to_status AS t FROM ${table} ORDER BY 1`);
    expect(rows.map((r) => r.t)).toEqual(pairs(machine));
  }
});

it("the database refuses a status change the machine does not list, whoever makes it", async () => {
  const buyer = await h.as("buyer9@pindah.test");
  const sku = await someSku(h.db, 2, 30);
  const c = await buy(buyer, [{ sku_id: sku.id, quantity: 1 }]);
  const orderId = c.body.order_ids[0];
  await expect(h.db.query("UPDATE orders SET status = 'completed' WHERE id = $1", [orderId])).rejects.toThrow(
    /may not go from created to completed/,
  );
  await expect(
    h.db.query("UPDATE payments SET status = 'refunded' WHERE id = $1", [c.body.payment.id]),
  ).rejects.toThrow(/may not go from requires_payment to refunded/);
  expect((await buyer.get(`/orders/${orderId}`)).body.status).toBe("created");
});
