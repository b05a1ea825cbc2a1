/**
 * The catch-up sweeps, so no single delivery path has to be trusted:
 * - pending: syncing opportunities left Pending longer than `pendingAgeSeconds` (a flow callout that never
 *   arrived) are queued for an outbound sync;
 * - referrals: referrals updated in Partner Center since the stored cursor (a webhook that never arrived) are
 *   queued for an inbound sync as they are listed, a collection's worth at a time, with the listed referral as
 *   a snapshot to save a GET. With no cursor yet the sweep lists everything: that first run is the backfill.
 *   "Get a list of referrals" documents updatedDateTime only for `$orderby`, not for `$filter`, so the sweep reads
 *   `$orderby=updatedDateTime desc` and stops at the first referral older than the cursor. A referral updated
 *   while the pages are read moves to the front it has already passed; it is newer than everything the sweep
 *   saw, so the cursor (the newest time seen) stays below it and the next sweep lists it.
 * Sweeps are work items themselves: the new cursor is stored in the transaction that completes them (with the
 * Pending sweep's findings), so a crash mid-sweep repeats the sweep instead of losing or half-recording it.
 */
import type { SweepConfig } from '../config/types.js';
import { pendingOpportunitiesQuery } from '../salesforce/queries.js';
import { COLLECTION_LIMIT } from '../salesforce/gateway.js';
import { toId18 } from '../model/salesforce-id.js';
import type { EnqueueRequest, JsonObject, Store, WorkItem } from '../queue/types.js';
import { toSyncFailure } from './failures.js';
import { BACKFILL_CURSOR, REFERRAL_CURSOR, SWEEP_LANES, inboundRequest, laneForReferral, outboundRequest } from '../queue/lanes.js';
import type { ItemResult, SyncDeps } from './types.js';

export type SweepName = keyof typeof SWEEP_LANES;

export function sweepRequest(sweep: SweepName, now: number, intervalMs: number): EnqueueRequest {
  return {
    kind: 'sweep',
    key: SWEEP_LANES[sweep],
    payload: { sweep },
    source: 'scheduler',
    // One sweep per interval, whichever connector instance asks first.
    idempotencyKey: `sweep:${sweep}:${Math.floor(now / intervalMs)}`,
  };
}

async function sweepPending(deps: SyncDeps, config: SweepConfig): Promise<ItemResult> {
  const before = deps.now() - config.pendingAgeSeconds * 1000;
  const rows = await deps.salesforce.query<{ Id: string; LastModifiedDate?: string }>(pendingOpportunitiesQuery(before), { what: 'Pending opportunities' });
  const enqueue = rows.map((row) => {
    const opportunityId = toId18(row.Id) ?? row.Id;
    return outboundRequest(opportunityId, { opportunityId, reason: 'Retry', eventUuid: null, publishedAt: row.LastModifiedDate ?? null }, 'sweep');
  });
  return { status: 'done', outcome: { result: 'swept', sweep: 'pending', found: rows.length }, enqueue };
}

async function sweepReferrals(deps: SyncDeps): Promise<ItemResult> {
  const cursor = await deps.store.getCursor(REFERRAL_CURSOR);
  const cursorMs = cursor ? Date.parse(cursor) : Number.NEGATIVE_INFINITY;
  const startedAt = deps.now();
  let found = 0;
  let newest = cursorMs;
  let requests: EnqueueRequest[] = [];
  // Listed referrals are queued a full Salesforce collection at a time (two pages of 100), as soon as they are
  // listed, so their deals are written while later pages are still being read (a backfill of 100,000 referrals
  // is 1,000 pages) and each inbound batch still fills one collection call. The cursor only moves when the
  // whole sweep completes, so a crash part-way repeats the sweep; the idempotency keys keep the repeat from
  // queuing anything twice.
  const flush = async () => {
    if (requests.length === 0) return;
    await deps.store.enqueueMany(requests);
    found += requests.length;
    requests = [];
    if (cursor === null) await deps.store.setCursor(BACKFILL_CURSOR, JSON.stringify({ startedAt, total: found }));
    deps.onEnqueued?.();
  };
  let older = false;
  for await (const page of deps.partnerCenter.referralPages({ orderBy: 'updatedDateTime desc' })) {
    for (const referral of page.data.value ?? []) {
      if (!referral.id) continue;
      const updated = referral.updatedDateTime ?? referral.createdDateTime ?? null;
      const updatedMs = updated ? Date.parse(updated) : Number.NaN;
      // `ge`: the newest referral of the last sweep is listed again; its idempotency key makes that a no-op.
      if (!Number.isNaN(updatedMs) && updatedMs < cursorMs) {
        older = true;
        break;
      }
      if (!Number.isNaN(updatedMs)) newest = Math.max(newest, updatedMs);
      const request = inboundRequest(
        await laneForReferral(deps.store, referral.id),
        { referralId: referral.id, eventName: 'sweep', changedAt: updated },
        'sweep',
        // A sweep repeated after a crash re-lists the pages it had queued: the key makes those no-ops too.
        `sweep:${referral.id}@${updated ?? 'unknown'}`,
      );
      request.payload.referral = referral as unknown as JsonObject;
      requests.push(request);
    }
    if (requests.length >= COLLECTION_LIMIT) await flush();
    if (older) break;
  }
  await flush();
  const cursors: Record<string, string> = {};
  if (Number.isFinite(newest)) cursors[REFERRAL_CURSOR] = new Date(newest).toISOString();
  if (cursor === null && found > 0) cursors[BACKFILL_CURSOR] = JSON.stringify({ startedAt, total: found });
  return {
    status: 'done',
    outcome: { result: 'swept', sweep: 'referrals', found, backfill: cursor === null },
    ...(Object.keys(cursors).length > 0 ? { cursors } : {}),
  };
}

export async function processSweep(item: WorkItem, deps: SyncDeps, config: SweepConfig): Promise<ItemResult> {
  const sweep = item.payload.sweep as SweepName;
  const operation = sweep === 'pending' ? 'sweep Pending opportunities' : 'sweep updated referrals';
  try {
    return sweep === 'pending' ? await sweepPending(deps, config) : await sweepReferrals(deps);
  } catch (error) {
    return { status: 'failed', failure: toSyncFailure(error, operation), context: { direction: sweep === 'pending' ? 'outbound' : 'inbound', opportunity: null, referralId: null, operation } };
  }
}

/** Queues each sweep on its interval (and once at start). Idempotency keys make several instances agree. */
export class SweepScheduler {
  #timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly store: Store,
    private readonly config: SweepConfig,
    private readonly onEnqueued: () => void,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  async enqueue(sweep: SweepName): Promise<void> {
    const interval = sweep === 'pending' ? this.config.pendingIntervalMs : this.config.referralsIntervalMs;
    const result = await this.store.enqueue(sweepRequest(sweep, this.now(), interval));
    if (!result.duplicate) this.onEnqueued();
  }

  start(): void {
    if (!this.config.enabled) return;
    for (const [sweep, interval] of [
      ['pending', this.config.pendingIntervalMs],
      ['referrals', this.config.referralsIntervalMs],
    ] as const) {
      const fire = () => this.enqueue(sweep).catch(this.onError);
      void fire();
      const timer = setInterval(fire, interval);
      timer.unref();
      this.#timers.push(timer);
    }
  }

  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
  }
}
