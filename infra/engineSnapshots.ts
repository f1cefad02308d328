// Snapshots of the engine's state (DESIGN: the engine's state lives where its checkpoint lives, so
// a restart resumes instead of replaying from zero). A snapshot is a cache: it is only used when
// its position is at or before every checkpoint it feeds; without one, the engine replays from 0.
import Database from "better-sqlite3";
import { deserialize, serialize } from "node:v8";
import type { EngineState } from "../domain/engine/state.ts";

export interface SnapshotStore {
  load(group: string, ruleVersion: number): Promise<EngineState | null>;
  save(group: string, ruleVersion: number, state: EngineState): Promise<void>;
  remove(group: string): Promise<void>;
  close(): Promise<void>;
}

export function openSqliteSnapshotStore(file: string): SnapshotStore {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000"); // projector processes share this file, each under its own group
  db.exec(`CREATE TABLE IF NOT EXISTS engine_snapshots (grp TEXT NOT NULL, rule_version INTEGER NOT NULL, position INTEGER NOT NULL,
    state BLOB NOT NULL, PRIMARY KEY (grp, rule_version))`);
  const select = db.prepare("SELECT position, state FROM engine_snapshots WHERE grp = ? AND rule_version = ?");
  const upsert = db.prepare(`INSERT INTO engine_snapshots (grp, rule_version, position, state) VALUES (?, ?, ?, ?)
    ON CONFLICT (grp, rule_version) DO UPDATE SET position = excluded.position, state = excluded.state`);
  const remove = db.prepare("DELETE FROM engine_snapshots WHERE grp = ?");
  return {
    async load(group, ruleVersion) {
      const row = select.get(group, ruleVersion) as { position: number; state: Buffer } | undefined;
      if (!row) return null;
      const state = deserialize(row.state) as EngineState;
      if (state.position !== row.position) throw new Error(`engine snapshot ${group}: position ${row.position} does not match its state (${state.position})`);
      return state;
    },
    async save(group, ruleVersion, state) {
      upsert.run(group, ruleVersion, state.position, serialize(state));
    },
    async remove(group) {
      remove.run(group);
    },
    async close() {
      db.close();
    },
  };
}
