/** The connector's commands through the real dispatcher, against real stores and a running sandbox connector. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { SqliteStore } from '../../../connector/store/sqlite-store.js';
import { startStack } from '../../support/sync-stack.js';
import { main, type CliIo } from '../../../connector/cli/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cosell-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cosell(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cosellWith({}, ...args);
}

async function cosellWith(extra: Partial<CliIo>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, ...extra };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** An existing store with nothing in it, as `cosell start` leaves it. */
async function emptyStore(name: string): Promise<string> {
  const storePath = path.join(dir, name);
  await new SqliteStore({ path: storePath }).close();
  return storePath;
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
    const store = await emptyStore('empty.sqlite');
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

describe('cosell status and dead-letters on a store that is not there or not a store', () => {
  it('says a missing store is missing, exits 2 and creates nothing', async () => {
    const missing = path.join(dir, 'never-ran', 'cosell.sqlite');
    for (const args of [['status'], ['dead-letters', 'list'], ['dead-letters', 'replay', '--all']]) {
      const out = await cosell(...args, '--store', missing);
      assert.equal(out.code, 2, `${args.join(' ')}: ${out.stderr}`);
      assert.equal(out.stdout, '');
      assert.match(out.stderr, /^cosell [a-z-]+: There is no store at .*never-ran\/cosell\.sqlite: no connector has run with it\. Check --store, COSELL_STORE_PATH/);
      assert.equal(out.stderr.trim().split('\n').length, 1, out.stderr);
    }
    assert.equal(existsSync(path.join(dir, 'never-ran')), false, 'no directory or empty store was created');
  });

  it('refuses a directory, a file that is not a database and a FIFO in one line, without hanging', { timeout: 20_000 }, async () => {
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const garbage = file('garbage.sqlite', 'this is not a SQLite database, just text long enough to be read as a header');
    const fifo = path.join(dir, 'a-fifo');
    execFileSync('mkfifo', [fifo]);
    for (const [target, why] of [
      [folder, /is a directory, not a store file/],
      [garbage, /Cannot open the SQLite store .*garbage\.sqlite: file is not a database/],
      [fifo, /is not a regular file, so it cannot be a store/],
    ] as const) {
      const out = await cosell('status', '--store', target);
      assert.equal(out.code, 2, out.stderr);
      assert.match(out.stderr, why);
      assert.equal(out.stderr.trim().split('\n').length, 1, `one line, no stack trace: ${out.stderr}`);
      assert.doesNotMatch(out.stderr, /\n\s+at /);
    }
  });
});

describe('the same --store and --json in every command that reads the store or prints a result', () => {
  it('documents --store and --json with one help text', async () => {
    const helps = Object.fromEntries(
      await Promise.all(['status', 'dead-letters', 'sync', 'start', 'register-webhooks'].map(async (name) => [name, (await cosell(name, '--help')).stdout] as const)),
    );
    const storeLine = /--store <file\|url> the SQLite store file or Postgres URL/;
    const jsonLine = /--json +print JSON \(times as ISO 8601, as in the text output\)/;
    for (const name of ['status', 'dead-letters', 'sync', 'start']) assert.match(helps[name], storeLine, name);
    for (const name of ['status', 'dead-letters', 'sync', 'register-webhooks']) assert.match(helps[name], jsonLine, name);
  });

  it('prints times as ISO 8601 in JSON, as the text does', async () => {
    const store = await storeWithDeadLetters('iso.sqlite');
    const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    const [dead] = JSON.parse((await cosell('dead-letters', 'list', '--store', store, '--json')).stdout);
    for (const key of ['createdAt', 'updatedAt', 'completedAt', 'nextAttemptAt', 'eventAt']) assert.match(dead[key], isoTime, key);
    assert.match(dead.lastError.at, isoTime);
    const text = (await cosell('dead-letters', 'list', '--store', store)).stdout;
    assert.ok(text.includes(`parked ${dead.completedAt}`), text);

    const status = JSON.parse((await cosell('status', '--store', store, '--json')).stdout);
    assert.match(status.lastSuccessAt.outbound ?? '1970-01-01T00:00:00.000Z', isoTime);
    assert.equal(status.oldestDueAt, null);
    const replay = JSON.parse((await cosell('dead-letters', 'replay', '1', '--store', store, '--json')).stdout);
    assert.deepEqual(replay, { requeued: [1], notDeadLetters: [] });
    const waiting = JSON.parse((await cosell('status', '--store', store, '--json')).stdout);
    assert.match(waiting.oldestDueAt, isoTime);
  });
});

describe('backfill progress', () => {
  /** A store 10 s into a backfill of 100 referrals with 40 still waiting. */
  async function storeMidBackfill(name: string): Promise<string> {
    const storePath = path.join(dir, name);
    const store = new SqliteStore({ path: storePath });
    await store.setCursor('referrals.backfill', JSON.stringify({ startedAt: Date.now() - 10_000, total: 100 }));
    await store.enqueueMany(Array.from({ length: 40 }, (_, i) => ({ kind: 'inbound' as const, key: `ref:r-${i}`, payload: {}, source: 'sweep' })));
    await store.close();
    return storePath;
  }

  it('shows done / total, rate and ETA in status, as text and JSON', async () => {
    const store = await storeMidBackfill('backfill.sqlite');
    const text = await cosell('status', '--store', store);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Backfill: +60 \/ 100 referrals \(60%\), [56]\.\d\/s, ETA [67] s \(started \d{4}-\d\d-\d\dT/);
    const { backfill } = JSON.parse((await cosell('status', '--store', store, '--json')).stdout);
    assert.equal(backfill.total, 100);
    assert.equal(backfill.done, 60);
    assert.equal(backfill.complete, false);
    assert.ok(backfill.ratePerSecond > 5 && backfill.ratePerSecond <= 6, String(backfill.ratePerSecond));
    assert.ok(backfill.etaSeconds > 6 && backfill.etaSeconds < 8, String(backfill.etaSeconds));
  });

  it('refreshes with --watch until stopped, following the backfill to the end', { timeout: 20_000 }, async () => {
    const storePath = await storeMidBackfill('watch.sqlite');
    const controller = new AbortController();
    let stdout = '';
    let firstShown: () => void = () => {};
    const shown = new Promise<void>((resolve) => (firstShown = resolve));
    const watching = main(['status', '--store', storePath, '--watch', '--interval', '0.2', '--json'], {
      stdout: (t) => {
        stdout += t;
        firstShown();
        const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { backfill: { done: number; complete: boolean } });
        if (lines.some((line) => line.backfill.complete)) controller.abort();
      },
      stderr: () => {},
      cwd: dir,
      signal: controller.signal,
    });
    // A worker drains the queue meanwhile.
    await shown;
    const store = new SqliteStore({ path: storePath });
    for (let i = 0; i < 40; i += 10) {
      for (const item of await store.claim('w', { limit: 10, leaseMs: 10_000 })) await store.complete(item.id, 'w', { outcome: {} });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await store.close();
    assert.equal(await watching, 0);
    const done = stdout.trim().split('\n').map((line) => (JSON.parse(line) as { backfill: { done: number } }).backfill.done);
    assert.equal(done[0], 60);
    assert.equal(done.at(-1), 100);
    assert.ok(done.length >= 3, `refreshed ${done.length} times`);
  });

  it('redraws in place on a terminal', async () => {
    const store = await storeMidBackfill('tty.sqlite');
    const controller = new AbortController();
    let stdout = '';
    const out = main(['status', '--store', store, '--watch', '--interval', '0.1'], {
      stdout: (t) => {
        stdout += t;
        if (stdout.split('Store:').length > 2) controller.abort();
      },
      stderr: () => {},
      cwd: dir,
      isTTY: true,
      signal: controller.signal,
    });
    assert.equal(await out, 0);
    assert.ok(stdout.startsWith('\x1b[H\x1b[2JStore:'), JSON.stringify(stdout.slice(0, 20)));
    assert.match(stdout, /Backfill: +60 \/ 100 referrals/);
  });

  it('rejects --interval without --watch', async () => {
    assert.equal((await cosell('status', '--store', await emptyStore('interval.sqlite'), '--interval', '1')).code, 2);
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
    const store = await emptyStore('usage.sqlite');
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
      const out = await cosell('sync', id.slice(0, 15), '--config', config, '--timeout', '30', '--json');
      assert.equal(out.code, 0, out.stderr + out.stdout);
      const result = JSON.parse(out.stdout);
      assert.equal(result.status, 'done');
      assert.equal(result.outcome.result, 'created');
      assert.match(out.stderr, /the running connector syncs it/);
      // Without --json, one line; --store names the same store as the config file.
      const again = await cosell('sync', id, '--config', file('other-store.json', { mode: 'sandbox', store: { path: path.join(dir, 'other.sqlite') } }), '--store', storePath, '--timeout', '30');
      assert.equal(again.code, 0, again.stderr + again.stdout);
      assert.match(again.stdout, new RegExp(`^${id}: synced \\(\\w+\\) \\[request-id [\\w-]+\\]\n$`));
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
