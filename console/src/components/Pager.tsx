// Paging by cursor (the API's `nextAfter` / `next`): the cursor lives in the URL (`after`), so
// every page of a long list is a link, and no page loads more than it shows.
import { useSearchParams } from "wouter";

export const PAGE_SIZE = 50;

export function Pager({ next, label }: { next: string | number | null; label: string }) {
  const [params, setParams] = useSearchParams();
  const onFirst = params.get("after") === null;
  if (onFirst && next === null) return null;
  const go = (after: string | number | null) =>
    setParams((prev) => {
      const out = new URLSearchParams(prev);
      if (after === null) out.delete("after");
      else out.set("after", String(after));
      return out;
    });
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" disabled={onFirst} onClick={() => go(null)}>
        ← First page
      </button>
      <button type="button" disabled={next === null} onClick={() => go(next)}>
        Next page →
      </button>
    </nav>
  );
}
