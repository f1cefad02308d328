// An account of the journal (SPEC §8.1) by its name, one click from its page (entries, running
// balance); a transfer as its two accounts.
import { accountPath } from "../app/paths.ts";
import { PageLink } from "./Layout.tsx";

export function AccountLink({ account }: { account: string }) {
  return (
    <PageLink href={accountPath(account)} className="account">
      {account}
    </PageLink>
  );
}

/** An entry's source → destination; a memo entry (or an amount of 0) moves nothing. */
export function Transfer({ source, destination }: { source: string | null; destination: string | null }) {
  if (source === null || destination === null) return <span className="muted">memo: no transfer</span>;
  return (
    <>
      <AccountLink account={source} /> → <AccountLink account={destination} />
    </>
  );
}
