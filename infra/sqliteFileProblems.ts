// Why a SQLite file could not be opened or written, told so an operator does the right thing. Damage
// (truncated, overwritten, not a database) and permissions (the file, its directory or the mount not
// writable by the user the ledger runs as) call for opposite remedies: a damaged event store is
// restored from a backup, but an operator who "restores" a store that only lacked write permission
// throws away every event stored since that backup. So permissions are named as the cause whenever
// a path SQLite writes is not writable, and restoring is only ever advised for damage.
import fs from "node:fs";
import path from "node:path";

/** SQLite's result codes for a file that is not (or no longer) a sound database. */
const DAMAGE_CODES = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CORRUPT_VTAB", "SQLITE_IOERR_SHORT_READ"]);

/**
 * Codes for "may not open or write" from the OS and SQLite, extended codes included
 * (SQLITE_READONLY_DIRECTORY: the -wal file cannot be made; SQLITE_CANTOPEN: nor the file itself).
 */
const ACCESS_CODE = /^(EACCES|EPERM|EROFS|SQLITE_READONLY|SQLITE_CANTOPEN|SQLITE_PERM|SQLITE_AUTH)/;

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

export function hasDamageCode(error: unknown): boolean {
  return DAMAGE_CODES.has(codeOf(error));
}

/** Whether this process may write `target`, as access(2) tells it: owner, mode, ACLs, a read-only mount. */
function writable(target: string): boolean {
  try {
    fs.accessSync(target, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * When `error`, raised opening or writing the SQLite file `file`, comes from permissions: the paths
 * this process may not write (the file, its -wal and -shm files, the directory SQLite makes them in)
 * and what to do about it. Otherwise null.
 */
export function permissionProblem(file: string, error: unknown): string | null {
  if (!ACCESS_CODE.test(codeOf(error))) return null;
  const dir = path.dirname(file);
  const denied = [file, `${file}-wal`, `${file}-shm`, dir].filter((p) => fs.existsSync(p) && !writable(p));
  if (denied.length === 0) return null;
  const user = process.getuid === undefined ? "this process" : `this process (uid ${process.getuid()})`;
  const named = denied.map((p) => (p === dir ? `its directory ${p}` : p)).join(" and ");
  return (
    `a permissions problem, not damage: ${user} may not write ${named}; ` +
    "give the user the ledger runs as write access to the data directory and its files (chown or chmod), or mount it read-write. Nothing needs restoring"
  );
}
