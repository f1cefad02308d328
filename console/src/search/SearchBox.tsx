// The search box: any creator, campaign, brand, payout or event id goes to its page (search/SearchPage).
import { useId, useState } from "react";
import { useLocation } from "wouter";
import { pagePath } from "../app/paths.ts";
import { usePosition, withPosition } from "../position/usePosition.ts";

export function SearchBox() {
  const [, navigate] = useLocation();
  const at = usePosition();
  const [text, setText] = useState("");
  const inputId = useId();
  return (
    <form
      role="search"
      className="search-box"
      onSubmit={(event) => {
        event.preventDefault();
        const id = text.trim();
        if (id !== "") navigate(withPosition(pagePath("search", {}, { q: id }), at));
      }}
    >
      <label htmlFor={inputId} className="visually-hidden">
        Go to a creator, campaign, brand, payout or event by its id
      </label>
      <input
        id={inputId}
        type="search"
        placeholder="Creator, campaign, brand, payout or event id"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit">Go</button>
    </form>
  );
}
