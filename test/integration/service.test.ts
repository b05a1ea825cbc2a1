/** The assembled service: in-process start and close, graceful release of in-flight work, and `cosell start` as a process. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../connector/store/sqlite-store.js';
import { eventually, startStack } from '../support/sync-stack.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-service-'));
  dirs.push(dir);
  return dir;
}

describe('startConnector', () => {
  it('serves health and metrics, and stops listening on close', async () => {
    const stack = await startStack();
    try {
      const health = await fetch(`${stack.connector.url}/healthz`);
      assert.equal(health.status, 200);
      const metrics = await (await fetch(`${stack.connector.url}/metrics`)).text();
      assert.match(metrics, /cosell_queue_depth\{kind="outbound"\} 0/);
      assert.match(metrics, /cosell_process_cpu_seconds_total/);
      assert.equal(stack.pc.control.webhooks.registration()?.WebhookUrl, `${stack.connector.url}/v1/partner-center/webhooks`);
    } finally {
      await stack.close();
    }
    await assert.rejects(fetch(`${stack.connector.url}/healthz`));
  });

  it('gives work in flight back to the queue on shutdown, without spending an attempt', async () => {
    const file = path.join(tempDir(), 'store.sqlite');
    const stack = await startStack({ config: { store: { path: file } } });
    const id = stack.org.seeded!.opportunities.contosoLandingZone;
    // Partner Center answers slowly, so the create is still in flight when the connector stops.
    stack.pc.control.faults.set({ latencyMs: 3000 });
    stack.org.control.records.update('Opportunity', id, { Sync_With_Partner_Center__c: true }, { as: 'seller' });
    await eventually(async () => (await stack.connector.store.stats()).running === 1, 'the sync to start');
    await stack.connector.worker.stop(50);
    await stack.close();
    const store = new SqliteStore({ path: file });
    try {
      const [item] = await store.listItems({ kind: 'outbound' });
      assert.equal(item.status, 'queued');
      assert.equal(item.attempts, 0);
      assert.equal(item.claimedBy, null);
      assert.equal(item.lastError?.code, 'RELEASED');
    } finally {
      await store.close();
    }
  });
});

describe('cosell start in a checkout (sandbox/cosell.ts)', () => {
  it('runs the sandbox as a process and shuts down cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const config = path.join(dir, 'connector.json');
    writeFileSync(config, JSON.stringify({ mode: 'sandbox', http: { port: 0 }, store: { path: path.join(dir, 'store.sqlite') }, sweeps: { enabled: false } }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cosell.ts', 'start', '--config', config], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await eventually(() => /"msg":"connector listening"/.test(output) && /"url":"([^"]+)"/.exec(output.slice(output.indexOf('connector listening') - 300))?.[1], 'the listening log line', 30_000);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
      assert.match(output, /"msg":"shutting down"/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
