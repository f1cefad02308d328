import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "vitest";
import { PG_URL, dropSchema, randomSchema } from "../support/pgTest.ts";
import { eventStoreCrashTest } from "./eventStoreCrash.ts";

// Concurrent: the work happens in child processes, so both stores are crashed side by side.
describe.concurrent("event store crash safety", () => {
  // Stream tails written every 150 events instead of 20,000 (the same code, sooner), so kills land
  // before, during and after a write of the tails as well as between commits.
  eventStoreCrashTest("sqlite", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ledger-crash-"));
    return {
      config: { kind: "sqlite", file: join(dir, "events.sqlite"), tailsWriteEvents: 150 },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });

  eventStoreCrashTest("postgres", async () => {
    const schema = randomSchema("es_crash");
    return { config: { kind: "postgres", connectionString: PG_URL, schema }, cleanup: () => dropSchema(schema) };
  });
});
