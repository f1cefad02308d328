// What the payout status's date means (issue 27), next to its input: rule 11 applied on that date to
// everything recorded (up to the page's position) — not the ledger as it stood on that date, which is
// what "As of position" and "As of date" at the top show.
import type { Earnings } from "../api/types.ts";

/** The earning month whose payable date best shows rule 11 on `date`: the latest not yet payable then, else the latest. */
function example(earnings: Earnings, date: string): { month: string; payableOn: string; later: boolean } | null {
  const months = earnings.marketplaces.flatMap((m) => m.months).sort((a, b) => a.month.localeCompare(b.month));
  const later = months.filter((m) => m.payableOn > date);
  const chosen = later[later.length - 1] ?? months[months.length - 1];
  return chosen === undefined ? null : { month: chosen.month, payableOn: chosen.payableOn, later: chosen.payableOn > date };
}

export function PayoutDateNote({ date, asOfPosition, earnings }: { date: string; asOfPosition: number; earnings: Earnings }) {
  const shown = example(earnings, date);
  return (
    <p className="explain small">
      <strong>Payout date</strong> applies rule 11 on {date}: payable is the earnings of every month whose payable date has come by then,
      less what was paid; a month's payable date is 60 days after the first day of the next month
      {shown === null
        ? ""
        : shown.later
          ? ` (${shown.month}'s is ${shown.payableOn}, so on ${date} its earnings count as pending, not payable)`
          : ` (${shown.month}'s is ${shown.payableOn})`}
      . The date does not turn the ledger back: every event recorded up to position {asOfPosition} counts, even one that occurred after{" "}
      {date}. To see the books as they stood at a time, choose <strong>As of position</strong> or <strong>As of date</strong> at the top.
    </p>
  );
}
