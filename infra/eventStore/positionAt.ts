// "Which position was the log at, at instant T?" (issue 27: the console's "as of a date"): the last
// position whose recordedAt (the store's commit time) is at or before T, found by binary search over
// positions, so it costs about log2(head) point reads of one row each, never a scan of the log.
//
// Why a binary search is right: recordedAt never decreases with position. Every store assigns
// positions and takes the commit time under its one write lock (SQLite: BEGIN IMMEDIATE, the time
// read after it; PostgreSQL: the head row locked FOR UPDATE, the time read after it by the database's
// own clock; KurrentDB: the server's commit time of the one log stream, written by one appender at a
// time), and SQLite and PostgreSQL never record a time before the previous event's (a clock that
// stepped back records the previous time again). A log written before that clamp (or by hand) whose
// times are not monotone still gets a defined answer: a position p with recordedAt(p) ≤ T <
// recordedAt(p + 1), if not the last such one.
export interface PositionAt {
  /** The last position ≤ upTo recorded at or before the instant; 0 when none is. */
  position: number;
  /** Its recordedAt (ISO UTC); null for position 0. */
  recordedAt: string | null;
}

/**
 * The last position in 1..upTo whose recordedAt is at or before `instantMs` (epoch milliseconds).
 * `recordedAtOf(p)` reads one position's commit time (ISO); it is asked about log2(upTo) + 1 times.
 */
export async function lastPositionRecordedBy(
  upTo: number,
  instantMs: number,
  recordedAtOf: (position: number) => Promise<string>,
): Promise<PositionAt> {
  if (!Number.isSafeInteger(upTo) || upTo < 0) throw new RangeError(`upTo must be an integer ≥ 0, got ${upTo}`);
  let low = 0; // recorded at or before the instant (0: before every event)
  let lowRecordedAt: string | null = null;
  let high = upTo; // the answer is ≤ high
  while (low < high) {
    const middle = low + Math.ceil((high - low) / 2);
    const recordedAt = await recordedAtOf(middle);
    const ms = Date.parse(recordedAt);
    if (Number.isNaN(ms)) throw new Error(`event store: position ${middle} has recordedAt '${recordedAt}', not an instant`);
    if (ms <= instantMs) {
      low = middle;
      lowRecordedAt = recordedAt;
    } else high = middle - 1;
  }
  return { position: low, recordedAt: lowRecordedAt };
}
