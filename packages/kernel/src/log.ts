import { pino } from "pino";

export type Logger = pino.Logger;

/** Structured JSON logs, one line an event; `LOG_LEVEL` sets the level. */
export function createLogger(service: string): Logger {
  return pino({
    name: service,
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
