// The events table's columns a read selects, the same on both SQL stores (SQLite, PostgreSQL):
// everything a StoredEvent holds, its hash-chain link included (SPEC §2, §13).
export const STORED_EVENT_COLUMNS =
  "position, id, type, schema_version, occurred_at, occurred_at_ms, data, stream_id, stream_revision, recorded_at, hash";
