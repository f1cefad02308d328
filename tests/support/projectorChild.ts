// Child process of the projector crash test (tests/int/projectorCrash.int.test.ts): runs a
// ProjectionRunner over the pre-filled store in <dir> with small batches and engine snapshots, and
// prints its progress; the parent SIGKILLs it at random moments and starts it again.
//
//   node --import tsx tests/support/projectorChild.ts <dir>
//
// Output lines: `ready <position the runner resumes after>`, `at <position>` after every committed
// batch, `done <position>` once caught up with the head.
import { openSqliteSnapshotStore } from "../../infra/engineSnapshots.ts";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { closeDbs, makeRunner, openDbs, snapshotFile, storeFile } from "./projectionHarness.ts";

const CHILD_BATCH_EVENTS = 5;
const CHILD_SNAPSHOT_EVERY_EVENTS = 500;

const dir = process.argv[2];
if (!dir) throw new Error("usage: projectorChild.ts <dir>");

const store = await openSqliteEventStore({ file: storeFile(dir) });
const dbs = await openDbs("sqlite", { dir });
const snapshots = openSqliteSnapshotStore(snapshotFile(dir), { storeId: store.storeId });
const runner = await makeRunner(store, dbs, {
  batchSize: CHILD_BATCH_EVENTS,
  snapshots,
  snapshotEveryEvents: CHILD_SNAPSHOT_EVERY_EVENTS,
  onBatch: (lastPosition) => process.stdout.write(`at ${lastPosition}\n`),
});
process.stdout.write(`ready ${await runner.prepare()}\n`);
const last = await runner.catchUp();
await runner.stop();
process.stdout.write(`done ${last}\n`);
await closeDbs(dbs);
await snapshots.close();
await store.close();
