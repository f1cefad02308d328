// Every read of the API (SPEC §5, §8, §9), as of now or as of a position (§8.2), independent of
// HTTP: the routes (services/http/readRoutes.ts) parse and answer, the tests compare reads.
//
// A read of now answers from its read model at that read model's position, once it has applied
// `minPosition` (read-your-writes). A read as of P answers what a ledger that stored exactly the
// events 1..P answers, with asOfPosition = P: from the journal's rows up to P folded by the read
// model's own fold, or from its own history. Which tables answer is each read model's own business
// (its read.ts, projections/modelRead.ts); this module wires them. Either way it waits, at
// most READ_WAIT_MS, for the projection it reads to reach the position, then gives up with
// ProjectionLagError (503 with Retry-After).
import { DateTime } from "luxon";
import { checkReportRange } from "../../domain/calendar.ts";
import { toCurrentEvent } from "../../domain/events/current.ts";
import type { StoredEvent } from "../../domain/events/envelope.ts";
import { LATEST_SCHEMA_VERSION, type EventType } from "../../domain/events/schemas.ts";
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { Dec, formatMinor, toMinor } from "../../domain/money.ts";
import { GENESIS_HASH, verifyChain } from "../../infra/eventStore/hashChain.ts";
import { ID_SEARCH_MAX, READ_PAGE_MAX } from "../../infra/eventStore/port.ts";
import type { ReadModelTx } from "../../infra/readModel/port.ts";
import { anomaliesAfter } from "../../projections/anomalies.ts";
import { budgetView, campaignView } from "../../projections/budget/budgetQueries.ts";
import { brandCampaignsRead, campaignRead } from "../../projections/budget/read.ts";
import { campaignDetailsRead } from "../../projections/budget/campaignHistory.ts";
import {
  brandsRead,
  brandsStartingWith,
  campaignsRead,
  campaignsStartingWith,
  type CampaignFilter,
} from "../../projections/budget/campaignLists.ts";
import { creatorIdsStartingWith, creatorsRead } from "../../projections/earnings/creatorList.ts";
import { payoutsStartingWith } from "../../projections/payout/payoutSearch.ts";
import { creatorKnownAt } from "../../projections/earnings/earningsAt.ts";
import { creatorKnownRead, earningsRead } from "../../projections/earnings/read.ts";
import { feedAfter } from "../../projections/journal/feedQueries.ts";
import { accountAt, accountEntriesOf, ledgerOf, trialBalanceOf, type Cursor } from "../../projections/journal/journalQueries.ts";
import { closingStatementRead, periodsRead } from "../../projections/journal/periodQueries.ts";
import { bookedStandardOf } from "../../projections/journal/trueupQueries.ts";
import type { AsOf, ModelRead } from "../../projections/modelRead.ts";
import { payoutStatementAt } from "../../projections/payout/payoutAt.ts";
import type { PayoutDate } from "../../projections/payout/fold.ts";
import { holdLine, payoutById, payoutsOfCreator, toLine } from "../../projections/payout/payoutQueries.ts";
import { holdsRead, payoutAccountsRead } from "../../projections/payout/read.ts";
import { byCodePoint } from "../../projections/order.ts";
import type { ProjectionName } from "../../projections/projection.ts";
import type { ReportRawRow } from "../../projections/report/fold.ts";
import { reportRowsRead } from "../../projections/report/read.ts";
import { campaignReport, creatorReport } from "../../projections/report/reportQueries.ts";
import type { ReportScope } from "../../projections/report/reportScope.ts";
import { paidAtLeast, taxLineView } from "../../projections/taxSummary/fold.ts";
import { creatorTaxSummaryRead, marketplaceTaxSummaryRead } from "../../projections/taxSummary/read.ts";
import { deliveriesOf, endpointOf, listEndpoints } from "../../projections/webhooks/webhookQueries.ts";
import type { ActiveVersion, Ledger } from "../ledger.ts";
import { projectionDiff, projectionVersions } from "./replayReads.ts";

/** How long a read waits for its projection to reach the position it asks for (SPEC §8.2). */
export const READ_WAIT_MS = 5_000;

