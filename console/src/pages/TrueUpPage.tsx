// True-ups (SPEC §14): a business change of rates reaching back into the past is booked as
// adjustments in the open period, never by rewriting booked months. The page runs the dry run
// (POST /v1/trueups with dryRun true: per creator and booked month, booked, recomputed under the
// rule version, and their difference) and only then offers to apply the same true-up (dryRun
// false: one CommissionAdjusted per nonzero row). Both need a token with the `admin` scope; the API
// is the only judge of that, so the page asks it nothing until told to (opening it reads nothing)
// and says what a refusal means, as the log page's check does.
import { useId, useState } from "react";
import { useSearchParams } from "wouter";
import { ApiError, postJson } from "../api/client.ts";
import type { TrueUp, TrueUpAdjustment, TrueUpRequest } from "../api/types.ts";
import { creatorPath, eventPath, pagePath } from "../app/paths.ts";
import { ErrorState } from "../components/ErrorState.tsx";
import { Badge, Facts, PageHeader, PageLink, Section, type Tone } from "../components/Layout.tsx";
import { Money } from "../components/Money.tsx";
import { MonthInput } from "../components/DateInput.tsx";
import { Table } from "../components/Table.tsx";
import { MARKETPLACES, marketplaceOr } from "../format/marketplaces.ts";

/** The form's fields, as typed (and as the URL carries them). */
interface Fields {
  ruleVersion: string;
  marketplace: string;
  from: string;
  to: string;
  actor: string;
}

type Body = Omit<TrueUpRequest, "dryRun">;

/** The request body the fields make (the API checks each value and answers a 400 naming it). */
function bodyOf(fields: Fields): Body {
  return {
    ruleVersion: Number(fields.ruleVersion.trim()),
    marketplace: fields.marketplace as Body["marketplace"],
    from: fields.from.trim(),
    to: fields.to.trim(),
    actor: fields.actor.trim(),
  };
}

const sameBody = (a: Body, b: Body) =>
  a.ruleVersion === b.ruleVersion && a.marketplace === b.marketplace && a.from === b.from && a.to === b.to && a.actor === b.actor;

interface Failure {
  dryRun: boolean;
  body: Body;
  error: ApiError;
}

/** Keyed by the API's statuses, so a new one does not compile until it has words and a tone. */
const STATUS: Record<TrueUpAdjustment["status"], { tone: Tone; label: string }> = {
  appended: { tone: "good", label: "Appended" },
  duplicate: { tone: "neutral", label: "Stored before (same amount)" },
  conflict: { tone: "bad", label: "Stored before with another amount" },
};

const isZero = (amount: string) => /^-?0(\.0+)?$/.test(amount);

/** The CLI's command for the same true-up (where the ledger runs, without a token). */
function cliCommand(body: Body, dryRun: boolean): string {
  const range = `--rules ${body.ruleVersion} --marketplace ${body.marketplace} --from ${body.from || "YYYY-MM"} --to ${body.to || "YYYY-MM"}`;
  return `npx ledger trueup ${range}${dryRun ? " --dry-run" : ` --actor ${body.actor || "who"}`}`;
}

function Refused({ error, body, dryRun }: { error: ApiError; body: Body; dryRun: boolean }) {
  if (error.status !== 403)
    return (
      <>
        <ErrorState error={error} what="true-up" />
        {error.details.length > 0 ? (
          <ul className="small">
            {error.details.map((d, i) => {
              const detail = d as { path?: unknown; message?: unknown };
              return (
                <li key={i}>
                  {typeof detail.path === "string" ? <code>{detail.path}</code> : null} {String(detail.message ?? JSON.stringify(d))}
                </li>
              );
            })}
          </ul>
        ) : null}
      </>
    );
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">A true-up needs the admin scope</p>
      <p>{error.message}</p>
      <p className="state-hint">
        {error.code === "demo_read_only" ? (
          <>
            This ledger runs open on the demo data, for reading only: it computes no true-up for anyone. Start it with{" "}
            <code>LEDGER_TOKENS</code> and sign in with a token that has the <code>admin</code> scope, or run{" "}
            <code>{cliCommand(body, dryRun)}</code> where the ledger runs.
          </>
        ) : (
          <>
            Even the dry run needs it (it reads the whole journal). Sign out and sign in with a token that has the <code>admin</code> scope,
            or run <code>{cliCommand(body, dryRun)}</code> where the ledger runs.
          </>
        )}
      </p>
    </div>
  );
}

