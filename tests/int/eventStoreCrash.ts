// Crash test, reusable per adapter: a child appends in a loop and is SIGKILLed at random moments.
// After each kill the store is reopened: every acknowledged event must be there exactly once, and
// positions must be 1..head without gaps (port.ts: "An acknowledged append is durable").
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { it, type ExpectStatic } from "vitest";
import type { StoredEvent } from "../../domain/events/envelope.ts";
import { openEventStore, type EventStoreConfig } from "../../infra/eventStore/openEventStore.ts";
import { READ_PAGE_MAX } from "../../infra/eventStore/port.ts";

const CHILD = fileURLToPath(new URL("../support/crashAppender.ts", import.meta.url));
const KILLS = 10;
/** The kill lands this long after the child is ready (appending), chosen at random. */
const KILL_AFTER_MS_MAX = 400;

/** Runs the child until SIGKILL; returns the ids it printed as acknowledged. */
async function runChildUntilKilled(run: number, config: EventStoreConfig): Promise<{ acked: string[]; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, String(run), JSON.stringify(config)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    if (stdout.includes("ready\n") && !killTimer) {
      killTimer = setTimeout(() => child.kill("SIGKILL"), Math.floor(Math.random() * KILL_AFTER_MS_MAX));
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let killTimer: NodeJS.Timeout | undefined;
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on("close", (_code, sig) => resolve(sig)));
  clearTimeout(killTimer);
  if (signal !== "SIGKILL") throw new Error(`child ended without being killed (signal ${signal}): ${stderr}`);
  // Only complete lines count: a line cut by the kill was not fully printed.
  const lines = stdout.split("\n").slice(0, -1);
  const acked = lines.filter((l) => l.startsWith("ack ")).flatMap((l) => l.slice(4).split(" "));
  return { acked, stderr };
}

async function readAll(config: EventStoreConfig): Promise<{ events: StoredEvent[]; head: number }> {
  const store = await openEventStore(config);
  try {
    const events: StoredEvent[] = [];
    for (;;) {
      const page = await store.readForward(events.length === 0 ? 0 : events[events.length - 1]!.position, READ_PAGE_MAX);
      if (page.length === 0) break;
      events.push(...page);
    }
    return { events, head: await store.head() };
  } finally {
    await store.close();
  }
}

export function eventStoreCrashTest(name: string, setup: () => Promise<{ config: EventStoreConfig; cleanup: () => Promise<void> }>): void {
  it(`${name}: acknowledged appends survive ${KILLS} SIGKILLs, positions stay gap-free`, async ({ expect }) => {
    const { config, cleanup } = await setup();
    try {
      const everAcked = new Set<string>();
      let runsWithAcks = 0;
      for (let run = 0; run < KILLS; run += 1) {
        const { acked } = await runChildUntilKilled(run, config);
        if (acked.length > 0) runsWithAcks += 1;
        for (const id of acked) everAcked.add(id);
        const { events, head } = await readAll(config);
        checkLog(expect, events, head, everAcked);
      }
      // The kills must land while appending, not before the first append.
      expect(runsWithAcks).toBeGreaterThanOrEqual(KILLS / 2);
    } finally {
      await cleanup();
    }
  });
}

function checkLog(expect: ExpectStatic, events: StoredEvent[], head: number, acked: Set<string>): void {
  expect(head).toBe(events.length);
  const gaps = events.filter((e, i) => e.position !== i + 1);
  expect(gaps.map((e) => e.position)).toEqual([]);
  const ids = new Set(events.map((e) => e.id));
  expect(ids.size).toBe(events.length);
  const lost = [...acked].filter((id) => !ids.has(id));
  expect(lost).toEqual([]);
  // Stream revisions stay gap-free too.
  const next = new Map<string, number>();
  for (const e of events) {
    expect(e.streamRevision).toBe(next.get(e.streamId) ?? 0);
    next.set(e.streamId, e.streamRevision + 1);
  }
}
