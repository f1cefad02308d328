// When a long-lived ledger process (serve, projectors, kafka-ingest) stops: on SIGTERM or SIGINT,
// and, when npm started it (`npx ledger …`, `npm run …`), when npm stops. npm passes a SIGTERM on
// to the shell it started the command in, but that shell does not pass it on to node: node would
// go on running (and listening) as an orphan. So a process that npm started watches its parent,
// and stops as if signalled once the parent is gone. Started by anything else (a supervisor, a
// container's init, `node` in a terminal, `nohup`), it answers signals only.
import process from "node:process";

/** How often a process started by npm looks whether its parent is still there. */
export const PARENT_CHECK_MS = 250;

export function onStopRequest(stop: (reason: string) => void): void {
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  if (process.env.npm_command === undefined) return; // not started through npm
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop("the npm process that started this one is gone");
  }, PARENT_CHECK_MS);
  timer.unref();
}
