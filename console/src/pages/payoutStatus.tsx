import { Badge } from "../components/Layout.tsx";
import { humanize } from "../format/labels.ts";

/** A payout is issued, or failed (SPEC §8.4: its amount went back to the creator). */
export function PayoutBadge({ status, reason }: { status: "issued" | "failed"; reason: string | null }) {
  return status === "issued" ? (
    <Badge tone="good">Issued</Badge>
  ) : (
    <Badge tone="bad">Failed{reason === null ? "" : `: ${humanize(reason)}`}</Badge>
  );
}
