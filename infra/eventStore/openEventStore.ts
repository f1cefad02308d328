// Picks the adapter from configuration (services/ reads the configuration, this only dispatches).
import type { EventStore } from "./port.ts";
import { openPostgresEventStore } from "./postgresEventStore.ts";
import { openSqliteEventStore } from "./sqliteEventStore.ts";

export type EventStoreConfig =
  // tailsWriteEvents: how far an appender goes past `streams` before writing its tails (default 20,000; tests make it small).
  | { kind: "sqlite"; file: string; tailsWriteEvents?: number }
  | { kind: "postgres"; connectionString: string; schema?: string }
  | { kind: "kurrent"; connectionString: string; logStream?: string };

export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case "sqlite":
      return openSqliteEventStore({ file: config.file, tailsWriteEvents: config.tailsWriteEvents });
    case "postgres":
      return openPostgresEventStore({ connectionString: config.connectionString, schema: config.schema });
    case "kurrent": {
      // Loaded on demand: the gRPC client is only paid for by processes configured for KurrentDB.
      const { openKurrentEventStore } = await import("./kurrentEventStore.ts");
      return openKurrentEventStore({ connectionString: config.connectionString, logStream: config.logStream });
    }
  }
}
