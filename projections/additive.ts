// Additive rows: sums per key, kept exact. A read model's fold adds a batch of outcomes into them
// and its projection writes one increment per touched row with INSERT ... ON CONFLICT DO UPDATE
// SET col = col + excluded.col; increments commute, so the read model does not depend on the
// batch size (deterministic replay). A point-in-time read adds an owner's journal rows into the
// same fold from zero and reads the sums as its rows.
import type { ReadModelTx, SqlValue } from "../infra/readModel/port.ts";

/** a + b, exact: plain numbers while the sum is a safe integer, bigint past 2^53. */
export function addExact(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === "number" && typeof b === "number") {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  return BigInt(a) + BigInt(b);
}

/** unit × amount, exact: a kind's effect per minor unit (−1, 0 or 1) applied to one amount or to a sum past 2^53. */
export function times(unit: number, amount: number | bigint): number | bigint {
  return typeof amount === "number" ? unit * amount + 0 : BigInt(unit) * amount; // + 0: no -0
}

export interface AdditiveRow {
  key: SqlValue[];
  values: (number | bigint)[];
}

/** keyColumns must be exactly the written table's primary key (they are the ON CONFLICT target). */
export class AdditiveRows {
  private readonly rows = new Map<string, AdditiveRow>();

  constructor(
    readonly keyColumns: readonly string[],
    readonly valueColumns: readonly string[],
  ) {}

  add(key: SqlValue[], deltas: readonly (number | bigint)[]): void {
    const id = key.join("\u0000"); // key parts never contain NUL (ids are printable text)
    let row = this.rows.get(id);
    if (!row) this.rows.set(id, (row = { key, values: new Array<number | bigint>(this.valueColumns.length).fill(0) }));
    // A batch of large amounts for one row may sum past 2^53: stay exact.
    for (let i = 0; i < deltas.length; i += 1) row.values[i] = addExact(row.values[i]!, deltas[i]!);
  }

  get size(): number {
    return this.rows.size;
  }

  /** The sums, in the order their keys were first added. */
  values(): IterableIterator<AdditiveRow> {
    return this.rows.values();
  }

  /** Adds every sum to `table` (one increment per row) and starts again from zero. */
  async write(tx: ReadModelTx, table: string): Promise<void> {
    if (this.rows.size === 0) return;
    const columns = [...this.keyColumns, ...this.valueColumns];
    const sql =
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ` +
      `ON CONFLICT (${this.keyColumns.join(", ")}) DO UPDATE SET ` +
      this.valueColumns.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", ");
    await tx.runMany(
      sql,
      [...this.rows.values()].map((r) => [...r.key, ...r.values]),
    );
    this.rows.clear();
  }
}

/** Insert-once rows (INSERT ... ON CONFLICT DO NOTHING). */
export async function insertIgnore(
  tx: ReadModelTx,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const sql = `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ON CONFLICT DO NOTHING`;
  await tx.runMany(sql, rows);
}
