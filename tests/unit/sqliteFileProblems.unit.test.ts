// Issue 22.8, the classification under the messages (readOnlyDataDir.e2e runs the real read-only
// cases): with the errors better-sqlite3 really raises, damage is damage and keeps the advice to
// restore the event store from a backup, and a refused write is blamed on permissions only when a
// path SQLite writes is not writable by this process.
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { hasDamageCode, permissionProblem } from "../../infra/sqliteFileProblems.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-file-problems-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What `action` raises on a connection to `file` (closed afterwards). */
function errorOf(file: string, options: Database.Options, action: (db: Database.Database) => void): unknown {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, options);
    action(db);
  } catch (error) {
    return error;
  } finally {
    db?.close();
  }
  throw new Error("no error");
}

describe("why a SQLite file could not be opened or written", () => {
  it("garbage is damage (SQLITE_NOTADB), not permissions; the event store still advises restoring a backup", async () => {
    const file = path.join(dir, "garbage.db");
    fs.writeFileSync(file, Buffer.alloc(64 * 1024, 0x5a));
    const error = errorOf(file, {}, (db) => db.pragma("journal_mode = WAL"));
    expect((error as { code: string }).code).toBe("SQLITE_NOTADB");
    expect(hasDamageCode(error)).toBe(true);
    expect(permissionProblem(file, error)).toBeNull();
    await expect(openSqliteEventStore({ file })).rejects.toThrow(
      `event store ${file}: file is not a database (the store is the source of truth and is never rebuilt: restore it from a backup)`,
    );
  });

  it("a refused write on a file this process may write (a read-only connection) is neither damage nor permissions", () => {
    const file = path.join(dir, "sound.db");
    const db = new Database(file);
    db.exec("CREATE TABLE t (x)");
    db.close();
    const error = errorOf(file, { readonly: true }, (readOnly) => readOnly.exec("INSERT INTO t VALUES (1)"));
    expect((error as { code: string }).code).toBe("SQLITE_READONLY");
    expect(hasDamageCode(error)).toBe(false);
    expect(permissionProblem(file, error)).toBeNull();
  });

  it("other codes are never blamed on permissions", () => {
    expect(
      permissionProblem(path.join(dir, "sound.db"), Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" })),
    ).toBeNull();
    expect(permissionProblem(path.join(dir, "sound.db"), new Error("no code"))).toBeNull();
  });
});
