import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../../connector/observability/logger.js';
import { ConnectorMetrics } from '../../../connector/observability/metrics.js';
import { SqliteStore } from '../../../connector/store/sqlite-store.js';
import { startWebhookSigner, type WebhookSigner } from '../../support/webhook-signer.js';
import { assessHealth, type WorkerLiveness } from '../../../connector/http/health.js';
import { buildHttpServer } from '../../../connector/http/server.js';
import { createWebhookVerifier } from '../../../connector/partner-center/webhook-verifier.js';

const SECRET = 'test-shared-secret-0123456789';
const OPPORTUNITY_15 = '0068d00000AbCdE';
const OPPORTUNITY_18 = '0068d00000AbCdEAAV';

let signer: WebhookSigner;
let store: SqliteStore;
let app: FastifyInstance;
let base: string;
let liveness: WorkerLiveness;
let woken = 0;
/** What the connector logged (warn and up), line by line. */
let logged = '';

before(async () => {
  signer = await startWebhookSigner();
});
after(async () => {
  await signer.close();
});

beforeEach(async () => {
  await app?.close();
  await store?.close();
  store = new SqliteStore({ path: ':memory:' });
  liveness = { running: true, lastTickAt: Date.now() };
  woken = 0;
  app = buildHttpServer({
    store,
    metrics: new ConnectorMetrics(store, { defaultMetrics: false }),
    logger: createLogger({ level: 'warn', destination: Object.assign(new PassThrough(), {}).on('data', (chunk: Buffer) => (logged += chunk.toString())) }),
    syncRequestSecret: SECRET,
    verifyWebhook: createWebhookVerifier({ allowedCertificateHosts: [], insecureLoopbackHosts: [signer.host], trustedRoots: [signer.caPem] }),
    health: () => assessHealth({ store, worker: () => liveness, staleAfterMs: 30_000, redact: (text) => text.replaceAll('hunter2-secret-value', '[redacted]') }),
    onEnqueued: () => woken++,
    // The notifications below are dated 2025-06-28T10:00Z; the connector receives them an hour later.
    now: () => Date.parse('2025-06-28T11:00:00Z'),
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await app?.close();
  await store?.close();
});

function syncRequest(overrides: Record<string, unknown> = {}) {
  return { opportunityId: OPPORTUNITY_18, reason: 'Updated', eventUuid: randomUUID(), publishedAt: new Date().toISOString(), ...overrides };
}

/** Response bodies are checked structurally; a loose type keeps the assertions readable. */
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function postSync(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/v1/sync-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

function notification(overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    EventName: 'referral-updated',
    ResourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/3f1c2a9e-0b1d-4c53-9a8e-2d4f5b6c7d8e',
    ResourceName: 'referral',
    AuditUri: null,
    ResourceChangeUtcDate: '2025-06-28T10:00:00+00:00',
    ...overrides,
  });
}

async function postWebhook(body: string, headers: Record<string, string>) {
  const response = await fetch(`${base}/v1/partner-center/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Body };
}

describe('POST /v1/sync-requests', () => {
  it('queues the request durably and answers 202 with a request id', async () => {
    const { status, body } = await postSync(syncRequest());
    assert.equal(status, 202);
    assert.equal(body.accepted, true);
    const item = await store.getItemByRequestId(body.requestId);
    assert.equal(item?.kind, 'outbound');
    assert.equal(item?.key, `opp:${OPPORTUNITY_18}`);
    assert.equal(item?.payload.reason, 'Updated');
    assert.equal(woken, 1);
  });

  it('answers a repeated eventUuid with the original request id and queues nothing twice', async () => {
    const request = syncRequest();
    const first = await postSync(request);
    const second = await postSync({ ...request, eventUuid: request.eventUuid.toUpperCase() });
    assert.equal(second.status, 202);
    assert.equal(second.body.requestId, first.body.requestId);
    assert.equal((await store.listItems({})).length, 1);
    assert.equal(woken, 1);
  });

  it('keys a 15-character id and its 18-character form to the same opportunity', async () => {
    const { body } = await postSync(syncRequest({ opportunityId: OPPORTUNITY_15 }));
    assert.equal((await store.getItemByRequestId(body.requestId))?.payload.opportunityId, OPPORTUNITY_18);
  });

  it('logs a rejected sync request with the reason, never the secret or a wrong guess at it', async () => {
    logged = '';
    assert.equal((await postSync(syncRequest({ reason: 'Because' }))).status, 400);
    const guess = 'guessed-secret-value-0123456789';
    const unauthorized = await fetch(`${base}/v1/sync-requests`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${guess}` }, body: '{}' });
    assert.equal(unauthorized.status, 401);
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(logged, /sync request rejected: \\?"reason\\?" must be one of/);
    assert.match(logged, /sync request rejected: not authenticated/);
    assert.doesNotMatch(logged, new RegExp(`${SECRET}|${guess}`));
  });

  it('rejects a bad body with 400 naming the field, and queues nothing', async () => {
    const cases: [unknown, string][] = [
      [syncRequest({ opportunityId: undefined }), 'opportunityId'],
      [syncRequest({ opportunityId: '001000000000001AAA' }), 'opportunityId'],
      [syncRequest({ opportunityId: '0068d00000AbCdEZZZ' }), 'opportunityId'],
      [syncRequest({ reason: 'Because' }), 'reason'],
      [syncRequest({ eventUuid: 'not-a-uuid' }), 'eventUuid'],
      [syncRequest({ publishedAt: 'yesterday' }), 'publishedAt'],
      [syncRequest({ eventUuid: `urn:uuid:${randomUUID()}` }), 'eventUuid'],
      [syncRequest({ eventUuid: '00000000-0000-0000-0000-000000000000' }), 'eventUuid'],
      [syncRequest({ publishedAt: '9999-12-31T23:59:59Z' }), 'publishedAt'],
      [syncRequest({ publishedAt: '1970-01-01T00:00:00Z' }), 'publishedAt'],
      [syncRequest({ publishedAt: new Date(Date.now() + 2 * 3_600_000).toISOString() }), 'publishedAt'],
      [syncRequest({ extra: 1 }), 'extra'],
    ];
    for (const [body, field] of cases) {
      const response = await postSync(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.field, field);
      assert.match(response.body.message, new RegExp(field));
    }
    assert.equal((await postSync([1, 2])).status, 400);
    const broken = await postSync('{"opportunityId":');
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error, 'invalid_request');
    assert.equal((await store.listItems({})).length, 0);
  });

  it('answers 401 to a missing or wrong secret', async () => {
    for (const authorization of ['', 'Bearer wrong-secret', `Basic ${SECRET}`, `Bearer ${SECRET}x`]) {
      const response = await postSync(syncRequest(), { authorization });
      assert.equal(response.status, 401, authorization);
    }
    assert.equal((await store.listItems({})).length, 0);
  });

  it('answers 413 to a body over 16 KiB and 415 to a body that is not JSON', async () => {
    const big = await postSync(syncRequest({ padding: 'x'.repeat(17 * 1024) }));
    assert.equal(big.status, 413);
    const text = await postSync('opportunityId=x', { 'content-type': 'text/plain' });
    assert.equal(text.status, 415);
    const form = await postSync('opportunityId=x', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
  });
});