function RowsTable({ answer }: { answer: TrueUp }) {
  const c = answer.currency;
  return (
    <Table
      caption={`Standard commission per creator and booked month, ${answer.marketplace} ${answer.from} to ${answer.to}: booked, and recomputed by rule version ${answer.ruleVersion}`}
      rows={answer.rows}
      rowKey={(r) => `${r.creatorId}:${r.month}`}
      empty={`no standard commission was booked in ${answer.marketplace} from ${answer.from} to ${answer.to}.`}
      columns={[
        { header: "Creator", cell: (r) => <PageLink href={creatorPath(r.creatorId)}>{r.creatorId}</PageLink> },
        { header: "Booked month", cell: (r) => r.month },
        { header: `Booked (${c})`, numeric: true, cell: (r) => <Money amount={r.booked} currency={c} bare /> },
        {
          header: `Recomputed by rule version ${answer.ruleVersion} (${c})`,
          numeric: true,
          cell: (r) => <Money amount={r.recomputed} currency={c} bare />,
        },
        { header: `Difference (${c})`, numeric: true, cell: (r) => <Money amount={r.difference} currency={c} bare /> },
      ]}
      footer={
        answer.rows.length === 0 ? undefined : (
          <tr>
            <th scope="row" colSpan={2}>
              Total of {answer.rows.length} rows
            </th>
            <td className="num">
              <Money amount={answer.totals.booked} currency={c} bare />
            </td>
            <td className="num">
              <Money amount={answer.totals.recomputed} currency={c} bare />
            </td>
            <td className="num">
              <Money amount={answer.totals.difference} currency={c} bare />
            </td>
          </tr>
        )
      }
    />
  );
}

function RowsFacts({ answer }: { answer: TrueUp }) {
  return (
    <Facts
      items={[
        ["Marketplace", `${answer.marketplace} (${answer.currency})`],
        ["Booked months", `${answer.from} to ${answer.to}`],
        ["Recomputed by rule version", answer.ruleVersion],
        ["Journal built by rule version", answer.bookedRuleVersion],
        ["Computed at position", answer.asOfPosition],
        ["Rows", answer.rows.length],
        ["Rows that differ", answer.rows.filter((r) => !isZero(r.difference)).length],
        ["Total difference", <Money amount={answer.totals.difference} currency={answer.currency} />],
      ]}
    />
  );
}

function AdjustmentsTable({ answer }: { answer: TrueUp }) {
  const c = answer.currency;
  return (
    <Table
      caption={`Adjustments of the true-up to rule version ${answer.ruleVersion}, ${answer.marketplace} ${answer.from} to ${answer.to}`}
      rows={answer.adjustments}
      rowKey={(a) => a.id}
      empty="no row differs, so nothing was appended."
      columns={[
        { header: "Adjustment (event)", cell: (a) => <PageLink href={eventPath(a.id)}>{a.id}</PageLink> },
        { header: "Creator", cell: (a) => <PageLink href={pagePath("creatorLedger", { creatorId: a.creatorId })}>{a.creatorId}</PageLink> },
        { header: "For month", cell: (a) => a.month },
        { header: `Amount (${c})`, numeric: true, cell: (a) => <Money amount={a.amount} currency={c} bare /> },
        { header: "Status", cell: (a) => <Badge tone={STATUS[a.status].tone}>{STATUS[a.status].label}</Badge> },
        {
          header: `Stored amount (${c})`,
          numeric: true,
          cell: (a) => (a.storedAmount === null ? "—" : <Money amount={a.storedAmount} currency={c} bare />),
        },
      ]}
    />
  );
}

function Applied({ answer, dryRun }: { answer: TrueUp; dryRun: TrueUp }) {
  const count = (status: TrueUpAdjustment["status"]) => answer.adjustments.filter((a) => a.status === status).length;
  const moved = JSON.stringify([answer.rows, answer.totals]) !== JSON.stringify([dryRun.rows, dryRun.totals]);
  return (
    <Section title="Applied">
      <p>
        Each nonzero row is one <code>CommissionAdjusted</code> with the reason <code>rule_change</code>, booked in the open period (closed
        months stay as they were): the creator's ledger shows it as an adjustment. Running the same true-up again appends nothing: each id
        is stored already with its amount.
      </p>
      {moved ? (
        <p className="position-banner" role="note">
          The ledger moved between the dry run (position {dryRun.asOfPosition}) and applying (position {answer.asOfPosition}): the rows were
          computed again, and these are the ones applied.
        </p>
      ) : null}
      <Facts
        items={[
          ["Last position", answer.lastPosition ?? "—"],
          ["Appended", count("appended")],
          ["Stored before", count("duplicate")],
          ["Conflicts", count("conflict")],
          ["Computed at position", answer.asOfPosition],
        ]}
      />
      <AdjustmentsTable answer={answer} />
      {moved ? <RowsTable answer={answer} /> : null}
    </Section>
  );
}

