/**
 * The queue policy on fixed items and a fixed clock. The stores' contract suite (store/fixtures/store-contract.ts)
 * shows both stores write what this decides; these cases pin the decisions themselves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  absorbs,
  backoffCeiling,
  backoffDelay,
  claimOrder,
  claimStep,
  coalesces,
  DEFAULT_RETRY_POLICY,
  dueAt,
  failStep,
  mergedEventAt,
  newItemTimes,
  parksAfterFailure,
  RELEASE_REASON,
  releaseStep,
  replayStep,
  retryPolicy,
  supersededOutcome,
} from './policy.js';
import type { WorkItem } from './types.js';

const NOW = 1_000_000;
const POLICY = { baseMs: 1000, capMs: 10_000, maxAttempts: 3 };

const item = (extra: Partial<WorkItem> = {}): WorkItem => ({
  id: 7,
  requestId: 'req-7',
  kind: 'outbound',
  key: 'opp:006000000000001AAA',
  payload: { opportunityId: '006000000000001AAA' },
  source: 'test',
  status: 'queued',
  attempts: 0,
  nextAttemptAt: NOW,
  claimedBy: null,
  leaseUntil: null,
  lastError: null,
  outcome: null,
  eventAt: NOW - 50,
  createdAt: NOW - 100,
  updatedAt: NOW - 100,
  completedAt: null,
  ...extra,
});

describe('queue policy: retry settings', () => {
  it('fills what the caller leaves out from the defaults', () => {
    assert.deepEqual(retryPolicy(), DEFAULT_RETRY_POLICY);
    assert.deepEqual(retryPolicy({ maxAttempts: 2 }), { baseMs: 5_000, capMs: 30 * 60_000, maxAttempts: 2 });
  });

  it('doubles the ceiling from the base up to the cap, never past it', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((attempt) => backoffCeiling(attempt, POLICY)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
    assert.equal(backoffCeiling(0, POLICY), 1000, 'an attempt count of 0 waits the base');
    assert.equal(backoffCeiling(5000, POLICY), 10_000, '2^4999 is Infinity; the cap still holds');
  });

  it('jitters each delay inside [ceiling/2, ceiling]', () => {
    assert.equal(backoffDelay(3, POLICY, () => 0), 2000);
    assert.equal(backoffDelay(3, POLICY, () => 1), 4000);
    assert.equal(backoffDelay(3, POLICY, () => 0.5), 3000);
  });
});

describe('queue policy: due and claim order', () => {
  it('a queued item is due at its next attempt, a running one when its lease ends', () => {
    assert.equal(dueAt(item({ status: 'queued', nextAttemptAt: 5, leaseUntil: 9 })), 5);
    assert.equal(dueAt(item({ status: 'running', nextAttemptAt: 5, leaseUntil: 9 })), 9);
    assert.equal(dueAt(item({ status: 'running', nextAttemptAt: 5, leaseUntil: null })), 0);
  });

  it('claims the longest-due first, ties by id', () => {
    const items = [
      item({ id: 3, nextAttemptAt: 20 }),
      item({ id: 2, status: 'running', leaseUntil: 10 }),
      item({ id: 1, nextAttemptAt: 20 }),
      item({ id: 4, nextAttemptAt: 5 }),
    ];
    assert.deepEqual(items.sort(claimOrder).map((i) => i.id), [4, 2, 1, 3]);
  });
});

describe('queue policy: claim', () => {
  const claim = { workerId: 'w1', now: NOW, leaseMs: 500 };

  it('runs a due item under a fresh lease and counts the attempt', () => {
    const step = claimStep(item({ attempts: 1, lastError: { message: 'timeout', retryable: true, at: 1 } }), claim, POLICY);
    assert.equal(step.action, 'run');
    const { item: claimed } = step as Extract<typeof step, { action: 'run' }>;
    assert.deepEqual(
      { status: claimed.status, claimedBy: claimed.claimedBy, leaseUntil: claimed.leaseUntil, attempts: claimed.attempts, updatedAt: claimed.updatedAt },
      { status: 'running', claimedBy: 'w1', leaseUntil: NOW + 500, attempts: 2, updatedAt: NOW },
    );
    assert.equal(claimed.lastError?.message, 'timeout', 'the previous error stays for the attempt to read');
  });

  it('re-runs an item whose lease expired while attempts are left', () => {
    const step = claimStep(item({ status: 'running', attempts: 2, claimedBy: 'dead-worker', leaseUntil: NOW - 1 }), claim, POLICY);
    assert.equal(step.action, 'run');
    assert.equal((step as Extract<typeof step, { action: 'run' }>).item.attempts, 3);
  });

  it('parks an item whose lease expired on its last attempt', () => {
    assert.deepEqual(claimStep(item({ status: 'running', attempts: 3, leaseUntil: NOW - 1 }), claim, POLICY), {
      action: 'park',
      error: {
        message: 'The connector stopped during each of 3 attempts (lease expired); parked so it cannot stop it again.',
        code: 'LEASE_EXPIRED',
        retryable: false,
        at: NOW,
      },
    });
  });

  it('runs a queued item on its last attempt: only a worker dying on it parks it at claim', () => {
    assert.equal(claimStep(item({ status: 'queued', attempts: 3 }), claim, POLICY).action, 'run');
  });
});

describe('queue policy: failures', () => {
  const timeout = { message: 'timeout', code: 'TIMEOUT', retryable: true };

  it('parks when asked to, when the error is not retryable, or on the last attempt', () => {
    const cases: [number, { park?: boolean; retryable: boolean }, boolean][] = [
      [1, { retryable: true }, false],
      [2, { retryable: true }, false],
      [3, { retryable: true }, true],
      [4, { retryable: true }, true],
      [1, { retryable: false }, true],
      [1, { park: true, retryable: true }, true],
      [1, { park: false, retryable: true }, false],
    ];
    for (const [attempts, failure, parks] of cases) assert.equal(parksAfterFailure(attempts, failure, POLICY), parks, JSON.stringify({ attempts, failure }));
  });

  it('queues a retryable failure after its jittered backoff, the error stamped with the time', () => {
    assert.deepEqual(failStep(item({ attempts: 2 }), { error: timeout }, POLICY, NOW, () => 0.5), {
      status: 'queued',
      nextAttemptAt: NOW + 1500,
      error: { ...timeout, at: NOW },
    });
  });

  it("waits for a server's Retry-After when it is longer than the backoff, and only then", () => {
    const longer = failStep(item({ attempts: 1 }), { error: timeout, retryAfterMs: 60_000 }, POLICY, NOW, () => 0);
    assert.deepEqual(longer, { status: 'queued', nextAttemptAt: NOW + 60_000, error: { ...timeout, at: NOW } });
    const shorter = failStep(item({ attempts: 1 }), { error: timeout, retryAfterMs: 10 }, POLICY, NOW, () => 0);
    assert.deepEqual(shorter, { status: 'queued', nextAttemptAt: NOW + 500, error: { ...timeout, at: NOW } });
  });

  it('parks the last attempt, a non-retryable error and a forced park, keeping the error', () => {
    assert.deepEqual(failStep(item({ attempts: 3 }), { error: timeout }, POLICY, NOW, () => 0.5), { status: 'dead', error: { ...timeout, at: NOW } });
    const invalid = { message: 'Set Billing Country to a two-letter code such as DE', code: 'VALIDATION', retryable: false };
    assert.deepEqual(failStep(item({ attempts: 1 }), { error: invalid }, POLICY, NOW, () => 0.5), { status: 'dead', error: { ...invalid, at: NOW } });
    assert.equal(failStep(item({ attempts: 1 }), { error: timeout, park: true }, POLICY, NOW, () => 0.5).status, 'dead');
  });
});

describe('queue policy: release, replay, settle', () => {
  it('a release gives the attempt back, is due at once and says the attempt may have had effects', () => {
    assert.deepEqual(releaseStep({ attempts: 2 }, RELEASE_REASON, NOW), {
      attempts: 1,
      nextAttemptAt: NOW,
      error: { message: RELEASE_REASON, code: 'RELEASED', retryable: true, at: NOW },
    });
    assert.equal(releaseStep({ attempts: 0 }, 'paused', NOW).attempts, 0, 'never below zero');
    assert.equal(releaseStep({ attempts: 1 }, 'Sync is paused until an admin fixes this: x', NOW).error.message, 'Sync is paused until an admin fixes this: x');
  });

  it('a replay is due at once with a fresh attempt budget', () => {
    assert.deepEqual(replayStep(NOW), { attempts: 0, nextAttemptAt: NOW });
  });

  it('a settled dead letter names the item that superseded it', () => {
    assert.deepEqual(supersededOutcome(42), { result: 'superseded', supersededBy: 42 });
  });
});

describe('queue policy: enqueue and coalescing', () => {
  it('a new item is due at notBefore and dated at eventAt, both defaulting to now', () => {
    assert.deepEqual(newItemTimes({}, NOW), { nextAttemptAt: NOW, eventAt: NOW });
    assert.deepEqual(newItemTimes({ notBefore: NOW + 10, eventAt: NOW - 10 }, NOW), { nextAttemptAt: NOW + 10, eventAt: NOW - 10 });
  });

  it('coalesces unless the request opts out', () => {
    assert.equal(coalesces({}), true);
    assert.equal(coalesces({ coalesce: true }), true);
    assert.equal(coalesces({ coalesce: false }), false);
  });

  it("merges only into the lane's last item while it waits, and only of the same kind", () => {
    assert.equal(absorbs({ kind: 'outbound', status: 'queued' }, { kind: 'outbound' }), true);
    assert.equal(absorbs({ kind: 'outbound', status: 'running' }, { kind: 'outbound' }), false);
    assert.equal(absorbs({ kind: 'inbound', status: 'queued' }, { kind: 'outbound' }), false);
    assert.equal(absorbs(undefined, { kind: 'outbound' }), false);
  });

  it('the merged item takes the newer change and keeps its own when the request is older', () => {
    assert.equal(mergedEventAt({ eventAt: 200 }, 100, NOW), 200);
    assert.equal(mergedEventAt({ eventAt: 100 }, 100, NOW), 100, 'the same instant: the later request wins');
    assert.equal(mergedEventAt({ eventAt: 50 }, 100, NOW), null);
    assert.equal(mergedEventAt({}, 100, NOW), NOW, 'no event time: now');
  });
});