describe('POST /v1/partner-center/webhooks', () => {
  it('verifies the signature, queues the referral and answers 200', async () => {
    const body = notification();
    const response = await postWebhook(body, signer.sign(body));
    assert.equal(response.status, 200);
    const [item] = await store.listItems({ kind: 'inbound' });
    assert.equal(item.key, 'ref:3f1c2a9e-0b1d-4c53-9a8e-2d4f5b6c7d8e');
    assert.deepEqual(item.payload, {
      referralId: '3f1c2a9e-0b1d-4c53-9a8e-2d4f5b6c7d8e',
      eventName: 'referral-updated',
      changedAt: '2025-06-28T10:00:00+00:00',
    });
    assert.equal(item.eventAt, Date.parse('2025-06-28T10:00:00+00:00'));
  });

  it('acknowledges a redelivered notification without queuing it again', async () => {
    const body = notification();
    const headers = signer.sign(body);
    const first = await postWebhook(body, headers);
    const again = await postWebhook(body, headers);
    assert.equal(again.status, 200);
    assert.equal(again.body.requestId, first.body.requestId);
    assert.equal((await store.listItems({})).length, 1);
  });

  it('refuses a signed notification about a change more than a day old as a possible replay, and queues nothing', async () => {
    const body = notification({ ResourceChangeUtcDate: '2025-06-27T10:59:59+00:00' });
    const response = await postWebhook(body, signer.sign(body));
    assert.equal(response.status, 400);
    assert.equal(response.body.error, 'stale_notification');
    assert.equal(response.body.field, 'ResourceChangeUtcDate');
    assert.match(response.body.message, /more than 24 hours old.*referral sweep/s);
    assert.deepEqual(await store.listItems({}), []);
    const fresh = notification({ ResourceChangeUtcDate: '2025-06-27T11:00:01+00:00' });
    assert.equal((await postWebhook(fresh, signer.sign(fresh))).status, 200);
  });

  it("queues a linked referral in its opportunity's lane", async () => {
    const sweep = await store.enqueue({ kind: 'sweep', key: 'link', payload: {}, source: 'test' });
    await store.claim('t', { limit: 1, leaseMs: 1000 });
    await store.complete(sweep.id, 't', {
      outcome: {},
      syncState: [{ opportunityId: OPPORTUNITY_18, referralId: '3f1c2a9e-0b1d-4c53-9a8e-2d4f5b6c7d8e' }],
    });
    const body = notification();
    await postWebhook(body, signer.sign(body));
    const [item] = await store.listItems({ kind: 'inbound' });
    assert.equal(item.key, `opp:${OPPORTUNITY_18}`);
  });

  it('rejects forged, unsigned, untrusted and foreign-host deliveries with 401 and counts them', async () => {
    const body = notification();
    const signed = signer.sign(body);
    const cases: [Record<string, string>, string][] = [
      [signer.sign(notification({ EventName: 'referral-created' })), 'signature-mismatch'],
      [{}, 'missing-signature'],
      [{ ...signed, authorization: 'Signature' }, 'malformed-signature'],
      [signer.signUntrusted(body), 'untrusted-chain'],
      [{ ...signed, 'x-ms-certificate-url': 'https://evil.example/cert/signer.cer' }, 'certificate-url-not-allowed'],
      [{ ...signed, 'x-ms-signature-algorithm': 'rsa-sha1' }, 'unsupported-algorithm'],
    ];
    for (const [headers, reason] of cases) {
      const response = await postWebhook(body, headers);
      assert.equal(response.status, 401, reason);
      assert.match(response.body.message, new RegExp(reason));
    }
    assert.equal((await store.listItems({})).length, 0);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /cosell_webhook_verification_failures_total\{reason="signature-mismatch"\} 1/);
    assert.match(metrics, /cosell_webhook_verification_failures_total\{reason="untrusted-chain"\} 1/);
  });

  it('answers 503 when the signing certificate cannot be fetched, so Partner Center delivers again', async () => {
    const body = notification();
    const headers = { ...signer.sign(body), 'x-ms-certificate-url': `http://${signer.host}/cert/missing.cer` };
    assert.equal((await postWebhook(body, headers)).status, 503);
  });

  it('rejects a signed but malformed notification with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['{"EventName":', 'body'],
      [notification({ EventName: 'invoice-created' }), 'EventName'],
      [notification({ ResourceUri: 'https://api.partner.microsoft.com/v1.0/customers/42' }), 'ResourceUri'],
      [notification({ ResourceChangeUtcDate: undefined }), 'ResourceChangeUtcDate'],
      [notification({ ResourceChangeUtcDate: 'soon' }), 'ResourceChangeUtcDate'],
    ];
    for (const [body, field] of cases) {
      const response = await postWebhook(body, signer.sign(body));
      assert.equal(response.status, 400, body);
      if (field !== 'body') assert.equal(response.body.field, field);
    }
    assert.equal((await store.listItems({})).length, 0);
  });

  it('answers 413 to a body over 64 KiB', async () => {
    const body = notification({ ResourceName: 'x'.repeat(65 * 1024) });
    assert.equal((await postWebhook(body, signer.sign(body))).status, 413);
  });

  it('acknowledges a signed test event without queuing work', async () => {
    const body = notification({ EventName: 'test-created', ResourceUri: 'https://api.partnercenter.microsoft.com/webhooks/v1/registration/validationEvents/abc' });
    const response = await postWebhook(body, signer.sign(body));
    assert.equal(response.status, 200);
    assert.equal(response.body.test, true);
    assert.equal((await store.listItems({})).length, 0);
  });
});

