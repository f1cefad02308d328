// One subscription loop shared by the adapters that have no push notification (SQLite, and
// PostgreSQL for now): catch up page by page, then poll. Positions are gap-free and follow commit
// order (port.ts), so "read after the last delivered position" never skips or repeats an event.
import { asError } from "../../domain/assert.ts";
import type { StoredEvent } from "../../domain/events/envelope.ts";
import { READ_PAGE_MAX, type SubscribeOptions, type Subscription } from "./port.ts";

export const SUBSCRIBE_BATCH_DEFAULT = 1_000;
export const SUBSCRIBE_IDLE_MS_DEFAULT = 20;

/** The store ends before a position it already delivered: it was rolled back or replaced. */
export class StoreBehindError extends Error {
  readonly code = "store_mismatch";
}

export function pollingSubscription(
  readForward: (afterPosition: number, limit: number) => Promise<StoredEvent[]>,
  head: () => Promise<number>,
  afterPosition: number,
  handler: (events: StoredEvent[]) => Promise<void>,
  options: SubscribeOptions = {},
): Subscription & { readonly done: Promise<void> } {
  const batchSize = options.batchSize ?? SUBSCRIBE_BATCH_DEFAULT;
  const idleMs = options.idleMs ?? SUBSCRIBE_IDLE_MS_DEFAULT;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > READ_PAGE_MAX)
    throw new RangeError(`batchSize must be 1..${READ_PAGE_MAX}`);
  if (!Number.isInteger(afterPosition) || afterPosition < 0) throw new RangeError("afterPosition must be an integer ≥ 0");

  let stopped = false;
  let wake: (() => void) | null = null;
  let reportFailure!: (error: Error) => void;
  const failed = new Promise<Error>((resolve) => (reportFailure = resolve));

  const loop = async (): Promise<void> => {
    let position = afterPosition;
    while (!stopped) {
      const page = await readForward(position, batchSize);
      if (stopped) return;
      if (page.length === 0) {
        // Caught up: a store that now ends before what was delivered lost events (rolled back or
        // replaced); stop rather than wait forever for positions that were handed out already.
        const storeHead = await head();
        if (storeHead < position)
          throw new StoreBehindError(
            `the event store ends at position ${storeHead}, behind position ${position} already delivered (rolled back or replaced?)`,
          );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        continue;
      }
      // A gap or repeat here would mean the store broke its contract: stop loudly rather than
      // hand a projector a hole in the log.
      if (page[0]!.position !== position + 1)
        throw new Error(`subscription expected position ${position + 1}, store returned ${page[0]!.position}`);
      await handler(page);
      position = page[page.length - 1]!.position;
    }
  };

  const done = loop().catch((error: unknown) => {
    stopped = true;
    reportFailure(asError(error));
  });

  return {
    failed,
    done,
    async stop() {
      stopped = true;
      wake?.();
      await done;
    },
  };
}

/** The live polling subscriptions of one store, so close() can stop them all. */
export class PollingSubscriptions {
  private readonly live = new Set<Subscription>();

  constructor(
    private readonly readForward: (afterPosition: number, limit: number) => Promise<StoredEvent[]>,
    private readonly head: () => Promise<number>,
  ) {}

  subscribe(afterPosition: number, handler: (events: StoredEvent[]) => Promise<void>, options?: SubscribeOptions): Subscription {
    const subscription = pollingSubscription(this.readForward, this.head, afterPosition, handler, options);
    this.live.add(subscription);
    void subscription.done.then(() => this.live.delete(subscription));
    return subscription;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live].map((s) => s.stop()));
  }
}
