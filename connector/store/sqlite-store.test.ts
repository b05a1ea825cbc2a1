/** The Store contract (store-contract.ts) on SQLite: in-memory stores, and files where a test shares or reopens one. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { StoreLocation } from './open.js';
import { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS } from './schema.js';
import { CLAIM_SQL, SqliteStore } from './sqlite-store.js';
import { storeContract } from './fixtures/store-contract.js';
import type { WorkKind } from '../queue/types.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

storeContract({
  name: 'SqliteStore',
  async location({ persistent }): Promise<StoreLocation> {
    if (!persistent) return { kind: 'sqlite', path: ':memory:' };
    const dir = mkdtempSync(path.join(tmpdir(), 'cosell-store-'));
    dirs.push(dir);
    return { kind: 'sqlite', path: path.join(dir, 'store.sqlite') };
  },
  async open(location, options = {}) {
    if (location.kind !== 'sqlite') throw new Error('the SQLite harness opens SQLite locations only');
    return new SqliteStore({ path: location.path, ...options });
  },
});

describe('SqliteStore completions', () => {
  it('commits completions asked for together in one transaction, each succeeding or failing on its own', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    try {
      for (const key of ['a', 'b', 'c']) await store.enqueue({ kind: 'inbound', key, payload: {}, source: 'test' });
      const [a, b, c] = await store.claim('w', { limit: 3, leaseMs: 60_000 });
      const outcomes = await Promise.allSettled([
        store.complete(a.id, 'w', { outcome: { result: 'ok' }, syncState: [{ referralId: 'R-a', eTag: 'e' }] }),
        store.complete(b.id, 'someone-else', { outcome: { result: 'not mine' } }),
        // An enqueue the schema refuses fails this completion alone, undoing all of it.
        store.complete(c.id, 'w', { outcome: { result: 'bad' }, syncState: [{ referralId: 'R-c', eTag: 'e' }], enqueue: [{ kind: 'bogus' as WorkKind, key: 'x', payload: {}, source: 'test' }] }),
      ]);
      assert.deepEqual(outcomes.slice(0, 2), [{ status: 'fulfilled', value: true }, { status: 'fulfilled', value: false }]);
      assert.equal(outcomes[2].status, 'rejected');
      const status = async (key: string) => (await store.listItems({ key }))[0].status;
      assert.deepEqual([await status('a'), await status('b'), await status('c')], ['done', 'running', 'running']);
      assert.equal((await store.getSyncState({ referralId: 'R-a' }))?.eTag, 'e');
      assert.equal(await store.getSyncState({ referralId: 'R-c' }), null);
    } finally {
      await store.close();
    }
  });
});

describe('SqliteStore claims', () => {
  it('read the claim index in order instead of sorting every due item', () => {
    const db = new DatabaseSync(':memory:');
    for (const migration of MIGRATIONS) db.exec(migration);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${CLAIM_SQL}`).all('inbound', 0, 0, 200).map((row) => String(row.detail));
    db.close();
    assert.ok(plan.some((step) => /^SEARCH w USING INDEX work_items_claim \(kind=\? AND <expr><\?\)/.test(step)), plan.join('\n'));
    assert.ok(!plan.some((step) => /TEMP B-TREE/.test(step)), `no sort of the due items:\n${plan.join('\n')}`);
  });

  it('hand items out in due order across kinds, whatever the queue depth', async () => {
    let now = 1_000_000;
    const store = new SqliteStore({ path: ':memory:', now: () => now });
    try {
      // A deep backlog of inbound items due later, and a few of each kind due earlier, interleaved.
      await store.enqueueMany(Array.from({ length: 500 }, (_, i) => ({ kind: 'inbound' as const, key: `late-${i}`, payload: {}, source: 'test', notBefore: now + 1000 + i })));
      await store.enqueueMany([
        { kind: 'outbound', key: 'o1', payload: {}, source: 'test', notBefore: now - 30 },
        { kind: 'inbound', key: 'i1', payload: {}, source: 'test', notBefore: now - 20 },
        { kind: 'sweep', key: 's1', payload: {}, source: 'test', notBefore: now - 25 },
        { kind: 'inbound', key: 'i2', payload: {}, source: 'test', notBefore: now - 40 },
      ]);
      const keys = async (kinds?: WorkKind[]) => (await store.claim('w', { limit: 3, leaseMs: 10, kinds })).map((i) => i.key);
      assert.deepEqual(await keys(), ['i2', 'o1', 's1']);
      assert.deepEqual(await keys(['outbound', 'inbound']), ['i1']);
      now += 1002;
      // The expired leases (due at their lease end, the same for both: then by id) come before the backlog.
      assert.deepEqual(await keys(['inbound']), ['i1', 'i2', 'late-0']);
    } finally {
      await store.close();
    }
  });
});
