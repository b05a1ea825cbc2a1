/** The Store contract (store-contract.ts) on SQLite: in-memory stores, and files where a test shares or reopens one. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { StoreLocation } from './open.js';
import { SqliteStore } from './sqlite-store.js';
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
