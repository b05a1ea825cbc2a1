/**
 * Secrets never reach the connector's output. The connector runs as a process (configuration from the
 * environment and secret files, its default logger, at trace level) through a full sandbox flow in both
 * directions and the failures around it; everything it writes to stdout and stderr is then searched for every
 * configured secret and every token the stand-ins issued, in the forms secret-forms.ts lists.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, secretValues } from '../../connector/config/load.js';
import { SETTINGS } from '../../connector/config/connector-settings.js';
import { createLogger } from '../../connector/observability/logger.js';
import { LogSecrets } from '../../connector/observability/redact.js';
import { startLocalOrg } from '../../sandbox/org/index.js';
import { findLeaks, secretForms } from './secret-forms.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FLOW = fileURLToPath(new URL('./fixtures/sandbox-flow.ts', import.meta.url));

/** The secret settings this test gives distinctive values; a new secret setting must be added here. */
const SECRET_ENV = [
  'COSELL_SYNC_REQUEST_SECRET',
  'COSELL_SF_CLIENT_SECRET',
  'COSELL_SF_PRIVATE_KEY',
  'COSELL_PC_CLIENT_SECRET',
  'COSELL_PC_REFRESH_TOKEN',
];

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Outside the repository, as the loader requires of secret files. */
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-secrets-'));
  dirs.push(dir);
  return dir;
}

/** Random, with characters that URL and form encoding change, so every encoded form differs from the raw one. */
const distinctive = () => `${randomBytes(27).toString('base64url')}+/~.${randomBytes(9).toString('base64url')}`;

/** The environment without any COSELL_ setting the runner happens to have. */
function baseEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => !e[0].startsWith('COSELL_') && e[1] !== undefined));
}