describe('GET /healthz and /metrics', () => {
  const admin = { headers: { authorization: `Bearer ${SECRET}` } };

  it('tells anyone the status, and only a caller holding the sync-request secret the reasons, redacted', async () => {
    liveness = { running: true, lastTickAt: Date.now(), pausedReason: 'Salesforce login failed: invalid_client — client_id=x&client_secret=hunter2-secret-value' };
    try {
      const open = await fetch(`${base}/healthz`);
      assert.equal(open.status, 503);
      const text = await open.text();
      assert.deepEqual(JSON.parse(text), { healthy: false, checks: { store: { ok: true }, worker: { ok: false, lastTickAt: new Date(liveness.lastTickAt!).toISOString() } } });
      assert.doesNotMatch(text, /hunter2|client_secret|login/);
      const detailed = (await (await fetch(`${base}/healthz`, admin)).json()) as Body;
      assert.match(detailed.checks.worker.error, /sync is paused: Salesforce login failed/);
      assert.doesNotMatch(JSON.stringify(detailed), /hunter2/);
      const wrong = await (await fetch(`${base}/healthz`, { headers: { authorization: 'Bearer not-the-secret' } })).text();
      assert.doesNotMatch(wrong, /login|error/);
    } finally {
      liveness = { running: true, lastTickAt: Date.now() };
    }
  });

  it('reports healthy with last successes, and 503 when the worker stalls or the store is gone', async () => {
    const ok = await fetch(`${base}/healthz`, admin);
    assert.equal(ok.status, 200);
    const report = (await ok.json()) as Body;
    assert.equal(report.healthy, true);
    assert.deepEqual(report.lastSuccessAt, { outbound: null, inbound: null, sweep: null });

    liveness = { running: true, lastTickAt: Date.now() - 60_000 };
    const stalled = await fetch(`${base}/healthz`, admin);
    assert.equal(stalled.status, 503);
    assert.match(((await stalled.json()) as Body).checks.worker.error, /has not run/);

    liveness = { running: true, lastTickAt: Date.now() };
    await store.close();
    const broken = await fetch(`${base}/healthz`, admin);
    assert.equal(broken.status, 503);
    assert.equal(((await broken.json()) as Body).checks.store.ok, false);
  });

  it('exposes queue depth and request counters as Prometheus text', async () => {
    await postSync(syncRequest());
    const response = await fetch(`${base}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
    const text = await response.text();
    assert.match(text, /cosell_queue_depth\{kind="outbound"\} 1/);
    assert.match(text, /cosell_queue_depth\{kind="inbound"\} 0/);
    assert.match(text, /cosell_requests_received_total\{endpoint="sync-requests",result="accepted"\} 1/);
    assert.match(text, /# TYPE cosell_sync_latency_seconds histogram/);
    assert.match(text, /cosell_dead_letters\{kind="outbound"\} 0/);
  });
});
