// The journal's rows as other read models read them: a point-in-time read (SPEC §8.2) of earnings,
// the report or payouts folds one owner's entries and facts up to a position from these tables
// (their layout: journalProjection.ts), through the read model's own fold.
import { isEntryKind, type EntryKind } from "../../domain/journal/entryKinds.ts";

/** An entry's stored kind; anything else is a broken read model (it crashes, never guesses). */
export function entryKindOf(value: string): EntryKind {
  if (!isEntryKind(value)) throw new Error(`journal: unknown entry kind '${value}'`);
  return value;
}
