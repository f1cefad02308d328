// Runs projectors over the event store: one engine per rule version ("lane") folds each batch of
// events once, and every projector of that lane applies the outcomes past its own checkpoint.
// Projectors in one process share the engine (one copy of its state); in separate processes each
// process has its own.
import { asError } from "../domain/assert.ts";
import { applyEvent } from "../domain/engine/engine.ts";
import type { Outcome } from "../domain/engine/outcome.ts";
import { emptyState, type EngineState } from "../domain/engine/state.ts";
import { toCurrentEvent } from "../domain/events/current.ts";
import type { StoredEvent } from "../domain/events/envelope.ts";
import { ruleVersion, type RuleVersion } from "../domain/rules.ts";
import { READ_PAGE_MAX, type EventStore, type Subscription } from "../infra/eventStore/port.ts";
import type { SnapshotStore } from "../infra/engineSnapshots.ts";
import { StoreMismatchError } from "./projector.ts";

/**
 * What the runner needs of a projector: one in this thread (Projector), or one whose writes run on
 * another thread (services/workers/writerThread.ts), which may take a batch before the one before it
 * is committed. `settled` waits until every batch handed over so far is committed or has failed.
 */
export interface RunnerProjector {
  readonly ruleVersion: number;
  /** Last position committed (where this projector resumes). */
  readonly position: number;
  /** Adds outcomes to the batch in progress (Projector.add); the runner adds every batch a page at a time. */
  add(outcomes: readonly Outcome[]): Promise<void>;
  /** Ends the batch at `last`: committed, or (on a writer thread) handed over to be. */
  commit(last: { position: number; eventId: string }): Promise<void>;
  dropReadIndexes(): Promise<void>;
  createReadIndexes(): Promise<void>;
  settled?(): Promise<void>;
}

export interface RunnerLog {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RunnerOptions {
  store: EventStore;
  projectors: RunnerProjector[];
  /** Name under which engine snapshots of this runner are kept; null = no snapshots. */
  group: string | null;
  snapshots: SnapshotStore | null;
  /** Events per catch-up batch (RUNNER_BATCH_DEFAULT). */
  batchSize?: number;
  /**
   * Events folded and added to the projectors at a time within a batch, and read at a time while
   * catching up (CATCH_UP_PAGE_EVENTS).
   */
  pageSize?: number;
  /** Events per batch when following live (default: batchSize if set, else RUNNER_LIVE_BATCH_DEFAULT). */
  liveBatchSize?: number;
  snapshotEveryEvents?: number;
  log?: RunnerLog;
  /** Called after each batch is folded and handed to every projector; committed by those on this thread (progress bars, metrics). */
  onBatch?: (lastPosition: number, events: number) => void;
  /** Called when following the store stopped on an error (a write failed): crash-only services exit and restart. */
  onFailure?: (error: Error) => void;
}

interface Lane {
  rules: RuleVersion;
  state: EngineState;
  projectors: RunnerProjector[];
  eventsSinceSnapshot: number;
}

/**
 * Catch-up (rebuild) batches: large, for throughput — one transaction per projector per batch, so a
 * page of the B-trees that many events touch is written once per batch, not once per event. Larger
 * ones were no faster (a batch's outcomes outlive V8's young generation and cost GC) and took more
 * memory (docs/scaling.md).
 */
export const RUNNER_BATCH_DEFAULT = 5_000;
/**
 * Events read, folded and added to the projectors at a time within a catch-up batch (catchUpBatch):
 * a page's events and outcomes are garbage before the next page is read (each projector keeps what
 * its fold made of them), instead of a whole batch's outliving the engine's young generation
 * (docs/scaling.md, "A catch-up batch read in pages", "Batches folded as they come").
 */
export const CATCH_UP_PAGE_EVENTS = 1_000;
/** Live batches: small, so an API in the same process answers between them. */
export const RUNNER_LIVE_BATCH_DEFAULT = 1_000;
/** How often the engine's state is saved: bounds the replay after a crash and the shipments held in memory. */
export const SNAPSHOT_EVERY_EVENTS_DEFAULT = 25_000;

export class ProjectionRunner {
  private readonly lanes: Lane[] = [];
  private subscription: Subscription | null = null;
  /** What stopped this runner (a failed batch, or a snapshot that could not be written); null while it runs. */
  private failure: Error | null = null;
  /** Batch size of catchUp(); start() uses the live batch size unless one is configured. */
  private readonly catchUpBatchSize: number;
  private readonly catchUpPageSize: number;
  private readonly snapshotEveryEvents: number;
  private lastPosition_ = 0;

