// The position picker (SPEC §8.2, §10): shows every page as the ledger stood after the event at a
// position. It writes `?at=P` into the page's URL; every read of the page then asks for
// asOfPosition=P, so the page is, number for number, what the API answered as of P.
import { useEffect, useState } from "react";
import { useSearchParams } from "wouter";
import type { Health } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { useDateChoice } from "./asOfDate.ts";
import { AT_PARAM, usePosition } from "./usePosition.ts";

/** How often the picker looks at the store's head (new events move its end). */
const HEAD_REFRESH_MS = 5_000;
/** Keys that move a slider: releasing one shows the page at the new position (Tab only passes by). */
const SLIDER_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"]);

export function useStoreHead(): number | null {
  return useRead<Health>("/v1/health", {}, { asOf: false, refetchMs: HEAD_REFRESH_MS }).data?.store.head ?? null;
}

export function PositionPicker() {
  const at = usePosition();
  const head = useStoreHead();
  const [, setParams] = useSearchParams();
  const shown = at ?? head;
  const [draft, setDraft] = useState(shown === null ? "" : String(shown));
  useEffect(() => setDraft(shown === null ? "" : String(shown)), [shown]);

  const apply = (value: string | null) => {
    if (value !== null && shown !== null && Number(value) === shown) return; // already shown there
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (value === null || (head !== null && Number(value) >= head)) next.delete(AT_PARAM);
      else next.set(AT_PARAM, value);
      next.delete("after"); // a page cursor belongs to the position it was read at
      return next;
    });
  };

  return (
    <form
      className="position-picker"
      aria-label="Position"
      onSubmit={(event) => {
        event.preventDefault();
        if (/^\d+$/.test(draft)) apply(String(Number(draft)));
      }}
    >
      <label htmlFor="position-input">As of position</label>
      <input
        id="position-input"
        type="number"
        inputMode="numeric"
        min={0}
        max={head ?? undefined}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
      />
      <input
        type="range"
        aria-label="Position, from the first event to the store's head"
        min={0}
        max={head ?? 0}
        value={draft === "" ? 0 : Number(draft)}
        onChange={(e) => setDraft(e.target.value)}
        onPointerUp={(e) => apply(e.currentTarget.value)}
        onKeyUp={(e) => {
          if (SLIDER_KEYS.has(e.key)) apply(e.currentTarget.value);
        }}
      />
      <span className="position-head">of {head ?? "…"}</span>
      <button type="submit">Show</button>
      {at === null ? null : (
        <button type="button" onClick={() => apply(null)}>
          Latest
        </button>
      )}
    </form>
  );
}

/** Says, on every page shown as of a position, that later events are left out. */
export function PositionBanner() {
  const at = usePosition();
  const head = useStoreHead();
  const [, setParams] = useSearchParams();
  const date = useDateChoice(at);
  if (at === null) return null;
  return (
    <div className="position-banner" role="status">
      Showing the ledger as of position <strong>{at}</strong>
      {head === null ? "" : ` of ${head}`}
      {date === null ? "" : `, the last recorded by ${date.shown}`}: events after it are left out.{" "}
      <button
        type="button"
        className="link-button"
        onClick={() =>
          setParams((prev) => {
            const next = new URLSearchParams(prev);
            next.delete(AT_PARAM);
            next.delete("after");
            return next;
          })
        }
      >
        Show the latest
      </button>
    </div>
  );
}
