// Campaigns and their budgets (SPEC §5 budget, §9 campaign reads): one row per campaign as it
// stands now, and its history, one row per event that changed it, for point-in-time reads (§8.2).
//
// `spent` and `released` are derived from the journal: the bonus each entry moves out of or back into
// campaign:{id}:budget (domain/journal/entryKinds.ts budgetFlow). The engine reports its own view of
// the budget after each event that changed it; the two must agree, or the projector stops (a broken
// invariant is never written down). `remaining` = max(0, budget − spent) is computed on read.
//
// Issue 27: `changes` keeps one row per event that managed a campaign's life (created, budget
// changed, paused, resumed, end changed, ended: CHANGE_TYPES) with the values after it, from which
// GET /v1/campaigns/{id} answers its `history`; `created_position` answers the lists and the search
// as of a position; ids are code-point text (idText) so pages and prefix searches are SQL ranges.
import { assert } from "../../domain/assert.ts";
import { budgetFlow } from "../../domain/journal/entryKinds.ts";
import type { EventType } from "../../domain/events/schemas.ts";
import { idText, int, type Dialect, type SqlValue } from "../../infra/readModel/port.ts";
import type { ProjectionDefinition, ReadModelRead } from "../projection.ts";

/** The columns of a campaign row (the same in `campaigns` and `history`). */
export const CAMPAIGN_COLUMNS = [
  "campaign_id",
  "brand_id",
  "marketplace",
  "bonus_rate",
  "budget",
  "spent",
  "released",
  "exhausted_at",
  "starts_at",
  "ends_at",
  "ends_at_ms",
  "asins",
  "paused",
  "ended",
  "creators",
  "position",
  "created_position",
] as const;

/** The events that manage a campaign's life: each one that changed a campaign is a row of `changes` (its history). */
export const CHANGE_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  "CampaignCreated",
  "CampaignBudgetChanged",
  "CampaignPaused",
  "CampaignResumed",
  "CampaignEndChanged",
  "CampaignEnded",
]);

/** A row of `changes`: the event and the values it left (budget in minor units). */
export const CHANGE_COLUMNS = [
  "campaign_id",
  "position",
  "event_type",
  "event_id",
  "occurred_at",
  "budget",
  "ends_at",
  "paused",
  "ended",
] as const;

interface CampaignRow {
  campaign_id: string;
  brand_id: string;
  marketplace: string;
  bonus_rate: string;
  budget: number;
  spent: number;
  released: number;
  exhausted_at: string | null;
  starts_at: string;
  ends_at: string;
  ends_at_ms: number;
  /** JSON array of the campaign's ASINs. */
  asins: string;
  paused: number;
  ended: number;
  /** Creators who accepted (§9 `creators`). */
  creators: number;
  /** The position of the last event that changed the row. */
  position: number;
  /** The position of its CampaignCreated. */
  created_position: number;
}

const columnsDdl = (
  d: Dialect,
) => `campaign_id ${idText(d)} NOT NULL, brand_id ${idText(d)} NOT NULL, marketplace TEXT NOT NULL, bonus_rate TEXT NOT NULL,
  budget BIGINT NOT NULL, spent BIGINT NOT NULL, released BIGINT NOT NULL, exhausted_at TEXT, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,
  ends_at_ms BIGINT NOT NULL, asins TEXT NOT NULL, paused INTEGER NOT NULL, ended INTEGER NOT NULL, creators INTEGER NOT NULL, position BIGINT NOT NULL,
  created_position BIGINT NOT NULL`;

function toValues(row: CampaignRow): SqlValue[] {
  return CAMPAIGN_COLUMNS.map((c) => row[c]);
}

async function loadRow(read: ReadModelRead, p: string, campaignId: string): Promise<CampaignRow | null> {
  const rows = await read.query<Record<string, unknown>>(`SELECT ${CAMPAIGN_COLUMNS.join(", ")} FROM ${p}campaigns WHERE campaign_id = ?`, [
    campaignId,
  ]);
  const r = rows[0];
  if (!r) return null;
  return {
    ...(r as unknown as CampaignRow),
    budget: int(r.budget),
    spent: int(r.spent),
    released: int(r.released),
    ends_at_ms: int(r.ends_at_ms),
    paused: int(r.paused),
    ended: int(r.ended),
    creators: int(r.creators),
    position: int(r.position),
    created_position: int(r.created_position),
  };
}

