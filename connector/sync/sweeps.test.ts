/**
 * The referrals sweep queues what it lists as it lists it, a Salesforce collection at a time: a backfill's first
 * deals are worked while its later pages are still being read, and a sweep repeated after a crash queues nothing
 * twice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PartnerCenterClient } from '../partner-center/client.js';
import type { Referral } from '../model/referral.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { WorkItem } from '../queue/types.js';
import { BACKFILL_CURSOR, REFERRAL_CURSOR } from '../queue/lanes.js';
import { processSweep, sweepRequest } from './sweeps.js';
import type { SyncDeps } from './types.js';

const referral = (i: number): Referral => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  updatedDateTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
});

/** Partner Center listing `pages`, calling `between(n)` before it reads page n+1. */
function listing(pages: Referral[][], between: (listed: number) => Promise<void>): PartnerCenterClient {
  return {
    async *referralPages() {
      for (const [n, value] of pages.entries()) {
        if (n > 0) await between(n);
        yield { data: { value }, status: 200, clientRequestId: `page-${n}` };
      }
    },
  } as unknown as PartnerCenterClient;
}

async function sweepItem(store: SqliteStore): Promise<WorkItem> {
  await store.enqueue(sweepRequest('referrals', Date.now(), 60_000));
  const [item] = await store.claim('w', { limit: 1, leaseMs: 60_000, kinds: ['sweep'] });
  return item;
}

describe('the referrals sweep', () => {
  it('queues what it lists a full collection at a time, before reading further', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    const pages = [0, 100, 200].map((first) => Array.from({ length: first === 200 ? 50 : 100 }, (_, i) => referral(first + i)));
    const queuedBeforePage: number[] = [];
    let woken = 0;
    const deps = {
      store,
      partnerCenter: listing(pages, async () => void queuedBeforePage.push((await store.stats()).depth.inbound)),
      now: Date.now,
      onEnqueued: () => woken++,
    } as unknown as SyncDeps;
    const item = await sweepItem(store);
    const result = await processSweep(item, deps, { enabled: true, pendingIntervalMs: 1000, pendingAgeSeconds: 1, referralsIntervalMs: 1000 });

    // Two pages of 100 fill one Salesforce collection of 200: queued before the third page is read.
    assert.deepEqual(queuedBeforePage, [0, 200]);
    assert.equal(woken, 2);
    assert.equal((await store.stats()).depth.inbound, 250);
    assert.equal(result.status, 'done');
    assert.ok(result.status === 'done' && result.enqueue === undefined, 'nothing is left to queue at completion');
    assert.deepEqual(result.status === 'done' && result.outcome, { result: 'swept', sweep: 'referrals', found: 250, backfill: true });
    // The cursor moves with the completion only: until then a crash repeats the whole sweep.
    assert.equal(await store.getCursor(REFERRAL_CURSOR), null);
    assert.equal(result.status === 'done' && result.cursors?.[REFERRAL_CURSOR], referral(249).updatedDateTime);
    // Progress for `cosell status` while it runs.
    assert.equal((JSON.parse((await store.getCursor(BACKFILL_CURSOR)) ?? '{}') as { total: number }).total, 250);

    // The same sweep again (the connector died before completing it): every page is a duplicate.
    await processSweep(item, deps, { enabled: true, pendingIntervalMs: 1000, pendingAgeSeconds: 1, referralsIntervalMs: 1000 });
    assert.equal((await store.stats()).depth.inbound, 250);
    await store.close();
  });
});
