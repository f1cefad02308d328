// What the stores keep to tell a duplicate from a conflict (SPEC §2): a digest of the canonical
// content, so the comparison is one short string per event whatever the payload size.
// (The SQLite store keeps no digest: it compares `storedCanonicalContent` only when an id is
// already taken, so the hot ingest path computes nothing.)
import { hash } from "node:crypto";
import { canonicalContent } from "../../domain/events/canonical.ts";
import type { LedgerEvent } from "../../domain/events/envelope.ts";

export function contentHash(event: LedgerEvent): string {
  // One-shot crypto.hash, not createHash(): faster for short inputs, on the hot ingest path (docs/scaling.md).
  return hash("sha256", canonicalContent(event), "base64url");
}

/**
 * Canonical content of an event as a store keeps it: `data` as its stored JSON text. Two events
 * are duplicates iff these strings are equal; both sides go through the same JSON text, so an
 * incoming event compares exactly as it would once stored.
 */
export function storedCanonicalContent(type: string, schemaVersion: number, occurredAtMs: number, dataJson: string): string {
  return canonicalContent({ type: type as LedgerEvent["type"], schemaVersion, occurredAtMs, data: JSON.parse(dataJson) as unknown });
}
