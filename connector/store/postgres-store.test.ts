/**
 * The Store contract (store-contract.ts) on Postgres. Tests that start empty share one schema, emptied before
 * each (creating a schema costs more than the test); tests that share or reopen a store get a schema of their
 * own. Every schema is dropped at the end. Needs a server: COSELL_TEST_POSTGRES_URL (`npm run test:postgres`
 * starts a throw-away one); without it the suites are skipped and say why.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Client } from 'pg';
import { main } from '../cli/index.js';
import type { StoreLocation } from './open.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';
import { PostgresStore } from './postgres-store.js';
import { storeContract } from './fixtures/store-contract.js';

const serverUrl = process.env.COSELL_TEST_POSTGRES_URL;
const NO_SERVER = 'no Postgres server: set COSELL_TEST_POSTGRES_URL, or run `npm run test:postgres`, which starts one';
const schemas: string[] = [];
let admin: Client | undefined;
let scratch: Extract<StoreLocation, { kind: 'postgres' }> | undefined;

async function adminClient(): Promise<Client> {
  if (!admin) {
    admin = new Client({ connectionString: serverUrl });
    await admin.connect();
  }
  return admin;
}

function newSchema(): Extract<StoreLocation, { kind: 'postgres' }> {
  const schema = `cosell_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  schemas.push(schema);
  const url = new URL(serverUrl!);
  url.searchParams.set('schema', schema);
  return { kind: 'postgres', url: url.toString() };
}

after(async () => {
  if (!admin) return;
  try {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
});

storeContract(
  {
    name: 'PostgresStore',
    async location({ persistent }): Promise<StoreLocation> {
      if (persistent) return newSchema();
      if (!scratch) return (scratch = newSchema());
      const schema = new URL(scratch.url).searchParams.get('schema')!;
      const db = await adminClient();
      // Idempotency keys go with their items (ON DELETE CASCADE).
      await db.query(`BEGIN; DELETE FROM ${schema}.work_items; DELETE FROM ${schema}.sync_state; DELETE FROM ${schema}.cursors; DELETE FROM ${schema}.heartbeats; COMMIT`);
      return scratch;
    },
    async open(location, options = {}) {
      if (location.kind !== 'postgres') throw new Error('the Postgres harness opens Postgres locations only');
      return PostgresStore.open({ url: location.url, ...options });
    },
  },
  serverUrl ? undefined : NO_SERVER,
);

/** What only a shared server can show: races between transactions of different connections, made deterministic. */
describe('PostgresStore across connections', serverUrl ? {} : { skip: NO_SERVER }, () => {
  const request = { kind: 'outbound' as const, key: 'opp:A', payload: {}, source: 'test' };

  it('waits for a claim in flight instead of merging a request into the item being claimed', async () => {
    const location = newSchema();
    const store = await PostgresStore.open({ url: location.url });
    const claimer = new Client({ connectionString: location.url, options: `-c search_path=${new URL(location.url).searchParams.get('schema')}` });
    await claimer.connect();
    try {
      const first = await store.enqueue(request);
      // Another instance's claim, not yet committed: the row is locked and still reads "queued" to everyone else.
      await claimer.query('BEGIN');
      await claimer.query(`UPDATE work_items SET status = 'running', claimed_by = 'other', lease_until = $1, attempts = 1 WHERE id = $2`, [Date.now() + 60_000, first.id]);
      let settled = false;
      const second = store.enqueue(request).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(settled, false, 'the enqueue waits for the claim to commit or roll back');
      await claimer.query('COMMIT');
      const result = await second;
      assert.equal(result.coalesced, false, 'the claimed item started before this request, so it gets an item of its own');
      assert.notEqual(result.id, first.id);
    } finally {
      await claimer.end();
      await store.close();
    }
  });

  it('keeps one running item per key when a replayed dead letter becomes the head of its lane again', async () => {
    const location = newSchema();
    const clock = { now: 1_000_000 };
    const store = await PostgresStore.open({ url: location.url, now: () => clock.now });
    try {
      const parked = await store.enqueue({ ...request, coalesce: false });
      await store.claim('w1', { limit: 1, leaseMs: 1000 });
      await store.fail(parked.id, 'w1', { error: { message: 'no', retryable: false } });
      const later = await store.enqueue({ ...request, coalesce: false });
      assert.deepEqual((await store.claim('w1', { limit: 5, leaseMs: 1000 })).map((i) => i.id), [later.id]);
      assert.equal(await store.replay(parked.id), true);
      assert.deepEqual(await store.claim('w2', { limit: 5, leaseMs: 1000 }), [], 'the replayed item waits while the later one runs');
      await store.complete(later.id, 'w1', { outcome: {} });
      assert.deepEqual((await store.claim('w2', { limit: 5, leaseMs: 1000 })).map((i) => i.id), [parked.id]);
    } finally {
      await store.close();
    }
  });

  it('a second instance migrating the same schema at the same time changes nothing', async () => {
    const location = newSchema();
    const stores = await Promise.all([PostgresStore.open({ url: location.url }), PostgresStore.open({ url: location.url })]);
    try {
      const { rows } = await (await adminClient()).query(`SELECT version FROM ${stores[0].schema}.schema_version ORDER BY version`);
      assert.deepEqual(rows.map((r: { version: number }) => r.version), POSTGRES_MIGRATIONS.map((_, i) => i + 1), 'each migration recorded once');
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

describe('cosell commands on a Postgres store', serverUrl ? {} : { skip: NO_SERVER }, () => {
  async function cosell(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: process.cwd() });
      return { code, stdout, stderr };
    } finally {
      for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
      Object.assign(process.env, saved);
    }
  }

  it('status and dead-letters read the shared store named by COSELL_STORE_URL or --store, never showing the password', async () => {
    const location = newSchema();
    const store = await PostgresStore.open({ url: location.url });
    const { id } = await store.enqueue({ kind: 'outbound', key: 'opp:A', payload: {}, source: 'test' });
    await store.claim('w', { limit: 1, leaseMs: 1000 });
    await store.fail(id, 'w', { error: { message: 'Set Billing Country', retryable: false } });
    await store.close();
    const password = decodeURIComponent(new URL(location.url).password);
    const status = await cosell({ COSELL_STORE_URL: location.url }, 'status', '--json');
    assert.equal(status.code, 0, status.stderr);
    const json = JSON.parse(status.stdout) as { store: string; dead: { outbound: number } };
    assert.equal(json.dead.outbound, 1);
    assert.match(json.store, /^postgres:\/\//);
    assert.ok(!password || !status.stdout.includes(password), 'the password is not shown');
    const list = await cosell({}, 'dead-letters', 'list', '--store', location.url);
    assert.match(list.stdout, /Set Billing Country/);
    assert.match((await cosell({}, 'dead-letters', 'replay', String(id), '--store', location.url)).stdout, new RegExp(`Requeued #${id}`));
  });

  it('an unreachable store is a configuration error naming the setting', async () => {
    const url = new URL(serverUrl!);
    url.port = '1';
    const result = await cosell({ COSELL_STORE_URL: url.toString() }, 'status');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /setting "store\.url", COSELL_STORE_URL/);
    const password = decodeURIComponent(url.password);
    assert.ok(!password || !result.stderr.includes(password));
  });
});