/** What position a read answers as of. */
export interface ReadAt {
  /** Answer as of this position (SPEC §8.2); null: now. */
  asOfPosition: number | null;
  /** Answer once the projection has applied this position (read-your-writes); null: at once. */
  minPosition: number | null;
}

export const NOW: ReadAt = { asOfPosition: null, minPosition: null };

/** A position that is not one of the store's (beyond its head): a 400. */
export class PositionOutOfRange extends Error {}

/**
 * A paged read's positions and where its cursor (`after`) stands. A cursor past the store's head is
 * one this store never handed out — kept from before a restore, or from another store — and would
 * answer an empty page forever: it is a 400 too. So is one past asOfPosition, as it is on a ledger
 * that stored only the events up to it (SPEC §8.2). A cursor at either is an empty page.
 */
type PageAt = ReadAt & { afterPosition: number };

function paged(at: ReadAt, afterPosition: number): PageAt {
  return { ...at, afterPosition };
}

/** A read that ran into a bad request (the report range): a 400 with this message. */
export class ReadRefused extends Error {}

export class Reads {
  constructor(private readonly ledger: Ledger) {}

  /** Positions beyond the store's head are not the store's, nor a cursor beyond them or beyond asOfPosition (PageAt): a 400. Returns the head. */
  private async validate(at: ReadAt | PageAt): Promise<number> {
    const head = await this.ledger.store.head();
    for (const [name, value] of [
      ["asOfPosition", at.asOfPosition],
      ["minPosition", at.minPosition],
    ] as const) {
      if (value !== null && value > head) throw new PositionOutOfRange(`${name} ${value} is beyond the store's head (${head})`);
    }
    if (!("afterPosition" in at)) return head;
    if (at.asOfPosition !== null && at.afterPosition > at.asOfPosition) {
      throw new PositionOutOfRange(
        `after ${at.afterPosition} is beyond asOfPosition ${at.asOfPosition}: a read as of ${at.asOfPosition} holds nothing after it`,
      );
    }
    if (at.afterPosition > head) {
      throw new PositionOutOfRange(
        `after ${at.afterPosition} is beyond the store's head (${head}): a cursor this store never handed out (kept from before a restore, or from another store); page from a position ≤ ${head}`,
      );
    }
    return head;
  }

  /** Validates the positions and waits for `projection` to reach them. */
  private async settle(at: ReadAt | PageAt, projections: readonly ProjectionName[]): Promise<void> {
    await this.validate(at);
    const wanted = Math.max(at.asOfPosition ?? 0, at.minPosition ?? 0);
    if (wanted > 0) await this.ledger.waitFor(projections, wanted, READ_WAIT_MS);
  }

  /**
   * Runs fn on one snapshot of `projection`, as of `at`: upTo is P, or the projection's own position.
   * A read of now that finds nothing (null: an unknown id) is only sure once the projection has
   * applied what the store held when it was asked: until then the id may be in events not applied
   * yet, so it waits for that (READ_WAIT_MS) and asks again, or answers 503 instead of a wrong 404.
   */
  private async on<T>(
    projection: ProjectionName,
    at: ReadAt | PageAt,
    fn: (tx: ReadModelTx, a: ActiveVersion, upTo: number) => Promise<T>,
  ): Promise<T> {
    await this.settle(at, [projection]);
    const read = () => this.ledger.reads[projection].read((tx, a) => fn(tx, a, at.asOfPosition ?? a.position));
    const answer = await read();
    if (answer !== null || at.asOfPosition !== null) return answer;
    const head = await this.ledger.store.head();
    if ((await this.ledger.reads[projection].active()).position >= head) return answer;
    await this.ledger.waitFor(
      [projection],
      head,
      READ_WAIT_MS,
      `not found in what the ${projection} projection has applied; it may be in the store's events up to ${head}`,
    );
    return read();
  }

  // --- creators (SPEC §5, §8.4) ----------------------------------------------------------------

  /** One read of a read model (projections/modelRead.ts), on a snapshot of the projection that answers it as of `at`. */
  private run<A, T>(model: ModelRead<A, T>, args: A, at: ReadAt): Promise<T> {
    const asOf: AsOf = at.asOfPosition ?? "now";
    return this.on(model.source(asOf), at, (tx, a, upTo) => model.read(tx, a.prefix, args, asOf, upTo));
  }

