import client from "prom-client";

/** What the regulator's evidence collector and the migration team read off each gateway. */
export function createGatewayMetrics() {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service: "gateway" });
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new client.Counter({
      name: "pindah_gateway_requests_total",
      help: "Requests answered, by route group, backend and status",
      labelNames: ["group", "backend", "status"] as const,
      registers: [registry],
    }),
    duration: new client.Histogram({
      name: "pindah_gateway_request_duration_seconds",
      help: "Time from arrival to the answer's headers, holding included",
      labelNames: ["group", "backend"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    held: new client.Histogram({
      name: "pindah_gateway_hold_seconds",
      help: "How long requests waited while their group was held",
      labelNames: ["group"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    waiting: new client.Gauge({
      name: "pindah_gateway_waiting_requests",
      help: "Requests waiting now because their group is held",
      labelNames: ["group"] as const,
      registers: [registry],
    }),
  };
}
export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
