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

/** `INSERT INTO table (columns) VALUES (?, …, ?) rest`: the parts runMany rewrites, or null for any other statement. */
const PLAIN_INSERT = /^\s*INSERT INTO ([a-z_][a-z0-9_]*) \(([^)]*)\)\s*VALUES \(\s*\?(?:\s*,\s*\?)*\s*\)([\s\S]*)$/i;

/** Each column's type as PostgreSQL names it (`bigint`, `text`), per table, read once from the catalog. */
type ColumnTypes = Map<string, Map<string, string>>;

async function typesOf(client: pg.PoolClient | pg.Pool, types: ColumnTypes, table: string): Promise<Map<string, string>> {
  let columns = types.get(table);
  if (columns === undefined) {
    const { rows } = await client.query<{ name: string; type: string }>(
      "SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
      [table],
    );
    columns = new Map(rows.map((r) => [r.name, r.type]));
    types.set(table, columns);
  }
  return columns;
}

/**
 * The INSERT as one row per element of its column arrays: `INSERT INTO t (a, b) SELECT * FROM
 * unnest($1::bigint[], $2::text[]) rest`, with the conflict clause (rest) as written. Rows keep their
 * order (unnest yields the arrays' elements in order), so ON CONFLICT DO NOTHING keeps the first of a
 * duplicate key as one row at a time would.
 */
async function unnestInsert(
  client: pg.PoolClient | pg.Pool,
  types: ColumnTypes,
  sql: string,
): Promise<{ sql: string; width: number } | null> {
  const parts = PLAIN_INSERT.exec(sql);
  if (!parts) return null;
  const [, table, list, rest] = parts as unknown as [string, string, string, string];
  const columns = list.split(",").map((c) => c.trim());
  const placeholders = sql.slice(sql.search(/VALUES/i)).split("?").length - 1;
  if (placeholders !== columns.length) return null;
  const known = await typesOf(client, types, table);
  const casts = columns.map((c, i) => {
    const type = known.get(c);
    if (type === undefined) throw new Error(`runMany: ${table} has no column ${c}`);
    return `$${i + 1}::${type}[]`;
  });
  return { sql: `INSERT INTO ${table} (${columns.join(", ")}) SELECT * FROM unnest(${casts.join(", ")})${rest}`, width: columns.length };
}

function txOver(client: pg.PoolClient | pg.Pool, types: ColumnTypes): ReadModelTx {
  const tx: ReadModelTx = {
    async run(sql, params = []) {
      if (/^\s*(CREATE|DROP|ALTER)\b/i.test(sql)) types.clear(); // a table's columns may be other ones now
      return (await client.query(toPgPlaceholders(sql), params as SqlValue[])).rowCount ?? 0;
    },
    async runMany(sql, rows) {
      // An INSERT of `?` tuples goes as column arrays (unnestInsert), in chunks; other statements row by row.
      const insert = rows.length > 1 ? await unnestInsert(client, types, sql) : null;
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
  const types: ColumnTypes = new Map();
  const base = txOver(pool, types);
  /** fn on one pooled connection inside BEGIN … COMMIT (ROLLBACK when it throws). */
  const inTransaction = async <T>(begin: string, fn: (tx: ReadModelTx) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query(begin);
      const result = await fn(txOver(client, types));
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
      types.clear(); // DDL: a table's columns may be other ones now
      await pool.query(sql);
    },
    transaction: (fn) => inTransaction("BEGIN", fn),
    snapshot: (fn) => inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn),
    async close() {
      await pool.end();
    },
  };
}