  async earnings(creatorId: string, at: ReadAt) {
    return this.run(earningsRead, creatorId, at);
  }

  /** Issue 27: the creators known, in id order after `after` ("" = from the start). */
  async creators(after: string, limit: number, at: ReadAt) {
    return this.run(creatorsRead, { after, limit }, at);
  }

  /** Whether a creator is known, as the earnings read model tells it (now) or the journal (as of P). */
  private creatorKnown(creatorId: string, at: ReadAt): Promise<boolean> {
    return this.run(creatorKnownRead, creatorId, at);
  }

  async ledgerEntries(creatorId: string, after: Cursor, limit: number, at: ReadAt) {
    return this.on("journal", paged(at, after.position), async (tx, a, upTo) => {
      if (!(await creatorKnownAt(tx, a.prefix, creatorId, upTo))) return null;
      return { creatorId, asOfPosition: upTo, ...(await ledgerOf(tx, a.prefix, creatorId, after, upTo, limit)) };
    });
  }

  /** SPEC §5: a creator's daily report; `campaignId` narrows it to one campaign. */
  async creatorReport(creatorId: string, campaignId: string | null, from: string, to: string, at: ReadAt) {
    checkRange(from, to);
    if (!(await this.creatorKnown(creatorId, at))) return null;
    const scope: ReportScope = { creatorId, campaignId };
    const { report, position } = await this.reportRows(scope, from, to, at, creatorReport);
    return { creatorId, from, to, asOfPosition: position, rows: report.rows, totals: report.totals };
  }

  /** SPEC §9: a campaign's daily report (its creators' rows for that campaign). */
  async campaignReport(campaignId: string, from: string, to: string, at: ReadAt) {
    checkRange(from, to);
    if ((await this.campaign(campaignId, at)) === null) return null;
    const { report, position } = await this.reportRows({ campaignId }, from, to, at, campaignReport);
    return { campaignId, from, to, asOfPosition: position, rows: report.rows, totals: report.totals };
  }

  private async reportRows<R>(scope: ReportScope, from: string, to: string, at: ReadAt, shape: (raw: ReportRawRow[]) => R) {
    const { rows, asOfPosition } = await this.run(reportRowsRead, { scope, from, to }, at);
    return { report: shape(rows), position: asOfPosition };
  }

  /** SPEC §5 payout status as of the local date `asOf` (rule 11). */
  async payout(creatorId: string, asOf: string, at: ReadAt) {
    const { accounts, asOfPosition } = await this.run(payoutAccountsRead, { creatorId, asOf }, at);
    // A creator with only tax info or a payment method so far is known to the payout read model alone.
    if (accounts.length === 0 && !(await this.creatorKnown(creatorId, at))) return null;
    return { creatorId, asOf, asOfPosition, marketplaces: accounts.map((a) => toLine(a, asOf, this.ledger.rules).body) };
  }

  /**
   * SPEC §12: every hold standing (those that hold their creator in `marketplace`, when given), with
   * rule 11's payable per marketplace it covers, as of the local date `asOf`; without one, as of
   * today in each marketplace's zone (the clock is read here, in services/).
   */
  async holds(marketplace: MarketplaceCode | null, asOf: string | null, at: ReadAt, nowMs: number = Date.now()) {
    const rules = this.ledger.rules;
    const date: PayoutDate = asOf ?? ((m) => DateTime.fromMillis(nowMs, { zone: rules.marketplaces[m].zone }).toISODate()!);
    const found = await this.run(holdsRead, { marketplace, asOf: date }, at);
    return { asOfPosition: found.asOfPosition, holds: found.holds.map((h) => holdLine(h.hold, h.accounts, date, marketplace, rules)) };
  }

  /** SPEC §8.5: a creator's payouts, newest first. */
  async payoutsOf(creatorId: string, at: ReadAt) {
    const { payouts, position } = await this.on("payout", at, async (tx, a, upTo) => ({
      payouts: await payoutsOfCreator(tx, a.prefix, creatorId, upTo, this.ledger.rules),
      position: upTo,
    }));
    if (payouts.length === 0 && !(await this.creatorKnown(creatorId, at))) return null;
    return { creatorId, asOfPosition: position, payouts };
  }

