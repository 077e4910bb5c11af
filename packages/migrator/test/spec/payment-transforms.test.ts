import { describe, expect, it } from "vitest";
import { createPaymentCategory, KeyMap } from "../../src/spec/index.js";
import { completionSplit } from "../../src/spec/payment/amounts.js";
import { exactJson } from "../../src/spec/payment/json.js";
import { statusTables, toCommerce, toLegacyStatus } from "../../src/spec/payment/statuses.js";
import { minorToRupiah, rateToBps, rupiahToMinor } from "../../src/spec/rupiah.js";

describe("payment values", () => {
  it("moves whole rupiah x 100 exactly and refuses sen on the way back", () => {
    expect(rupiahToMinor("125000")).toBe(12_500_000n);
    expect(rupiahToMinor("125000.00")).toBe(12_500_000n);
    expect(() => rupiahToMinor("1.5")).toThrow();
    expect(minorToRupiah("12500000")).toBe("125000");
    expect(() => minorToRupiah("12500050")).toThrow(/sen/);
  });

  it("splits a completion as the old shop rounds (half away from zero), in whole rupiah", () => {
    expect(rateToBps("0.0500")).toBe(500n);
    expect(rateToBps("0.1234")).toBe(1234n);
    // 10 rupiah at 5% is 0.5: rounded up to 1 rupiah of fee.
    expect(completionSplit(10n, 500n)).toEqual({ payable: 900n, fee: 100n });
    expect(completionSplit(9n, 500n)).toEqual({ payable: 900n, fee: 0n });
    expect(completionSplit(29n, 500n)).toEqual({ payable: 2800n, fee: 100n });
  });

  it("keeps JSON numbers only when they come back as the same text", () => {
    expect(exactJson('{"a": "1", "b": 12, "c": [1.5]}')).toEqual({ a: "1", b: 12, c: [1.5] });
    expect(() => exactJson('{"a": 1.0}')).toThrow(/exactly/);
    expect(() => exactJson('{"a": 12345678901234567890}')).toThrow(/exactly/);
    expect(exactJson('{"a": "1.0 is text"}')).toEqual({ a: "1.0 is text" });
  });

  it("maps every status both ways through one table", () => {
    for (const [kind, table] of Object.entries(statusTables)) {
      for (const [legacy, name] of Object.entries(table)) {
        expect(toCommerce(kind as keyof typeof statusTables, legacy)).toBe(name);
        expect(toLegacyStatus(kind as keyof typeof statusTables, name)).toBe(legacy);
      }
    }
  });
});

describe("payment transforms", () => {
  const keys = new KeyMap();
  keys.setShops(
    [],
    [],
    [
      ["cash:sandbox", "1"],
      ["clearing", "2"],
      ["fees", "3"],
    ],
  );
  const payment = createPaymentCategory(keys);
  const change = (table: string, op: "insert" | "update" | "delete", row: Record<string, string | null>) => ({
    schema: "shop",
    table,
    op,
    row,
    oldKey: null,
  });

  it("refuses to delete money history and to guess an unknown commission rate", () => {
    expect(() => payment.transform(change("withdrawals", "delete", { withdraw_id: "1000000000900" }))).toThrow(
      /never deleted/,
    );
    const order = {
      order_id: "1000000000901",
      uid: "1000000000005",
      seller_id: "1000000000777",
      cart_id: "1000000000902",
      pay_id: "1000000000903",
      order_status: "COMPLETED",
      total_amount: "100",
      receiver_name: "A",
      receiver_mobile: "+6281",
      address_line: "Jl",
      city: "C",
      province: "P",
      zipcode: "12345",
      logistics_company: null,
      tracking_no: null,
      ctime: "0",
      mtime: "0",
    };
    expect(() => payment.transform(change("orders", "insert", order))).toThrow(/commission rate/);
    payment.transform(change("sellers", "update", { seller_id: "1000000000777", commission_rate: "0.0500" }));
    const ops = payment.transform(change("orders", "insert", order));
    expect(ops.filter((o) => o.table === "ledger_entries").map((o) => o.row.amount)).toEqual([10000n, -9500n, -500n]);
  });

  it("gives paid_ms back only when a payment is captured, including a late capture", () => {
    const p = {
      id: "1000000000950",
      buyer_id: "7",
      amount: "500000",
      currency: "IDR",
      method: "ewallet",
      provider: "sandbox",
      expires_at: "2026-01-01 00:15:00+00",
      created_at: "2026-01-01 00:00:00+00",
      updated_at: "2026-01-01 00:05:00.123+00",
    };
    const back = (status: string, before: string | null) =>
      payment.inverse({
        schema: "public",
        table: "payments",
        op: "update",
        row: { ...p, status },
        oldKey: before ? { ...p, status: before } : null,
      })[0]?.row;
    const at = String(Date.UTC(2026, 0, 1, 0, 5, 0, 123));
    expect(back("succeeded", "processing")).toMatchObject({ pay_status: "PAID", paid_ms: at, amount: "5000" });
    expect(back("refunded", "cancelled")).toMatchObject({ pay_status: "REFUNDED", paid_ms: at });
    expect(back("refunded", "succeeded")).not.toHaveProperty("paid_ms");
    expect(back("cancelled", "requires_payment")).toMatchObject({ pay_status: "CLOSED", paid_ms: null });
  });
});
