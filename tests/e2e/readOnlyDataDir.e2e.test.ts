// Issue 22.8: a data directory or events.db the ledger's user may not write is a permissions problem,
// and `ledger serve` says so, naming what it may not write and how to fix it — never that the store
// is damaged and should be restored from a backup (which would lose every event since). A real
// read-only situation: as root (where modes do not stop writes) the server runs as the unprivileged
// user 65534 over files root owns; otherwise the files' modes are taken away from their owner.
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { postEvents } from "../support/e2eServer.ts";
import { tempDir } from "../support/projectionHarness.ts";
import { refusedStart, startServer, type ChildOptions } from "../support/serverChild.ts";
import { ALL_EVENTS } from "./fixture.ts";

const ROOT = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };
/** Who the refused server runs as. */
const USER: ChildOptions["user"] = ROOT ? NOBODY : undefined;
const UID = ROOT ? NOBODY.uid : process.getuid!();
const REMEDY =
  "give the user the ledger runs as write access to the data directory and its files (chown or chmod), or mount it read-write. Nothing needs restoring";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) {
    if (!ROOT) for (const name of [".", ...fs.readdirSync(dir)]) fs.chmodSync(path.join(dir, name), 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A data directory holding the fixture's events, projected, with the server stopped (owned by this process's user). */
async function storeDir(): Promise<string> {
  const dir = tempDir("ledger-readonly-");
  dirs.push(dir);
  fs.chmodSync(dir, 0o755); // readable by the user the refused server runs as
  const server = await startServer({ dataDir: dir });
  expect((await postEvents(server.url, ALL_EVENTS)).status).toBe(200);
  await server.stop();
  return dir;
}

/** Gives `names` in `dir` (and "." for the directory itself) to the server's user, as root; else leaves them writable. */
function giveToServerUser(dir: string, names: readonly string[]): void {
  if (ROOT) for (const name of names) fs.chownSync(path.join(dir, name), NOBODY.uid, NOBODY.gid);
}

/** Takes writing away from the server's user: as root the files stay root's; else their modes lose w. */
function notWritable(dir: string, names: readonly string[]): void {
  if (!ROOT) for (const name of names) fs.chmodSync(path.join(dir, name), name === "." ? 0o555 : 0o444);
}

/** Starts `ledger serve` as the server's user; it must refuse: what it said. */
function refusedStartAsUser(dir: string): Promise<string> {
  return refusedStart({ dataDir: dir, user: USER });
}

function storedHead(dir: string): number {
  const db = new Database(path.join(dir, "events.db"), { readonly: true });
  try {
    return (db.prepare("SELECT max(position) AS head FROM events").get() as { head: number }).head;
  } finally {
    db.close();
  }
}

function expectNoRestoreAdvice(output: string): void {
  expect(output).not.toMatch(/backup|restore it|is damaged/i);
  expect(output).not.toContain("Ledger listening");
}

describe("a data directory the ledger's user may not write (issue 22.8)", () => {
  it("a read-only data directory: permissions are named as the cause, with the fix, and nothing is suggested to be restored", async () => {
    const dir = await storeDir();
    const file = path.join(dir, "events.db");
    notWritable(dir, ["events.db", "."]);
    const output = await refusedStartAsUser(dir);
    expect(output).toContain(
      `event store ${file}: attempt to write a readonly database — a permissions problem, not damage: this process (uid ${UID}) may not write ${file} and its directory ${dir}; ${REMEDY}`,
    );
    expectNoRestoreAdvice(output);
    expect(storedHead(dir)).toBe(ALL_EVENTS.length);
  });

  it("a read-only events.db in a writable directory: the file is named", async () => {
    const dir = await storeDir();
    const file = path.join(dir, "events.db");
    giveToServerUser(dir, ["."]);
    notWritable(dir, ["events.db"]);
    const output = await refusedStartAsUser(dir);
    expect(output).toContain(
      `event store ${file}: attempt to write a readonly database — a permissions problem, not damage: this process (uid ${UID}) may not write ${file}; ${REMEDY}`,
    );
    expectNoRestoreAdvice(output);
    expect(storedHead(dir)).toBe(ALL_EVENTS.length);
  });

  it("a read-only read-model file: the same cause and fix", async () => {
    const dir = await storeDir();
    const file = path.join(dir, "budget.db");
    giveToServerUser(
      dir,
      fs
        .readdirSync(dir)
        .filter((name) => name !== "budget.db")
        .concat("."),
    );
    notWritable(dir, ["budget.db"]);
    const output = await refusedStartAsUser(dir);
    expect(output).toContain(
      `read model ${file} cannot be written (attempt to write a readonly database); a process that projects needs it writable — a permissions problem, not damage: this process (uid ${UID}) may not write ${file}; ${REMEDY}`,
    );
    expectNoRestoreAdvice(output);
  });
});
