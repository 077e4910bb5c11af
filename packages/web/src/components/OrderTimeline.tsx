import type { OrderStatus } from "../api/types";
import { useI18n } from "../i18n";

const steps: OrderStatus[] = ["created", "paid", "shipped", "delivered", "completed"];

/** Where the order is on its happy path; cancelled and refunded orders show no path. */
export function OrderTimeline({ status }: { status: OrderStatus }) {
  const { orderStatus } = useI18n();
  const at = steps.indexOf(status);
  if (at < 0) return null;
  return (
    <ol className="timeline">
      {steps.map((s, i) => (
        <li key={s} className={i < at ? "done" : i === at ? "now" : undefined}>
          <span className="timeline__dot" />
          <span className="timeline__label">{orderStatus(s)}</span>
        </li>
      ))}
    </ol>
  );
}
