// The hash chain of the event log (SPEC §13): each stored event's `hash` is the lowercase hex
// SHA-256 of `prevHash + "\n" + JCS(envelope)`, where prevHash is the previous position's hash (64
// zeros before position 1) and the envelope is {position, id, type, schemaVersion, occurredAt, data}
// exactly as stored (occurredAt as received, data before any upcasting). The appender computes it in
// the appending transaction, carrying the previous hash (the cost of an append does not grow with
// the store); verifyChain recomputes it from the stored rows.
import { hash } from "node:crypto";
import type { LedgerEvent, StoredEvent } from "../../domain/events/envelope.ts";
import { canonicalJson } from "../../domain/events/jcs.ts";
import { READ_PAGE_MAX, type EventStore } from "./port.ts";

/** The hash before position 1. */
export const GENESIS_HASH = "0".repeat(64);

/** The hash of the event stored at `position` after an event whose hash is `prevHash`. */
export function chainHash(
  prevHash: string,
  position: number,
  event: Pick<LedgerEvent, "id" | "type" | "schemaVersion" | "occurredAt" | "data">,
  /** canonicalJson(event.data), when the caller has it already (the SQLite appender stores that text). */
  dataText: string = canonicalJson(event.data),
): string {
  // The envelope's members in RFC 8785 order (data, id, occurredAt, position, schemaVersion, type),
  // written here rather than sorted per event: canonicalJson of the same object gives this text
  // (tests/unit/hashChain.unit.test.ts).
  const envelope =
    `{"data":${dataText},"id":${canonicalJson(event.id)},"occurredAt":${canonicalJson(event.occurredAt)},` +
    `"position":${canonicalJson(position)},"schemaVersion":${canonicalJson(event.schemaVersion)},"type":${canonicalJson(event.type)}}`;
  return hash("sha256", `${prevHash}\n${envelope}`, "hex");
}

export interface LogHead {
  position: number;
  hash: string;
}

export interface ChainVerdict {
  ok: boolean;
  /** Events whose hash was recomputed and matched. */
  verified: number;
  /** The last event that matched, or the position verification started after (0 and genesis on an empty store). */
  head: LogHead;
  firstBadPosition: number | null;
  reason: string | null;
}

/** Stops verification early when the caller stops it (e.g. the process is asked to stop). */
export interface VerifyOptions {
  /** Verify from this position on (its predecessor's stored hash is taken as given); default 1. */
  fromPosition?: number;
  onProgress?: (position: number) => void;
}

/**
 * Recomputes the chain from the store (SPEC §13 `ledger verify`): every position from `from` to
 * the head must be there, in order, and hash to what is stored. The first that does not is named
 * with why: a position missing (a deleted or re-numbered row), a hash that does not match its
 * content (an edited row, or an edited hash), or a store that keeps no chain.
 */
export async function verifyChain(store: EventStore, options: VerifyOptions = {}): Promise<ChainVerdict> {
  const from = options.fromPosition ?? 1;
  if (!Number.isInteger(from) || from < 1) throw new RangeError(`fromPosition must be an integer ≥ 1, not ${from}`);
  let prev: LogHead = { position: 0, hash: GENESIS_HASH };
  if (from > 1) {
    const [before] = await store.readForward(from - 2, 1);
    if (before === undefined || before.position !== from - 1) return bad(0, prev, from - 1, `position ${from - 1} is not in the store`);
    if (before.hash === null) return bad(0, prev, from - 1, `this ${store.kind} store keeps no hash chain`);
    prev = { position: before.position, hash: before.hash };
  }
  let verified = 0;
  for (;;) {
    const page = await store.readForward(prev.position, READ_PAGE_MAX);
    if (page.length === 0) break;
    for (const event of page) {
      const expected = prev.position + 1;
      if (event.position !== expected) {
        return bad(
          verified,
          prev,
          expected,
          `position ${expected} is missing: the next stored event is at ${event.position} (a deleted or re-numbered event)`,
        );
      }
      if (event.hash === null) return bad(verified, prev, expected, `this ${store.kind} store keeps no hash chain`);
      const hash = chainHash(prev.hash, event.position, storedEnvelope(event));
      if (hash !== event.hash) {
        return bad(
          verified,
          prev,
          expected,
          `the event at position ${expected} (${event.id}) does not hash to its stored hash: its content, its position or its hash was changed`,
        );
      }
      prev = { position: event.position, hash };
      verified += 1;
    }
    options.onProgress?.(prev.position);
  }
  return { ok: true, verified, head: prev, firstBadPosition: null, reason: null };
}

function bad(verified: number, head: LogHead, position: number, reason: string): ChainVerdict {
  return { ok: false, verified, head, firstBadPosition: position, reason };
}

/** A stored event's envelope as it was appended (stores keep `data` as received, before upcasting). */
function storedEnvelope(event: StoredEvent) {
  return { id: event.id, type: event.type, schemaVersion: event.schemaVersion, occurredAt: event.occurredAt, data: event.data };
}
