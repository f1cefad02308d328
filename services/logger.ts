// Structured JSON logs (pino) to stdout.
import pino from "pino";

/**
 * Every thread writes its lines to fd 1 synchronously. pino's default in a worker thread is an
 * asynchronous writer whose last lines are lost when the thread is terminated right after them:
 * the projectors' "engine snapshot saved" at shutdown went missing once in CI that way. A line is
 * one write(2), under PIPE_BUF, so lines of different threads never interleave.
 */
export function createLogger(level: string, name = "ledger") {
  return pino({ name, level, base: { service: name } }, pino.destination({ dest: 1, sync: true }));
}
