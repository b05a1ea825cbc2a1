/**
 * Choosing and opening the store from configuration: SQLite by default, Postgres at `store.url`; a wrong URL or an
 * unreachable server stops start-up with a message naming the setting, and the password never appears in it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig, resolveStoreLocation } from '../config/load.js';
import { createLogger } from '../observability/logger.js';
import type { PartnerCenterClient } from '../partner-center/client.js';
import type { SalesforceGateway } from '../salesforce/gateway.js';
import { StartupError, createSyncRuntime } from '../service.js';
import { StoreOpenError, describeStoreLocation, openStore, redactStoreUrl, storeLocation, storeUrlPassword } from './open.js';
import { SqliteStore } from './sqlite-store.js';

const PASSWORD = 'pw-Zq8!s3cret';
const serverUrl = process.env.COSELL_TEST_POSTGRES_URL;
const dir = mkdtempSync(path.join(tmpdir(), 'cosell-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function openError(url: string): Promise<StoreOpenError> {
  const error = await openStore({ kind: 'postgres', url }).then(
    () => assert.fail('the store opened'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof StoreOpenError, String(error));
  return error;
}

describe('store location', () => {
  it('is SQLite at store.path unless store.url is set', () => {
    assert.deepEqual(storeLocation({ path: 'var/q.sqlite' }), { kind: 'sqlite', path: 'var/q.sqlite' });
    assert.deepEqual(storeLocation({ path: 'var/q.sqlite', url: 'postgres://db/cosell' }), { kind: 'postgres', url: 'postgres://db/cosell' });
    const config = loadConfig({ env: { COSELL_MODE: 'sandbox', COSELL_STORE_URL: `postgres://cosell:${PASSWORD}@db:5432/cosell` }, repositoryRoot: null });
    assert.equal(config.store.url, `postgres://cosell:${PASSWORD}@db:5432/cosell`);
    assert.equal(loadConfig({ env: { COSELL_MODE: 'sandbox' }, repositoryRoot: null }).store.url, undefined);
  });

  it('redacts the password wherever the URL is shown', () => {
    assert.equal(redactStoreUrl(`postgres://cosell:${encodeURIComponent(PASSWORD)}@db:5432/cosell?schema=q`), 'postgres://cosell:***@db:5432/cosell?schema=q');
    assert.equal(redactStoreUrl('postgres://db/cosell?password=x&sslmode=require'), 'postgres://db/cosell?password=***&sslmode=require');
    assert.equal(redactStoreUrl('postgres://cosell@db/cosell'), 'postgres://cosell@db/cosell');
    assert.equal(redactStoreUrl(`not a url ${PASSWORD}`), '(an unparseable URL)');
    assert.equal(describeStoreLocation({ kind: 'postgres', url: `postgres://u:${encodeURIComponent(PASSWORD)}@h/d` }), 'postgres://u:***@h/d');
    assert.equal(describeStoreLocation({ kind: 'sqlite', path: '/var/lib/cosell/q.sqlite' }), '/var/lib/cosell/q.sqlite');
    assert.equal(storeUrlPassword(`postgres://u:${encodeURIComponent(PASSWORD)}@h/d`), PASSWORD);
    assert.equal(storeUrlPassword('postgres://u@h/d'), undefined);
  });

  it('rejects a URL that is not a Postgres URL, naming the setting', () => {
    for (const [url, expected] of [
      ['mysql://db/cosell', /must start with postgres:\/\/ or postgresql:\/\//],
      ['postgres:///cosell', /names no host/],
      ['postgres://db/cosell?schema=drop table', /not a plain identifier/],
    ] as const) {
      assert.throws(
        () => loadConfig({ env: { COSELL_MODE: 'sandbox', COSELL_STORE_URL: url }, repositoryRoot: null }),
        (error: Error) => error instanceof ConfigError && /Setting "store\.url"/.test(error.message) && /COSELL_STORE_URL/.test(error.message) && expected.test(error.message),
      );
    }
  });

  it('refuses a password written in the config file, without repeating it', () => {
    const file = path.join(dir, 'with-password.json');
    writeFileSync(file, JSON.stringify({ mode: 'sandbox', store: { url: `postgres://cosell:${PASSWORD}@db/cosell` } }));
    assert.throws(
      () => loadConfig({ configFile: file, env: {}, repositoryRoot: null }),
      (error: Error) => /"store\.url" in .* contains a password/.test(error.message) && /PGPASSWORD/.test(error.message) && !error.message.includes(PASSWORD),
    );
    assert.throws(() => resolveStoreLocation({ configFile: file, env: {} }), (error: Error) => /contains a password/.test(error.message) && !error.message.includes(PASSWORD));
    // Without the password the file may name the server; the environment still wins.
    writeFileSync(file, JSON.stringify({ mode: 'sandbox', store: { url: 'postgres://cosell@db/cosell' } }));
    assert.equal(loadConfig({ configFile: file, env: {}, repositoryRoot: null }).store.url, 'postgres://cosell@db/cosell');
    assert.deepEqual(resolveStoreLocation({ configFile: file, env: {} }), { kind: 'postgres', url: 'postgres://cosell@db/cosell' });
    assert.deepEqual(resolveStoreLocation({ configFile: file, env: { COSELL_STORE_URL: 'postgres://other/q' } }), { kind: 'postgres', url: 'postgres://other/q' });
    assert.deepEqual(resolveStoreLocation({ env: { COSELL_STORE_PATH: 'q.sqlite' } }), { kind: 'sqlite', path: 'q.sqlite' });
  });

  it('opens SQLite by default', async () => {
    const store = await openStore({ kind: 'sqlite', path: ':memory:' });
    assert.ok(store instanceof SqliteStore);
    await store.ping();
    await store.close();
  });
});

describe('opening a Postgres store that cannot be used', () => {
  it('names the setting and the redacted URL when the server is unreachable', async () => {
    const url = `postgres://cosell:${encodeURIComponent(PASSWORD)}@127.0.0.1:${await closedPort()}/cosell`;
    const error = await openError(url);
    assert.match(error.message, /Cannot open the Postgres store postgres:\/\/cosell:\*\*\*@127\.0\.0\.1:\d+\/cosell \(setting "store\.url", COSELL_STORE_URL\)/);
    assert.match(error.message, /ECONNREFUSED/);
    assert.match(error.message, /check the host and port/);
    assert.ok(!error.message.includes(PASSWORD) && !error.message.includes(encodeURIComponent(PASSWORD)));
  });

  it('stops start-up with that message', async () => {
    const url = `postgres://cosell:${encodeURIComponent(PASSWORD)}@127.0.0.1:${await closedPort()}/cosell`;
    const config = loadConfig({ env: { COSELL_MODE: 'sandbox', COSELL_STORE_URL: url, COSELL_LOG_LEVEL: 'silent' }, repositoryRoot: null });
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
    // The store opens before anything talks to Salesforce or Partner Center, so neither is needed here.
    const error = await createSyncRuntime(config, {
      logger,
      partnerCenter: {} as PartnerCenterClient,
      salesforce: {} as SalesforceGateway,
    }).then(
      () => assert.fail('the connector started'),
      (e: unknown) => e as Error,
    );
    assert.ok(error instanceof StartupError);
    assert.match(error.message, /setting "store\.url", COSELL_STORE_URL/);
    assert.ok(!error.message.includes(PASSWORD));
    assert.ok(!lines.join('').includes(PASSWORD));
  });

  const withServer = serverUrl ? {} : { skip: 'no Postgres server: set COSELL_TEST_POSTGRES_URL, or run `npm run test:postgres`' };

  it('says to check the password when the login is refused', withServer, async () => {
    const url = new URL(serverUrl!);
    url.password = PASSWORD;
    const error = await openError(url.toString());
    assert.match(error.message, /password authentication failed/);
    assert.match(error.message, /check the user name and password \(in the URL or PGPASSWORD\)/);
    assert.ok(!error.message.includes(PASSWORD));
  });

  it('says to create the database when it does not exist', withServer, async () => {
    const url = new URL(serverUrl!);
    url.pathname = '/cosell_no_such_database';
    const error = await openError(url.toString());
    assert.match(error.message, /database "cosell_no_such_database" does not exist/);
    assert.match(error.message, /create the database first/);
    assert.ok(!error.message.includes(decodeURIComponent(url.password)) || url.password === '');
  });
});
