// The one table of journal entry kinds (SPEC §8.1): for each kind, the accounts its transfer moves
// money between and the earnings buckets (SPEC §5, §8.4) it moves. Everything else is derived
// from it here: the transfer of a signed amount, the payable amount (rule 11), the pending bonus,
// the daily report's earnings and spend (§5), a campaign's spent and released (rule 4). Every
// projector, query and replay diff reads this table instead of keeping its own copy.
import { assertNever } from "../assert.ts";

/** The earnings buckets of SPEC §5 and §8.4, in the order the API lists them. */
export const BUCKETS = ["standard", "bonusPending", "bonusConfirmed", "bonusForfeited", "reversed", "adjusted"] as const;
export type Bucket = (typeof BUCKETS)[number];
export type Buckets<T = bigint> = Record<Bucket, T>;

/** `total` (SPEC §5, §8.4): standard + pending + confirmed + reversed + adjusted; forfeited is not earned. */
export const TOTAL_BUCKETS: readonly Bucket[] = ["standard", "bonusPending", "bonusConfirmed", "reversed", "adjusted"];
/** What becomes payable by month (rule 11): standard + confirmed bonus + reversals, and adjustments (§8.4). */
export const PAYABLE_BUCKETS: readonly Bucket[] = ["standard", "bonusConfirmed", "reversed", "adjusted"];
/** The daily report's earnings (SPEC §5): standard + bonus (pending or confirmed) + reversals; adjustments are not campaign activity (§8.4). */
export const REPORT_BUCKETS: readonly Bucket[] = ["standard", "bonusPending", "bonusConfirmed", "reversed"];

