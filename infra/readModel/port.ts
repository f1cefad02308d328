// The read-model database port: the portable subset of SQL the projections use, over SQLite
// (default) or PostgreSQL. SQL uses `?` placeholders; adapters translate. Amounts are BIGINT minor
// units; ON CONFLICT ... DO UPDATE upserts work in both dialects.
export type SqlValue = string | number | bigint | null;
export type Dialect = "sqlite" | "postgres";

export interface ReadModelTx {
  /** Runs one statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** The same statement for many parameter rows (prepared once where the adapter can). */
  runMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<void>;
  query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
}

export interface ReadModelDb extends ReadModelTx {
  readonly dialect: Dialect;
  /** DDL, several statements separated by ';'. */
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction: all its writes commit together, or none do. */
  transaction<T>(fn: (tx: ReadModelTx) => Promise<T>): Promise<T>;
  /** Runs fn's reads on one consistent snapshot (an answer and its asOfPosition agree). */
  snapshot<T>(fn: (tx: ReadModelTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Counts and positions (never near 2^53): SQLite gives them as bigint, PostgreSQL BIGINT as a string. */
export function int(value: unknown): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`read model: ${String(value)} is not a safe integer`);
  return n;
}

/**
 * Money in minor units, exact at any size: sums of valid amounts pass 2^53 long before they pass
 * what a BIGINT holds, so every amount read from a read model is a bigint.
 */
export function minor(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?[0-9]{1,20}$/.test(value)) return BigInt(value);
  throw new Error(`read model: ${String(value)} is not an amount in minor units`);
}

/**
 * DDL of a column of minor units. SQLite turns an integer sum that overflows 64 bits into a float
 * without a word; the CHECK makes that an error that stops the projector instead (PostgreSQL's
 * BIGINT raises one by itself). The limit is ±9.2 × 10^18 minor units per stored amount.
 */
export function moneyColumn(name: string, dialect: Dialect): string {
  return `${name} BIGINT NOT NULL DEFAULT 0${dialect === "sqlite" ? ` CHECK (typeof(${name}) = 'integer')` : ""}`;
}

/**
 * DDL type of an id column that pages and prefix searches compare and order in SQL (issue 27): TEXT
 * in SQLite (BINARY: code points), TEXT COLLATE "C" in PostgreSQL whatever the database's locale, so
 * `id > after`, `lower(id) >= prefix` and ORDER BY mean the same in both (projections/order.ts), and
 * an index on the column or on lower(column) answers them.
 */
export function idText(dialect: Dialect): string {
  return dialect === "postgres" ? 'TEXT COLLATE "C"' : "TEXT";
}

/** An INSERT of one tuple of `?` placeholders, which SQLite's runMany may send as many tuples per statement. */
export interface InsertShape {
  /** Placeholders per tuple. */
  width: number;
  /** The statement with `count` tuples of `?` placeholders. */
  withTuples(count: number): string;
}

/** The shape of `INSERT … VALUES (?, …, ?) …`, or null for any other statement (run row by row). */
export function insertShape(sql: string): InsertShape | null {
  const values = /VALUES \(([^)]*)\)/.exec(sql);
  if (!values || !/^\s*INSERT/i.test(sql) || !/^\s*\?(\s*,\s*\?)*\s*$/.test(values[1]!)) return null;
  const width = values[1]!.split(",").length;
  return {
    width,
    withTuples(count) {
      return sql.replace(values[0], `VALUES ${Array(count).fill(`(${values[1]!})`).join(", ")}`);
    },
  };
}
