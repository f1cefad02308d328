// A ledger entry's note as people read it: the engine writes a capped bonus as "capped by the budget:
// 2500 → 2000 minor units"; shown here in the entry's currency ("$25.00 → $20.00").
import type { LedgerEntry } from "../api/types.ts";
import { Money } from "../components/Money.tsx";
import { DEFAULT_MARKETPLACES } from "../../../domain/marketplaces.ts";
import { minorToAmount } from "../format/money.ts";

const CAPPED = /^capped by the budget: (-?\d+) → (-?\d+) minor units$/;

export function EntryNote({ entry }: { entry: Pick<LedgerEntry, "note" | "currency" | "marketplace"> }) {
  if (entry.note === null) return null;
  const capped = CAPPED.exec(entry.note);
  if (capped === null) return <div className="muted small">{entry.note}</div>;
  const digits = DEFAULT_MARKETPLACES[entry.marketplace].minorDigits;
  return (
    <div className="muted small">
      bonus capped by the budget: <Money amount={minorToAmount(capped[1]!, digits)} currency={entry.currency} /> →{" "}
      <Money amount={minorToAmount(capped[2]!, digits)} currency={entry.currency} />
    </div>
  );
}
