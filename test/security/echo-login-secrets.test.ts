/**
 * A Salesforce login server whose error echoes the request it got (client_secret and all), as some proxies and
 * misconfigured identity providers do. The connector must pass that answer on without the secret: not on
 * /healthz (where an unauthenticated caller gets no error text at all), not in its log, not on stderr when
 * `cosell start` gives up. Everything on loopback.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../connector/config/load.js';
import { startConnector } from '../../connector/service.js';
import { findLeaks } from './secret-forms.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const distinctive = () => `${randomBytes(27).toString('base64url')}+/~.${randomBytes(9).toString('base64url')}`;

/** Answers every token request with invalid_client and the request, headers and body, in the description. */
class EchoLoginServer {
  #server!: Server;
  url = '';
  /** Connections to drop before answering (a login server that is not up yet). */
  dropFirst = 0;
  requests = 0;

  async start(): Promise<this> {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests++;
        if (this.dropFirst > 0) {
          this.dropFirst--;
          request.socket.destroy();
          return;
        }
        const echo = `could not verify the request ${request.method} ${request.url} ${JSON.stringify(request.headers)} ${Buffer.concat(chunks).toString('utf8')}`;
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client', error_description: echo }));
      });
    });
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

function assertNoLeaks(output: string, secrets: Record<string, string>, where: string): void {
  const leaks = findLeaks(output, secrets);
  assert.deepEqual(leaks, [], `secrets in ${where}:\n${leaks.map((l) => `${l.secret} (${l.form}): ${l.line}`).join('\n')}`);
}

describe('a login server that echoes the request', () => {
  let login: EchoLoginServer;
  let dir: string;
  const secrets = { sfSecret: distinctive(), sync: distinctive(), pcSecret: distinctive() };
  const env = () => ({
    COSELL_MODE: 'live',
    COSELL_SF_LOGIN_URL: login.url,
    COSELL_SF_CLIENT_ID: 'cosell-echo-test-client',
    COSELL_SF_CLIENT_SECRET: secrets.sfSecret,
    COSELL_SYNC_REQUEST_SECRET: secrets.sync,
    COSELL_PC_TENANT_ID: '00000000-0000-4000-8000-00000000c05e',
    COSELL_PC_CLIENT_ID: 'cosell-echo-test-connector',
    COSELL_PC_CLIENT_SECRET: secrets.pcSecret,
    COSELL_PC_TOKEN_CACHE_FILE: path.join(dir, 'pc-token.json'),
    COSELL_STORE_PATH: path.join(dir, 'store.sqlite'),
    COSELL_HOST: '127.0.0.1',
    COSELL_PORT: '0',
    COSELL_SWEEPS_ENABLED: 'false',
    COSELL_LOG_LEVEL: 'trace',
  });

  before(async () => {
    login = await new EchoLoginServer().start();
    dir = mkdtempSync(path.join(tmpdir(), 'cosell-echo-'));
  });
  after(async () => {
    await login.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/healthz gives an unauthenticated caller the status only, and the admin the reason without the secret', { timeout: 60_000 }, async () => {
    // Down at start (the connector starts anyway), then refusing with the echo once the first sync logs in.
    login.dropFirst = 1;
    const logged = new PassThrough();
    let log = '';
    logged.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const config = loadConfig({ env: env() });
    const connector = await startConnector(config, { logDestination: logged });
    try {
      const accepted = await fetch(`${connector.url}/v1/sync-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.sync}` },
        body: JSON.stringify({ opportunityId: '006000000000001AAA', reason: 'Updated', eventUuid: '0b6c8a4e-5f7d-4a7e-9c1b-2d3e4f5a6b7c', publishedAt: new Date().toISOString() }),
      });
      assert.equal(accepted.status, 202);
      let open = '';
      for (let waited = 0; waited < 20_000; waited += 100) {
        const response = await fetch(`${connector.url}/healthz`);
        open = await response.text();
        if (response.status === 503) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(login.requests >= 2, 'the sync logged in and was refused');
      const body = JSON.parse(open) as { healthy: boolean; checks: { worker: Record<string, unknown> } };
      assert.equal(body.healthy, false, open);
      assert.deepEqual(Object.keys(body.checks.worker).sort(), ['lastTickAt', 'ok'], 'no error text for an unauthenticated caller');
      assertNoLeaks(open, secrets, 'the unauthenticated /healthz');

      const detailed = await (await fetch(`${connector.url}/healthz`, { headers: { authorization: `Bearer ${secrets.sync}` } })).text();
      assert.match(detailed, /sync is paused: Salesforce login \(client-credentials\) at .* failed: invalid_client/);
      assert.match(detailed, /could not verify the request/, 'the login server’s words are passed on');
      assertNoLeaks(detailed, secrets, 'the admin’s /healthz');
    } finally {
      await connector.close();
    }
    assert.match(log, /invalid_client/);
    assertNoLeaks(log, secrets, 'the connector log');
  });

  it('cosell start prints the refusal on stderr without the secret', { timeout: 60_000 }, async () => {
    login.dropFirst = 0;
    const base = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => !e[0].startsWith('COSELL_') && e[1] !== undefined));
    const child = spawn(process.execPath, ['--import', 'tsx', 'connector/cli/index.ts', 'start'], { cwd: ROOT, env: { ...base, ...env(), NODE_NO_WARNINGS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /cosell start: Salesforce login \(client-credentials\) at .* failed: invalid_client — could not verify the request/);
    assertNoLeaks(stderr, secrets, 'stderr');
    assertNoLeaks(stdout, secrets, 'stdout');
  });
});