export const budgetProjection: ProjectionDefinition = {
  name: "budget",
  format: 5, // 5: changes (a campaign's history), created_position, code-point ids (issue 27)
  tables: { campaigns: ["campaign_id"], history: ["campaign_id", "position"], changes: ["campaign_id", "position"] },
  // ends_at_ms and ended feed the campaign-end scheduler (services/scheduler.ts).
  schema: (p, d) => `
    CREATE TABLE IF NOT EXISTS ${p}campaigns (${columnsDdl(d)}, PRIMARY KEY (campaign_id));
    CREATE TABLE IF NOT EXISTS ${p}history (${columnsDdl(d)}, PRIMARY KEY (campaign_id, position));
    CREATE TABLE IF NOT EXISTS ${p}changes (campaign_id ${idText(d)} NOT NULL, position BIGINT NOT NULL, event_type TEXT NOT NULL,
      event_id TEXT NOT NULL, occurred_at TEXT NOT NULL, budget BIGINT NOT NULL, ends_at TEXT NOT NULL, paused INTEGER NOT NULL,
      ended INTEGER NOT NULL, PRIMARY KEY (campaign_id, position));
  `,
  readIndexes: {
    campaigns_brand: "campaigns (brand_id, campaign_id)",
    campaigns_due: "campaigns (ended, ends_at_ms)",
    history_brand: "history (brand_id, campaign_id, position)",
    // GET /v1/search (issue 27): ids by their first characters, ignoring case (lower() of code-point text).
    campaigns_search: "campaigns (lower(campaign_id), campaign_id)",
    campaigns_brand_search: "campaigns (lower(brand_id), brand_id)",
  },
  batch(read, p) {
    const rows = new Map<string, CampaignRow>();
    const history: SqlValue[][] = [];
    const changes: SqlValue[][] = [];
    const rowOf = async (campaignId: string): Promise<CampaignRow> => {
      const row = rows.get(campaignId) ?? (await loadRow(read, p, campaignId));
      assert(row !== null, `budget projection: campaign ${campaignId} has an entry or fact before it was created`);
      rows.set(campaignId, row);
      return row;
    };
    return {
      async add(outcomes) {
        for (const o of outcomes) {
          const touched = new Set<string>();
          for (const post of o.postings) {
            if (post.campaignId === null) continue;
            const flow = budgetFlow(post.kind, post.amountMinor);
            if (flow.spentMinor === 0 && flow.releasedMinor === 0) continue;
            const row = await rowOf(post.campaignId);
            row.spent += flow.spentMinor;
            row.released += flow.releasedMinor;
            touched.add(post.campaignId);
          }
          for (const f of o.facts) {
            switch (f.kind) {
              case "campaign": {
                const existing = rows.get(f.campaignId) ?? (await loadRow(read, p, f.campaignId));
                const row: CampaignRow = existing ?? {
                  campaign_id: f.campaignId,
                  brand_id: f.brandId,
                  marketplace: f.marketplace,
                  bonus_rate: f.bonusRate,
                  budget: 0,
                  spent: 0,
                  released: 0,
                  exhausted_at: null,
                  starts_at: f.startsAt,
                  ends_at: f.endsAt,
                  ends_at_ms: f.endsAtMs,
                  asins: "[]",
                  paused: 0,
                  ended: 0,
                  creators: 0,
                  position: o.position,
                  created_position: o.position,
                };
                Object.assign(row, {
                  budget: f.budgetMinor,
                  ends_at: f.endsAt,
                  ends_at_ms: f.endsAtMs,
                  asins: JSON.stringify(f.asins),
                  paused: f.paused ? 1 : 0,
                });
                rows.set(f.campaignId, row);
                touched.add(f.campaignId);
                break;
              }
              case "budget": {
                const row = await rowOf(f.campaignId);
                // The journal and the engine must tell the same budget (SPEC §8.1 reconciliation).
                assert(
                  row.spent === f.spentMinor && row.released === f.releasedMinor,
                  `budget projection: campaign ${f.campaignId} at position ${o.position}: the journal gives spent ${row.spent}, released ${row.released}; the engine ${f.spentMinor}, ${f.releasedMinor}`,
                );
                row.budget = f.budgetMinor;
                row.exhausted_at = f.exhaustedAt;
                touched.add(f.campaignId);
                break;
              }
              case "campaign_ended":
                (await rowOf(f.campaignId)).ended = 1;
                touched.add(f.campaignId);
                break;
              case "acceptance":
                (await rowOf(f.campaignId)).creators += 1;
                touched.add(f.campaignId);
                break;
              default:
                break; // facts of other read models
            }
          }
          for (const campaignId of touched) {
            const row = rows.get(campaignId)!;
            row.position = o.position;
            history.push(toValues(row));
            // A management event that changed something touched exactly the campaign it names (an anomaly touches none).
            if (CHANGE_TYPES.has(o.eventType))
              changes.push([campaignId, o.position, o.eventType, o.eventId, o.occurredAt, row.budget, row.ends_at, row.paused, row.ended]);
          }
        }
      },
      async write(tx) {
        const placeholders = CAMPAIGN_COLUMNS.map(() => "?").join(", ");
        await tx.runMany(
          `INSERT INTO ${p}campaigns (${CAMPAIGN_COLUMNS.join(", ")}) VALUES (${placeholders}) ON CONFLICT (campaign_id) DO UPDATE SET ` +
            CAMPAIGN_COLUMNS.filter((c) => c !== "campaign_id")
              .map((c) => `${c} = excluded.${c}`)
              .join(", "),
          [...rows.values()].map(toValues),
        );
        await tx.runMany(`INSERT INTO ${p}history (${CAMPAIGN_COLUMNS.join(", ")}) VALUES (${placeholders})`, history);
        await tx.runMany(
          `INSERT INTO ${p}changes (${CHANGE_COLUMNS.join(", ")}) VALUES (${CHANGE_COLUMNS.map(() => "?").join(", ")})`,
          changes,
        );
      },
    };
  },
};
