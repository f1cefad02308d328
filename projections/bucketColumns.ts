// The earnings buckets (domain/journal/entryKinds.ts BUCKETS) as read-model columns: one column
// per bucket, named in snake_case, in the same order. Every table of bucket amounts uses these.
import { BUCKETS, type Bucket, type Buckets } from "../domain/journal/entryKinds.ts";
import { minor, moneyColumn, type Dialect } from "../infra/readModel/port.ts";

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export const BUCKET_COLUMNS: readonly string[] = BUCKETS.map(snake);

export function bucketColumnsDdl(dialect: Dialect): string {
  return BUCKET_COLUMNS.map((c) => moneyColumn(c, dialect)).join(", ");
}

/** Bucket amounts in BUCKETS order (a fold's sums) as exact amounts. */
export function bucketsOf(values: readonly unknown[]): Buckets {
  const out = {} as Buckets;
  BUCKETS.forEach((bucket: Bucket, i) => (out[bucket] = minor(values[i])));
  return out;
}

/** A row's bucket columns as exact amounts. */
export function bucketsOfRow(row: Record<string, unknown>): Buckets {
  return bucketsOf(BUCKET_COLUMNS.map((c) => row[c]));
}
