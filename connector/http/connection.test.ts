/** The setup page's connection routes: same bearer secret as sync requests, and the probe's answer as JSON. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { connectionProbe, type WebhookRegistrar } from '../connection-probe.js';
import { createLogger } from '../observability/logger.js';
import { ConnectorMetrics } from '../observability/metrics.js';
import { AuthorizationError, RetryableError, ValidationError } from '../partner-center/errors.js';
import { REFERRAL_WEBHOOK_EVENTS, type WebhookRegistration } from '../model/referral.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { CONNECTION_PATH, CONNECTION_WEBHOOKS_PATH } from './connection.js';
import { assessHealth } from './health.js';
import { buildHttpServer } from './server.js';

const SECRET = 'test-shared-secret-0123456789';
const CALLBACK = 'https://cosell.example.com/v1/webhooks/partner-center';
const NOW = Date.parse('2026-12-07T10:00:00Z');

/** A tenant's webhook registration as Partner Center keeps it, with a switch for a refused sign-in. */
class FakeTenant implements WebhookRegistrar {
  registration: WebhookRegistration | undefined;
  failWith: Error | undefined;
  failRegistrationWith: Error | undefined;
  registered: string[] = [];

  async getWebhookRegistration() {
    if (this.failWith) throw this.failWith;
    return { data: this.registration };
  }

  async registerWebhooks(url: string) {
    if (this.failWith) throw this.failWith;
    if (this.failRegistrationWith) throw this.failRegistrationWith;
    this.registered.push(url);
    this.registration = { WebhookUrl: url, WebhookEvents: [...REFERRAL_WEBHOOK_EVENTS] };
    return {};
  }
}

describe('connection probe', () => {
  const probe = (tenant: FakeTenant) => connectionProbe({ partnerCenter: tenant, expectedWebhookUrl: () => CALLBACK, version: '1.2.3', now: () => NOW });

  it('reports the version, the sign-in and a registration that points elsewhere', async () => {
    const tenant = new FakeTenant();
    tenant.registration = { WebhookUrl: 'https://old.example.com/hook', WebhookEvents: [...REFERRAL_WEBHOOK_EVENTS] };
    assert.deepEqual(await probe(tenant).status(), {
      connectorVersion: '1.2.3',
      expectedWebhookUrl: CALLBACK,
      checkedAt: '2026-12-07T10:00:00.000Z',
      partnerCenterState: 'signed-in',
      partnerCenterSignedIn: true,
      partnerCenterMessage: 'Signed in to Partner Center.',
      webhookRegistered: true,
      webhookUrl: 'https://old.example.com/hook',
      webhookEvents: REFERRAL_WEBHOOK_EVENTS.join(','),
      webhookMatches: false,
    });
  });

  it('a registration missing an event does not match', async () => {
    const tenant = new FakeTenant();
    tenant.registration = { WebhookUrl: CALLBACK, WebhookEvents: [REFERRAL_WEBHOOK_EVENTS[0]] };
    const status = await probe(tenant).status();
    assert.equal(status.webhookRegistered, true);
    assert.equal(status.webhookMatches, false);
  });

  it('registers this connector, overwriting the old callback', async () => {
    const tenant = new FakeTenant();
    tenant.registration = { WebhookUrl: 'https://old.example.com/hook', WebhookEvents: [] };
    const status = await probe(tenant).registerWebhooks();
    assert.deepEqual(tenant.registered, [CALLBACK]);
    assert.equal(status.webhookMatches, true);
    assert.equal(status.webhookUrl, CALLBACK);
  });

  it('a refused sign-in is signed-out with the fix; a silent Partner Center is unreachable', async () => {
    const tenant = new FakeTenant();
    tenant.failWith = new AuthorizationError('Partner Center refused the sign-in.', 'sign-in-required');
    const out = await probe(tenant).status();
    assert.equal(out.partnerCenterState, 'signed-out');
    assert.equal(out.partnerCenterSignedIn, false);
    assert.match(out.partnerCenterMessage, /cosell partner-center login/);
    assert.equal(out.webhookRegistered, false);
    tenant.failWith = new RetryableError('503 Service Unavailable', { status: 503 });
    const down = await probe(tenant).status();
    assert.equal(down.partnerCenterState, 'unreachable');
    assert.match(down.partnerCenterMessage, /not answering \(503 Service Unavailable\)/);
  });

  it('a refused registration says so and keeps the state a fresh check finds', async () => {
    const tenant = new FakeTenant();
    tenant.failRegistrationWith = new ValidationError('The callback URL is not reachable', { status: 400, service: { code: '400', message: 'The callback URL is not reachable' } });
    const status = await probe(tenant).registerWebhooks();
    assert.equal(status.partnerCenterState, 'signed-in');
    assert.equal(status.webhookRegistered, false);
    assert.match(status.partnerCenterMessage, /^The webhooks were not registered: Partner Center refused the call: /);
  });
});

describe('GET /v1/connection and POST /v1/connection/webhooks', () => {
  let app: FastifyInstance;
  let base: string;
  let store: SqliteStore;
  const tenant = new FakeTenant();

  before(async () => {
    store = new SqliteStore({ path: ':memory:' });
    app = buildHttpServer({
      store,
      metrics: new ConnectorMetrics(store, { defaultMetrics: false }),
      logger: createLogger({ level: 'silent' }),
      syncRequestSecret: SECRET,
      verifyWebhook: async () => ({ ok: true }),
      health: () => assessHealth({ store, worker: () => ({ running: true, lastTickAt: Date.now() }), staleAfterMs: 30_000, redact: (text) => text }),
      connection: connectionProbe({ partnerCenter: tenant, expectedWebhookUrl: () => CALLBACK, version: '9.9.9' }),
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  it('needs the shared secret, like sync requests', async () => {
    for (const [method, path] of [['GET', CONNECTION_PATH], ['POST', CONNECTION_WEBHOOKS_PATH]]) {
      for (const authorization of [undefined, 'Bearer wrong-secret', SECRET]) {
        const response = await fetch(`${base}${path}`, { method, headers: authorization ? { authorization } : {} });
        assert.equal(response.status, 401, `${method} ${path} with ${authorization ?? 'no header'}`);
        assert.equal(((await response.json()) as { error: string }).error, 'unauthorized');
      }
    }
    assert.deepEqual(tenant.registered, [], 'nothing was registered without the secret');
  });

  it('answers the status, and registers the connector on POST', async () => {
    const headers = { authorization: `Bearer ${SECRET}` };
    const before = (await (await fetch(`${base}${CONNECTION_PATH}`, { headers })).json()) as Record<string, unknown>;
    assert.equal(before.connectorVersion, '9.9.9');
    assert.equal(before.webhookRegistered, false);
    const response = await fetch(`${base}${CONNECTION_WEBHOOKS_PATH}`, { method: 'POST', headers });
    assert.equal(response.status, 200);
    const after = (await response.json()) as Record<string, unknown>;
    assert.equal(after.webhookMatches, true);
    assert.equal(after.webhookUrl, CALLBACK);
    assert.deepEqual(tenant.registered, [CALLBACK]);
  });
});

describe('the connector version', () => {
  it('is the package version', async () => {
    const { connectorVersion } = await import('../version.js');
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(connectorVersion(), pkg.version);
  });
});