export function TrueUpPage() {
  const [params, setParams] = useSearchParams();
  const [fields, setFields] = useState<Fields>(() => ({
    ruleVersion: params.get("ruleVersion") ?? "",
    marketplace: marketplaceOr(params.get("marketplace"), "US"),
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    actor: params.get("actor") ?? "",
  }));
  // The last dry run; what applying it answered; what is being asked; what failed.
  const [dry, setDry] = useState<{ body: Body; answer: TrueUp } | null>(null);
  const [applied, setApplied] = useState<TrueUp | null>(null);
  const [pending, setPending] = useState<"dryRun" | "apply" | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const ids = { rules: useId(), marketplace: useId(), from: useId(), to: useId(), actor: useId() };
  const set = (name: keyof Fields) => (value: string) => setFields((f) => ({ ...f, [name]: value }));
  const body = bodyOf(fields);

  const ask = async (dryRun: boolean, sent: Body): Promise<TrueUp | null> => {
    setPending(dryRun ? "dryRun" : "apply");
    setFailure(null);
    try {
      return await postJson<TrueUp>("/v1/trueups", { ...sent, dryRun });
    } catch (error) {
      setFailure({ dryRun, body: sent, error: error instanceof ApiError ? error : new ApiError(0, "unknown", (error as Error).message) });
      return null;
    } finally {
      setPending(null);
    }
  };
  const runDry = async () => {
    // The fields go into the URL (a bookmark reopens the form filled in; it runs nothing by itself).
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [name, value] of Object.entries(fields)) {
          if (value.trim() === "") next.delete(name);
          else next.set(name, value.trim());
        }
        return next;
      },
      { replace: true },
    );
    setDry(null);
    setApplied(null);
    const answer = await ask(true, body);
    if (answer !== null) setDry({ body, answer });
  };
  const apply = async (sent: Body) => {
    const answer = await ask(false, sent);
    if (answer !== null) setApplied(answer);
  };

  const busy = pending !== null;
  const current = dry !== null && sameBody(dry.body, body);
  const differing = dry === null ? 0 : dry.answer.rows.filter((r) => !isZero(r.difference)).length;
  return (
    <>
      <PageHeader kicker="Rule changes" title="True-ups">
        <p className="lede">
          A business change of rates that reaches into the past is not a replay: the months already booked (and paid, and closed) stay as
          they are, and the difference is booked as adjustments in the open period. Per creator and booked month of the range, a true-up
          recomputes standard commission (net of returns) under a rule version and subtracts what the ledger booked. Run the dry run, read
          the rows, then apply the same true-up. A bug in the calculation itself is a <PageLink href={pagePath("replay")}>replay</PageLink>{" "}
          instead. Both steps need a token with the <strong>admin</strong> scope, and read the ledger as it is now: the position picker does
          not apply.
        </p>
      </PageHeader>
      <Section title="True-up">
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void runDry();
          }}
        >
          <label htmlFor={ids.rules}>Rule version</label>
          <input
            id={ids.rules}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            pattern="\d{1,4}"
            placeholder="2"
            size={4}
            required
            value={fields.ruleVersion}
            onChange={(e) => set("ruleVersion")(e.target.value)}
          />
          <label htmlFor={ids.marketplace}>Marketplace</label>
          <select id={ids.marketplace} value={fields.marketplace} onChange={(e) => set("marketplace")(e.target.value)}>
            {MARKETPLACES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <label htmlFor={ids.from}>From month</label>
          <MonthInput id={ids.from} value={fields.from} onChange={set("from")} required />
          <label htmlFor={ids.to}>To month</label>
          <MonthInput id={ids.to} value={fields.to} onChange={set("to")} required />
          <label htmlFor={ids.actor}>Actor</label>
          <input
            id={ids.actor}
            type="text"
            autoComplete="off"
            placeholder="finance:ana"
            size={14}
            required
            value={fields.actor}
            onChange={(e) => set("actor")(e.target.value)}
          />
          <button type="submit" disabled={busy}>
            Dry run
          </button>
          <span role="status" className="muted">
            {pending === "dryRun" ? "Recomputing the rows…" : pending === "apply" ? "Appending the adjustments…" : ""}
          </span>
        </form>
        <p className="muted small">
          Months as YYYY-MM, both included: the months the entries were booked in, in the marketplace's calendar. The actor is named in each
          adjustment.
        </p>
        {failure?.dryRun ? <Refused error={failure.error} body={failure.body} dryRun /> : null}
      </Section>
      {dry !== null ? (
        <Section title="Dry run">
          <p>Nothing is booked yet. The rows as the ledger computes them at its current position:</p>
          <RowsFacts answer={dry.answer} />
          <RowsTable answer={dry.answer} />
          {applied !== null ? null : !current ? (
            <p className="position-banner" role="note">
              The form differs from this dry run: run the dry run again to apply it.
            </p>
          ) : differing === 0 ? (
            <p>No row differs: applying this true-up would append nothing.</p>
          ) : (
            <div className="inline-form">
              <button type="button" disabled={busy} onClick={() => void apply(dry.body)}>
                Apply: append {differing} adjustment{differing === 1 ? "" : "s"}
              </button>
              <span className="muted small">
                one <code>CommissionAdjusted</code> (<code>rule_change</code>) per nonzero row, by {dry.body.actor}
              </span>
            </div>
          )}
          {failure !== null && !failure.dryRun ? <Refused error={failure.error} body={failure.body} dryRun={false} /> : null}
        </Section>
      ) : null}
      {applied !== null && dry !== null ? <Applied answer={applied} dryRun={dry.answer} /> : null}
    </>
  );
}
