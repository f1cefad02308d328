// Structured JSON logs (pino) to stdout.
import pino from "pino";
import { isMainThread } from "node:worker_threads";

/**
 * In a worker thread (projectors, ingestion) lines are written to fd 1 synchronously: pino's
 * default there is an asynchronous writer whose last lines are lost when the thread is terminated
 * right after them (the projectors' "engine snapshot saved" at shutdown went missing in a CI run).
 * The API's thread keeps pino's asynchronous default, flushed at exit, so a slow reader of the logs
 * never holds a request up.
 */
export function createLogger(level: string, name = "ledger") {
  const options = { name, level, base: { service: name } };
  return isMainThread ? pino(options) : pino(options, pino.destination({ dest: 1, sync: true }));
}
