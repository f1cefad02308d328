import type { EventStore } from "../../infra/eventStore/port.ts";
import { openPostgresEventStore } from "../../infra/eventStore/postgresEventStore.ts";
import { PG_URL, dropSchema, randomSchema } from "../support/pgTest.ts";
import { eventStoreContract } from "./eventStoreContract.ts";

eventStoreContract("postgres", async () => {
  const schema = randomSchema("es_contract");
  let current: EventStore = await openPostgresEventStore({ connectionString: PG_URL, schema });
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await openPostgresEventStore({ connectionString: PG_URL, schema });
      return current;
    },
    async cleanup() {
      await current.close();
      await dropSchema(schema);
    },
  };
});
