// Structured JSON logs (pino) to stdout.
import pino from "pino";

export function createLogger(level: string, name = "ledger") {
  return pino({ name, level, base: { service: name } });
}