  constructor(private readonly options: RunnerOptions) {
    this.catchUpBatchSize = options.batchSize ?? RUNNER_BATCH_DEFAULT;
    this.catchUpPageSize = options.pageSize ?? CATCH_UP_PAGE_EVENTS;
    if (!Number.isInteger(this.catchUpPageSize) || this.catchUpPageSize < 1 || this.catchUpPageSize > READ_PAGE_MAX)
      throw new Error(`runner: pageSize must be an integer 1..${READ_PAGE_MAX}, got ${this.catchUpPageSize}`);
    this.snapshotEveryEvents = options.snapshotEveryEvents ?? SNAPSHOT_EVERY_EVENTS_DEFAULT;
    if (options.projectors.length === 0) throw new Error("runner: no projectors");
  }

  get projectors(): readonly RunnerProjector[] {
    return this.options.projectors;
  }

  /** Loads snapshots and checkpoints; returns the position the runner will read after. */
  async prepare(): Promise<number> {
    if (this.lanes.length > 0) return this.lastPosition_;
    const byRules = new Map<number, RunnerProjector[]>();
    for (const p of this.options.projectors) byRules.set(p.ruleVersion, [...(byRules.get(p.ruleVersion) ?? []), p]);
    for (const [version, projectors] of byRules) {
      const minCheckpoint = Math.min(...projectors.map((p) => p.position));
      let state: EngineState = emptyState();
      const { group, snapshots } = this.options;
      if (group && snapshots) {
        // A saved state past some checkpoint cannot feed that projector: start fresh (on disk).
        const snapshot = await snapshots.load(group, version);
        state = snapshot && snapshot.position <= minCheckpoint ? snapshot : await snapshots.fresh(group, version);
      }
      this.lanes.push({ rules: ruleVersion(version), state, projectors, eventsSinceSnapshot: 0 });
    }
    this.lastPosition_ = Math.min(...this.lanes.map((l) => l.state.position));
    return this.lastPosition_;
  }

  /** Folds one batch of consecutive events through every lane and commits every projector. */
  async applyBatch(events: StoredEvent[]): Promise<void> {
    await this.guarded(async () => {
      if (events.length === 0) return;
      const lastEvent = events[events.length - 1]!;
      // Lane by lane: one lane's outcomes are handed over before the next lane folds; a page at a
      // time, as a catch-up's (a live batch on a projector thread is up to 5,000 events).
      for (const lane of this.lanes) {
        for (let i = 0; i < events.length; i += this.catchUpPageSize) await this.add(lane, events.slice(i, i + this.catchUpPageSize));
        await this.handOver(lane, lastEvent);
      }
      this.batchDone(lastEvent.position, events.length);
    });
  }

  /**
   * Runs one batch's work; a failure stops this runner. After a failed batch the engine state is
   * past events some projector did not commit: only a fresh runner (which resumes from the
   * checkpoints) may go on.
   */
  private async guarded(work: () => Promise<void>): Promise<void> {
    if (this.failure) throw new Error(`runner: stopped by an earlier failure (${this.failure.message}); start a new runner`);
    try {
      await work();
    } catch (error) {
      this.failure = asError(error);
      throw error;
    }
  }

  /** Folds consecutive events through one lane's engine and adds their outcomes to its projectors' batches. */
  private async add(lane: Lane, events: readonly StoredEvent[]): Promise<void> {
    const outcomes: Outcome[] = [];
    for (const event of events) {
      if (event.position <= lane.state.position) continue; // this lane's snapshot is already past it
      // An engine error (a bug, a broken invariant) is not an anomaly: it stops this runner with
      // every checkpoint where it was, so a restart retries (and a rebuild reproduces the same).
      outcomes.push(applyEvent(lane.state, lane.rules, toCurrentEvent(event)));
    }
    if (outcomes.length === 0) return;
    for (const projector of lane.projectors) await projector.add(outcomes);
    lane.eventsSinceSnapshot += outcomes.length;
  }

  /** Ends a lane's batch at `lastEvent` in each of its projectors, and snapshots the lane when due. */
  private async handOver(lane: Lane, lastEvent: StoredEvent): Promise<void> {
    for (const projector of lane.projectors) {
      await projector.commit({ position: lastEvent.position, eventId: lastEvent.id });
      await new Promise((resolve) => setImmediate(resolve)); // let requests in between projectors
    }
    if (lane.eventsSinceSnapshot >= this.snapshotEveryEvents) await this.snapshot(lane);
  }

  /** Every lane has handed over the batch of `events` up to `last`. */
  private batchDone(last: number, events: number): void {
    this.lastPosition_ = last;
    this.options.onBatch?.(last, events);
  }

  /** The last snapshot's write, when one was captured (at most one waits: the next capture waits for it). */
  private snapshotWrite: Promise<void> = Promise.resolve();

