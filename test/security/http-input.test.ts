/**
 * Every HTTP input is bounded and validated before it can do anything: the sync-request endpoint authenticates
 * before it reads a byte (401, constant-time), both POST endpoints refuse oversized bodies before parsing (413),
 * other media types (415), broken JSON and bodies off their ajv schema (400 naming the field), and queue
 * nothing when they refuse.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { connect } from 'node:net';
import { after, before, beforeEach, describe, it, mock } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { bearerMatches } from '../../connector/http/auth.js';
import { startWebhookSigner, type WebhookSigner } from '../support/webhook-signer.js';
import { assessHealth } from '../../connector/http/health.js';
import { buildHttpServer } from '../../connector/http/server.js';
import { SYNC_REQUEST_BODY_LIMIT, SYNC_REQUEST_SCHEMA } from '../../connector/http/sync-requests.js';
import type { VerifyWebhook } from '../../connector/http/types.js';
import { createWebhookVerifier } from '../../connector/partner-center/webhook-verifier.js';
import { WEBHOOK_BODY_LIMIT, WEBHOOK_NOTIFICATION_SCHEMA } from '../../connector/http/webhooks.js';
import { createLogger } from '../../connector/observability/logger.js';
import { ConnectorMetrics } from '../../connector/observability/metrics.js';
import { SqliteStore } from '../../connector/store/sqlite-store.js';

// The CommonJS face of node:crypto: mocking a method there and syncing reaches auth.ts's named import.
const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');

const SECRET = 'security-test-shared-secret-8c1f0e';
const OPPORTUNITY = '0068d00000AbCdEAAV';
const SYNC = '/v1/sync-requests';
const WEBHOOK = '/v1/partner-center/webhooks';

let signer: WebhookSigner;
let store: SqliteStore;
let app: FastifyInstance;
let base: string;
let verifications = 0;

before(async () => {
  signer = await startWebhookSigner();
});
after(async () => {
  await app?.close();
  await store?.close();
  await signer.close();
});

beforeEach(async () => {
  await app?.close();
  await store?.close();
  store = new SqliteStore({ path: ':memory:' });
  verifications = 0;
  const verify = createWebhookVerifier({ allowedCertificateHosts: [], insecureLoopbackHosts: [signer.host], trustedRoots: [signer.caPem] });
  const counted: VerifyWebhook = (input) => {
    verifications++;
    return verify(input);
  };
  app = buildHttpServer({
    store,
    metrics: new ConnectorMetrics(store, { defaultMetrics: false }),
    logger: createLogger({ level: 'silent' }),
    syncRequestSecret: SECRET,
    verifyWebhook: counted,
    health: () => assessHealth({ store, worker: () => ({ running: true, lastTickAt: Date.now() }), staleAfterMs: 30_000, redact: (text) => text }),
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

type Body = Record<string, unknown>;

async function post(path: string, body: string | Uint8Array | ReadableStream, headers: Record<string, string>) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Body };
}

const json = { 'content-type': 'application/json' };
const signed = (body: string) => ({ ...json, ...signer.sign(body) });
const authorized = { ...json, authorization: `Bearer ${SECRET}` };

function syncRequest(overrides: Body = {}): Body {
  return { opportunityId: OPPORTUNITY, reason: 'Updated', eventUuid: randomUUID(), publishedAt: new Date().toISOString(), ...overrides };
}

function notification(overrides: Body = {}): string {
  return JSON.stringify({
    EventName: 'referral-updated',
    ResourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/3f1c2a9e-0b1d-4c53-9a8e-2d4f5b6c7d8e',
    ResourceName: 'referral',
    AuditUri: null,
    ResourceChangeUtcDate: new Date().toISOString(),
    ...overrides,
  });
}

/** A body sent in chunks with no Content-Length, so only counting the bytes can stop it. */
function chunked(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const chunk = new TextEncoder().encode('x'.repeat(Math.min(4096, total - sent)));
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

/** Sends only the request head, announcing a body of `length` bytes, and returns the status line the server answers with. */
function headOnly(path: string, length: number, headers: Record<string, string>): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const lines = [`POST ${path} HTTP/1.1`, `Host: ${hostname}`, `Content-Length: ${length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.split('\r\n')[0]);
      }
    });
    socket.on('error', reject);
    socket.setTimeout(5000, () => reject(new Error('the server waited for the announced body instead of refusing it')));
  });
}

async function queued(): Promise<number> {
  return (await store.listItems({})).length;
}

describe('POST /v1/sync-requests input', () => {
  it('is validated by its ajv schema: the contract fields, all required, nothing else', () => {
    assert.deepEqual([...SYNC_REQUEST_SCHEMA.required].sort(), ['eventUuid', 'opportunityId', 'publishedAt', 'reason']);
    assert.equal(SYNC_REQUEST_SCHEMA.additionalProperties, false);
    assert.deepEqual(Object.keys(SYNC_REQUEST_SCHEMA.properties).sort(), [...SYNC_REQUEST_SCHEMA.required].sort());
  });

  it('refuses an oversized body with 413 before parsing it: by Content-Length, by counting, and before it is sent', async () => {
    const broken = `{"opportunityId":"${'x'.repeat(SYNC_REQUEST_BODY_LIMIT)}`;
    const big = await post(SYNC, broken, authorized);
    assert.equal(big.status, 413, 'an oversized body that is not even JSON is refused for its size, not parsed');
    assert.equal(big.body.error, 'payload_too_large');
    assert.equal((await post(SYNC, chunked(SYNC_REQUEST_BODY_LIMIT + 1), authorized)).status, 413);
    assert.match(await headOnly(SYNC, 50 * 1024 * 1024, authorized), /^HTTP\/1\.1 413/);
    assert.equal(await queued(), 0);
  });

  it('refuses broken JSON and anything but a JSON object with 400', async () => {
    for (const body of ['{"opportunityId":', '', 'null', '[]', '"text"', '42', '{"a":1}{"b":2}']) {
      const response = await post(SYNC, body, authorized);
      assert.equal(response.status, 400, body);
      assert.equal(response.body.error, 'invalid_request', body);
    }
    const poisoned = await post(SYNC, JSON.stringify(syncRequest()).replace('{', '{"__proto__":{"admin":true},'), authorized);
    assert.equal(poisoned.status, 400, 'prototype poisoning is refused by the JSON parser');
    assert.equal(await queued(), 0);
  });

  it('refuses every media type but JSON with 415', async () => {
    const body = JSON.stringify(syncRequest());
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream']) {
      const response = await post(SYNC, body, { authorization: `Bearer ${SECRET}`, 'content-type': type });
      assert.equal(response.status, 415, type);
      assert.equal(response.body.error, 'unsupported_media_type', type);
    }
    assert.equal(await queued(), 0);
  });

  it('names a missing or an extra field, and a value off its rule', async () => {
    for (const field of ['opportunityId', 'reason', 'eventUuid', 'publishedAt']) {
      const response = await post(SYNC, JSON.stringify(syncRequest({ [field]: undefined })), authorized);
      assert.equal(response.status, 400, field);
      assert.equal(response.body.field, field);
      assert.match(String(response.body.message), new RegExp(`"${field}" is required`));
    }
    const extra = await post(SYNC, JSON.stringify(syncRequest({ accountId: '0018d00000AbCdEAAV' })), authorized);
    assert.equal(extra.body.field, 'accountId');
    assert.match(String(extra.body.message), /not part of a sync request/);
    const cases: [Body, string][] = [
      [{ opportunityId: 42 }, 'opportunityId'],
      [{ opportunityId: '0018d00000AbCdEAAV' }, 'opportunityId'],
      [{ opportunityId: '0068d00000AbCdEAAA' }, 'opportunityId'],
      [{ reason: 'updated' }, 'reason'],
      [{ eventUuid: 'x'.repeat(36) }, 'eventUuid'],
      [{ publishedAt: '2025-01-31 09:30' }, 'publishedAt'],
    ];
    for (const [override, field] of cases) {
      const response = await post(SYNC, JSON.stringify(syncRequest(override)), authorized);
      assert.equal(response.status, 400, JSON.stringify(override));
      assert.equal(response.body.field, field, JSON.stringify(override));
    }
    assert.equal(await queued(), 0);
  });

  it('answers 401 to an unauthenticated request before reading its body, as the Named Credential contract says', async () => {
    const body = JSON.stringify(syncRequest());
    const attempts = ['', 'Bearer', 'Bearer ', `bearer${SECRET}`, `Basic ${Buffer.from(`x:${SECRET}`).toString('base64')}`, `Bearer ${SECRET.slice(0, -1)}`, `Bearer ${SECRET}0`, `Bearer ${SECRET.toUpperCase()}`, `Bearer ${SECRET} ${SECRET}`];
    for (const authorization of attempts) {
      const response = await post(SYNC, body, { ...json, ...(authorization ? { authorization } : {}) });
      assert.equal(response.status, 401, authorization);
      assert.deepEqual(Object.keys(response.body).sort(), ['error', 'message']);
      assert.equal(response.body.error, 'unauthorized');
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
    }
    // Authentication comes first: an unauthenticated caller gets 401 whatever the body, its size or its type.
    assert.equal((await post(SYNC, '{"broken', json)).status, 401);
    assert.equal((await post(SYNC, 'x'.repeat(SYNC_REQUEST_BODY_LIMIT * 2), json)).status, 401);
    assert.equal((await post(SYNC, 'a=b', { 'content-type': 'text/plain' })).status, 401);
    assert.match(await headOnly(SYNC, 50 * 1024 * 1024, json), /^HTTP\/1\.1 401/);
    assert.equal(await queued(), 0);
    // The scheme is case-insensitive (RFC 9110); the secret is not.
    assert.equal((await post(SYNC, body, { ...json, authorization: `bearer ${SECRET}` })).status, 202);
  });
});

