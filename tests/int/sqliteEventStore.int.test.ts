import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventStore } from "../../infra/eventStore/port.ts";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { eventStoreContract } from "./eventStoreContract.ts";

eventStoreContract("sqlite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ledger-es-"));
  const file = join(dir, "events.sqlite");
  let current: EventStore = await openSqliteEventStore({ file });
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await openSqliteEventStore({ file });
      return current;
    },
    async cleanup() {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
