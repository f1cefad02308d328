// The shared event store contract against a real KurrentDB (EventStoreDB) in a testcontainer.
// Where no container runtime exists the whole suite is skipped with one line saying so
// (tests/support/containers.ts); there is no mock KurrentDB.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import { openKurrentEventStore } from "../../infra/eventStore/kurrentEventStore.ts";
import type { EventStore } from "../../infra/eventStore/port.ts";
import { runtimeOrSkipNotice, SERVER_READY_TIMEOUT_MS, startKurrent, type StartedServer } from "../support/containers.ts";
import { eventStoreContract } from "./eventStoreContract.ts";

const runtime = await runtimeOrSkipNotice("KurrentDB event store contract (tests/int/kurrentEventStore.int.test.ts)");

describe.skipIf(!runtime.available)("KurrentDB event store (testcontainers)", () => {
  let server: StartedServer | undefined;

  beforeAll(async () => {
    server = await startKurrent();
  }, SERVER_READY_TIMEOUT_MS * 2);

  afterAll(async () => {
    await server?.stop();
  });

  // One log stream per test: the same server, independent ledgers.
  eventStoreContract(
    "kurrentdb",
    async () => {
      const connectionString = server!.address;
      const logStream = `ledger-log-${randomBytes(6).toString("hex")}`;
      let current: EventStore = await openKurrentEventStore({ connectionString, logStream });
      return {
        store: current,
        async reopen() {
          await current.close();
          current = await openKurrentEventStore({ connectionString, logStream });
          return current;
        },
        async cleanup() {
          await current.close();
        },
      };
    },
    { hashChain: false },
  );
});
