// Child process of the crash test (tests/int/eventStoreCrash.ts): appends batches in a loop and
// prints each batch's ids only after append resolved, so every printed id was acknowledged.
// The parent SIGKILLs it at a random moment and checks that every printed id survived.
//
//   node --import tsx tests/support/crashAppender.ts <run> <config-json>
import { openEventStore, type EventStoreConfig } from "../../infra/eventStore/openEventStore.ts";
import { idRange, rawClick, validated } from "./testEvents.ts";

const BATCH_EVENTS = 100;

const run = Number(process.argv[2]);
const config = JSON.parse(process.argv[3] ?? "") as EventStoreConfig;
const store = await openEventStore(config);

// Resend the previous run's first batch: acknowledged or not before its kill, it must now be
// accepted (as duplicates or new) without a conflict and without doubling anything.
if (run > 0) {
  const ids = idRange(`r${run - 1}-b0`, 0, BATCH_EVENTS);
  await store.append(validated(ids.map((id) => rawClick(id, "t-0"))));
  console.log(`ack ${ids.join(" ")}`);
}
console.log("ready");
for (let k = 0; ; k += 1) {
  // Varying sizes and several streams, so kills land in different places.
  const size = k === 0 ? BATCH_EVENTS : 1 + ((k * 37) % BATCH_EVENTS);
  const ids = idRange(`r${run}-b${k}`, 0, size);
  await store.append(validated(ids.map((id) => rawClick(id, `t-${k % 7}`))));
  console.log(`ack ${ids.join(" ")}`);
}
