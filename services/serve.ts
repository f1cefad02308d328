// `npm start` / `ledger serve`: the API with the embedded store, demo data when the store is empty,
// the projectors in this process (LEDGER_PROJECTORS) and the campaign-end scheduler.
import { canonicalContent } from "../domain/events/canonical.ts";
import { validateBatch } from "../domain/events/validate.ts";
import type { FastifyInstance } from "fastify";
import type { LedgerConfig } from "./config.ts";
import { buildApp } from "./http/app.ts";
import { parseTokens } from "./http/auth.ts";
import { ingestBatch } from "./ingest.ts";
import { Ledger } from "./ledger.ts";
import { createLogger } from "./logger.ts";
import { startScheduler } from "./scheduler.ts";
import { demoDataset } from "./workload.ts";

/** Whether the store begins with the demo data set (its first event, by id and content). */
async function holdsDemoData(ledger: Ledger): Promise<boolean> {
  const [first] = await ledger.store.readForward(0, 1);
  const demo = validateBatch(demoDataset().slice(0, 1));
  if (!first || !demo.ok) return false;
  return first.id === demo.events[0]!.id && canonicalContent(first) === canonicalContent(demo.events[0]!);
}

/** How long a shutdown may wait for requests in flight and the ledger to close. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

export async function serve(config: LedgerConfig) {
  // Access control is settled before the store opens: a malformed or blank LEDGER_TOKENS refuses to start.
  const grants = parseTokens(config.tokens);
  const log = createLogger(config.logLevel);
  const ledger = await Ledger.open(config, log);
  if (config.demo && (await ledger.store.head()) === 0) {
    const events = demoDataset();
    const result = await ingestBatch(ledger.store, events);
    if (result.kind !== "appended") throw new Error(`demo data set refused: ${JSON.stringify(result).slice(0, 500)}`);
    log.info({ appended: result.appended }, "demo data loaded into the empty store");
  }
  // Only the demo runs open by default: a store that holds anything else needs tokens.
  if (grants.length === 0 && !config.allowOpen && !(config.demo && (await holdsDemoData(ledger)))) {
    await ledger.close();
    throw new Error("refusing to start without access control: set LEDGER_TOKENS (token:scope,scope;…), or LEDGER_ALLOW_OPEN=1 to run open; only the demo data set runs open by default");
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
    await ledger.startProjectors(); // refused here when another process projects the same read models
  } catch (error) {
    await ledger.close();
    throw error;
  }
  if (config.scheduler) stopScheduler = startScheduler(ledger);
  app = await buildApp(ledger);
  const address = await app.listen({ port: config.port, host: config.host });
  log.info({ address, dataDir: config.dataDir, projectors: config.projectors }, "ledger listening");
  const url = address.replace("[::1]", "localhost");
  process.stdout.write(
    `\nLedger listening on ${url}\n` +
      `Console: ${url}/\n` +
      `Try:\n` +
      `  curl -s ${url}/v1/health\n` +
      `  curl -s ${url}/v1/creators/cr-00000/earnings\n` +
      `  curl -s '${url}/v1/creators/cr-00000/report?from=2025-09-01&to=2025-11-29&format=csv'\n\n`,
  );
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  return { app, ledger, url, stop: () => shutdown("stop") };
}
