import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, findRepositoryRoot, loadConfig } from './load.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cosell-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

/** A complete live environment; tests remove or change one thing at a time. */
const LIVE_ENV = {
  COSELL_SYNC_REQUEST_SECRET: 'a-long-enough-shared-secret',
  COSELL_SF_LOGIN_URL: 'https://contoso.my.salesforce.com',
  COSELL_SF_CLIENT_ID: 'consumer-key',
  COSELL_SF_CLIENT_SECRET: 'consumer-secret',
  COSELL_PC_TENANT_ID: 'tenant',
  COSELL_PC_CLIENT_ID: 'app',
  COSELL_PC_CLIENT_SECRET: 'app-secret',
  COSELL_PC_REFRESH_TOKEN: 'refresh',
  COSELL_PC_TOKEN_CACHE_FILE: path.join(dir, 'pc-token-cache.json'),
};

function rejects(run: () => unknown, ...patterns: RegExp[]): string {
  let message = '';
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    message = error.message;
    return true;
  });
  for (const pattern of patterns) assert.match(message, pattern);
  return message;
}

describe('loadConfig', () => {
  it('fills defaults and reads every setting from the environment', () => {
    const config = loadConfig({ env: { ...LIVE_ENV, COSELL_PORT: '9000', COSELL_PC_WEBHOOK_CERT_HOSTS: 'a.example, b.example', COSELL_SWEEPS_ENABLED: 'off' } });
    assert.equal(config.mode, 'live');
    assert.equal(config.http.port, 9000);
    assert.equal(config.http.host, '127.0.0.1');
    assert.deepEqual(config.partnerCenter.webhookCertificateHosts, ['a.example', 'b.example']);
    assert.equal(config.sweeps.enabled, false);
    assert.equal(config.salesforce.clientSecret, 'consumer-secret');
    assert.equal(config.worker.maxAttempts, 10);
  });

  it('lets the environment win over the config file', () => {
    const configFile = file('env-wins.json', { http: { port: 1234, host: '0.0.0.0' }, log: { level: 'debug' } });
    const config = loadConfig({ configFile, env: { ...LIVE_ENV, COSELL_PORT: '4321' } });
    assert.equal(config.http.port, 4321);
    assert.equal(config.http.host, '0.0.0.0');
    assert.equal(config.log.level, 'debug');
  });

  it('names each missing setting and how to set it', () => {
    const { COSELL_SF_CLIENT_SECRET: _s, COSELL_PC_TOKEN_CACHE_FILE: _c, ...env } = LIVE_ENV;
    rejects(
      () => loadConfig({ env }),
      /"salesforce\.clientSecret" is missing.*COSELL_SF_CLIENT_SECRET, or COSELL_SF_CLIENT_SECRET_FILE/,
      /"partnerCenter\.tokenCacheFile" is missing.*COSELL_PC_TOKEN_CACHE_FILE/,
    );
  });

  it('refuses a secret written in the config file', () => {
    const configFile = file('inline-secret.json', { salesforce: { clientSecret: 'oops' } });
    const message = rejects(() => loadConfig({ configFile, env: LIVE_ENV }), /"salesforce\.clientSecret" is a secret and must not be written/);
    assert.doesNotMatch(message, /oops/);
  });

  it('reads a secret from a file outside the repository, and refuses one inside it', () => {
    const secretFile = file('sf-secret', 'from-a-file\n');
    const { COSELL_SF_CLIENT_SECRET: _s, ...env } = LIVE_ENV;
    assert.equal(loadConfig({ env: { ...env, COSELL_SF_CLIENT_SECRET_FILE: secretFile } }).salesforce.clientSecret, 'from-a-file');
    const configFile = file('secret-ref.json', { salesforce: { clientSecretFile: secretFile } });
    assert.equal(loadConfig({ configFile, env }).salesforce.clientSecret, 'from-a-file');
    const root = findRepositoryRoot();
    assert.ok(root, 'tests run inside the repository');
    rejects(
      () => loadConfig({ env: { ...env, COSELL_SF_CLIENT_SECRET_FILE: path.join(root, 'package.json') } }),
      /inside the repository/,
    );
    rejects(() => loadConfig({ env: { ...LIVE_ENV, COSELL_PC_TOKEN_CACHE_FILE: path.join(root, 'var', 'token.json') } }), /"partnerCenter\.tokenCacheFile" .* inside the repository/);
  });

  it('rejects unknown keys, wrong types and bad values with the setting name', () => {
    rejects(() => loadConfig({ configFile: file('unknown.json', { http: { prot: 1 } }), env: LIVE_ENV }), /"http\.prot" .* is not a connector setting/);
    rejects(() => loadConfig({ env: { ...LIVE_ENV, COSELL_PORT: 'eighty' } }), /COSELL_PORT must be a whole number/);
    rejects(() => loadConfig({ env: { ...LIVE_ENV, COSELL_PORT: '70000' } }), /"http\.port" must be <= 65535.*COSELL_PORT/);
    rejects(() => loadConfig({ env: { ...LIVE_ENV, COSELL_SYNC_REQUEST_SECRET: 'short' } }), /"syncRequestSecret" must NOT have fewer than 16/);
    rejects(() => loadConfig({ configFile: file('broken.json', '{ nope'), env: LIVE_ENV }), /is not valid JSON/);
    rejects(() => loadConfig({ env: { ...LIVE_ENV, COSELL_PUBLIC_URL: 'http://cosell.example' } }), /"http\.publicUrl" must be an https URL/);
  });

  it('explains that client credentials need a My Domain URL', () => {
    rejects(() => loadConfig({ env: { ...LIVE_ENV, COSELL_SF_LOGIN_URL: 'https://login.salesforce.com' } }), /My Domain URL/);
  });

  it('needs per-auth settings for JWT and Salesforce CLI logins', () => {
    rejects(() => loadConfig({ env: { ...LIVE_ENV, COSELL_SF_AUTH: 'jwt' } }), /"salesforce\.username" is missing/, /"salesforce\.privateKey" is missing/);
    rejects(() => loadConfig({ env: { ...LIVE_ENV, COSELL_SF_AUTH: 'sf-cli' } }), /"salesforce\.orgAlias" is missing.*COSELL_SF_ORG_ALIAS/);
    rejects(() => loadConfig({ env: { ...LIVE_ENV, COSELL_SF_AUTH: 'password' } }), /"salesforce\.auth" must be equal to one of the allowed values/);
  });

  it('needs no org or tenant credentials in sandbox mode and makes up a shared secret', () => {
    const a = loadConfig({ env: { COSELL_MODE: 'sandbox' } });
    const b = loadConfig({ env: { COSELL_MODE: 'sandbox' } });
    assert.equal(a.mode, 'sandbox');
    assert.ok(a.syncRequestSecret.length >= 16);
    assert.notEqual(a.syncRequestSecret, b.syncRequestSecret);
  });

  it('accepts the example configuration once its secrets are provided', () => {
    const example = new URL('./example.json', import.meta.url).pathname;
    const { COSELL_SF_LOGIN_URL: _l, ...secretsOnly } = LIVE_ENV;
    const config = loadConfig({ configFile: example, env: { ...secretsOnly, COSELL_PC_TOKEN_CACHE_FILE: '' } });
    assert.equal(config.salesforce.loginUrl, 'https://yourcompany.my.salesforce.com');
    assert.equal(config.partnerCenter.tokenCacheFile, '/var/lib/cosell/partner-center-token-cache.json');
    assert.equal(config.http.publicUrl, 'https://cosell.example.com');
  });

  it('applies programmatic overrides last', () => {
    const config = loadConfig({ env: LIVE_ENV, overrides: { http: { port: 0 }, store: { path: ':memory:' } } });
    assert.equal(config.http.port, 0);
    assert.equal(config.store.path, ':memory:');
  });
});
