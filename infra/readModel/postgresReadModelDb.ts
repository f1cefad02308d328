// PostgreSQL read-model database (pg). All projections share one schema; their tables carry the
// projection name and version in their prefix, so versions and projections never collide.
import pg from "pg";
import { insertShape, type ReadModelDb, type ReadModelTx, type SqlValue } from "./port.ts";

/** `?` placeholders → `$1, $2, …` (the projections' SQL never has `?` inside string literals). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const ROWS_PER_STATEMENT = 500;

function txOver(client: pg.PoolClient | pg.Pool): ReadModelTx {
  const tx: ReadModelTx = {
    async run(sql, params = []) {
      return (await client.query(toPgPlaceholders(sql), params as SqlValue[])).rowCount ?? 0;
    },
    async runMany(sql, rows) {
      // Multi-row VALUES for INSERTs (one round trip per chunk); other statements row by row.
      const shape = insertShape(sql);
      if (!shape) {
        for (const row of rows) await tx.run(sql, row);
        return;
      }
      for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
        await client.query(
          shape.withTuples(chunk.length, (i) => `$${i + 1}`),
          chunk.flat() as SqlValue[],
        );
      }
    },
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      return (await client.query(toPgPlaceholders(sql), params as SqlValue[])).rows as T[];
    },
  };
  return tx;
}

export async function openPostgresReadModelDb(options: { connectionString: string; schema: string }): Promise<ReadModelDb> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema))
    throw new Error(`read-model schema name '${options.schema}' is not a plain identifier`);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 4, options: `-c search_path=${options.schema}` });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
  const base = txOver(pool);
  /** fn on one pooled connection inside BEGIN … COMMIT (ROLLBACK when it throws). */
  const inTransaction = async <T>(begin: string, fn: (tx: ReadModelTx) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query(begin);
      const result = await fn(txOver(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return {
    dialect: "postgres",
    ...base,
    async exec(sql) {
      await pool.query(sql);
    },
    transaction: (fn) => inTransaction("BEGIN", fn),
    snapshot: (fn) => inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn),
    async close() {
      await pool.end();
    },
  };
}
