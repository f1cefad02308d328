// The ingest thread of `serve` (services/workers/ingestThread.ts) can end on its own: a batch that
// needs more than its heap ends it. The batches it held fail (nothing was acknowledged); the next
// batches must start a new thread and be appended, not fail until a restart, and closing must not
// wait for a thread that is gone nor start a new one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../services/config.ts";
import type { IngestThread } from "../../services/workers/ingestThread.ts";
import { Ledger } from "../../services/ledger.ts";

/** A logger whose lines are kept, to count what the ledger said. */
function keptLog() {
  const messages: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line !== "") messages.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  });
  return { log: pino({ level: "info" }, stream), messages };
}

const click = (id: string) => ({
  id,
  type: "ClickRecorded",
  schemaVersion: 1,
  occurredAt: "2026-01-05T17:00:00Z",
  data: { trackingId: "T-X" },
});
const batch = (...ids: string[]) => ({ form: "json" as const, text: JSON.stringify(ids.map(click)) });

/** The ledger's current ingest thread (private: only a test ends it from outside); null once closed. */
const threadOf = (ledger: Ledger) => (ledger as unknown as { ingestThread: IngestThread }).ingestThread;
const REPLACING = "the ingest thread ended; starting a new one";

describe("the ingest thread, after it ended on its own", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is replaced by the next batches, which are appended once each; close does not wait for it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-ingest-restart-"));
    dirs.push(dir);
    const { log, messages } = keptLog();
    const ledger = await Ledger.open(
      loadConfig({ LEDGER_DATA_DIR: dir, LEDGER_DEMO: "0", LEDGER_SCHEDULER: "0", LEDGER_PROJECTORS: "none" }),
      log,
    );
    try {
      await ledger.startIngestThread();
      expect(await ledger.ingest(batch("r-1"))).toMatchObject({ kind: "appended", appended: 1, lastPosition: 1 });

      const first = threadOf(ledger);
      await first.kill();
      expect(first.alive()).toBe(false);

      // Three batches at once after the thread ended: one new thread, each batch appended once.
      const answers = await Promise.all([ledger.ingest(batch("r-2")), ledger.ingest(batch("r-3")), ledger.ingest(batch("r-2", "r-4"))]);
      expect(answers.map((a) => (a.kind === "appended" ? a.appended + a.duplicates : a.kind))).toEqual([1, 1, 2]);
      expect(answers.reduce((sum, a) => sum + (a.kind === "appended" ? a.appended : 0), 0)).toBe(3);
      expect(threadOf(ledger)).not.toBe(first);
      expect(threadOf(ledger).alive()).toBe(true);
      expect(messages.filter((m) => m === REPLACING)).toHaveLength(1);
      expect(await ledger.store.head()).toBe(4);

      // A batch in flight when its thread ends: answered (committed before the end) or failed; either
      // way its resend stores each event once.
      const inFlight = ledger.ingest(batch("r-5", "r-6")).then(
        (answer) => answer,
        (error: Error) => error,
      );
      await threadOf(ledger).kill();
      const settled = await inFlight;
      if (settled instanceof Error) expect(settled.message).toMatch(/the ingest thread exited/);
      else expect(settled).toMatchObject({ kind: "appended", appended: 2 });
      const resent = await ledger.ingest(batch("r-5", "r-6"));
      expect(resent.kind === "appended" && resent.appended + resent.duplicates).toBe(2);
      expect(await ledger.store.head()).toBe(6);
      expect(messages.filter((m) => m === REPLACING)).toHaveLength(2);

      // A refusal still crosses from the new thread, as a value (services/http answers it as a 400).
      expect(await ledger.ingest({ form: "json", text: "[{" })).toMatchObject({ kind: "refused", refusal: { kind: "not_json" } });
    } finally {
      await ledger.close();
    }
  });

  it("a ledger whose thread ended and was never replaced closes at once, and starts no thread after", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-ingest-restart-"));
    dirs.push(dir);
    const { log, messages } = keptLog();
    const ledger = await Ledger.open(
      loadConfig({ LEDGER_DATA_DIR: dir, LEDGER_DEMO: "0", LEDGER_SCHEDULER: "0", LEDGER_PROJECTORS: "none" }),
      log,
    );
    await ledger.startIngestThread();
    const ended = threadOf(ledger);
    await ended.kill();
    expect(ended.alive()).toBe(false);
    // Before the fix, stop() waited for a "stopped" the ended thread never sends: close hung until the test's timeout.
    await expect(ledger.close()).resolves.toBeUndefined();
    expect(threadOf(ledger)).toBeNull();
    // Closed, a batch is refused as such; it does not start a replacement thread.
    await expect(ledger.ingest(batch("r-1"))).rejects.toThrow("the ledger is closing");
    expect(threadOf(ledger)).toBeNull();
    expect(messages).not.toContain(REPLACING);
  }, 10_000);
});
