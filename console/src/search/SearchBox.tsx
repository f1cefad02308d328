// The search box (issue 27): suggests as one types — the ids that start with the text, any case, of
// every kind (creator, campaign, brand, payout, event), from one GET /v1/search a pause in typing —
// and opens the chosen one's page. It follows the ARIA combobox pattern (an input with a listbox
// popup): ↓/↑ move through the suggestions, Enter opens the one shown active, Escape closes the
// list (then clears the text), a click opens one. Enter without a suggestion chosen opens the id
// typed when exactly one thing has it, else the search page with every hit (search/SearchPage).
import { useId, useState, type KeyboardEvent } from "react";
import { useLocation } from "wouter";
import type { SearchHit } from "../api/types.ts";
import { pagePath } from "../app/paths.ts";
import { usePosition, withPosition } from "../position/usePosition.ts";
import { exactHits, hitDetail, hitPath, ID_CHARACTERS_HINT, isSearchable, KIND_LABELS } from "./hits.tsx";
import { useDebounced, useSearch } from "./useSearch.ts";

/** Suggestions shown at most (the search page lists more). */
export const SUGGESTIONS = 8;
/** How long typing must pause before the box asks. */
const DEBOUNCE_MS = 200;

/** A suggestion: a hit, or (when more match than are shown) the search page with all of them. */
type Suggestion = { hit: SearchHit } | { all: string };

/** `label`: the search landmark's name; two on one page (the header's and the start page's) need two names. */
export function SearchBox({ label = "Search the ledger" }: { label?: string }) {
  const [, navigate] = useLocation();
  const at = usePosition();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const baseId = useId();
  const inputId = `${baseId}-input`;
  const listId = `${baseId}-list`;
  const optionId = (index: number) => `${baseId}-option-${index}`;

  const typed = text.trim();
  const asked = useDebounced(typed, DEBOUNCE_MS);
  const search = useSearch(asked === "" ? null : asked, SUGGESTIONS);
  // Only an answer for what is typed now (the previous one stays while the next is on its way).
  const answer = search.data !== undefined && search.data.q === typed ? search.data : null;
  const suggestions: Suggestion[] =
    answer === null ? [] : [...answer.hits.map((hit) => ({ hit })), ...(answer.truncated ? [{ all: answer.q }] : [])];
  const expanded = open && suggestions.length > 0;

  const note =
    typed === ""
      ? ""
      : !isSearchable(typed)
        ? ID_CHARACTERS_HINT
        : search.isError && asked === typed
          ? `The search failed: ${search.error.message}`
          : answer === null
            ? ""
            : answer.hits.length === 0
              ? `Nothing has an id that starts with ${typed}.`
              : `${answer.hits.length} suggestion${answer.hits.length === 1 ? "" : "s"}${answer.truncated ? "; more ids match: type more characters" : ""}.`;

  const close = () => {
    setOpen(false);
    setActive(-1);
  };
  const go = (href: string) => {
    close();
    setText("");
    navigate(withPosition(href, at));
  };
  const resultsPage = (q: string) => pagePath("search", {}, { q });
  const choose = (suggestion: Suggestion) => go("hit" in suggestion ? hitPath(suggestion.hit) : resultsPage(suggestion.all));

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const count = suggestions.length;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        setOpen(true);
        if (count > 0) setActive(!expanded || active >= count - 1 ? 0 : active + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        setOpen(true);
        if (count > 0) setActive(!expanded || active <= 0 ? count - 1 : active - 1);
        break;
      case "Enter":
        if (expanded && active >= 0 && active < count) {
          event.preventDefault();
          choose(suggestions[active]!);
        }
        break;
      case "Escape":
        if (expanded) {
          event.preventDefault();
          close();
        } else if (text !== "") {
          event.preventDefault();
          setText("");
        }
        break;
      case "Tab":
        close();
        break;
      default:
        break;
    }
  };

  return (
    <form
      role="search"
      aria-label={label}
      className="search-box"
      onSubmit={(event) => {
        event.preventDefault();
        if (typed === "") return;
        const exact = answer === null ? [] : exactHits(answer.hits, typed);
        go(exact.length === 1 ? hitPath(exact[0]!) : resultsPage(typed));
      }}
    >
      <label htmlFor={inputId} className="visually-hidden">
        Find a creator, campaign, brand, payout or event by the first characters of its id
      </label>
      <div className="search-field">
        <input
          id={inputId}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          {...(expanded && active >= 0 ? { "aria-activedescendant": optionId(active) } : {})}
          autoComplete="off"
          spellCheck={false}
          placeholder="Creator, campaign, brand, payout or event id"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={close}
          onKeyDown={onKeyDown}
        />
        <ul id={listId} role="listbox" aria-label="Suggestions" className="suggestions" hidden={!expanded}>
          {suggestions.map((suggestion, index) => (
            <li
              key={"hit" in suggestion ? `${suggestion.hit.kind}:${suggestion.hit.id}` : "all"}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className={index === active ? "suggestion suggestion-active" : "suggestion"}
              // Keeps the focus in the input, so the click lands before the list closes on blur.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(suggestion)}
              onMouseMove={() => {
                if (active !== index) setActive(index);
              }}
            >
              {"hit" in suggestion ? (
                <>
                  <span className="suggestion-kind">{KIND_LABELS[suggestion.hit.kind]}</span>{" "}
                  <span className="suggestion-id">{suggestion.hit.id}</span>{" "}
                  <span className="suggestion-detail">{hitDetail(suggestion.hit)}</span>
                </>
              ) : (
                <span className="suggestion-all">Every id that starts with {suggestion.all}…</span>
              )}
            </li>
          ))}
        </ul>
        {open && note !== "" && !expanded ? (
          <p className="suggestions suggestions-note" aria-hidden="true">
            {note}
          </p>
        ) : null}
      </div>
      <p role="status" className="visually-hidden">
        {open ? note : ""}
      </p>
      <button type="submit">Go</button>
    </form>
  );
}
