// Earnings read model (SPEC §5 earnings and ledger): bucket totals per creator and marketplace,
// per earning month and per campaign; the audit trail of every posting; anomalies per creator.
import { addPosting, zeroBuckets, BUCKET_NAMES } from "../../domain/engine/buckets.ts";
import type { Outcome } from "../../domain/engine/outcome.ts";
import { moneyColumn, type Dialect, type ReadModelTx, type SqlValue } from "../../infra/readModel/port.ts";
import { AdditiveRows, insertIgnore } from "../additive.ts";
import type { ProjectionDefinition } from "../projection.ts";

export const BUCKET_COLUMNS = ["standard", "bonus_pending", "bonus_confirmed", "bonus_forfeited", "reversed"] as const;
const bucketsDdl = (d: Dialect) => BUCKET_COLUMNS.map((c) => moneyColumn(c, d)).join(", ");

export const LEDGER_COLUMNS = [
  "creator_id", "position", "seq", "source_event_id", "event_type", "kind", "campaign_id", "marketplace", "shipment_id", "asin",
  "amount_minor", "earning_month", "report_date", "rate", "rule_version", "note",
] as const;
export const ANOMALY_COLUMNS = ["position", "idx", "event_id", "event_type", "code", "message", "creator_id", "campaign_id"] as const;

function deltas(kind: Parameters<typeof addPosting>[1], amountMinor: number): number[] {
  const b = zeroBuckets();
  addPosting(b, kind, amountMinor);
  return BUCKET_NAMES.map((n) => b[n]);
}

export const earningsProjection: ProjectionDefinition = {
  name: "earnings",
  format: 2,
  tables: {
    creators: ["creator_id"],
    totals: ["creator_id", "marketplace"],
    months: ["creator_id", "marketplace", "month"],
    campaigns: ["creator_id", "campaign_id", "marketplace"],
    content: ["creator_id", "campaign_id"],
    ledger: ["creator_id", "position", "seq"],
    anomalies: ["position", "idx"],
  },
  schema: (p, d) => `
    CREATE TABLE IF NOT EXISTS ${p}creators (creator_id TEXT PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS ${p}totals (creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, ${bucketsDdl(d)}, PRIMARY KEY (creator_id, marketplace));
    CREATE TABLE IF NOT EXISTS ${p}months (creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, month TEXT NOT NULL, ${bucketsDdl(d)}, PRIMARY KEY (creator_id, marketplace, month));
    CREATE TABLE IF NOT EXISTS ${p}campaigns (creator_id TEXT NOT NULL, campaign_id TEXT NOT NULL, marketplace TEXT NOT NULL, ${bucketsDdl(d)}, PRIMARY KEY (creator_id, campaign_id, marketplace));
    CREATE TABLE IF NOT EXISTS ${p}content (creator_id TEXT NOT NULL, campaign_id TEXT NOT NULL, PRIMARY KEY (creator_id, campaign_id));
    CREATE TABLE IF NOT EXISTS ${p}ledger (creator_id TEXT NOT NULL, position BIGINT NOT NULL, seq INTEGER NOT NULL, source_event_id TEXT NOT NULL,
      event_type TEXT NOT NULL, kind TEXT NOT NULL, campaign_id TEXT NOT NULL, marketplace TEXT NOT NULL, shipment_id TEXT, asin TEXT,
      amount_minor BIGINT NOT NULL, earning_month TEXT NOT NULL, report_date TEXT NOT NULL, rate TEXT NOT NULL, rule_version INTEGER NOT NULL, note TEXT,
      PRIMARY KEY (creator_id, position, seq));
    CREATE TABLE IF NOT EXISTS ${p}anomalies (position BIGINT NOT NULL, idx INTEGER NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
      code TEXT NOT NULL, message TEXT NOT NULL, creator_id TEXT, campaign_id TEXT, PRIMARY KEY (position, idx));
    CREATE INDEX IF NOT EXISTS ${p}anomalies_creator ON ${p}anomalies (creator_id, position);
  `,
  async apply(tx: ReadModelTx, p: string, outcomes: readonly Outcome[]) {
    const totals = new AdditiveRows(`${p}totals`, ["creator_id", "marketplace"], BUCKET_COLUMNS);
    const months = new AdditiveRows(`${p}months`, ["creator_id", "marketplace", "month"], BUCKET_COLUMNS);
    const campaigns = new AdditiveRows(`${p}campaigns`, ["creator_id", "campaign_id", "marketplace"], BUCKET_COLUMNS);
    const creators = new Set<string>();
    const content: SqlValue[][] = [];
    const ledger: SqlValue[][] = [];
    const anomalies: SqlValue[][] = [];
    for (const o of outcomes) {
      for (const post of o.postings) {
        const d = deltas(post.kind, post.amountMinor);
        creators.add(post.creatorId);
        totals.add([post.creatorId, post.marketplace], d);
        months.add([post.creatorId, post.marketplace, post.earningMonth], d);
        campaigns.add([post.creatorId, post.campaignId, post.marketplace], d);
        ledger.push([
          post.creatorId, post.position, post.seq, post.sourceEventId, post.eventType, post.kind, post.campaignId, post.marketplace,
          post.shipmentId, post.asin, post.amountMinor, post.earningMonth, post.reportDate, post.rate, post.ruleVersion, post.note,
        ]);
      }
      for (const fact of o.facts) {
        if (fact.kind === "acceptance") {
          // An accepted campaign shows in the creator's earnings even before it earns anything.
          creators.add(fact.creatorId);
          const zero = BUCKET_COLUMNS.map(() => 0);
          totals.add([fact.creatorId, fact.marketplace], zero);
          campaigns.add([fact.creatorId, fact.campaignId, fact.marketplace], zero);
        } else if (fact.kind === "content_qualified") {
          content.push([fact.creatorId, fact.campaignId]);
        }
      }
      o.anomalies.forEach((a, idx) => {
        if (a.creatorId !== null) creators.add(a.creatorId);
        anomalies.push([a.position, idx, a.eventId, a.eventType, a.code, a.message, a.creatorId, a.campaignId]);
      });
    }
    await insertIgnore(tx, `${p}creators`, ["creator_id"], [...creators].map((c) => [c]));
    await totals.write(tx);
    await months.write(tx);
    await campaigns.write(tx);
    await insertIgnore(tx, `${p}content`, ["creator_id", "campaign_id"], content);
    await insertIgnore(tx, `${p}ledger`, LEDGER_COLUMNS, ledger);
    await insertIgnore(tx, `${p}anomalies`, ANOMALY_COLUMNS, anomalies);
  },
};
