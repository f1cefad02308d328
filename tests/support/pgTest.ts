// PostgreSQL for integration tests: required here, so an unreachable server fails the tests.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const PG_URL = process.env.LEDGER_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A fresh schema name per test, so tests can run in parallel and leave nothing behind. */
export function randomSchema(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** The environment of a ledger whose store and read models are on PostgreSQL, in two schemas named after `schema`. */
export function postgresLedgerEnv(schema: string): Record<string, string> {
  return {
    LEDGER_STORE: "postgres",
    LEDGER_STORE_URL: PG_URL,
    LEDGER_STORE_SCHEMA: `${schema}_events`,
    LEDGER_READ_MODELS: "postgres",
    LEDGER_READ_MODELS_URL: PG_URL,
    LEDGER_READ_MODELS_SCHEMA: `${schema}_read`,
  };
}

/** Drops the two schemas of postgresLedgerEnv(schema). */
export async function dropLedgerSchemas(schema: string): Promise<void> {
  await dropSchema(`${schema}_events`);
  await dropSchema(`${schema}_read`);
}
