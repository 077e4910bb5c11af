import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * The sandbox payment provider: what a real gateway (Midtrans, Xendit ...) does after a buyer
 * pays, including its bad habits: each event is signed, some are delivered twice, and a stale
 * `processing` event may arrive after the final one.
 */
export type SandboxOutcome = "succeeded" | "failed";

const EventBody = z.object({
  id: z.string().min(1).max(100),
  type: z.enum(["payment.processing", "payment.succeeded", "payment.failed"]),
  payment_id: z.string().regex(/^[0-9]{1,18}$/),
  amount: z.string(),
  currency: z.string(),
  created: z.number(),
});

export type SandboxEvent = z.infer<typeof EventBody>;

/** A delivered body, once its signature verified: the event, or undefined if it is not one. */
export function parseEvent(raw: string): SandboxEvent | undefined {
  try {
    const parsed = EventBody.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const SIGNATURE_HEADER = "x-sandbox-signature";
const TOLERANCE_S = 300;

export function sign(secret: string, body: string, timestamp: number): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

/** True when `header` signs `body` with `secret` and is no older than five minutes. */
export function verify(secret: string, header: string | undefined, body: string, nowS: number): boolean {
  const m = header?.match(/^t=(\d+),v1=([0-9a-f]{64})$/);
  if (!m?.[1] || !m[2]) return false;
  const t = Number(m[1]);
  if (Math.abs(nowS - t) > TOLERANCE_S) return false;
  const expected = Buffer.from(sign(secret, body, t).slice(-64), "hex");
  return timingSafeEqual(expected, Buffer.from(m[2], "hex"));
}

export function eventsFor(
  payment: { id: string; amount: string; currency: string },
  outcome: SandboxOutcome,
  nowS: number,
): SandboxEvent[] {
  const base = { payment_id: payment.id, amount: payment.amount, currency: payment.currency, created: nowS };
  return [
    { ...base, id: `evt_${randomUUID()}`, type: "payment.processing" },
    { ...base, id: `evt_${randomUUID()}`, type: `payment.${outcome}` },
  ];
}

/** The order and multiplicity of deliveries: duplicates and reordering with the given odds. */
export function deliveryPlan(events: SandboxEvent[], chaos: number, random: () => number = Math.random) {
  const plan = [...events];
  if (random() < chaos) plan.reverse();
  for (const e of events) if (random() < chaos) plan.push(e);
  return plan;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts one signed event; retries network errors and 5xx with backoff, as providers do. */
export async function deliver(url: string, secret: string, event: SandboxEvent, attempts = 5): Promise<void> {
  const body = JSON.stringify(event);
  for (let attempt = 1; ; attempt++) {
    const headers = {
      "content-type": "application/json",
      [SIGNATURE_HEADER]: sign(secret, body, Math.floor(Date.now() / 1000)),
    };
    const res = await fetch(url, { method: "POST", headers, body }).catch((err: Error) => err);
    if (!(res instanceof Error)) {
      if (res.ok) return;
      if (res.status < 500) throw new Error(`webhook refused with ${res.status}: ${await res.text()}`);
    }
    if (attempt >= attempts) throw new Error(`webhook delivery to ${url} failed ${attempts} times`);
    await sleep(50 * 2 ** attempt);
  }
}
