// Answers are ordered by code point in code, not by the database's collation, so SQLite and
// PostgreSQL (whose text collation depends on its locale) give byte-identical answers.
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
