/**
 * The Store contract: one suite every backend runs (sqlite-store.test.ts, postgres-store.test.ts), so SQLite and
 * Postgres keep exactly the same semantics — idempotency, coalescing, lanes, leases, backoff, dead letters, sync
 * state, cursors — plus what several connector instances sharing one store rely on: two store handles on one
 * location never run an item twice or two items of a key at once, and a SIGKILLed writer loses nothing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SyncBaseline } from '../engine/fingerprint.js';
import { backoffCeiling, type RetryPolicy } from './backoff.js';
import { BATCH_SIZE, LANES, appliedIds, batchRequests } from './fixtures/crash-protocol.js';
import type { StoreLocation } from './open.js';
import type { EnqueueRequest, Store, SyncStateUpdate, WorkItem } from './types.js';

export interface HarnessStoreOptions {
  retry?: Partial<RetryPolicy>;
  now?: () => number;
  random?: () => number;
}

export interface StoreHarness {
  /** Shown in the suite names: "SqliteStore", "PostgresStore". */
  name: string;
  /** A new, empty place for a store (a file, a schema); `persistent` when it must outlive the handle and be shared. */
  location(options: { persistent: boolean }): Promise<StoreLocation>;
  open(location: StoreLocation, options?: HarnessStoreOptions): Promise<Store>;
}

