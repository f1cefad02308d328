// "As of a date" beside the position picker (issue 27): a date and time, in the zone shown (the
// browser's or UTC), asks GET /v1/log/position for the last position the ledger recorded by then, and
// sets the page's position to it (`?at=P`), so every page shows the ledger as it stood at that time.
import { useId, useState } from "react";
import { useSearchParams } from "wouter";
import { ApiError, getJson } from "../api/client.ts";
import type { LogPosition } from "../api/types.ts";
import { formatInstant } from "../format/dates.ts";
import { BROWSER_ZONE, rememberDateChoice, typedInstant, useDateChoice, zoneName, type ZoneChoice } from "./asOfDate.ts";
import { AT_PARAM, usePosition } from "./usePosition.ts";

export function AsOfDatePicker() {
  const at = usePosition();
  const [, setParams] = useSearchParams();
  const landed = useDateChoice(at);
  const [text, setText] = useState("");
  const [zone, setZone] = useState<ZoneChoice>(BROWSER_ZONE === "UTC" ? "UTC" : "browser");
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const inputId = useId();
  const zoneId = useId();
  const noteId = useId();

  const show = async () => {
    const typed = typedInstant(text, zone);
    if ("problem" in typed) {
      setProblem(typed.problem);
      return;
    }
    setProblem(null);
    setAsking(true);
    try {
      // The date names a time of the whole log: asked without the page's position.
      const answer = await getJson<LogPosition>("/v1/log/position", { at: typed.instant });
      const latest = answer.position >= answer.asOfPosition; // nothing recorded since
      rememberDateChoice({ shown: typed.shown, position: answer.position, recordedAt: answer.recordedAt, latest });
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        if (latest) next.delete(AT_PARAM);
        else next.set(AT_PARAM, String(answer.position));
        next.delete("after"); // a page cursor belongs to the position it was read at
        return next;
      });
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    } finally {
      setAsking(false);
    }
  };

  const note =
    problem ??
    (asking
      ? "Asking the log…"
      : landed === null
        ? `A date alone is the end of that day; ${zoneName(zone)} unless the time has its own offset.`
        : landed.position === 0
          ? `Nothing was recorded by ${landed.shown}: position 0, an empty ledger.`
          : `${landed.shown} → position ${landed.position}${landed.latest ? ", the latest" : ""}, recorded ${formatInstant(landed.recordedAt!)}.`);

  return (
    <form
      className="as-of-date"
      aria-label="As of a date"
      onSubmit={(event) => {
        event.preventDefault();
        void show();
      }}
    >
      <label htmlFor={inputId}>As of date</label>
      <input
        id={inputId}
        type="text"
        autoComplete="off"
        spellCheck={false}
        placeholder="YYYY-MM-DD HH:MM"
        title="A date and time as YYYY-MM-DD HH:MM (seconds optional); a date alone is the end of that day"
        size={19}
        maxLength={35}
        className="date-input"
        aria-describedby={noteId}
        aria-invalid={problem !== null}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <label htmlFor={zoneId}>Zone</label>
      <select id={zoneId} value={zone} onChange={(e) => setZone(e.target.value as ZoneChoice)}>
        {BROWSER_ZONE === "UTC" ? null : <option value="browser">{BROWSER_ZONE} (this browser)</option>}
        <option value="UTC">UTC</option>
      </select>
      <button type="submit" disabled={asking}>
        Show
      </button>
      <span id={noteId} className={problem === null ? "as-of-date-note" : "as-of-date-note as-of-date-problem"} role="status">
        {note}
      </span>
    </form>
  );
}
