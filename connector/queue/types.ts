/**
 * The durable queue and sync state the connector depends on: a port, not an adapter. The store adapters implement
 * it (store/sqlite-store.ts, store/postgres-store.ts); the HTTP edge enqueues through it and the sync layer claims
 * from it, so neither needs the other or a store. The methods are async and take no SQLite-specific arguments, so
 * the Postgres implementation satisfies the same interface and lets several connector instances share the work.
 */
import type { SyncBaseline } from '../engine/fingerprint.js';
import type { Referral } from '../model/referral.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** outbound: an opportunity to push to Partner Center; inbound: a referral to pull into Salesforce; sweep: a periodic catch-up. */
export const WORK_KINDS = ['outbound', 'inbound', 'sweep'] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

/** queued → running → done | (queued again with backoff) | dead; dead → queued on replay. */
export type WorkStatus = 'queued' | 'running' | 'done' | 'dead';

export interface EnqueueRequest {
  kind: WorkKind;
  /** Ordering lane: at most one item per key runs at a time and later items wait for earlier ones. */
  key: string;
  payload: JsonObject;
  /** A delivery seen before under this key returns the original item instead of enqueuing again. */
  idempotencyKey?: string;
  /** Where the request came from (sync-request, webhook, sweep, cli, ...), for the sync log and status. */
  source: string;
  /** When the change happened at its origin (ms since epoch), for end-to-end latency. */
  eventAt?: number;
  /**
   * Merge into an item of the same kind and key that is still waiting (not yet claimed): the worker reads
   * the current state when it runs, so one run serves every request that arrived before it. Default true.
   * The merged item carries the payload and event time of the newest change (by `eventAt`) merged into it.
   */
  coalesce?: boolean;
  /** Earliest run time (ms since epoch); default now. */
  notBefore?: number;
}

export interface EnqueueResult {
  id: number;
  requestId: string;
  /** The idempotency key had been seen: nothing new was stored. */
  duplicate: boolean;
  /** A waiting item of the same kind and key absorbed the request. */
  coalesced: boolean;
}

export interface WorkError {
  message: string;
  code?: string;
  /** Partner Center or Salesforce request id, for support. */
  requestId?: string;
  retryable: boolean;
  at: number;
}

export interface WorkItem {
  id: number;
  requestId: string;
  kind: WorkKind;
  key: string;
  payload: JsonObject;
  source: string;
  status: WorkStatus;
  attempts: number;
  nextAttemptAt: number;
  claimedBy: string | null;
  leaseUntil: number | null;
  lastError: WorkError | null;
  outcome: JsonObject | null;
  eventAt: number;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
}

/**
 * What the connector last agreed with Partner Center about one deal: the opportunity ⇄ referral link, the
 * referral as last seen or written (for minimal patches), its eTag, and the fingerprints of both sides after the
 * last exchange, so the connector's own writes coming back as webhooks or flow requests are recognised.
 */
export interface SyncState {
  opportunityId: string | null;
  referralId: string | null;
  eTag: string | null;
  referral: Referral | null;
  /** Per-field fingerprints of both sides after the last successful exchange (echo detection, conflict rules). */
  baseline: SyncBaseline | null;
  /** The Lead an inbound marketplace lead became (leads have no referral id field to upsert on). */
  leadId: string | null;
  /** The opportunity was deleted in Salesforce: inbound changes are reported, never recreate it. */
  opportunityDeleted: boolean;
  lastOutboundAt: number | null;
  lastInboundAt: number | null;
  updatedAt: number;
}

/** A change to the sync state; identifies the row by opportunityId and/or referralId, merging rows it links. */
export type SyncStateUpdate = Partial<Omit<SyncState, 'updatedAt'>> & ({ opportunityId: string } | { referralId: string });

export interface Completion {
  outcome: JsonObject;
  /** This was a real success for the item's lane: its earlier dead letters (same kind and key) are settled. */
  settleDeadLetters?: boolean;
  syncState?: SyncStateUpdate[];
  /** Work discovered by this item (a sweep's findings), stored in the same transaction. */
  enqueue?: EnqueueRequest[];
  cursors?: Record<string, string>;
}