/** The kinds of account of the chart of accounts (SPEC §8.1); accountName() spells them out. */
export const ACCOUNT_ROLES = [
  "brand",
  "campaign_budget",
  "creator_pending",
  "creator_earned",
  "program_standard",
  "program_adjustments",
  "program_writeoffs",
  "payouts",
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export interface EntryKindRule {
  /** The transfer of an amount of the kind's natural sign; both null: a memo entry (moves no balance). */
  source: AccountRole | null;
  destination: AccountRole | null;
  /** The sign of the ledger's signed `amount` for which source → destination holds; the other sign reverses the transfer. */
  sign: 1 | -1;
  /** How a signed amount of this kind moves the earnings buckets. */
  buckets: Partial<Record<Bucket, 1 | -1>>;
}

export const ENTRY_KINDS = {
  budget_funding: { source: "brand", destination: "campaign_budget", sign: 1, buckets: {} },
  budget_return: { source: "campaign_budget", destination: "brand", sign: -1, buckets: {} },
  standard: { source: "program_standard", destination: "creator_earned", sign: 1, buckets: { standard: 1 } },
  standard_reversal: { source: "creator_earned", destination: "program_standard", sign: -1, buckets: { reversed: 1 } },
  bonus_pending: { source: "campaign_budget", destination: "creator_pending", sign: 1, buckets: { bonusPending: 1 } },
  bonus_pending_return: { source: "creator_pending", destination: "campaign_budget", sign: -1, buckets: { bonusPending: 1 } },
  bonus_confirm: { source: "creator_pending", destination: "creator_earned", sign: 1, buckets: { bonusPending: -1, bonusConfirmed: 1 } },
  bonus_forfeit: { source: "creator_pending", destination: "campaign_budget", sign: 1, buckets: { bonusPending: -1, bonusForfeited: 1 } },
  bonus_confirmed: { source: "campaign_budget", destination: "creator_earned", sign: 1, buckets: { bonusConfirmed: 1 } },
  bonus_reversal: { source: "creator_earned", destination: "campaign_budget", sign: -1, buckets: { reversed: 1 } },
  bonus_forfeited: { source: null, destination: null, sign: 1, buckets: { bonusForfeited: 1 } },
  adjustment: { source: "program_adjustments", destination: "creator_earned", sign: 1, buckets: { adjusted: 1 } },
  /** §12: the program forgives (part of) a creator's debt: counted as `adjusted` in earnings. */
  writeoff: { source: "program_writeoffs", destination: "creator_earned", sign: 1, buckets: { adjusted: 1 } },
  payout: { source: "creator_earned", destination: "payouts", sign: -1, buckets: {} },
  payout_failed: { source: "payouts", destination: "creator_earned", sign: 1, buckets: {} },
} as const satisfies Record<string, EntryKindRule>;

export type EntryKind = keyof typeof ENTRY_KINDS;
export const ENTRY_KINDS_LIST = Object.keys(ENTRY_KINDS) as EntryKind[];

export function isEntryKind(value: string): value is EntryKind {
  return Object.hasOwn(ENTRY_KINDS, value);
}

/** Whether entries of this kind move any earnings bucket (payouts and budget entries do not). */
export function movesBuckets(kind: EntryKind): boolean {
  return Object.keys(ENTRY_KINDS[kind].buckets).length > 0;
}

export function zeroBuckets(): Buckets {
  return { standard: 0n, bonusPending: 0n, bonusConfirmed: 0n, bonusForfeited: 0n, reversed: 0n, adjusted: 0n };
}

/** Adds what a signed amount of `kind` moves to `into`. */
export function addToBuckets(into: Buckets, kind: EntryKind, amountMinor: bigint): void {
  const moves: Partial<Record<Bucket, 1 | -1>> = ENTRY_KINDS[kind].buckets;
  for (const bucket of BUCKETS) {
    const factor = moves[bucket];
    if (factor !== undefined) into[bucket] += factor === 1 ? amountMinor : -amountMinor;
  }
}

/** The bucket deltas of one entry, in BUCKETS order (plain numbers: one entry is below 2^53). */
export function bucketDeltas(kind: EntryKind, amountMinor: number): number[] {
  const moves: Partial<Record<Bucket, 1 | -1>> = ENTRY_KINDS[kind].buckets;
  return BUCKETS.map((bucket) => {
    const factor = moves[bucket];
    return factor === undefined || amountMinor === 0 ? 0 : factor * amountMinor;
  });
}

export function sumOf(buckets: Buckets, which: readonly Bucket[]): bigint {
  let sum = 0n;
  for (const bucket of which) sum += buckets[bucket];
  return sum;
}

function sumOfDeltas(kind: EntryKind, amountMinor: number, which: readonly Bucket[]): number {
  const moves: Partial<Record<Bucket, 1 | -1>> = ENTRY_KINDS[kind].buckets;
  let sum = 0;
  for (const bucket of which) sum += (moves[bucket] ?? 0) * amountMinor;
  return sum + 0; // no -0
}

/** What an entry adds to the payable balance of its earning month (rule 11). */
export function payableDelta(kind: EntryKind, amountMinor: number): number {
  return sumOfDeltas(kind, amountMinor, PAYABLE_BUCKETS);
}

/** What an entry adds to the creator's pending bonus (rule 5). */
export function pendingDelta(kind: EntryKind, amountMinor: number): number {
  return sumOfDeltas(kind, amountMinor, ["bonusPending"]);
}

export interface Transfer {
  source: AccountRole;
  destination: AccountRole;
  /** Always > 0. */
  amountMinor: number;
}

/** The transfer a signed amount of `kind` books: none for a memo entry or an amount of 0 (SPEC §8.1). */
export function transferOf(kind: EntryKind, amountMinor: number): Transfer | null {
  const rule: EntryKindRule = ENTRY_KINDS[kind];
  if (rule.source === null || rule.destination === null || amountMinor === 0) return null;
  const natural = Math.sign(amountMinor) === rule.sign;
  return natural
    ? { source: rule.source, destination: rule.destination, amountMinor: Math.abs(amountMinor) }
    : { source: rule.destination, destination: rule.source, amountMinor: Math.abs(amountMinor) };
}

function isCreatorRole(role: AccountRole | null): boolean {
  return role === "creator_pending" || role === "creator_earned";
}

/**
 * What an entry does to its campaign's budget (rule 4, SPEC §5): bonus granted out of
 * campaign:budget to a creator raises `spent`; bonus given back from a creator to it lowers `spent`
 * and raises `released`. Funding and returns to the brand move neither. Linear in the signed amount
 * (a reversed entry takes back what its kind gives): a forfeiture's piece of −r for a returned part
 * lowers `released` by r again, as that part was released by its return already.
 */
export function budgetFlow(kind: EntryKind, amountMinor: number): { spentMinor: number; releasedMinor: number } {
  const rule: EntryKindRule = ENTRY_KINDS[kind];
  const natural = amountMinor * rule.sign; // > 0 in the direction of source → destination
  if (rule.source === "campaign_budget" && isCreatorRole(rule.destination)) return { spentMinor: natural + 0, releasedMinor: 0 };
  if (rule.destination === "campaign_budget" && isCreatorRole(rule.source)) return { spentMinor: -natural + 0, releasedMinor: natural + 0 };
  return { spentMinor: 0, releasedMinor: 0 };
}

/** What an entry adds to the daily report (SPEC §5): its earnings part and its spend (the bonus the brand pays). */
export function reportEffect(kind: EntryKind, amountMinor: number): { earningsMinor: number; spendMinor: number } {
  return { earningsMinor: sumOfDeltas(kind, amountMinor, REPORT_BUCKETS), spendMinor: budgetFlow(kind, amountMinor).spentMinor };
}

// --- Account names (SPEC §8.1) -------------------------------------------------------------------

/**
 * An id inside an account name: ids may contain ':' (SPEC §2), the separator of account names, so
 * it is written %3A there ('%' is not an id character, so the name stays unambiguous).
 */
function segment(id: string): string {
  return id.includes(":") ? id.replaceAll(":", "%3A") : id;
}

export interface AccountOwners {
  marketplace: string;
  creatorId: string | null;
  campaignId: string | null;
  brandId: string | null;
}

/** The name of the account `role` of these owners, e.g. creator:K9:US:earned. */
export function accountName(role: AccountRole, o: AccountOwners): string {
  const need = (id: string | null, what: string): string => {
    if (id === null) throw new Error(`account ${role} needs a ${what}`);
    return segment(id);
  };
  switch (role) {
    case "brand":
      return `brand:${need(o.brandId, "brandId")}:${o.marketplace}`;
    case "campaign_budget":
      return `campaign:${need(o.campaignId, "campaignId")}:budget`;
    case "creator_pending":
      return `creator:${need(o.creatorId, "creatorId")}:${need(o.campaignId, "campaignId")}:pending`;
    case "creator_earned":
      return `creator:${need(o.creatorId, "creatorId")}:${o.marketplace}:earned`;
    case "program_standard":
      return `program:${o.marketplace}:standard`;
    case "program_adjustments":
      return `program:${o.marketplace}:adjustments`;
    case "program_writeoffs":
      return `program:${o.marketplace}:writeoffs`;
    case "payouts":
      return `payouts:${o.marketplace}`;
    default:
      return assertNever(role, "account role");
  }
}