const outbound = (key: string, extra: Partial<EnqueueRequest> = {}): EnqueueRequest => ({
  kind: 'outbound',
  key,
  payload: { opportunityId: key },
  source: 'test',
  ...extra,
});

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Registers the contract suites. `skip` (a reason) skips them all visibly, e.g. when no server is available. */
export function storeContract(harness: StoreHarness, skip?: string): void {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  async function open(location: StoreLocation, options: HarnessStoreOptions = {}): Promise<Store> {
    const store = await harness.open(location, options);
    opened.push(store);
    return store;
  }

  /** A fresh store on a clock the test moves by hand, with jitter fixed at the middle of its band. */
  async function clockedStore(options: HarnessStoreOptions = {}) {
    const clock = { now: 1_000_000 };
    const store = await open(await harness.location({ persistent: false }), { now: () => clock.now, random: () => 0.5, ...options });
    return { store, clock };
  }

  const suite = (name: string, body: () => void) => describe(`${harness.name} ${name}`, skip ? { skip } : {}, body);

  suite('enqueue', () => {
    it('returns the original request id for a repeated idempotency key and stores nothing twice', async () => {
      const { store } = await clockedStore();
      const first = await store.enqueue(outbound('006A', { idempotencyKey: 'evt-1' }));
      const again = await store.enqueue(outbound('006A', { idempotencyKey: 'evt-1', payload: { other: true } }));
      assert.equal(first.duplicate, false);
      assert.equal(again.duplicate, true);
      assert.equal(again.requestId, first.requestId);
      assert.equal((await store.listItems({})).length, 1);
    });

    it('coalesces a request into the waiting item of the same kind and key, but not into a running one', async () => {
      const { store } = await clockedStore();
      const a = await store.enqueue(outbound('006A', { idempotencyKey: 'e1' }));
      const b = await store.enqueue(outbound('006A', { idempotencyKey: 'e2' }));
      assert.equal(b.coalesced, true);
      assert.equal(b.id, a.id);
      const [claimed] = await store.claim('w1', { limit: 5, leaseMs: 1000 });
      assert.equal(claimed.id, a.id);
      const c = await store.enqueue(outbound('006A', { idempotencyKey: 'e3' }));
      assert.equal(c.coalesced, false);
      assert.notEqual(c.id, a.id);
      // Both idempotency keys of the merged item still answer with its request id.
      assert.equal((await store.enqueue(outbound('006A', { idempotencyKey: 'e2' }))).requestId, a.requestId);
    });

    it('a merged item carries the payload of the newest change merged into it, never an older one', async () => {
      const { store } = await clockedStore();
      const inbound = (changedAt: number, source: string): EnqueueRequest => ({ kind: 'inbound', key: 'ref:1', payload: { changedAt, source }, source, eventAt: changedAt });
      const first = await store.enqueue(inbound(2000, 'webhook'));
      await store.enqueue(inbound(3000, 'webhook'));
      // A sweep's snapshot listed before the last change must not replace it.
      const late = await store.enqueue(inbound(2500, 'sweep'));
      assert.equal(late.coalesced, true);
      const item = await store.getItem(first.id);
      assert.deepEqual(item!.payload, { changedAt: 3000, source: 'webhook' });
      assert.equal(item!.eventAt, 3000);
    });

    it('never coalesces across an item of another kind in the same lane (order is kept)', async () => {
      const { store } = await clockedStore();
      const a = await store.enqueue(outbound('lane'));
      await store.enqueue({ kind: 'inbound', key: 'lane', payload: {}, source: 'test' });
      const c = await store.enqueue(outbound('lane'));
      assert.notEqual(c.id, a.id);
      assert.equal((await store.listItems({ key: 'lane' })).length, 3);
    });

    it('stores a batch all or nothing', async () => {
      const { store } = await clockedStore();
      const bad = { kind: 'nonsense', key: 'x', payload: {}, source: 'test' } as unknown as EnqueueRequest;
      await assert.rejects(store.enqueueMany([outbound('a', { idempotencyKey: 'k-a' }), bad]));
      assert.equal((await store.listItems({})).length, 0);
      assert.equal((await store.enqueue(outbound('a', { idempotencyKey: 'k-a' }))).duplicate, false);
    });

    it('keeps payloads, sources and times as given', async () => {
      const { store, clock } = await clockedStore();
      const payload = { opportunityId: '006A', nested: { list: [1, 'two', null, { deep: true }] }, text: 'Ünïcødé ✔' };
      const { id, requestId } = await store.enqueue(outbound('006A', { payload, eventAt: 42, notBefore: clock.now + 5, source: 'webhook' }));
      const item = (await store.getItem(id))!;
      assert.deepEqual(item.payload, payload);
      assert.equal(item.source, 'webhook');
      assert.equal(item.eventAt, 42);
      assert.equal(item.nextAttemptAt, clock.now + 5);
      assert.equal(item.createdAt, clock.now);
      assert.deepEqual(await store.getItemByRequestId(requestId), item);
      assert.equal(await store.getItem(id + 1000), null);
      assert.deepEqual(await store.claim('w', { limit: 1, leaseMs: 10 }), [], 'not before its notBefore');
    });
  });

  suite('claiming and ordering', () => {
    it('runs at most one item per key, in order, while other keys proceed', async () => {
      const { store } = await clockedStore();
      const a1 = await store.enqueue(outbound('A', { coalesce: false }));
      const a2 = await store.enqueue(outbound('A', { coalesce: false }));
      const b1 = await store.enqueue(outbound('B'));
      const first = await store.claim('w1', { limit: 10, leaseMs: 1000 });
      assert.deepEqual(first.map((i) => i.id).sort(), [a1.id, b1.id].sort());
      assert.deepEqual(await store.claim('w2', { limit: 10, leaseMs: 1000 }), []);
      assert.equal(await store.complete(a1.id, 'w1', { outcome: { result: 'ok' } }), true);
      const next = await store.claim('w2', { limit: 10, leaseMs: 1000 });
      assert.deepEqual(next.map((i) => i.id), [a2.id]);
    });

    it('keeps later items of a key waiting while the head backs off', async () => {
      const { store, clock } = await clockedStore();
      const a1 = await store.enqueue(outbound('A', { coalesce: false }));
      await store.enqueue(outbound('A', { coalesce: false }));
      await store.claim('w1', { limit: 1, leaseMs: 1000 });
      const failed = await store.fail(a1.id, 'w1', { error: { message: 'busy', retryable: true } });
      assert.equal(failed.status, 'queued');
      assert.deepEqual(await store.claim('w1', { limit: 10, leaseMs: 1000 }), []);
      clock.now = (failed as { nextAttemptAt: number }).nextAttemptAt;
      const [retried] = await store.claim('w1', { limit: 10, leaseMs: 1000 });
      assert.equal(retried.id, a1.id);
      assert.equal(retried.attempts, 2);
    });

    it('filters by kind', async () => {
      const { store } = await clockedStore();
      await store.enqueue(outbound('A'));
      const sweep = await store.enqueue({ kind: 'sweep', key: 'sweep:pending', payload: {}, source: 'test' });
      const claimed = await store.claim('w1', { limit: 10, leaseMs: 1000, kinds: ['sweep'] });
      assert.deepEqual(claimed.map((i) => i.id), [sweep.id]);
    });

    it('re-claims an item whose lease expired and fences the old worker out', async () => {
      const { store, clock } = await clockedStore();
      const { id } = await store.enqueue(outbound('A'));
      await store.claim('dead-worker', { limit: 1, leaseMs: 1000 });
      clock.now += 999;
      assert.deepEqual(await store.claim('w2', { limit: 1, leaseMs: 1000 }), []);
      clock.now += 1;
      const [reclaimed] = await store.claim('w2', { limit: 1, leaseMs: 1000 });
      assert.equal(reclaimed.id, id);
      assert.equal(reclaimed.attempts, 2);
      assert.equal(await store.complete(id, 'dead-worker', { outcome: { result: 'late' } }), false);
      assert.deepEqual(await store.fail(id, 'dead-worker', { error: { message: 'x', retryable: true } }), { status: 'lost' });
      assert.equal(await store.renewLease(id, 'dead-worker', 1000), false);
      assert.equal(await store.renewLease(id, 'w2', 5000), true);
      assert.equal(await store.complete(id, 'w2', { outcome: { result: 'ok' } }), true);
      assert.equal((await store.getItem(id))!.status, 'done');
    });

    it('a renewed lease keeps the item from being re-claimed', async () => {
      const { store, clock } = await clockedStore();
      const { id } = await store.enqueue(outbound('A'));
      await store.claim('w1', { limit: 1, leaseMs: 1000 });
      clock.now += 900;
      assert.equal(await store.renewLease(id, 'w1', 1000), true);
      clock.now += 900;
      assert.deepEqual(await store.claim('w2', { limit: 1, leaseMs: 1000 }), []);
      assert.equal((await store.getItem(id))!.leaseUntil, clock.now + 100);
    });

    it('parks an item whose worker died on every attempt instead of re-running it forever', async () => {
      const { store, clock } = await clockedStore({ retry: { maxAttempts: 2 } });
      const { id } = await store.enqueue(outbound('A'));
      await store.claim('w1', { limit: 1, leaseMs: 10 });
      clock.now += 10;
      await store.claim('w2', { limit: 1, leaseMs: 10 });
      clock.now += 10;
      assert.deepEqual(await store.claim('w3', { limit: 1, leaseMs: 10 }), []);
      const item = (await store.getItem(id))!;
      assert.equal(item.status, 'dead');
      assert.equal(item.lastError?.code, 'LEASE_EXPIRED');
    });

    it('release gives an item back without spending an attempt', async () => {
      const { store } = await clockedStore();
      const { id } = await store.enqueue(outbound('A'));
      await store.claim('w1', { limit: 1, leaseMs: 1000 });
      assert.equal(await store.release(id, 'w1'), true);
      assert.equal(await store.release(id, 'w1'), false);
      const [again] = await store.claim('w1', { limit: 1, leaseMs: 1000 });
      assert.equal(again.attempts, 1);
      assert.equal(again.lastError?.code, 'RELEASED', 'the next attempt knows an earlier one may have had effects');
    });
  });

  suite('retries and dead letters', () => {
    it('backs off exponentially with jitter inside [ceiling/2, ceiling], capped, then parks', async () => {
      const policy = { baseMs: 1000, capMs: 10_000, maxAttempts: 6 };
      const randoms = [0, 1, 0.25, 0.75, 0.5];
      const { store, clock } = await clockedStore({ retry: policy, random: () => randoms.shift() ?? 0 });
      const { id } = await store.enqueue(outbound('A'));
      const delays: number[] = [];
      for (let attempt = 1; attempt < policy.maxAttempts; attempt++) {
        await store.claim('w', { limit: 1, leaseMs: 1000 });
        const result = await store.fail(id, 'w', { error: { message: 'timeout', retryable: true } });
        assert.equal(result.status, 'queued');
        const { nextAttemptAt } = result as { nextAttemptAt: number };
        delays.push(nextAttemptAt - clock.now);
        clock.now = nextAttemptAt;
      }
      assert.deepEqual(delays, [500, 2000, 2500, 7000, 7500]);
      delays.forEach((d, i) => {
        const ceiling = backoffCeiling(i + 1, policy);
        assert.ok(d >= ceiling / 2 && d <= ceiling);
      });
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      assert.deepEqual(await store.fail(id, 'w', { error: { message: 'timeout', retryable: true } }), { status: 'dead' });
      const [dead] = await store.listDeadLetters();
      assert.equal(dead.id, id);
      assert.equal(dead.lastError?.message, 'timeout');
    });

    it('keeps the progress a failed attempt made', async () => {
      const { store } = await clockedStore();
      const { id } = await store.enqueue(outbound('A'));
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      await store.fail(id, 'w', { error: { message: 'write-back failed', retryable: true }, syncState: [{ opportunityId: 'A', referralId: 'R9' }] });
      assert.equal((await store.getSyncState({ referralId: 'R9' }))?.opportunityId, 'A');
      assert.deepEqual(await store.fail(id, 'w', { error: { message: 'x', retryable: true }, syncState: [{ opportunityId: 'A', eTag: 'no' }] }), { status: 'lost' });
      assert.equal((await store.getSyncState({ opportunityId: 'A' }))?.eTag, null);
    });

    it('a checkpoint records sync state while the worker holds the item, and nothing once it lost it', async () => {
      const { store, clock } = await clockedStore();
      const { id } = await store.enqueue(outbound('A'));
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      assert.equal(await store.checkpoint(id, 'w', [{ opportunityId: 'A', eTag: 'planned' }]), true);
      assert.equal((await store.getSyncState({ opportunityId: 'A' }))?.eTag, 'planned');
      clock.now += 1000;
      await store.claim('w2', { limit: 1, leaseMs: 1000 });
      assert.equal(await store.checkpoint(id, 'w', [{ opportunityId: 'A', eTag: 'stale' }]), false);
      assert.equal((await store.getSyncState({ opportunityId: 'A' }))?.eTag, 'planned');
    });

    it("honours a server's Retry-After when it is longer than the backoff", async () => {
      const { store, clock } = await clockedStore();
      const { id } = await store.enqueue(outbound('A'));
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      const result = await store.fail(id, 'w', { error: { message: '429', retryable: true }, retryAfterMs: 120_000 });
      assert.deepEqual(result, { status: 'queued', nextAttemptAt: clock.now + 120_000 });
    });

    it('parks a non-retryable failure at once; replay gives it a fresh attempt budget', async () => {
      const { store } = await clockedStore();
      const { id } = await store.enqueue(outbound('A'));
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      const fieldError = { message: 'Set Billing Country to a two-letter code such as DE', code: 'VALIDATION', retryable: false };
      assert.deepEqual(await store.fail(id, 'w', { error: fieldError }), { status: 'dead' });
      assert.deepEqual(await store.claim('w', { limit: 1, leaseMs: 1000 }), []);
      assert.equal((await store.stats()).dead.outbound, 1);
      assert.equal(await store.replay(id), true);
      assert.equal(await store.replay(id), false);
      const [again] = await store.claim('w', { limit: 1, leaseMs: 1000 });
      assert.equal(again.id, id);
      assert.equal(again.attempts, 1);
    });

    it('a replayed dead letter waits while a later item of its lane is running', async () => {
      const { store } = await clockedStore();
      const { id: parked } = await store.enqueue(outbound('A', { coalesce: false }));
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      await store.fail(parked, 'w', { error: { message: 'validation rule', retryable: false }, park: true });
      const { id: later } = await store.enqueue(outbound('A', { coalesce: false }));
      assert.deepEqual((await store.claim('w', { limit: 5, leaseMs: 1000 })).map((i) => i.id), [later]);
      assert.equal(await store.replay(parked), true);
      assert.deepEqual(await store.claim('w2', { limit: 5, leaseMs: 1000 }), [], 'never two items of one lane at once');
      await store.complete(later, 'w', { outcome: {} });
      assert.deepEqual((await store.claim('w2', { limit: 5, leaseMs: 1000 })).map((i) => i.id), [parked]);
    });

    it('replayAll requeues every dead letter of a kind', async () => {
      const { store } = await clockedStore();
      for (const key of ['A', 'B']) {
        const { id } = await store.enqueue(outbound(key));
        await store.claim('w', { limit: 1, leaseMs: 1000 });
        await store.fail(id, 'w', { error: { message: 'no', retryable: false } });
      }
      assert.equal(await store.replayAll('inbound'), 0);
      assert.equal(await store.replayAll('outbound'), 2);
      assert.equal((await store.listDeadLetters()).length, 0);
    });

    it('a later success for the same deal settles its earlier dead letters', async () => {
      const { store } = await clockedStore();
      const first = await store.enqueue(outbound('A'));
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      await store.fail(first.id, 'w', { error: { message: 'country missing', retryable: false } });
      const second = await store.enqueue(outbound('A'));
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      await store.complete(second.id, 'w', { outcome: { result: 'skipped' } });
      assert.equal((await store.listDeadLetters()).length, 1, 'a skip settles nothing');
      const third = await store.enqueue(outbound('A'));
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      await store.complete(third.id, 'w', { outcome: { result: 'created' }, settleDeadLetters: true });
      assert.deepEqual(await store.listDeadLetters(), []);
      assert.deepEqual((await store.getItem(first.id))!.outcome, { result: 'superseded', supersededBy: third.id });
    });
  });

  suite('completion, sync state and cursors', () => {
    it('applies sync state, follow-up work and cursors in the completing transaction', async () => {
      const { store } = await clockedStore();
      const sweep = await store.enqueue({ kind: 'sweep', key: 'sweep:referrals', payload: {}, source: 'test' });
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      const done = await store.complete(sweep.id, 'w', {
        outcome: { result: 'swept', found: 2 },
        enqueue: [
          { kind: 'inbound', key: 'ref:R1', payload: { referralId: 'R1' }, idempotencyKey: 'sweep:R1@t1', source: 'sweep' },
          { kind: 'inbound', key: 'ref:R2', payload: { referralId: 'R2' }, source: 'sweep' },
        ],
        cursors: { 'referrals.updatedSince': '2025-01-01T00:00:00Z' },
        syncState: [{ referralId: 'R1', eTag: 'e1' }],
      });
      assert.equal(done, true);
      assert.equal(await store.getCursor('referrals.updatedSince'), '2025-01-01T00:00:00Z');
      assert.equal((await store.listItems({ kind: 'inbound' })).length, 2);
      assert.equal((await store.getSyncState({ referralId: 'R1' }))?.eTag, 'e1');
      await store.setCursor('referrals.updatedSince', '2025-02-01T00:00:00Z');
      assert.equal(await store.getCursor('referrals.updatedSince'), '2025-02-01T00:00:00Z');
      assert.equal(await store.getCursor('never-set'), null);
    });

    it('does not apply anything when the lease was lost', async () => {
      const { store, clock } = await clockedStore();
      const { id } = await store.enqueue(outbound('A'));
      await store.claim('w1', { limit: 1, leaseMs: 10 });
      clock.now += 10;
      await store.claim('w2', { limit: 1, leaseMs: 10 });
      const done = await store.complete(id, 'w1', { outcome: {}, cursors: { c: 'x' }, syncState: [{ opportunityId: 'A', eTag: 'stale' }] });
      assert.equal(done, false);
      assert.equal(await store.getCursor('c'), null);
      assert.equal(await store.getSyncState({ opportunityId: 'A' }), null);
    });

    it('links an opportunity row and a referral row into one, keeping both sides', async () => {
      const { store } = await clockedStore();
      const complete = async (key: string, syncState: SyncStateUpdate[]) => {
        const { id } = await store.enqueue(outbound(key));
        await store.claim('w', { limit: 1, leaseMs: 1000 });
        await store.complete(id, 'w', { outcome: {}, syncState });
      };
      const baseline = { salesforce: { name: 'a' }, partnerCenter: { name: 'b' } } as unknown as SyncBaseline;
      await complete('x1', [{ opportunityId: '006000000000001AAA', baseline }]);
      await complete('x2', [{ referralId: 'R1', eTag: 'e1', referral: { id: 'R1', name: 'Deal' } }]);
      await complete('x3', [{ opportunityId: '006000000000001AAA', referralId: 'R1', lastOutboundAt: 5 }]);
      const byOpp = await store.getSyncState({ opportunityId: '006000000000001AAA' });
      const byRef = await store.getSyncState({ referralId: 'R1' });
      assert.deepEqual(byOpp, byRef);
      assert.deepEqual(byOpp?.baseline, baseline);
      assert.equal(byOpp?.eTag, 'e1');
      assert.deepEqual(byOpp?.referral, { id: 'R1', name: 'Deal' });
      assert.equal(byOpp?.lastOutboundAt, 5);
      // Explicit nulls clear, omitted properties stay.
      await complete('x4', [{ referralId: 'R1', eTag: null, opportunityDeleted: true }]);
      const cleared = await store.getSyncState({ referralId: 'R1' });
      assert.equal(cleared?.eTag, null);
      assert.equal(cleared?.opportunityDeleted, true);
      assert.deepEqual(cleared?.baseline, baseline);
    });

    it('reports depth, dead letters and last successes by kind', async () => {
      const { store, clock } = await clockedStore();
      await store.enqueue(outbound('A'));
      await store.enqueue(outbound('B'));
      await store.enqueue({ kind: 'inbound', key: 'ref:R', payload: {}, source: 'test' });
      const [a] = await store.claim('w', { limit: 1, leaseMs: 1000, kinds: ['outbound'] });
      clock.now += 5;
      await store.complete(a.id, 'w', { outcome: {} });
      const stats = await store.stats();
      assert.deepEqual(stats.depth, { outbound: 1, inbound: 1, sweep: 0 });
      assert.equal(stats.lastSuccessAt.outbound, clock.now);
      assert.equal(stats.lastSuccessAt.inbound, null);
      assert.equal(stats.oldestDueAt, clock.now - 5);
    });

    it('keeps worker heartbeats until they are removed', async () => {
      const { store, clock } = await clockedStore();
      await store.heartbeat({ workerId: 'w1', pid: 11, host: 'h', startedAt: 1 });
      clock.now += 10;
      await store.heartbeat({ workerId: 'w2', pid: 12, host: 'h', startedAt: 2 });
      await store.heartbeat({ workerId: 'w1', pid: 11, host: 'h', startedAt: 1 });
      const beats = (await store.listHeartbeats()).map((b) => [b.workerId, b.pid, b.heartbeatAt]);
      assert.deepEqual(beats.sort(), [
        ['w1', 11, clock.now],
        ['w2', 12, clock.now],
      ]);
      await store.removeHeartbeat('w1');
      assert.deepEqual((await store.listHeartbeats()).map((b) => b.workerId), ['w2']);
      await store.ping();
    });

    it('prunes finished items and their idempotency keys, never dead letters', async () => {
      const { store, clock } = await clockedStore();
      const done = await store.enqueue(outbound('A', { idempotencyKey: 'k1' }));
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      await store.complete(done.id, 'w', { outcome: {} });
      const dead = await store.enqueue(outbound('B'));
      await store.claim('w', { limit: 1, leaseMs: 1000 });
      await store.fail(dead.id, 'w', { error: { message: 'no', retryable: false } });
      clock.now += 1000;
      assert.equal(await store.prune(clock.now), 1);
      assert.equal(await store.getItem(done.id), null);
      assert.notEqual(await store.getItem(dead.id), null);
      assert.equal((await store.enqueue(outbound('A', { idempotencyKey: 'k1' }))).duplicate, false);
    });

    it('keeps everything across close and reopen', async () => {
      const location = await harness.location({ persistent: true });
      const first = await harness.open(location);
      const { requestId } = await first.enqueue(outbound('A', { idempotencyKey: 'persist' }));
      await first.setCursor('c', 'v');
      await first.close();
      const second = await open(location);
      assert.equal((await second.enqueue(outbound('A', { idempotencyKey: 'persist' }))).requestId, requestId);
      assert.equal(await second.getCursor('c'), 'v');
    });
  });

  suite('shared by several instances', () => {
    it('never runs an item twice nor two items of a key at once, and keeps each lane in order', { timeout: 60_000 }, async () => {
      const location = await harness.location({ persistent: true });
      const stores = [await open(location), await open(location)];
      const lanes = 8;
      const requests = Array.from({ length: 160 }, (_, i) => outbound(`lane-${i % lanes}`, { coalesce: false, payload: { i } }));
      await stores[0].enqueueMany(requests.slice(0, 80));
      const running = new Map<string, number>();
      const completed: WorkItem[] = [];
      let enqueuedLate = false;
      // Four workers over two handles; the second half of the work arrives while they run.
      const worker = async (store: Store, name: string) => {
        for (let idle = 0; idle < 20; ) {
          const items = await store.claim(name, { limit: 3, leaseMs: 30_000 });
          idle = items.length === 0 ? idle + 1 : 0;
          if (items.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
          await Promise.all(
            items.map(async (item) => {
              assert.equal(running.has(item.key), false, `${item.key} has item ${running.get(item.key)} running while ${item.id} was claimed`);
              running.set(item.key, item.id);
              await tick();
              running.delete(item.key);
              assert.equal(await store.complete(item.id, name, { outcome: { by: name } }), true);
              completed.push(item);
            }),
          );
          if (!enqueuedLate && completed.length >= 20) {
            enqueuedLate = true;
            await stores[1].enqueueMany(requests.slice(80));
          }
        }
      };
      await Promise.all([worker(stores[0], 'a1'), worker(stores[0], 'a2'), worker(stores[1], 'b1'), worker(stores[1], 'b2')]);
      const ids = completed.map((i) => i.id);
      assert.equal(new Set(ids).size, ids.length, 'no item ran twice');
      assert.equal(ids.length, requests.length, 'every item ran');
      for (let lane = 0; lane < lanes; lane++) {
        const order = completed.filter((i) => i.key === `lane-${lane}`).map((i) => i.id);
        assert.deepEqual(order, [...order].sort((a, b) => a - b), `lane-${lane} ran in order`);
      }
      assert.ok(new Set(completed.map((i) => i.claimedBy)).size > 1, 'the work was shared');
    });

    it('recognises one event delivered to two instances at once', async () => {
      const location = await harness.location({ persistent: true });
      const stores = [await open(location), await open(location)];
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => stores[i % 2].enqueue(outbound(i % 3 === 0 ? 'A' : 'B', { idempotencyKey: 'evt-same', coalesce: false }))),
      );
      assert.equal(results.filter((r) => !r.duplicate).length, 1);
      assert.equal(new Set(results.map((r) => r.requestId)).size, 1);
      assert.equal((await stores[0].listItems({})).length, 1);
    });

    it('never merges a request into an item that was claimed before the request arrived', { timeout: 60_000 }, async () => {
      const location = await harness.location({ persistent: true });
      const [producer, consumer] = [await open(location), await open(location)];
      let sequence = 0;
      const claimedAt = new Map<number, number>();
      const merged: { id: number; startedAt: number }[] = [];
      let producing = true;
      const produce = async () => {
        for (let i = 0; i < 150; i++) {
          const startedAt = ++sequence;
          const result = await producer.enqueue(outbound(`k${i % 3}`));
          if (result.coalesced) merged.push({ id: result.id, startedAt });
          if (i % 5 === 0) await tick();
        }
        producing = false;
      };
      const consume = async () => {
        while (producing || (await consumer.stats()).depth.outbound > 0) {
          const items = await consumer.claim('c', { limit: 3, leaseMs: 30_000 });
          for (const item of items) claimedAt.set(item.id, ++sequence);
          await tick();
          for (const item of items) await consumer.complete(item.id, 'c', { outcome: {} });
        }
      };
      await Promise.all([produce(), consume()]);
      assert.ok(merged.length > 0, 'some requests were coalesced');
      for (const { id, startedAt } of merged) {
        const claimed = claimedAt.get(id);
        assert.ok(claimed === undefined || claimed > startedAt, `request started at ${startedAt} was merged into item ${id}, claimed at ${claimed}`);
      }
    });
  });

  suite('crash safety', () => {
    const writer = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));

    /** Runs the writer until it has acknowledged a few batches, then kills it with SIGKILL mid-flight. */
    async function runAndKill(location: StoreLocation, firstBatch: number): Promise<number[]> {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, JSON.stringify(location), String(firstBatch)], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      });
      const acked: number[] = [];
      let buffered = '';
      await new Promise<void>((resolve, reject) => {
        const wanted = 3 + Math.floor(Math.random() * 4);
        child.on('error', reject);
        child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited early: ${code}`))));
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) acked.push(Number(line.replace('acked ', '')));
          if (acked.length >= wanted && !child.killed) setTimeout(() => child.kill('SIGKILL'), Math.random() * 15);
        });
      });
      return acked;
    }

    it('loses no acknowledged request and applies no item twice across repeated SIGKILLs', { timeout: 120_000 }, async () => {
      const location = await harness.location({ persistent: true });
      const acked: number[] = [];
      let nextBatch = 0;
      for (let round = 0; round < 6; round++) {
        acked.push(...(await runAndKill(location, nextBatch)));
        // Start after any batch that may have committed without being acknowledged.
        nextBatch = Math.max(...acked) + 100;
      }
      // Leases held by the killed writers expire for a worker living an hour later.
      const later = await open(location, { now: () => Date.now() + 3_600_000 });
      const items = await later.listItems({ limit: 1_000_000 });
      const perBatch = new Map<number, number>();
      for (const item of items) perBatch.set(item.payload.batch as number, (perBatch.get(item.payload.batch as number) ?? 0) + 1);
      for (const count of perBatch.values()) assert.equal(count, BATCH_SIZE, 'a batch is stored whole or not at all');
      for (const batch of acked) {
        assert.equal(perBatch.get(batch), BATCH_SIZE, `acknowledged batch ${batch} is stored`);
        // Redelivered as the batch it was (one transaction), every request is recognised.
        assert.ok((await later.enqueueMany(batchRequests(batch))).every((r) => r.duplicate), `batch ${batch} redelivered is all duplicates`);
      }
      assert.equal((await later.listItems({ limit: 1_000_000 })).length, items.length, 'redelivery enqueued nothing new');

      // Drain what the writers left, exactly as they would have.
      for (;;) {
        const claimed = await later.claim('drain', { limit: 100, leaseMs: 60_000 });
        if (claimed.length === 0) break;
        for (const item of claimed) {
          const state = await later.getSyncState({ opportunityId: item.key });
          await later.complete(item.id, 'drain', {
            outcome: { result: 'applied' },
            syncState: [{ opportunityId: item.key, eTag: JSON.stringify([...appliedIds(state), item.id]) }],
          });
        }
      }
      const applied: number[] = [];
      for (let lane = 0; lane < LANES; lane++) {
        const ids = appliedIds(await later.getSyncState({ opportunityId: `lane-${lane}` }));
        assert.deepEqual(ids, [...ids].sort((a, b) => a - b), `lane-${lane} applied in order`);
        applied.push(...ids);
      }
      const done = (await later.listItems({ status: 'done', limit: 1_000_000 })).map((i) => i.id).sort((a, b) => a - b);
      assert.equal(new Set(applied).size, applied.length, 'no item applied twice');
      assert.deepEqual([...applied].sort((a, b) => a - b), done, 'every done item applied exactly once');
      assert.equal(done.length, items.length, 'nothing left behind');
    });
  });
}
