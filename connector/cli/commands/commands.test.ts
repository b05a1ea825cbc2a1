/** The connector's commands through the real dispatcher, against real stores and a running sandbox connector. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { SqliteStore } from '../../store/sqlite-store.js';
import { startStack } from '../../sync/fixtures/stack.js';
import { main, type CliIo } from '../index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cosell-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cosell(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

/** A store with two parked items, as `cosell dead-letters` finds it after failures. */
async function storeWithDeadLetters(name: string): Promise<string> {
  const storePath = path.join(dir, name);
  const store = new SqliteStore({ path: storePath });
  for (const key of ['opp:0068d0000000001AAA', 'ref:r-1']) {
    await store.enqueue({ kind: key.startsWith('opp') ? 'outbound' : 'inbound', key, payload: {}, source: 'test' });
    const [item] = await store.claim('w', { limit: 1, leaseMs: 1000 });
    await store.fail(item.id, 'w', { error: { message: `cannot sync ${key}: set Billing Country`, retryable: false, requestId: 'req-42' } });
  }
  await store.close();
  return storePath;
}

describe('cosell status', () => {
  it('summarises an empty store, as text and as JSON, without any secrets configured', async () => {
    const store = path.join(dir, 'empty.sqlite');
    const text = await cosell('status', '--store', store);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Queue: +outbound 0, inbound 0, sweep 0 \(0 running\)/);
    assert.match(text.stdout, /Workers: +none running/);
    const json = await cosell('status', '--store', store, '--json');
    assert.equal(JSON.parse(json.stdout).depth.outbound, 0);
  });

  it('counts dead letters and points at the command that lists them', async () => {
    const out = await cosell('status', '--store', await storeWithDeadLetters('status.sqlite'));
    assert.match(out.stdout, /Dead letters: +outbound 1, inbound 1, sweep 0 +— see `cosell dead-letters list`/);
  });
});

describe('cosell dead-letters', () => {
  it('lists what was parked and why, and replays by id or all at once', async () => {
    const store = await storeWithDeadLetters('dead.sqlite');
    const list = await cosell('dead-letters', 'list', '--store', store);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /#1 +outbound +opp:0068d0000000001AAA +1 attempt\(s\)/);
    assert.match(list.stdout, /cannot sync opp:0068d0000000001AAA: set Billing Country \[request-id req-42\]/);
    assert.equal(JSON.parse((await cosell('dead-letters', 'list', '--store', store, '--json', '--kind', 'inbound')).stdout).length, 1);

    assert.match((await cosell('dead-letters', 'replay', '1', '--store', store)).stdout, /Requeued #1/);
    const again = await cosell('dead-letters', 'replay', '#1', '--store', store);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /#1 is not a dead letter/);
    assert.match((await cosell('dead-letters', 'replay', '--all', '--store', store)).stdout, /Requeued 1 dead letter/);
    assert.match((await cosell('dead-letters', 'list', '--store', store)).stdout, /No dead letters/);
  });

  it('rejects unknown actions, kinds and ids with usage errors', async () => {
    const store = path.join(dir, 'usage.sqlite');
    assert.equal((await cosell('dead-letters', 'purge', '--store', store)).code, 2);
    assert.equal((await cosell('dead-letters', 'list', '--kind', 'nonsense', '--store', store)).code, 2);
    assert.equal((await cosell('dead-letters', 'replay', 'abc', '--store', store)).code, 2);
    assert.equal((await cosell('dead-letters', 'replay', '--store', store)).code, 2);
  });
});

describe('cosell sync', () => {
  it('hands the sync to the running connector and prints the outcome', { timeout: 60_000 }, async () => {
    const storePath = path.join(dir, 'sync.sqlite');
    const stack = await startStack({ config: { store: { path: storePath } } });
    try {
      const config = file('sync-config.json', { mode: 'sandbox', store: { path: storePath } });
      const id = stack.org.seeded!.opportunities.contosoLandingZone;
      stack.org.control.records.update('Opportunity', id, { Sync_With_Partner_Center__c: true });
      const out = await cosell('sync', id.slice(0, 15), '--config', config, '--timeout', '30');
      assert.equal(out.code, 0, out.stderr + out.stdout);
      const result = JSON.parse(out.stdout);
      assert.equal(result.status, 'done');
      assert.equal(result.outcome.result, 'created');
      assert.match(out.stderr, /the running connector syncs it/);
    } finally {
      await stack.close();
    }
  });

  it('refuses an id that is not an opportunity, and a sandbox with no connector running', async () => {
    assert.equal((await cosell('sync', '001000000000001AAA')).code, 2);
    const config = file('idle-sandbox.json', { mode: 'sandbox', store: { path: path.join(dir, 'idle.sqlite') } });
    const out = await cosell('sync', '0068d0000000001AAA', '--config', config);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /cosell start --sandbox/);
  });
});

describe('cosell register-webhooks', () => {
  const secret = (name: string, value: string) => file(name, value);
  const live = () =>
    file('live.json', {
      salesforce: { loginUrl: 'https://contoso.my.salesforce.com', clientId: 'ck', clientSecretFile: secret('sf-secret', 'cs') },
      partnerCenter: { tenantId: 't', clientId: 'c', clientSecretFile: secret('pc-secret', 's'), tokenCacheFile: path.join(dir, 'pc-cache.json') },
      syncRequestSecretFile: secret('sync-secret', 'a-long-enough-shared-secret'),
    });

  it('needs an https public URL', async () => {
    const missing = await cosell('register-webhooks', '--config', live());
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /COSELL_PUBLIC_URL/);
    const insecure = await cosell('register-webhooks', '--config', live(), '--url', 'http://connector.example.com');
    assert.equal(insecure.code, 2);
    assert.match(insecure.stderr, /only calls https/);
  });

  it('names the setting when the configuration is incomplete', async () => {
    const out = await cosell('register-webhooks', '--config', file('incomplete.json', { http: { publicUrl: 'https://connector.example.com' } }));
    assert.equal(out.code, 2);
    assert.match(out.stderr, /"partnerCenter\.tenantId" is missing.*COSELL_PC_TENANT_ID/);
  });

  it('has nothing to do in sandbox mode', async () => {
    const out = await cosell('register-webhooks', '--config', file('sandbox.json', { mode: 'sandbox' }));
    assert.equal(out.code, 2);
    assert.match(out.stderr, /registers its webhooks with the emulator itself/);
  });
});