  /** SPEC §8.5: one payout and its statement: rule 11 at the payout's own position and date. */
  async payoutStatement(payoutId: string, at: ReadAt) {
    const found = await this.on("payout", at, async (tx, a, upTo) => ({
      payout: await payoutById(tx, a.prefix, payoutId, upTo, this.ledger.rules),
      position: upTo,
    }));
    if (found.payout === null) return null;
    const payout = found.payout;
    const digits = this.ledger.rules.marketplaces[payout.marketplace].minorDigits;
    const statement = await this.on("journal", { asOfPosition: null, minPosition: payout.position }, (tx, a) =>
      payoutStatementAt(tx, a.prefix, payout.creatorId, payout.marketplace as MarketplaceCode, payout.date, payout.position),
    );
    const earned = statement.months.reduce((sum, m) => sum + m.earnedMinor, 0n);
    return {
      ...payout,
      asOfPosition: found.position,
      statement: {
        months: statement.months.map((m) => ({ month: m.month, payableOn: m.payableOn, earned: formatMinor(m.earnedMinor, digits) })),
        previouslyPaid: formatMinor(statement.previouslyPaidMinor, digits),
        payable: formatMinor(earned - statement.previouslyPaidMinor, digits),
      },
    };
  }

  // --- year-end tax summaries (SPEC §15) -------------------------------------------------------

  /** A creator's payouts (not failed) and adjusted amounts of a year, per marketplace; null for an unknown creator. */
  async taxSummary(creatorId: string, year: number, at: ReadAt) {
    const found = await this.run(creatorTaxSummaryRead, { creatorId, year }, at);
    if (found === null) return null;
    const marketplaces = found.lines.map((line) => taxLineView(line, this.ledger.rules));
    return { creatorId, year, asOfPosition: found.asOfPosition, marketplaces };
  }

  /** Every creator of a marketplace paid at least `minimum` (a decimal of at most the currency's digits) in a year, by creatorId. */
  async taxSummaries(marketplace: MarketplaceCode, year: number, minimum: string, at: ReadAt) {
    const { currency, minorDigits } = this.ledger.rules.marketplaces[marketplace];
    const minimumMinor = BigInt(toMinor(new Dec(minimum), minorDigits));
    const { lines, asOfPosition } = await this.run(marketplaceTaxSummaryRead, { marketplace, year }, at);
    const creators = paidAtLeast(lines, minimumMinor).map((line) => {
      const { paid, payouts } = taxLineView(line, this.ledger.rules);
      return { creatorId: line.creatorId, marketplace, currency, paid, payouts };
    });
    return { year, marketplace, currency, minimum: formatMinor(minimumMinor, minorDigits), asOfPosition, creators };
  }

  // --- campaigns and brands (SPEC §5 budget, §9) ---------------------------------------------

  private campaign(campaignId: string, at: ReadAt) {
    return this.run(campaignRead, campaignId, at);
  }

  async budget(campaignId: string, at: ReadAt) {
    const found = await this.campaign(campaignId, at);
    return found === null ? null : { campaignId, asOfPosition: found.asOfPosition, ...budgetView(found.row) };
  }

  /** SPEC §9 and issue 27: the campaign, with its history (each entry's recordedAt read from the store: the fold never sees it). */
  async campaignDetails(campaignId: string, at: ReadAt) {
    const found = await this.run(campaignDetailsRead, campaignId, at);
    if (found === null) return null;
    const recordedAt = await this.recordedAtOf(found.history.map((entry) => entry.position));
    const history = found.history.map((entry, i) => ({
      position: entry.position,
      eventId: entry.eventId,
      eventType: entry.eventType,
      occurredAt: entry.occurredAt,
      recordedAt: recordedAt[i]!,
      changes: entry.changes,
    }));
    return { ...campaignView(found.row), asOfPosition: found.asOfPosition, history, historyTruncated: found.historyTruncated };
  }

  /** Issue 27: campaigns in id order after `after` ("" = from the start), of one brand and in one state when asked. */
  async campaigns(filter: CampaignFilter, after: string, limit: number, at: ReadAt) {
    const found = await this.run(campaignsRead, { filter, after, limit }, at);
    return { asOfPosition: found.asOfPosition, campaigns: found.rows.map(campaignView), nextAfter: found.nextAfter };
  }

