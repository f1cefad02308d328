// LEDGER_PROJECTOR_THREADS: which projections are written off the engine's thread.
import { describe, expect, it } from "vitest";
import { PROJECTION_NAMES } from "../../projections/projection.ts";
import { threadGroups } from "../../services/workers/threadGroups.ts";

describe("threadGroups", () => {
  it("one thread: everything beside the engine", () => {
    expect(threadGroups(PROJECTION_NAMES, 1)).toEqual([["journal", "report", "earnings", "payout", "budget", "webhooks"]]);
  });

  it("two threads: the journal, the report, earnings and budget written apart from the engine", () => {
    expect(threadGroups(PROJECTION_NAMES, 2)).toEqual([
      ["payout", "webhooks"],
      ["journal", "report", "earnings", "budget"],
    ]);
  });

  it("webhooks stay with the engine, and a thread with nothing to write is not made", () => {
    expect(threadGroups(["webhooks"], 3)).toEqual([["webhooks"]]);
    expect(threadGroups(["journal"], 3)).toEqual([[], ["journal"]]);
    expect(threadGroups(["earnings", "budget"], 2)).toEqual([[], ["earnings", "budget"]]);
  });

  it("refuses a thread count that is not a positive integer", () => {
    expect(() => threadGroups(PROJECTION_NAMES, 0)).toThrow(/positive integer/);
  });
});
