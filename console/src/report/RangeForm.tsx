// A report's range (and, for a creator, an optional campaign): written into the page's URL.
import { useId, useState } from "react";
import { useSearchParams } from "wouter";
import { DateInput } from "../components/DateInput.tsx";
import { daysBetween } from "../format/dates.ts";
import { REPORT_DAYS_MAX, shiftRange, type DateRange } from "./reportRange.ts";

export function RangeForm({ range, campaignId }: { range: DateRange; campaignId?: string | null }) {
  const [, setParams] = useSearchParams();
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [campaign, setCampaign] = useState(campaignId ?? "");
  const ids = { from: useId(), to: useId(), campaign: useId() };
  const show = (next: DateRange, nextCampaign = campaign) => {
    setFrom(next.from);
    setTo(next.to);
    setParams((prev) => {
      const out = new URLSearchParams(prev);
      out.set("from", next.from);
      out.set("to", next.to);
      if (campaignId !== undefined) {
        if (nextCampaign.trim() === "") out.delete("campaignId");
        else out.set("campaignId", nextCampaign.trim());
      }
      return out;
    });
  };
  const length = Math.max(1, daysBetween(range.from, range.to));
  return (
    <form
      className="range-form"
      onSubmit={(event) => {
        event.preventDefault();
        show({ from, to });
      }}
    >
      <label htmlFor={ids.from}>From</label>
      <DateInput id={ids.from} value={from} onChange={setFrom} required />
      <label htmlFor={ids.to}>To</label>
      <DateInput id={ids.to} value={to} onChange={setTo} required />
      {campaignId === undefined ? null : (
        <>
          <label htmlFor={ids.campaign}>Campaign</label>
          <input id={ids.campaign} type="text" placeholder="all" value={campaign} onChange={(e) => setCampaign(e.target.value)} size={12} />
        </>
      )}
      <button type="submit">Show</button>
      <span className="range-steps">
        <button type="button" onClick={() => show(shiftRange(range, -1, length))}>
          ← {length} days earlier
        </button>
        <button type="button" onClick={() => show(shiftRange(range, 1, length))}>
          {length} days later →
        </button>
      </span>
      <span className="muted small">
        Dates as YYYY-MM-DD; at most {REPORT_DAYS_MAX} days, both included, in the marketplace's calendar.
      </span>
    </form>
  );
}
