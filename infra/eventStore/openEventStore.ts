// Picks the adapter from configuration (services/ reads the configuration, this only dispatches).
import type { EventStore } from "./port.ts";
import { openPostgresEventStore } from "./postgresEventStore.ts";
import { openSqliteEventStore } from "./sqliteEventStore.ts";

export type EventStoreConfig = { kind: "sqlite"; file: string } | { kind: "postgres"; connectionString: string; schema?: string };

export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case "sqlite":
      return openSqliteEventStore({ file: config.file });
    case "postgres":
      return openPostgresEventStore(config.schema === undefined ? { connectionString: config.connectionString } : { connectionString: config.connectionString, schema: config.schema });
  }
}