function run(args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...env, NODE_NO_WARNINGS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

function assertNoLeaks(output: string, secrets: Record<string, string>): void {
  const leaks = findLeaks(output, secrets);
  assert.deepEqual(leaks, [], `secrets in the connector's output:\n${leaks.map((l) => `${l.secret} (${l.form}): ${l.line}`).join('\n')}`);
}

describe('the leak detector', () => {
  it('finds a secret raw, encoded, inside Basic credentials and truncated', () => {
    const secret = distinctive();
    const lines = [
      `{"authorization":"Bearer ${secret}"}`,
      `client_secret=${encodeURIComponent(secret)}&grant_type=client_credentials`,
      `{"authorization":"Basic ${Buffer.from(`id:${secret}`).toString('base64')}"}`,
      `{"header":"${Buffer.from(`xy${secret}`).toString('base64url')}"}`,
      `{"token":"${secret.slice(3, 22)}…"}`,
    ];
    for (const line of lines) assert.notDeepEqual(findLeaks(line, { secret }), [], line);
    assert.deepEqual(findLeaks('{"msg":"connector listening","authorization":"[redacted]"}', { secret }), []);
    assert.ok(secretForms(secret).some((form) => form.label === 'url-encoded' && form.text !== secret));
  });
});

describe('the secrets the connector scrubs from its log', () => {
  it('are the secret settings and the Postgres password, from the store URL or PGPASSWORD', () => {
    const config = loadConfig({
      env: { COSELL_MODE: 'sandbox', COSELL_SYNC_REQUEST_SECRET: 'sync-secret-value-1', COSELL_STORE_URL: 'postgres://cosell:p%40ss-w0rd-123@db:5432/cosell' },
      repositoryRoot: null,
    });
    const values = secretValues(config, { PGPASSWORD: 'pg-env-password-42' });
    assert.deepEqual([...values].sort(), ['p@ss-w0rd-123', 'pg-env-password-42', 'sync-secret-value-1']);
    let line = '';
    const logger = createLogger({ secrets: new LogSecrets(values), destination: { write: (text: string) => void (line += text) } });
    logger.error({ url: config.store.url }, 'could not connect to p@ss-w0rd-123');
    assert.deepEqual(findLeaks(line, { urlPassword: 'p@ss-w0rd-123' }), []);
  });
});

describe('secrets in the connector output', () => {
  it('covers every secret setting', () => {
    assert.deepEqual(
      SETTINGS.filter((s) => s.secret).map((s) => s.env).sort(),
      [...SECRET_ENV].sort(),
      'a secret setting was added or removed: give it a distinctive value in this test',
    );
  });

  it('never shows a secret or an issued token through a full sandbox flow with failures', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const secrets: Record<string, string> = Object.fromEntries(SECRET_ENV.map((name) => [name, distinctive()]));
    // The JWT key must be a real PEM key; its base64 body (searched in 16-character pieces) is the secret.
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    secrets.COSELL_SF_PRIVATE_KEY = privateKey.replace(/-----[A-Z ]+-----|\s/g, '');
    secrets.ROTATED_SF_SECRET = distinctive();
    secrets.WRONG_SYNC_SECRET = distinctive();
    // Two secrets come from files, the rest from the environment: both ways the loader reads them.
    writeFileSync(path.join(dir, 'sync-secret'), `${secrets.COSELL_SYNC_REQUEST_SECRET}\n`, { mode: 0o600 });
    writeFileSync(path.join(dir, 'sf-secret'), secrets.COSELL_SF_CLIENT_SECRET, { mode: 0o600 });
    const reportFile = path.join(dir, 'report.json');
    const env = {
      ...baseEnv(),
      COSELL_MODE: 'sandbox',
      COSELL_SYNC_REQUEST_SECRET_FILE: path.join(dir, 'sync-secret'),
      COSELL_SF_CLIENT_SECRET_FILE: path.join(dir, 'sf-secret'),
      COSELL_SF_CLIENT_ID: 'cosell-security-connector',
      COSELL_SF_PRIVATE_KEY: privateKey,
      COSELL_PC_CLIENT_ID: 'cosell-security-connector',
      COSELL_PC_CLIENT_SECRET: secrets.COSELL_PC_CLIENT_SECRET,
      COSELL_PC_REFRESH_TOKEN: secrets.COSELL_PC_REFRESH_TOKEN,
      COSELL_STORE_PATH: path.join(dir, 'store.sqlite'),
      COSELL_PORT: '0',
      COSELL_LOG_LEVEL: 'trace',
      COSELL_POLL_INTERVAL_MS: '25',
      COSELL_RETRY_BASE_MS: '100',
      COSELL_RETRY_CAP_MS: '400',
      COSELL_SWEEP_PENDING_INTERVAL_MS: '1000',
      COSELL_SWEEP_REFERRALS_INTERVAL_MS: '1000',
      COSELL_TEST_REPORT: reportFile,
      COSELL_TEST_ROTATED_SF_SECRET: secrets.ROTATED_SF_SECRET,
      COSELL_TEST_WRONG_SYNC_SECRET: secrets.WRONG_SYNC_SECRET,
    };
    const { code, output } = await run([FLOW], env, 150_000);
    assert.equal(code, 0, output.slice(-4000));
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { steps: string[]; issuedTokens: string[]; syncRequestSecret: string };
    assert.deepEqual(report.steps, ['outbound', 'inbound', 'bad-sync-secret', 'bad-bodies', 'forged-webhook', 'salesforce-auth-failure', 'partner-center-401']);
    assert.equal(report.syncRequestSecret, secrets.COSELL_SYNC_REQUEST_SECRET, 'the secret file was read');
    assert.ok(report.issuedTokens.length >= 4, 'both stand-ins issued tokens');

    // The output really covers the flow: both directions, the rejected webhook and both login failures.
    const entries = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; kind?: string; reason?: string });
    const logged = (what: (entry: (typeof entries)[number]) => boolean) => entries.some(what);
    assert.ok(logged((e) => e.msg === 'sync item done' && e.kind === 'outbound'), 'an outbound item logged');
    assert.ok(logged((e) => e.msg === 'sync item done' && e.kind === 'inbound'), 'an inbound item logged');
    assert.ok(logged((e) => e.msg === 'webhook signature rejected' && e.reason === 'signature-mismatch'), 'the forged webhook logged');
    assert.ok(logged((e) => /Salesforce login .* failed: invalid_client/.test(e.msg)), 'the Salesforce login failure logged');
    assert.ok(logged((e) => /sign-in is no longer valid/.test(e.msg)), 'the Partner Center 401 logged');

    const tokens = Object.fromEntries(report.issuedTokens.map((token, i) => [`issued token ${i}`, token]));
    assertNoLeaks(output, { ...secrets, ...tokens });
  });

  it('cosell start names a rejected Salesforce login without showing the secret', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const org = await startLocalOrg({ seed: false });
    try {
      const secrets = { wrong: distinctive(), sync: distinctive(), pcSecret: distinctive(), pcRefresh: distinctive(), real: org.integrationCredentials.clientSecret };
      writeFileSync(path.join(dir, 'sf-secret'), secrets.wrong, { mode: 0o600 });
      const env = {
        ...baseEnv(),
        COSELL_MODE: 'live',
        COSELL_SF_LOGIN_URL: org.loginUrl,
        COSELL_SF_CLIENT_ID: org.integrationCredentials.clientId,
        COSELL_SF_CLIENT_SECRET_FILE: path.join(dir, 'sf-secret'),
        COSELL_SYNC_REQUEST_SECRET: secrets.sync,
        COSELL_PC_TENANT_ID: '00000000-0000-4000-8000-00000000c05e',
        COSELL_PC_CLIENT_ID: 'cosell-security-connector',
        COSELL_PC_CLIENT_SECRET: secrets.pcSecret,
        COSELL_PC_REFRESH_TOKEN: secrets.pcRefresh,
        COSELL_PC_TOKEN_CACHE_FILE: path.join(dir, 'pc-token.json'),
        COSELL_STORE_PATH: path.join(dir, 'store.sqlite'),
        COSELL_PORT: '0',
        COSELL_LOG_LEVEL: 'trace',
      };
      const { code, output } = await run(['connector/cli/index.ts', 'start'], env, 50_000);
      assert.equal(code, 1, output);
      assert.match(output, /cosell start: Salesforce login \(client-credentials\) at .* failed: invalid_client/);
      assertNoLeaks(output, secrets);
    } finally {
      await org.close();
    }
  });
});