export interface Failure {
  error: Omit<WorkError, 'at'>;
  /** Honour a server's Retry-After: the next attempt is no sooner than this. */
  retryAfterMs?: number;
  /** Park now regardless of attempts left (validation errors, missing records). */
  park?: boolean;
  /** Progress made before the failure (e.g. the referral was created), kept in the same transaction. */
  syncState?: SyncStateUpdate[];
}

export type FailResult = { status: 'queued'; nextAttemptAt: number } | { status: 'dead' } | { status: 'lost' };

export interface ClaimOptions {
  limit: number;
  leaseMs: number;
  kinds?: readonly WorkKind[];
}

export interface StoreStats {
  /** Items waiting or running, by kind. */
  depth: Record<WorkKind, number>;
  running: number;
  dead: Record<WorkKind, number>;
  /** Completion time of the newest successful item, by kind. */
  lastSuccessAt: Record<WorkKind, number | null>;
  /** When the oldest due, unclaimed item became due (null when none). */
  oldestDueAt: number | null;
}

export interface WorkerHeartbeat {
  workerId: string;
  pid: number;
  host: string;
  startedAt: number;
  heartbeatAt: number;
}

export interface Store {
  enqueue(request: EnqueueRequest): Promise<EnqueueResult>;
  /** All or nothing, in one transaction. */
  enqueueMany(requests: readonly EnqueueRequest[]): Promise<EnqueueResult[]>;
  /** Claims due items with a lease; an expired lease makes an item claimable again. Attempts count at claim. */
  claim(workerId: string, options: ClaimOptions): Promise<WorkItem[]>;
  renewLease(id: number, workerId: string, leaseMs: number): Promise<boolean>;
  /** Marks done with the outcome and applies the sync state, enqueues and cursors atomically; false if the lease was lost. */
  complete(id: number, workerId: string, completion: Completion): Promise<boolean>;
  /**
   * Records sync state while `workerId` still holds the item, before a side effect whose result a crash could lose
   * (the values a referral is about to be created with); false, and nothing written, if the lease was lost.
   */
  checkpoint(id: number, workerId: string, syncState: readonly SyncStateUpdate[]): Promise<boolean>;
  /** Schedules a retry with backoff, or parks the item as a dead letter when attempts are exhausted or `park`. */
  fail(id: number, workerId: string, failure: Failure): Promise<FailResult>;
  /** Gives a claimed item back without counting the attempt (graceful shutdown); lastError records that it ran. */
  release(id: number, workerId: string, reason?: string): Promise<boolean>;
  getItem(id: number): Promise<WorkItem | null>;
  getItemByRequestId(requestId: string): Promise<WorkItem | null>;
  listItems(filter: { status?: WorkStatus; kind?: WorkKind; key?: string; limit?: number }): Promise<WorkItem[]>;
  listDeadLetters(options?: { kind?: WorkKind; limit?: number }): Promise<WorkItem[]>;
  /** Requeues a dead letter with a fresh attempt budget; false if it is not dead. */
  replay(id: number): Promise<boolean>;
  replayAll(kind?: WorkKind): Promise<number>;
  getSyncState(by: { opportunityId: string } | { referralId: string }): Promise<SyncState | null>;
  getCursor(name: string): Promise<string | null>;
  setCursor(name: string, value: string): Promise<void>;
  stats(): Promise<StoreStats>;
  heartbeat(beat: Omit<WorkerHeartbeat, 'heartbeatAt'>): Promise<void>;
  removeHeartbeat(workerId: string): Promise<void>;
  listHeartbeats(): Promise<WorkerHeartbeat[]>;
  /** Deletes finished items (and their idempotency keys) completed before `before`. */
  prune(before: number): Promise<number>;
  /** Throws when the store cannot be read. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
