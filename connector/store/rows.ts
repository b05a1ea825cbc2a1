/**
 * The `work_items` and `sync_state` rows both stores read, and their mapping to the Store's types. The two
 * backends differ only in how a JSON column arrives (SQLite hands back text, Postgres' jsonb comes parsed) and
 * how a boolean does (0/1 against true/false), so the mapping takes the JSON decoder as a parameter.
 */
import type { SyncBaseline } from '../engine/fingerprint.js';
import type { Referral } from '../model/referral.js';
import { WORK_KINDS, type JsonObject, type StoreStats, type SyncState, type WorkError, type WorkItem, type WorkKind, type WorkStatus } from '../queue/types.js';

export interface ItemRow<Json> {
  id: number;
  request_id: string;
  kind: WorkKind;
  key: string;
  payload: Json;
  source: string;
  status: WorkStatus;
  attempts: number;
  next_attempt_at: number;
  claimed_by: string | null;
  lease_until: number | null;
  last_error: Json | null;
  outcome: Json | null;
  event_at: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface SyncRow<Json> {
  id: number;
  opportunity_id: string | null;
  referral_id: string | null;
  e_tag: string | null;
  referral: Json | null;
  baseline: Json | null;
  lead_id: string | null;
  opportunity_deleted: number | boolean;
  last_outbound_at: number | null;
  last_inbound_at: number | null;
  updated_at: number;
}

/** SyncState property → sync_state column, for the columns an update may set. */
export const SYNC_COLUMNS = {
  eTag: 'e_tag',
  leadId: 'lead_id',
  lastOutboundAt: 'last_outbound_at',
  lastInboundAt: 'last_inbound_at',
} as const satisfies Partial<Record<keyof SyncState, string>>;

export const UNFINISHED = `status IN ('queued', 'running')`;

/** When an unfinished item is due: its backoff when queued, its lease when running (queue/policy.ts `dueAt`, in SQL). */
export const DUE_AT = `CASE w.status WHEN 'queued' THEN w.next_attempt_at ELSE w.lease_until END`;

export type JsonDecoder<Json> = (value: Json) => unknown;

function decodeNullable<Json, T>(value: Json | null, decode: JsonDecoder<Json>): T | null {
  return value === null ? null : (decode(value) as T);
}

export function toItem<Json>(row: ItemRow<Json>, decode: JsonDecoder<Json>): WorkItem {
  return {
    id: row.id,
    requestId: row.request_id,
    kind: row.kind,
    key: row.key,
    payload: decode(row.payload) as JsonObject,
    source: row.source,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    claimedBy: row.claimed_by,
    leaseUntil: row.lease_until,
    lastError: decodeNullable<Json, WorkError>(row.last_error, decode),
    outcome: decodeNullable<Json, JsonObject>(row.outcome, decode),
    eventAt: row.event_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

export function toSyncState<Json>(row: SyncRow<Json>, decode: JsonDecoder<Json>): SyncState {
  return {
    opportunityId: row.opportunity_id,
    referralId: row.referral_id,
    eTag: row.e_tag,
    referral: decodeNullable<Json, Referral>(row.referral, decode),
    baseline: decodeNullable<Json, SyncBaseline>(row.baseline, decode),
    leadId: row.lead_id,
    opportunityDeleted: row.opportunity_deleted === true || row.opportunity_deleted === 1,
    lastOutboundAt: row.last_outbound_at,
    lastInboundAt: row.last_inbound_at,
    updatedAt: row.updated_at,
  };
}

function byKind<T>(value: () => T): Record<WorkKind, T> {
  return Object.fromEntries(WORK_KINDS.map((k) => [k, value()])) as Record<WorkKind, T>;
}

/**
 * StoreStats from the counts of items by kind and status, the newest completion by kind and the oldest due time:
 * waiting and running items are the depth, dead letters are counted apart.
 */
export function tallyStats(
  counts: readonly { kind: WorkKind; status: WorkStatus; n: number }[],
  lastSuccesses: readonly { kind: WorkKind; t: number | null }[],
  oldestDueAt: number | null,
): StoreStats {
  const depth = byKind(() => 0);
  const dead = byKind(() => 0);
  const lastSuccessAt = byKind<number | null>(() => null);
  let running = 0;
  for (const row of counts) {
    if (row.status === 'dead') dead[row.kind] += row.n;
    else depth[row.kind] += row.n;
    if (row.status === 'running') running += row.n;
  }
  for (const row of lastSuccesses) lastSuccessAt[row.kind] = row.t;
  return { depth, running, dead, lastSuccessAt, oldestDueAt };
}