  /** Issue 27: brands (of campaigns) in id order after `after`, each with its campaigns created by then. */
  async brands(after: string, limit: number, at: ReadAt) {
    return this.run(brandsRead, { after, limit }, at);
  }

  async brandCampaigns(brandId: string, at: ReadAt) {
    const found = await this.run(brandCampaignsRead, brandId, at);
    return found === null ? null : { brandId, asOfPosition: found.asOfPosition, campaigns: found.rows.map(campaignView) };
  }

  // --- the journal: anomalies, accounts, trial balance (SPEC §3, §8.1) ------------------------

  async anomalies(after: { position: number; idx: number }, limit: number, at: ReadAt) {
    return this.on("journal", paged(at, after.position), async (tx, a, upTo) => ({
      asOfPosition: upTo,
      ...(await anomaliesAfter(tx, a.prefix, after, upTo, limit)),
    }));
  }

  async account(account: string, at: ReadAt) {
    return this.on("journal", at, async (tx, a, upTo) => {
      const found = await accountAt(tx, a.prefix, account, upTo);
      return found === null ? null : { ...found, asOfPosition: upTo };
    });
  }

  async accountEntries(account: string, after: Cursor, limit: number, at: ReadAt) {
    return this.on("journal", paged(at, after.position), async (tx, a, upTo) => {
      if ((await accountAt(tx, a.prefix, account, upTo)) === null) return null;
      return { account, asOfPosition: upTo, ...(await accountEntriesOf(tx, a.prefix, account, after, upTo, limit)) };
    });
  }

  async trialBalance(currency: string, at: ReadAt) {
    return this.on("journal", at, async (tx, a, upTo) => ({ asOfPosition: upTo, ...(await trialBalanceOf(tx, a.prefix, currency, upTo)) }));
  }

  /** SPEC §14: the standard commission the journal booked per creator and month (what a true-up compares with), now. */
  async bookedStandard(range: { marketplace: MarketplaceCode; from: string; to: string }) {
    return this.on("journal", { asOfPosition: null, minPosition: null }, async (tx, a, upTo) => ({
      asOfPosition: upTo,
      ruleVersion: a.ruleVersion,
      rows: await bookedStandardOf(tx, a.prefix, range, upTo),
    }));
  }

  // --- closed periods (SPEC §13) ---------------------------------------------------------------

  /** Every month of a marketplace with entries booked in it, or named by a close: open or closed. */
  async periods(marketplace: MarketplaceCode, at: ReadAt) {
    return this.run(periodsRead, marketplace, at);
  }

  /** A closed month's closing statement, bound to the log by the chain's hash at its close; null while open. */
  async closingStatement(marketplace: MarketplaceCode, month: string, at: ReadAt) {
    const statement = await this.run(closingStatementRead, { marketplace, month }, at);
    if (statement === null) return null;
    const { hash } = await this.logHead({ asOfPosition: statement.closedAtPosition, minPosition: null });
    return { ...statement, logHash: hash };
  }

  // --- the change feed and webhooks (SPEC §11) -----------------------------------------------

  /** Every journal entry and anomaly after the cursor, in position order (the journal's rows up to P). */
  async feed(after: Cursor, limit: number, at: ReadAt) {
    return this.on("journal", paged(at, after.position), async (tx, a, upTo) => ({
      asOfPosition: upTo,
      ...(await feedAfter(tx, a.prefix, after, upTo, limit)),
    }));
  }

  /** Registered endpoints as they stand now (their delivery state is not a thing of the past's positions). */
  async webhooks(at: ReadAt) {
    return this.on("webhooks", at, async (tx, a) => ({ asOfPosition: a.position, webhooks: await listEndpoints(tx, a.prefix) }));
  }

  async webhook(webhookId: string, at: ReadAt) {
    return this.on("webhooks", at, async (tx, a) => {
      const endpoint = await endpointOf(tx, a.prefix, webhookId);
      return endpoint === null ? null : { ...endpoint, asOfPosition: a.position };
    });
  }

