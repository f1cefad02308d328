// Stopping the ledger the way the README starts it (issue 16.11): SIGTERM to `npm start` or to
// `npx ledger projectors` stops the node process behind the npm wrapper cleanly: nothing is left
// listening or holding a projection's lock within 5 s, and the engine snapshot is saved where the
// projectors stopped (a restart resumes there, services/stopSignals.ts).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_EVENTS, REPO_ROOT } from "../support/serverChild.ts";

const STOPPED_WITHIN_MS = 5_000;
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-signals-"));
  dirs.push(dir);
  return dir;
}

/** Runs `command args` in the repository as a user would (npm's own environment variables removed). */
function run(command: string, args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_")));
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...clean, LEDGER_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (output += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (output += c));
  // "close", not "exit": it comes once the child's stdout and stderr are read to their end, so
  // `output()` then holds its last lines.
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until<T>(
  what: string,
  find: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  output: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms; output:\n${output().slice(-3_000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Whether a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function snapshotPositions(dir: string): number[] {
  const db = new Database(path.join(dir, "engine-snapshots.db"), { readonly: true });
  try {
    return db.prepare<[], number>("SELECT position FROM engine_snapshots").pluck().all();
  } finally {
    db.close();
  }
}

describe("SIGTERM to the npm wrapper", () => {
  it("`npm start`: the server stops listening within 5 s and saves the engine snapshot", async () => {
    const dir = freshDir();
    const started = run("npm", ["start"], { LEDGER_DATA_DIR: dir, PORT: "0" });
    const url = await until(
      "npm start listening",
      () => /Ledger listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(started.output())?.[1],
      180_000,
      started.output,
    );
    const port = Number(url);
    await until(
      "the demo projected",
      async () => {
        const health = (await (await fetch(`http://127.0.0.1:${port}/v1/health`)).json()) as { projections: { position: number }[] };
        return health.projections.every((p) => p.position === DEMO_EVENTS) ? true : undefined;
      },
      30_000,
      started.output,
    );
    started.child.kill("SIGTERM");
    const stoppedAt = Date.now();
    await until("the port free", async () => ((await listening(port)) ? undefined : true), STOPPED_WITHIN_MS, started.output);
    expect(await started.exited).not.toBeUndefined();
    expect(Date.now() - stoppedAt).toBeLessThan(STOPPED_WITHIN_MS);
    expect(snapshotPositions(dir)).toEqual([DEMO_EVENTS]);
    expect(started.output()).toContain('"msg":"engine snapshot saved"');
  }, 240_000);

  it("`npx ledger projectors`: the projector process is gone within 5 s, its lock free, its snapshot saved", async () => {
    const dir = freshDir();
    const demo = run("node", ["bin/ledger.js", "demo"], {});
    await demo.exited;
    fs.writeFileSync(path.join(dir, "demo.ndjson"), demo.output());
    const ingest = run("node", ["bin/ledger.js", "ingest", path.join(dir, "demo.ndjson")], { LEDGER_DATA_DIR: dir });
    expect(await ingest.exited).toBe(0);
    const projectors = run("npx", ["ledger", "projectors"], { LEDGER_DATA_DIR: dir });
    const holder = path.join(dir, "journal.lock.holder");
    const pid = await until(
      "the projectors running",
      () =>
        fs.existsSync(holder) && /"msg":"projectors running"/.test(projectors.output())
          ? Number(fs.readFileSync(holder, "utf8"))
          : undefined,
      60_000,
      projectors.output,
    );
    expect(pid).not.toBe(projectors.child.pid); // node runs behind npm's shell
    projectors.child.kill("SIGTERM");
    await until("the projector process gone", () => (alive(pid) ? undefined : true), STOPPED_WITHIN_MS, projectors.output);
    expect(snapshotPositions(dir)).toEqual([DEMO_EVENTS]);
  }, 120_000);
});
