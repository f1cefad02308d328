// Transactions on one read-model database, one after another. A projector and the webhook delivery
// worker write the same database from one process: on SQLite they share its one connection (a
// second connection would wait for the write lock synchronously, inside the event loop the
// projector's open transaction needs to finish), so each waits for the other's to end.
import type { ReadModelDb } from "./port.ts";

export function serializeTransactions(db: ReadModelDb): ReadModelDb {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    ...db,
    transaction(fn) {
      const run = tail.then(() => db.transaction(fn));
      tail = run.catch(() => undefined);
      return run;
    },
  };
}