  /** An endpoint's delivery log: its deliveries in position order with their latest attempts. */
  async webhookDeliveries(webhookId: string, after: Cursor, limit: number, at: ReadAt) {
    return this.on("webhooks", paged(at, after.position), async (tx, a) => {
      if ((await endpointOf(tx, a.prefix, webhookId)) === null) return null;
      return { webhookId, asOfPosition: a.position, ...(await deliveriesOf(tx, a.prefix, webhookId, after, limit)) };
    });
  }

  // --- the event log (SPEC §8.3): the store itself --------------------------------------------

  /** The stored event as the engine sees it (upcast to its type's newest schema version). */
  async event(id: string, at: ReadAt) {
    const head = await this.validate(at); // the store itself: nothing to wait for
    const stored = await this.ledger.store.readById(id);
    const upTo = at.asOfPosition ?? head;
    if (stored === null || stored.position > upTo) return null;
    return { ...eventView(stored), asOfPosition: upTo };
  }

  /**
   * Stored events after `after`, in position order. A page scans at most EVENTS_SCAN_MAX events, so
   * with a `type` filter it may hold fewer than `limit` (even none): follow `next` until it is null.
   */
  async events(after: number, limit: number, type: EventType | null, at: ReadAt) {
    const head = await this.validate(paged(at, after)); // the store itself: nothing to wait for
    const upTo = at.asOfPosition ?? head;
    const events = [];
    let position = after;
    while (position < upTo && events.length < limit && position - after < EVENTS_SCAN_MAX) {
      const page = await this.ledger.store.readForward(
        position,
        Math.min(READ_PAGE_MAX, upTo - position, EVENTS_SCAN_MAX - (position - after)),
      );
      if (page.length === 0) break;
      for (const stored of page) {
        position = stored.position;
        if (type !== null && stored.type !== type) continue;
        events.push(eventView(stored));
        if (events.length === limit) break;
      }
    }
    return { asOfPosition: upTo, events, next: position < upTo ? position : null };
  }

  /** The recordedAt of each position (the store's commit times), read STORE_READS_PARALLEL at a time. */
  private async recordedAtOf(positions: readonly number[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < positions.length; i += STORE_READS_PARALLEL) {
      const pages = await Promise.all(positions.slice(i, i + STORE_READS_PARALLEL).map((p) => this.ledger.store.readForward(p - 1, 1)));
      pages.forEach((page, j) => {
        const wanted = positions[i + j]!;
        if (page[0]?.position !== wanted) throw new Error(`the store has no event at position ${wanted}`);
        out.push(page[0].recordedAt);
      });
    }
    return out;
  }

  /**
   * Issue 27: the last position recorded (the store's commit time) at or before the instant `atText`
   * (`atMs` its epoch milliseconds), ≤ asOfPosition: a binary search of the store (positionAt.ts).
   */
  async logPosition(atText: string, atMs: number, at: ReadAt) {
    const head = await this.validate(at); // the store itself: nothing to wait for
    const upTo = at.asOfPosition ?? head;
    const found = await this.ledger.store.positionAt(atMs, upTo);
    return { at: atText, position: found.position, recordedAt: found.recordedAt, asOfPosition: upTo };
  }

  // --- search (issue 27): every kind of id, one position -----------------------------------------

