/**
 * The worker's configuration pause on the real store with scripted Salesforce and Partner Center: the pause ends
 * only when the configuration it is about works again, never because some other work finished or failed.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SettingsError } from '../engine/org-settings.js';
import { ConnectorMetrics } from '../observability/metrics.js';
import { RetryableError } from '../partner-center/errors.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { SWEEP_LANES, outboundRequest } from '../queue/lanes.js';
import type { SyncDeps } from './types.js';
import { Worker, pauseScope } from './worker.js';

const OPP = '006000000000001AAA';

describe('Worker: configuration pause', () => {
  let store: SqliteStore;
  let worker: Worker;
  let messages: string[];
  let settingsBroken: boolean;

  beforeEach(() => {
    store = new SqliteStore({ path: ':memory:' });
    messages = [];
    settingsBroken = true;
    const log = (_obj: unknown, msg?: string) => void messages.push(String(msg ?? _obj));
    const deps = {
      store,
      salesforce: {
        // The Pending sweep's query works (it names no configured field); a moment later than the failing item.
        query: async () => (await sleep(60), []),
        update: async (_t: string, records: unknown[]) => records.map(() => ({ id: null, error: null })),
      },
      partnerCenter: {
        // The referrals sweep meets a Partner Center outage: a retry, which proves nothing about the settings.
        async *allReferrals() {
          await sleep(60);
          yield* [];
          throw new RetryableError('Service Unavailable', { status: 503 });
        },
      },
      context: {
        get: async () => {
          if (settingsBroken) throw new SettingsError(['Deal value field: No_Such_Field__c does not exist on Opportunity.']);
          throw new Error('not reached in this test');
        },
        invalidate: () => undefined,
      },
      writer: { record: async () => undefined, specs: () => [] },
      logger: { info: log, warn: log, error: log, debug: log },
      now: () => Date.now(),
      redact: (text: string) => text,
    } as unknown as SyncDeps;
    worker = new Worker(deps, {
      workerId: 'w1',
      config: { concurrency: 4, pollIntervalMs: 10, leaseMs: 5000, maxAttempts: 5, retryBaseMs: 10, retryCapMs: 20 },
      sweeps: { enabled: true, pendingIntervalMs: 1000, pendingAgeSeconds: 1, referralsIntervalMs: 1000 },
      metrics: new ConnectorMetrics(store, { defaultMetrics: false }),
      pauseMs: 200,
    } as ConstructorParameters<typeof Worker>[1]);
  });
  afterEach(async () => {
    await worker.stop(100);
    store.close();
  });

  it('stays paused on invalid settings while a sweep succeeds and another sweep fails retryably', async () => {
    await store.enqueue(outboundRequest(OPP, { opportunityId: OPP, reason: 'Updated', eventUuid: null, publishedAt: null }, 'test'));
    await store.enqueue({ kind: 'sweep', key: SWEEP_LANES.pending, payload: { sweep: 'pending' }, source: 'test' });
    await store.enqueue({ kind: 'sweep', key: SWEEP_LANES.referrals, payload: { sweep: 'referrals' }, source: 'test' });
    worker.start();
    for (let waited = 0; waited < 3000 && (await store.stats()).lastSuccessAt.sweep === null; waited += 20) await sleep(20);
    await sleep(200);
    assert.notEqual((await store.stats()).lastSuccessAt.sweep, null, 'the Pending sweep finished');
    assert.ok(messages.some((m) => m.startsWith('sync paused')), messages.join('\n'));
    assert.ok(!messages.includes('sync resumed'), `nothing resumed sync while the settings were broken:\n${messages.join('\n')}`);
    assert.match(worker.liveness().pausedReason ?? '', /No_Such_Field__c/);
  });

  it('names what a pause is about from the failure code', () => {
    assert.equal(pauseScope('PC_invalid_grant'), 'partnerCenter');
    assert.equal(pauseScope('SF_LOGIN'), 'salesforce');
    assert.equal(pauseScope('SETTINGS'), 'settings');
    assert.equal(pauseScope('INVALID_FIELD'), 'settings');
  });
});
