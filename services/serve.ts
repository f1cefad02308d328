// `npm start` / `ledger serve`: the API with the embedded store, demo data when the store is empty,
// the projectors in this process (LEDGER_PROJECTORS) and the campaign-end scheduler.
import { canonicalContent } from "../domain/events/canonical.ts";
import { validateBatch } from "../domain/events/validate.ts";
import type { FastifyInstance } from "fastify";
import type { LedgerConfig } from "./config.ts";
import { buildApp } from "./http/app.ts";
import { parseTokens, type OpenMode } from "./http/auth.ts";
import { ingestBatch } from "./ingest/ingest.ts";
import { Ledger } from "./ledger.ts";
import { createLogger } from "./logger.ts";
import { startScheduler } from "./scheduler.ts";
import { onStopRequest } from "./stopSignals.ts";
import { demoDataset } from "../workload/demoDataset.ts";

/**
 * How many events of the demo data set the store holds and nothing else, or null: exactly its first
 * n events, in its order, each with the demo's id and content. One event more (or one other) and it
 * is somebody's data.
 */
async function demoPrefixHeld(ledger: Ledger): Promise<number | null> {
  const demo = validateBatch(demoDataset());
  if (!demo.ok) throw new Error(`the demo data set is invalid: ${JSON.stringify(demo.problems.slice(0, 3))}`);
  const head = await ledger.store.head();
  if (head > demo.events.length) return null;
  const stored = await ledger.store.readForward(0, head);
  const same =
    stored.length === head &&
    stored.every((event, i) => event.id === demo.events[i]!.id && canonicalContent(event) === canonicalContent(demo.events[i]!));
  return same ? head : null;
}

/** How long a shutdown may wait for requests in flight and the ledger to close. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

export async function serve(config: LedgerConfig) {
  // Access control is settled before the store opens: a malformed or blank LEDGER_TOKENS refuses to start.
  const grants = parseTokens(config.tokens);
  const log = createLogger(config.logLevel);
  const ledger = await Ledger.open(config, log, { projects: config.projectors });
  // Demo data when the store is empty; a store holding an earlier release's demo (a prefix of
  // today's: new events are only ever appended to it) gets the rest, so `npm start` over an old
  // ./data keeps running as the demo instead of refusing to start open.
  const held = config.demo ? await demoPrefixHeld(ledger) : null;
  const demo = demoDataset();
  if (held !== null && held < demo.length) {
    const result = await ingestBatch(ledger.store, demo.slice(held));
    if (result.kind !== "appended") throw new Error(`demo data set refused: ${JSON.stringify(result).slice(0, 500)}`);
    log.info(
      { appended: result.appended, held },
      held === 0 ? "demo data loaded into the empty store" : "demo data brought up to this release's",
    );
  }
  // Without tokens, only the demo runs open by default, and only for reading (auth.ts OpenMode):
  // a store that holds anything but the demo data set needs tokens or LEDGER_ALLOW_OPEN=1.
  const openMode: OpenMode = config.allowOpen ? "open" : "demo";
  if (grants.length === 0 && !config.allowOpen && !(config.demo && (await demoPrefixHeld(ledger)) === demo.length)) {
    await ledger.close();
    throw new Error(
      "refusing to start without access control: set LEDGER_TOKENS (token:scope,scope;…), or LEDGER_ALLOW_OPEN=1 to run open; " +
        "only a store that holds nothing but the demo data set runs open by default (for reading)",
    );
  }
  let app: FastifyInstance | null = null;
  let stopScheduler: () => void = () => undefined;
  let stopping = false;
  /** Stops taking requests, lets those in flight finish, closes the ledger, exits with `code`. */
  const shutdown = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, "shutting down");
    setTimeout(() => process.exit(code), SHUTDOWN_TIMEOUT_MS).unref();
    stopScheduler();
    await app?.close();
    await ledger.close().catch((error: Error) => log.error({ err: error.message }, "closing the ledger failed"));
    process.exit(code);
  };
  // Crash-only projectors: a supervisor restarts the process, which resumes from the checkpoints;
  // requests in flight are answered first.
  ledger.onProjectorFailure = (error) => {
    log.fatal({ err: error.message }, "a projector stopped; exiting so the supervisor restarts from the checkpoints");
    void shutdown("projector failure", 1);
  };
  try {
    // On a thread of their own: the API keeps its core. Refused here when another process projects them.
    await ledger.startProjectors(config.projectors, { thread: true });
    // Batches of POST /v1/events are validated and appended on a thread of their own: reads never wait for them.
    await ledger.startIngestThread();
  } catch (error) {
    await ledger.close();
    throw error;
  }
  if (config.scheduler) stopScheduler = startScheduler(ledger);
  app = await buildApp(ledger, { openMode });
  const address = await app.listen({ port: config.port, host: config.host });
  log.info({ address, dataDir: config.dataDir, projectors: config.projectors }, "ledger listening");
  const url = address.replace("[::1]", "localhost");
  process.stdout.write(tryLines(url, grants.length > 0 ? "tokens" : openMode));
  onStopRequest((reason) => void shutdown(reason));
  return { app, ledger, url, stop: () => shutdown("stop") };
}

/** What `serve` prints once it listens: where, and requests to try (with the token header when tokens are on). */
export function tryLines(url: string, access: OpenMode | "tokens"): string {
  const auth = access === "tokens" ? `-H "Authorization: Bearer $LEDGER_TOKEN" ` : "";
  const note =
    access === "tokens"
      ? "(LEDGER_TOKEN: a token of LEDGER_TOKENS with the read scope; /v1/health needs none)\n"
      : access === "demo"
        ? "(open for reading: the store holds only the demo data set; writes need LEDGER_TOKENS)\n"
        : "(open: LEDGER_ALLOW_OPEN=1)\n";
  return (
    `\nLedger listening on ${url}\n` +
    `Console: ${url}/\n` +
    `Try:\n` +
    `  curl -s ${url}/v1/health\n` +
    `  curl -s ${auth}${url}/v1/creators/cr-00000/earnings\n` +
    `  curl -s ${auth}'${url}/v1/creators/cr-00000/report?from=2025-09-01&to=2025-11-29&format=csv'\n` +
    note +
    "\n"
  );
}