  /**
   * Ids of every kind that start with `q`, ignoring case: one indexed range read per kind (creators:
   * earnings; campaigns and brands: budget; payouts: payout; events: the store), all as of one
   * position P — asOfPosition, or now the least position of the three read models — so the hits
   * agree with each other: each kind's ids exist from a position on and never change, so "as of P"
   * is a filter on that position. Ordered by lower-cased id, then kind, then id.
   */
  async search(q: string, limit: number, at: ReadAt) {
    await this.settle(at, SEARCH_SOURCES);
    const upTo =
      at.asOfPosition ?? Math.min(...(await Promise.all(SEARCH_SOURCES.map((n) => this.ledger.reads[n].active()))).map((a) => a.position));
    const each = Math.min(limit + 1, ID_SEARCH_MAX); // one more than asked: tells whether there are more
    const [creators, budget, payouts, events] = await Promise.all([
      this.ledger.reads.earnings.read((tx, a) => creatorIdsStartingWith(tx, a.prefix, q, upTo, each)),
      this.ledger.reads.budget.read(async (tx, a) => ({
        campaigns: await campaignsStartingWith(tx, a.prefix, q, upTo, each),
        brands: await brandsStartingWith(tx, a.prefix, q, upTo, each),
      })),
      this.ledger.reads.payout.read((tx, a) => payoutsStartingWith(tx, a.prefix, q, upTo, each)),
      this.ledger.store.idsStartingWith(q, upTo, each),
    ]);
    const hits: SearchHit[] = [
      ...creators.map((id) => ({ kind: "creator" as const, id })),
      ...budget.campaigns.map((c) => ({ kind: "campaign" as const, id: c.campaignId, brandId: c.brandId, marketplace: c.marketplace })),
      ...budget.brands.map((b) => ({ kind: "brand" as const, id: b.brandId, campaigns: b.campaigns })),
      ...payouts.map((p) => ({ kind: "payout" as const, id: p.payoutId, creatorId: p.creatorId, marketplace: p.marketplace })),
      ...events.map((e) => ({ kind: "event" as const, id: e.id, type: e.type, position: e.position })),
    ];
    // By lower-cased id (an exact match is the shortest, so it comes first), then kind, then id.
    hits.sort((a, b) => {
      const lower = byCodePoint(a.id.toLowerCase(), b.id.toLowerCase());
      if (lower !== 0) return lower;
      return SEARCH_KIND_ORDER[a.kind] - SEARCH_KIND_ORDER[b.kind] || byCodePoint(a.id, b.id);
    });
    return { q, asOfPosition: upTo, hits: hits.slice(0, limit), truncated: hits.length > limit };
  }

  // --- the hash chain (SPEC §13): the store itself --------------------------------------------

  /** The latest event's position and hash; as of P, the event at P's (the head of a store of 1..P). */
  async logHead(at: ReadAt) {
    const head = await this.validate(at);
    const upTo = at.asOfPosition ?? head;
    if (upTo === 0) return { position: 0, hash: GENESIS_HASH, asOfPosition: 0 };
    const [event] = await this.ledger.store.readForward(upTo - 1, 1);
    if (event === undefined || event.position !== upTo) throw new Error(`the store has no event at position ${upTo}`);
    return { position: upTo, hash: event.hash, asOfPosition: upTo };
  }

  /** Recomputes the chain (SPEC §13, `ledger verify`): ok, or the first bad position and why. */
  verifyLog(fromPosition: number) {
    return verifyChain(this.ledger.store, { fromPosition });
  }

  // --- replay (SPEC §6, §10): the read models themselves, as they are now ---------------------

  projections() {
    return projectionVersions(this.ledger);
  }

  projectionDiff(name: string, version: number, after: number, limit: number) {
    return projectionDiff(this.ledger, name, version, after, limit);
  }
}

/** A stored event as the engine sees it: upcast to its type's newest schema version (SPEC §8.3). */
function eventView(stored: StoredEvent) {
  return {
    position: stored.position,
    streamId: stored.streamId,
    streamRevision: stored.streamRevision,
    recordedAt: stored.recordedAt,
    id: stored.id,
    type: stored.type,
    schemaVersion: LATEST_SCHEMA_VERSION[stored.type],
    occurredAt: stored.occurredAt,
    data: toCurrentEvent(stored).data,
    hash: stored.hash,
  };
}

/** The read models GET /v1/search reads (besides the store). */
const SEARCH_SOURCES = ["earnings", "budget", "payout"] as const satisfies readonly ProjectionName[];
const SEARCH_KIND_ORDER = { creator: 0, campaign: 1, brand: 2, payout: 3, event: 4 } as const;
type SearchHit =
  | { kind: "creator"; id: string }
  | { kind: "campaign"; id: string; brandId: string; marketplace: MarketplaceCode }
  | { kind: "brand"; id: string; campaigns: number }
  | { kind: "payout"; id: string; creatorId: string; marketplace: MarketplaceCode }
  | { kind: "event"; id: string; type: EventType; position: number };

/** Store reads one answer makes at once, at most (a campaign's history: each entry's recordedAt). */
const STORE_READS_PARALLEL = 16;

/** Events one page of GET /v1/events looks at, at most (a type filter may skip them all). */
export const EVENTS_SCAN_MAX = 10_000;

function checkRange(from: string, to: string): void {
  const range = checkReportRange(from, to);
  if (!range.ok) throw new ReadRefused(range.message);
}