  /**
   * Saves the lane's state. A saved state must not be past any checkpoint it feeds (prepare), and a
   * projector on a writer thread may be a batch or two behind the engine: so the state is captured
   * now (encoded, kept in memory) and written once every projector of the lane has committed its
   * position, while the engine goes on with the next batches. A failed write stops the runner as a
   * failed batch would, and is reported through onFailure at once; a projector that failed meanwhile
   * reported its own failure, and its lane's state is then not written.
   */
  private async snapshot(lane: Lane): Promise<void> {
    const { group, snapshots } = this.options;
    lane.eventsSinceSnapshot = 0;
    if (!group || !snapshots) return;
    await this.snapshotWrite;
    const started = Date.now();
    const captured = snapshots.capture(group, lane.rules.version, lane.state);
    const write = async () => {
      try {
        await settle(lane.projectors);
      } catch {
        return;
      }
      try {
        await captured.write();
      } catch (error) {
        // As a failed batch: this runner stops, and says so now (a quiet ledger may not reach the next snapshot for days).
        this.failure = asError(error);
        this.options.onFailure?.(this.failure);
        throw error;
      }
      this.options.log?.info(
        { group, ruleVersion: lane.rules.version, position: captured.position, tookMs: Date.now() - started },
        "engine snapshot saved",
      );
    };
    this.snapshotWrite = write();
    this.snapshotWrite.catch(() => undefined); // handled where it is awaited (above, and stop)
  }

  /**
   * Catch-up's batch: up to `count` events after the runner's position, read, folded and added to
   * the projectors' batches a page (pageSize) at a time, then committed as one batch, every lane's.
   * False when there was nothing to read. A read that fails stops the runner, as a failed batch
   * does: after a first page, the engine is already past events nobody committed.
   */
  private async catchUpBatch(count: number, head: number): Promise<boolean> {
    let read = 0;
    await this.guarded(async () => {
      let lastEvent: StoredEvent | null = null;
      while (read < count) {
        const after = lastEvent?.position ?? this.lastPosition_;
        if (after >= head) break;
        const page = await this.options.store.readForward(after, Math.min(this.catchUpPageSize, count - read));
        if (page.length === 0) break;
        for (const lane of this.lanes) await this.add(lane, page);
        lastEvent = page[page.length - 1]!;
        read += page.length;
      }
      if (lastEvent === null) return;
      for (const lane of this.lanes) await this.handOver(lane, lastEvent);
      this.batchDone(lastEvent.position, read);
    });
    return read > 0;
  }

  /**
   * Reads and applies until the store's head (as it was when called). Projectors that start from
   * position 0 are built without their read-only indexes, which are made once they are caught up.
   */
  async catchUp(): Promise<number> {
    if (this.lanes.length === 0) await this.prepare();
    const head = await this.options.store.head();
    if (head < this.lastPosition_)
      throw new StoreMismatchError(
        `the event store ends at position ${head}, behind the read models at ${this.lastPosition_} (rolled back or replaced?)`,
      );
    const building = this.options.projectors.filter((p) => p.position === 0 && head > 0);
    for (const projector of building) await projector.dropReadIndexes();
    while (this.lastPosition_ < head && !this.stopping) {
      if (!(await this.catchUpBatch(this.catchUpBatchSize, head))) break;
    }
    for (const projector of building) await projector.createReadIndexes();
    await settle(this.options.projectors);
    await this.snapshotWrite;
    return this.lastPosition_;
  }

  private stopping = false;
  private following: Promise<void> | null = null;

  /**
   * Catches up (in large batches), then follows the store live until stop(). Returns at once; a
   * failure on the way is reported through `onFailure`.
   */
  async start(): Promise<void> {
    if (this.lanes.length === 0) await this.prepare();
    const report = (error: Error) => {
      this.options.log?.error({ err: error.message }, "projection runner stopped on an error");
      this.options.onFailure?.(error);
    };
    this.following = (async () => {
      await this.catchUp();
      if (this.stopping) return;
      const batchSize = this.options.liveBatchSize ?? this.options.batchSize ?? RUNNER_LIVE_BATCH_DEFAULT;
      this.subscription = this.options.store.subscribe(this.lastPosition_, (events) => this.applyBatch(events), { batchSize });
      void this.subscription.failed.then(report);
    })().catch((error: unknown) => report(asError(error)));
  }

  get lastPosition(): number {
    return this.lastPosition_;
  }

  /** Stops following and keeps a snapshot so the next start resumes here (never after a failed batch: its state is not sound). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.following;
    await this.subscription?.stop();
    this.subscription = null;
    if (this.failure) return;
    try {
      await settle(this.options.projectors);
    } catch {
      return; // a projector on another thread failed: its failure was reported, and the state is past its checkpoint
    }
    for (const lane of this.lanes) if (lane.eventsSinceSnapshot > 0) await this.snapshot(lane);
    await this.snapshotWrite;
  }
}

/** Waits until every projector committed what it was handed; throws the first failure. */
async function settle(projectors: readonly RunnerProjector[]): Promise<void> {
  for (const projector of projectors) await projector.settled?.();
}
