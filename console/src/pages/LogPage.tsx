// The event log's hash chain (SPEC §13): its head (position and hash, as of the page's position),
// and a check that recomputes the whole chain from the store. The check needs a token with the
// `admin` scope; the API is the only judge of a token's scopes, so the page asks only when told to
// and says what a refusal means.
import { useId, useState } from "react";
import { ApiError, getJson } from "../api/client.ts";
import type { LogHead, LogVerify } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { pagePath } from "../app/paths.ts";
import { ErrorState } from "../components/ErrorState.tsx";
import { Badge, Facts, PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { formatCount } from "../format/money.ts";

type Check = { kind: "idle" } | { kind: "busy" } | { kind: "done"; answer: LogVerify } | { kind: "failed"; error: ApiError };

function VerifyResult({ answer }: { answer: LogVerify }) {
  return (
    <>
      <p>
        {answer.ok ? <Badge tone="good">Intact</Badge> : <Badge tone="bad">Broken</Badge>}{" "}
        {answer.ok
          ? `Every hash recomputed from the stored events matches, up to position ${answer.head.position}.`
          : `The chain breaks at position ${answer.firstBadPosition}: the events from there on are not the ones that were hashed.`}
      </p>
      <Facts
        items={[
          ["Verified events", formatCount(answer.verified)],
          ["Last good position", answer.head.position],
          ["First bad position", answer.firstBadPosition ?? "—"],
          ["Why", answer.reason ?? "—"],
        ]}
      />
      <p className="small">
        Hash at the last good position: <code className="hash">{answer.head.hash}</code>
      </p>
    </>
  );
}

function Refused({ error }: { error: ApiError }) {
  if (error.status !== 403) return <ErrorState error={error} what="log" />;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">Checking the log needs the admin scope</p>
      <p>{error.message}</p>
      <p className="state-hint">
        {error.code === "demo_read_only" ? (
          <>
            This ledger runs open on the demo data, for reading only. Start it with <code>LEDGER_TOKENS</code> and sign in with a token that
            has the <code>admin</code> scope, or run <code>npx ledger verify</code> where the ledger runs.
          </>
        ) : (
          <>
            Sign out and sign in with a token that has the <code>admin</code> scope, or run <code>npx ledger verify</code> where the ledger
            runs. The head above needs only the read scope.
          </>
        )}
      </p>
    </div>
  );
}

function VerifyLog() {
  const [from, setFrom] = useState("");
  const [check, setCheck] = useState<Check>({ kind: "idle" });
  const fromId = useId();
  const verify = async () => {
    setCheck({ kind: "busy" });
    try {
      // The check reads the store as it is now: it takes no position (the position picker does not apply).
      const answer = await getJson<LogVerify>("/v1/log/verify", { from: /^\d+$/.test(from.trim()) ? from.trim() : null });
      setCheck({ kind: "done", answer });
    } catch (error) {
      setCheck({ kind: "failed", error: error instanceof ApiError ? error : new ApiError(0, "unknown", (error as Error).message) });
    }
  };
  return (
    <Section title="Check the chain">
      <p>
        Recomputes every event's hash from the store, in position order, and compares it with the one stored: an edited, deleted or
        re-numbered event breaks the chain from its position on. It reads the whole store as it is now, so it takes a while on a large one,
        and needs a token with the <strong>admin</strong> scope (a token with only the read scope is refused).
      </p>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void verify();
        }}
      >
        <label htmlFor={fromId}>From position</label>
        <input
          id={fromId}
          type="text"
          inputMode="numeric"
          pattern="\d{1,15}"
          placeholder="1"
          size={8}
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <button type="submit" disabled={check.kind === "busy"}>
          Verify the log
        </button>
        <span role="status" className="muted">
          {check.kind === "busy" ? "Recomputing the chain…" : ""}
        </span>
      </form>
      {check.kind === "done" ? <VerifyResult answer={check.answer} /> : null}
      {check.kind === "failed" ? <Refused error={check.error} /> : null}
    </Section>
  );
}

export function LogPage() {
  const head = useRead<LogHead>("/v1/log/head");
  return (
    <>
      <PageHeader kicker="Event log" title="The hash chain">
        <p className="lede">
          Each stored event carries a hash of the previous event's hash and its own content, so the latest hash vouches for the whole
          history before it. A closing statement names the hash at its close (<PageLink href={pagePath("periods")}>periods</PageLink>
          ).
        </p>
      </PageHeader>
      <Section title="Head">
        <Loaded query={head} what="log head">
          {(h) => (
            <>
              <Facts
                items={[
                  ["Position", h.position],
                  ["As of position", h.asOfPosition],
                ]}
              />
              <p className="small">
                Hash: <code className="hash">{h.hash ?? "none (this store keeps no chain)"}</code>
              </p>
            </>
          )}
        </Loaded>
      </Section>
      <VerifyLog />
    </>
  );
}
