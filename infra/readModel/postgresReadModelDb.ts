// PostgreSQL read-model database (pg). All projections share one schema; their tables carry the
// projection name and version in their prefix, so versions and projections never collide.
import pg from "pg";
import type { ReadModelDb, ReadModelTx, SqlValue } from "./port.ts";

/** `?` placeholders → `$1, $2, …` (the projections' SQL never has `?` inside string literals). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * Rows per INSERT of runMany. Each column of a chunk travels as one array parameter, so a statement's
 * size on the wire and in the parser no longer grows with rows × columns parameters (the multi-row
 * VALUES it replaces sent 500 × columns of them, parsed anew each time).
 */
const ROWS_PER_STATEMENT = 5_000;

/**
 * `INSERT INTO table (columns) VALUES (?, …, ?) rest`, every name lowercase and unquoted (as the
 * projections write them, and as the catalog holds them): the parts runMany rewrites. Anything else
 * (a literal in the tuple, a quoted or qualified name) runs row by row.
 */
const PLAIN_INSERT =
  /^\s*INSERT INTO ([a-z_][a-z0-9_]*) \(\s*([a-z_][a-z0-9_]*(?:\s*,\s*[a-z_][a-z0-9_]*)*)\s*\)\s*VALUES \(\s*\?(?:\s*,\s*\?)*\s*\)([\s\S]*)$/;

/** Each column of a table: its name, its type without modifiers, and whether that is an array type. */
const COLUMN_TYPES_SQL = `SELECT a.attname AS name, format_type(a.atttypid, NULL) AS type, t.typcategory = 'A' AS array
  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
  WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`;

/**
 * The INSERT as one row per element of its column arrays: `INSERT INTO t (a, b) SELECT * FROM
 * unnest($1::bigint[], $2::text[]) rest`, with the conflict clause (rest) as written; null when it
 * cannot be (run it row by row). Rows keep their order (unnest yields the arrays' elements in
 * order), so ON CONFLICT DO NOTHING keeps the first of a duplicate key as one row at a time would.
 *
 * The columns' types are read from the catalog on the caller's connection each time, in its
 * transaction: a cache could outlive a rolled-back CREATE or a table another process made anew. Each
 * is cast to its type without modifiers (`character varying`, not `character varying(3)`), so the
 * insert's own assignment checks a length or a scale as one row's insert would; array columns, which
 * unnest would flatten, run row by row.
 */
async function unnestInsert(client: pg.PoolClient | pg.Pool, sql: string): Promise<{ sql: string; width: number } | null> {
  const parts = PLAIN_INSERT.exec(sql);
  if (!parts) return null;
  const [, table, list, rest] = parts as unknown as [string, string, string, string];
  if (rest.includes("?")) return null;
  const columns = list.split(",").map((c) => c.trim());
  const { rows: known } = await client.query<{ name: string; type: string; array: boolean }>({
    name: "read-model-column-types", // prepared once per connection: it runs before every rewritten INSERT
    text: COLUMN_TYPES_SQL,
    values: [table],
  });
  const types = new Map(known.map((c) => [c.name, c]));
  const casts: string[] = [];
  for (const column of columns) {
    const type = types.get(column);
    if (type === undefined || type.array) return null; // row by row: PostgreSQL's own error, or an array kept whole
    casts.push(`$${casts.length + 1}::${type.type}[]`);
  }
  return { sql: `INSERT INTO ${table} (${columns.join(", ")}) SELECT * FROM unnest(${casts.join(", ")})${rest}`, width: columns.length };
}

function txOver(client: pg.PoolClient | pg.Pool): ReadModelTx {
  const tx: ReadModelTx = {
    async run(sql, params = []) {
      return (await client.query(toPgPlaceholders(sql), params as SqlValue[])).rowCount ?? 0;
    },
    async runMany(sql, rows) {
      // An INSERT of `?` tuples goes as column arrays (unnestInsert), in chunks; other statements row by
      // row. Rows of an upsert must be unique by key (as the projections' folds make them): PostgreSQL
      // refuses one statement that updates a row twice.
      const insert = rows.length > 1 ? await unnestInsert(client, sql) : null;
      if (insert === null) {
        for (const row of rows) await tx.run(sql, row);
        return;
      }
      for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
        const end = Math.min(rows.length, start + ROWS_PER_STATEMENT);
        const arrays: SqlValue[][] = Array.from({ length: insert.width }, () => new Array<SqlValue>(end - start));
        for (let r = start; r < end; r += 1) {
          const row = rows[r]!;
          for (let c = 0; c < insert.width; c += 1) arrays[c]![r - start] = row[c]!;
        }
        await client.query(insert.sql, arrays);
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
