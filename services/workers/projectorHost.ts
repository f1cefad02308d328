// Where the projectors of a process run: in its own thread (the CLI's `projectors` command,
// `payouts run --project`, tests), or on a worker thread of their own (`serve`), so the API's event
// loop answers requests and takes writes on one core while the engine and the read-model writes use
// the other, and a projection's catch-up never delays a read.
//
// Either way the same code runs them (runProjectors): writer connections to each projection's
// database, a check that each was built from this store, the engine's snapshots, and a runner that
// catches up and then follows the store.
import type { Logger } from "pino";
import type { EventStore } from "../../infra/eventStore/port.ts";
import type { ReadModelDb } from "../../infra/readModel/port.ts";
import { serializeTransactions } from "../../infra/readModel/serialized.ts";
import { DEFINITIONS } from "../../projections/definitions.ts";
import type { ProjectionName } from "../../projections/projection.ts";
import { ensureVersionsTable, Projector } from "../../projections/projector.ts";
import { ProjectionRunner } from "../../projections/runner.ts";
import type { LedgerConfig } from "../config.ts";
import { openProjectionDb, openSnapshots } from "../ledgerFiles.ts";
import { WebhookDeliveryWorker } from "../webhooks/deliveryWorker.ts";
import { threadGroups } from "./threadGroups.ts";
import { startServiceWorker, workerStop } from "./workerThread.ts";
import { startWriterThread, type WriterThread } from "./writerThread.ts";

/** Live batches on a worker thread: no request waits behind them, so they can be large. */
export const WORKER_LIVE_BATCH_EVENTS = 5_000;

export interface ProjectorHost {
  /** The version each projection is projected at (a promotion elsewhere restarts the host). */
  readonly versions: ReadonlyMap<ProjectionName, number>;
  stop(): Promise<void>;
}

/**
 * Opens `names` for writing over `store`: a writer connection to each projection's database, its
 * version opened (migrated, reset or rebuilt here only) and checked against the store.
 */
export async function openProjectors(
  config: LedgerConfig,
  store: EventStore,
  names: readonly ProjectionName[],
  log: Logger,
): Promise<{ projectors: Projector[]; close(): Promise<void> }> {
  const writers: ReadModelDb[] = [];
  const projectors: Projector[] = [];
  const close = async () => {
    for (const db of writers) await db.close();
  };
  try {
    for (const name of names) {
      // The webhooks projector shares its database with the delivery worker: one transaction at a time
      // (every writer gets the same guard; queueing one transaction per batch costs nothing).
      const db = serializeTransactions(await openProjectionDb(config, name, { writer: true, log }));
      writers.push(db);
      // Under this projection's lock (Ledger.startProjectors): the only place a live read model is
      // migrated, reset or rebuilt (Ledger.open only reads it).
      await ensureVersionsTable(db);
      const projector = await Projector.open(db, DEFINITIONS[name], { ruleVersion: config.ruleVersion, log });
      await projector.verifyStore(store, config.onStoreMismatch, log);
      projectors.push(projector);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { projectors, close };
}

/**
 * Opens `names` for writing over `store` and starts following it (catch up, then live). With
 * `threads` above 1, the read models threadGroups puts apart are written on writer threads of their
 * own (writerThread.ts), fed by the one engine of this thread.
 */
export async function runProjectors(
  config: LedgerConfig,
  store: EventStore,
  names: readonly ProjectionName[],
  log: Logger,
  onFailure: (error: Error) => void,
  options: { liveBatchEvents?: number; threads?: number } = {},
): Promise<ProjectorHost> {
  const [here = [], ...apart] = threadGroups(names, options.threads ?? 1);
  const writerThreads: WriterThread[] = [];
  const stopWriterThreads = async () => {
    await Promise.all(writerThreads.map((thread) => thread.stop()));
  };
  let local: Awaited<ReturnType<typeof openProjectors>>;
  try {
    for (const group of apart) writerThreads.push(await startWriterThread(config, group, onFailure));
    local = await openProjectors(config, store, here, log);
  } catch (error) {
    await stopWriterThreads();
    throw error;
  }
  const snapshots = openSnapshots(config, store, log);
  const group = [...names].sort().join("+");
  const runner = new ProjectionRunner({
    store,
    projectors: [...local.projectors, ...writerThreads.flatMap((t) => t.lanes)],
    group,
    snapshots,
    log,
    onFailure,
    ...(options.liveBatchEvents ? { liveBatchSize: options.liveBatchEvents } : {}),
  });
  const closeAll = async () => {
    try {
      await stopWriterThreads();
    } finally {
      await snapshots.close();
      await local.close();
    }
  };
  try {
    await runner.start();
  } catch (error) {
    await closeAll();
    throw error;
  }
  // Webhooks are sent wherever the webhooks projector runs (services/webhooks/deliveryWorker.ts).
  const webhooks = local.projectors.find((p) => p.name === "webhooks");
  const deliveries = webhooks
    ? new WebhookDeliveryWorker({ db: webhooks.db, prefix: webhooks.prefix, settings: config.webhooks, log })
    : null;
  deliveries?.start();
  return {
    versions: new Map([
      ...local.projectors.map((p): [ProjectionName, number] => [p.name, p.version]),
      ...writerThreads.flatMap((t) => t.projectors.map((p): [ProjectionName, number] => [p.name, p.version])),
    ]),
    async stop() {
      try {
        await deliveries?.stop();
        await runner.stop();
      } finally {
        await closeAll();
      }
    },
  };
}

/** What the worker (projectorWorker.ts) and the thread that started it tell each other. */
export type ToWorker = { type: "stop" };
export type FromWorker =
  { type: "started"; versions: [ProjectionName, number][] } | { type: "failed"; message: string } | { type: "stopped" };
export interface WorkerInput {
  config: LedgerConfig;
  names: ProjectionName[];
}

/** Runs `names` on a worker thread of this process; `onFailure` hears of a projector that stopped. */
export async function startWorkerHost(
  config: LedgerConfig,
  names: readonly ProjectionName[],
  onFailure: (error: Error) => void,
): Promise<ProjectorHost> {
  const worker = startServiceWorker("projectorWorker", { config, names: [...names] } satisfies WorkerInput);
  let started = false;
  const stopper = workerStop(worker);
  const starting = new Promise<Map<ProjectionName, number>>((resolve, reject) => {
    // Before it started, a failure is the start's own (the caller hears it); after, onFailure's.
    const fail = (error: Error) => {
      if (stopper.stopping) return;
      if (started) onFailure(error);
      else reject(error);
    };
    worker.on("message", (message: FromWorker) => {
      switch (message.type) {
        case "started":
          started = true;
          resolve(new Map(message.versions));
          break;
        case "failed":
          fail(new Error(message.message));
          break;
        case "stopped":
          break; // workerStop hears it
      }
    });
    worker.on("error", (error) => fail(error));
    worker.on("exit", (code) => {
      if (code !== 0) fail(new Error(`the projector thread exited with code ${code}`));
    });
  });
  let versions: Map<ProjectionName, number>;
  try {
    versions = await starting;
  } catch (error) {
    await worker.terminate(); // a thread that failed to start (its writer threads with it) must not linger
    throw error;
  }
  return { versions, stop: () => stopper.stop() };
}