describe('POST /v1/partner-center/webhooks input', () => {
  it('is validated by its ajv schema: the documented notification', () => {
    assert.deepEqual([...WEBHOOK_NOTIFICATION_SCHEMA.required].sort(), ['EventName', 'ResourceChangeUtcDate', 'ResourceUri']);
  });

  it('refuses an oversized body with 413 before verifying or parsing it', async () => {
    const body = notification({ ResourceName: 'x'.repeat(WEBHOOK_BODY_LIMIT) });
    assert.equal((await post(WEBHOOK, body, signed(body))).status, 413);
    assert.equal((await post(WEBHOOK, chunked(WEBHOOK_BODY_LIMIT + 1), json)).status, 413);
    assert.match(await headOnly(WEBHOOK, 50 * 1024 * 1024, json), /^HTTP\/1\.1 413/);
    assert.equal(verifications, 0, 'no signature check for a body that is too large');
    assert.equal(await queued(), 0);
  });

  it('refuses every media type but JSON with 415 before verifying the signature', async () => {
    const body = notification();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/octet-stream']) {
      const response = await post(WEBHOOK, body, { ...signer.sign(body), 'content-type': type });
      assert.equal(response.status, 415, type);
    }
    assert.equal(verifications, 0);
    assert.equal(await queued(), 0);
  });

  it('refuses a signed body that is broken JSON or not an object with 400', async () => {
    for (const body of ['{"EventName":', 'null', '[]', '"text"']) {
      const response = await post(WEBHOOK, body, signed(body));
      assert.equal(response.status, 400, body);
      assert.equal(response.body.error, 'invalid_request');
    }
    assert.equal(await queued(), 0);
  });

  it('names a missing or malformed field; ignores extra properties and stores none of them', async () => {
    for (const field of ['EventName', 'ResourceUri', 'ResourceChangeUtcDate']) {
      const body = notification({ [field]: undefined });
      const response = await post(WEBHOOK, body, signed(body));
      assert.equal(response.status, 400, field);
      assert.equal(response.body.field, field);
    }
    const cases: [Body, string][] = [
      [{ EventName: 'invoice-created' }, 'EventName'],
      [{ ResourceUri: 'https://api.partner.microsoft.com/v1.0/customers/42' }, 'ResourceUri'],
      [{ ResourceUri: 'javascript:alert(1)//referrals/1' }, 'ResourceUri'],
      [{ ResourceUri: 'x'.repeat(3000) }, 'ResourceUri'],
      [{ ResourceChangeUtcDate: 'soon' }, 'ResourceChangeUtcDate'],
      [{ ResourceName: 42 }, 'ResourceName'],
    ];
    for (const [override, field] of cases) {
      const body = notification(override);
      const response = await post(WEBHOOK, body, signed(body));
      assert.equal(response.status, 400, JSON.stringify(override));
      assert.equal(response.body.field, field, JSON.stringify(override));
    }
    assert.equal(await queued(), 0);

    const body = notification({ FutureProperty: { nested: 'x'.repeat(100) } });
    const accepted = await post(WEBHOOK, body, signed(body));
    assert.equal(accepted.status, 200);
    const [item] = await store.listItems({});
    assert.deepEqual(Object.keys(item.payload).sort(), ['changedAt', 'eventName', 'referralId']);
  });
});

describe('shared-secret comparison', () => {
  it('is constant-time: one timingSafeEqual over fixed-length digests, whatever is presented', (t) => {
    const spy = t.mock.method(crypto, 'timingSafeEqual');
    syncBuiltinESMExports();
    try {
      const presented = [undefined, '', 'Bearer', 'Bearer x', `Bearer ${SECRET}`, `Bearer ${SECRET}${'y'.repeat(500)}`, `Basic ${SECRET}`];
      for (const header of presented) bearerMatches(header, SECRET);
      assert.equal(spy.mock.callCount(), presented.length, 'compared once per request, even with no or a malformed header');
      for (const call of spy.mock.calls) {
        const [a, b] = call.arguments as [Buffer, Buffer];
        assert.equal(a.length, 32);
        assert.equal(b.length, 32);
      }
    } finally {
      mock.restoreAll();
      syncBuiltinESMExports();
    }
  });

  it('accepts exactly the secret', () => {
    assert.equal(bearerMatches(`Bearer ${SECRET}`, SECRET), true);
    assert.equal(bearerMatches(`Bearer ${SECRET}`, `${SECRET}x`), false);
    assert.equal(bearerMatches('Bearer ', ''), false, 'an empty configured secret never matches');
  });
});
