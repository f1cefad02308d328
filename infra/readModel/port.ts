// The read-model database port: the portable subset of SQL the projections use, over SQLite
// (default) or PostgreSQL. SQL uses `?` placeholders; adapters translate. Amounts are BIGINT minor
// units; ON CONFLICT ... DO UPDATE upserts work in both dialects.
export type SqlValue = string | number | null;

export interface ReadModelTx {
  /** Runs one statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** The same statement for many parameter rows (prepared once where the adapter can). */
  runMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<void>;
  query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
}

export interface ReadModelDb extends ReadModelTx {
  readonly dialect: "sqlite" | "postgres";
  /** DDL, several statements separated by ';'. */
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction: all its writes commit together, or none do. */
  transaction<T>(fn: (tx: ReadModelTx) => Promise<T>): Promise<T>;
  /** Runs fn's reads on one consistent snapshot (an answer and its asOfPosition agree). */
  snapshot<T>(fn: (tx: ReadModelTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** BIGINT columns come back as strings from PostgreSQL; every amount passes through here. */
export function int(value: unknown): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`read model: ${String(value)} is not a safe integer`);
  return n;
}
