import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { CertificateCache, caIssuersUrls, verifyWebhookSignature } from '../../connector/partner-center/webhook-signature.js';
import type { Referral } from '../../connector/model/referral.js';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';
import { apiClient, sampleReferral, signIn, startWebhookReceiver } from '../../sandbox/partner-center/testing.js';

const REGISTRATION = '/webhooks/v1/registration';
const ALL_EVENTS = ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated', 'test-created'];

describe('Partner Center emulator: webhooks', () => {
  let emulator: PartnerCenterEmulator;
  let api: ReturnType<typeof apiClient>;
  const receivers: { close(): Promise<void> }[] = [];

  before(async () => {
    emulator = await startPartnerCenterEmulator({ webhooks: { maxAttempts: 3, retryBaseMs: 5, retryMaxMs: 20, deliveryTimeoutMs: 1000 } });
    // Two resources, two tokens: the webhooks API refuses a Referrals API token and the other way round.
    const referrals = apiClient(emulator, await signIn(emulator, {}, 'referrals'));
    const hooks = apiClient(emulator, await signIn(emulator, {}, 'webhooks'));
    api = ((method, path, options) => (path.startsWith('/webhooks/') ? hooks : referrals)(method, path, options)) as typeof referrals;
  });
  afterEach(async () => {
    emulator.control.faults.reset();
    await emulator.control.webhooks.idle();
    if (emulator.control.webhooks.registration()) await api('DELETE', REGISTRATION);
  });
  after(async () => {
    await emulator.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  const receiver = async (respond?: (n: number) => number) => {
    const r = await startWebhookReceiver(respond);
    receivers.push(r);
    return r;
  };

  it('registers once per tenant, overwrites with PUT, reads and deletes the registration', async () => {
    const first = await receiver();
    const second = await receiver();
    assert.equal((await api('GET', REGISTRATION)).status, 404);
    assert.equal((await api('PUT', REGISTRATION, { body: { WebhookUrl: first.url, WebhookEvents: ['referral-created'] } })).status, 404);
    const registered = await api('POST', REGISTRATION, { body: { WebhookUrl: first.url, WebhookEvents: ['referral-created', 'referral-updated'] } });
    assert.equal(registered.status, 200);
    assert.match(registered.body.SubscriberId, /^[0-9a-f-]{36}$/);
    const again = await api('POST', REGISTRATION, { body: { WebhookUrl: second.url, WebhookEvents: ['referral-created'] } });
    assert.equal(again.status, 409);

    const updated = await api('PUT', REGISTRATION, { body: { WebhookUrl: second.url, WebhookEvents: ['referral-created'] } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.SubscriberId, registered.body.SubscriberId);
    assert.deepEqual((await api('GET', REGISTRATION)).body, { WebhookUrl: second.url, WebhookEvents: ['referral-created'] });

    await api('POST', '/v1.0/engagements/referrals', { body: sampleReferral({ type: 'Independent' }) });
    await emulator.control.webhooks.idle();
    assert.equal(first.received.length, 0, 'the overwritten URL gets nothing');
    assert.deepEqual(second.received.map((w) => w.json.EventName), ['referral-created']);

    assert.equal((await api('DELETE', REGISTRATION)).status, 204);
    assert.equal((await api('GET', REGISTRATION)).status, 404);
    const bad = await api('POST', REGISTRATION, { body: { WebhookUrl: second.url, WebhookEvents: ['referral-deleted'] } });
    assert.equal(bad.status, 400);
    const plainHttp = await api('POST', REGISTRATION, { body: { WebhookUrl: 'http://example.com/hook', WebhookEvents: ['referral-created'] } });
    assert.equal(plainHttp.status, 400);
  });

  it('delivers the documented body, signed so the connector verifier accepts it', async () => {
    const hook = await receiver();
    await api('POST', REGISTRATION, { body: { WebhookUrl: hook.url, WebhookEvents: ALL_EVENTS } });
    const created = await api<Referral>('POST', '/v1.0/engagements/referrals', { body: sampleReferral({ type: 'Shared' }) });
    await api('POST', '/v1.0/engagements/referrals', {
      body: { ...sampleReferral({ type: 'Shared', target: [{ type: 'BusinessProfileLocation', id: 'msft' }] }), engagementId: created.body.engagementId },
    });
    await api('PATCH', `/v1.0/engagements/referrals/${created.body.id}`, { body: [{ op: 'replace', path: '/details/notes', value: 'changed' }] });
    await emulator.control.webhooks.idle();

    assert.deepEqual(hook.received.map((w) => w.json.EventName).sort(), ['referral-created', 'referral-updated', 'related-referral-created']);
    const createdEvent = hook.received.find((w) => w.json.EventName === 'referral-created')!;
    assert.equal(createdEvent.json.ResourceUri, created.body.links!.self!.uri);
    assert.equal(createdEvent.json.ResourceName, created.body.id);
    assert.equal(createdEvent.json.AuditUri, null);
    assert.ok(!Number.isNaN(Date.parse(createdEvent.json.ResourceChangeUtcDate)));
    assert.equal(createdEvent.headers['x-ms-signature-algorithm'], 'rsa-sha256');
    assert.equal(createdEvent.headers['x-ms-certificate-url'], emulator.certificateUrl);

    const options = {
      allowedCertificateHosts: [],
      insecureLoopbackHosts: [new URL(emulator.url).host],
      trustedRoots: [emulator.certificateAuthorityPem],
      expectedSubject: { organization: 'Partner Center Emulator' },
      cache: new CertificateCache(),
    };
    for (const delivery of hook.received) {
      const result = await verifyWebhookSignature({ rawBody: delivery.rawBody, headers: delivery.headers }, options);
      assert.equal(result.valid, true, JSON.stringify(result));
    }
    const tampered = Buffer.from(createdEvent.rawBody);
    tampered[tampered.length - 2] ^= 1;
    const forged = await verifyWebhookSignature({ rawBody: tampered, headers: createdEvent.headers }, options);
    assert.deepEqual(forged.valid ? 'valid' : forged.reason, 'signature-mismatch');
  });

  it('retries failed deliveries with backoff, parks them after the last attempt, and redelivers on request', async () => {
    let healthy = false;
    const hook = await receiver(() => (healthy ? 200 : 500));
    await api('POST', REGISTRATION, { body: { WebhookUrl: hook.url, WebhookEvents: ['referral-created'] } });
    const before = emulator.stats().webhooks;
    await api('POST', '/v1.0/engagements/referrals', { body: sampleReferral({ type: 'Independent' }) });
    await emulator.control.webhooks.idle();
    assert.equal(hook.received.length, 3, 'maxAttempts deliveries');
    const parked = emulator.control.webhooks.deliveries().filter((d) => d.state === 'parked');
    assert.equal(parked.length, 1);
    assert.deepEqual(parked[0].attempts.map((a) => a.status), [500, 500, 500]);
    const stats = emulator.stats().webhooks;
    assert.equal(stats.parked - before.parked, 1);
    assert.equal(stats.failedAttempts - before.failedAttempts, 3);

    healthy = true;
    assert.equal(emulator.control.webhooks.redeliverParked(), 1);
    await emulator.control.webhooks.idle();
    assert.equal(hook.received.length, 4);
    assert.ok(emulator.control.webhooks.deliveries().every((d) => d.state !== 'pending'));
  });

  it('a self-test event is delivered and may be requested at most twice a minute', async () => {
    const hook = await receiver();
    await api('POST', REGISTRATION, { body: { WebhookUrl: hook.url, WebhookEvents: ['test-created'] } });
    const first = await api('POST', `${REGISTRATION}/validationEvents`);
    assert.equal(first.status, 200);
    assert.equal((await api('POST', `${REGISTRATION}/validationEvents`)).status, 200);
    const third = await api('POST', `${REGISTRATION}/validationEvents`);
    assert.equal(third.status, 429);
    assert.ok(Number(third.headers.get('retry-after')) > 0);
    await emulator.control.webhooks.idle();
    assert.deepEqual(hook.received.map((w) => w.json.EventName), ['test-created', 'test-created']);
    const status = await api('GET', `${REGISTRATION}/validationEvents/${first.body.correlationId}`);
    assert.equal(status.body.status, 'completed');
    assert.equal(status.body.results[0].responseCode, '200');
    emulator.control.clock.advance(61_000);
    // Two resources, two tokens: the webhooks API refuses a Referrals API token and the other way round.
    const referrals = apiClient(emulator, await signIn(emulator, {}, 'referrals'));
    const hooks = apiClient(emulator, await signIn(emulator, {}, 'webhooks'));
    api = ((method, path, options) => (path.startsWith('/webhooks/') ? hooks : referrals)(method, path, options)) as typeof referrals;
    assert.equal((await api('POST', `${REGISTRATION}/validationEvents`)).status, 200);
  });

  it('drop, duplicate and reorder knobs change delivery as configured', async () => {
    const hook = await receiver();
    await api('POST', REGISTRATION, { body: { WebhookUrl: hook.url, WebhookEvents: ['referral-created'] } });
    const create = () => api('POST', '/v1.0/engagements/referrals', { body: sampleReferral({ type: 'Independent' }) });

    emulator.control.faults.set({ webhookDropRate: 1 });
    await create();
    await emulator.control.webhooks.idle();
    assert.equal(hook.received.length, 0);

    emulator.control.faults.set({ webhookDropRate: 0, webhookDuplicateRate: 1 });
    await create();
    await emulator.control.webhooks.idle();
    assert.equal(hook.received.length, 2);
    assert.deepEqual(hook.received[0].rawBody, hook.received[1].rawBody);

    emulator.control.faults.set({ webhookDuplicateRate: 0, webhookReorderRate: 1, webhookReorderDelayMs: 100 });
    const reorderedBefore = emulator.stats().webhooks.reordered;
    await create();
    await emulator.control.webhooks.idle();
    assert.equal(hook.received.length, 3);
    assert.equal(emulator.stats().webhooks.reordered - reorderedBefore, 1);
  });

  it('signs with leaf → intermediate → root; the leaf names its issuer\'s URL; only the root is handed out', async () => {
    const der = await fetch(emulator.certificateUrl);
    assert.equal(der.headers.get('content-type'), 'application/pkix-cert');
    const { X509Certificate } = await import('node:crypto');
    const leaf = new X509Certificate(Buffer.from(await der.arrayBuffer()));
    const ca = new X509Certificate(await (await fetch(`${emulator.url}/_emulator/certificates/ca.pem`)).text());
    assert.equal(ca.toString(), new X509Certificate(emulator.certificateAuthorityPem).toString());
    assert.equal(leaf.checkIssued(ca), false, 'the root did not issue the leaf');
    assert.deepEqual(caIssuersUrls(leaf), [emulator.intermediateCertificateUrl]);
    const intermediate = new X509Certificate(Buffer.from(await (await fetch(emulator.intermediateCertificateUrl)).arrayBuffer()));
    assert.ok(intermediate.ca && leaf.checkIssued(intermediate) && leaf.verify(intermediate.publicKey));
    assert.ok(intermediate.checkIssued(ca) && intermediate.verify(ca.publicKey));
  });

  it('the connector builds the chain through the fetched issuer, caches it, and keeps the issuer organisation check', async () => {
    const hook = await receiver();
    await api('POST', REGISTRATION, { body: { WebhookUrl: hook.url, WebhookEvents: ['referral-created'] } });
    await api('POST', '/v1.0/engagements/referrals', { body: sampleReferral({ type: 'Independent' }) });
    await api('POST', '/v1.0/engagements/referrals', { body: sampleReferral({ type: 'Independent' }) });
    await emulator.control.webhooks.idle();
    assert.equal(hook.received.length, 2);
    const fetched: string[] = [];
    const fetchCertificate = async (url: URL) => {
      fetched.push(url.pathname);
      return new Uint8Array(await (await fetch(url)).arrayBuffer());
    };
    const base = { allowedCertificateHosts: [], insecureLoopbackHosts: [new URL(emulator.url).host], trustedRoots: [emulator.certificateAuthorityPem], fetchCertificate };
    const cache = new CertificateCache();
    for (const delivery of hook.received) {
      const result = await verifyWebhookSignature({ rawBody: delivery.rawBody, headers: delivery.headers }, { ...base, cache, expectedIssuer: { organization: 'Partner Center Emulator' } });
      assert.equal(result.valid, true, JSON.stringify(result));
    }
    assert.deepEqual(fetched, [new URL(emulator.certificateUrl).pathname, new URL(emulator.intermediateCertificateUrl).pathname], 'leaf and issuer fetched once each');

    const [delivery] = hook.received;
    const request = { rawBody: delivery.rawBody, headers: delivery.headers };
    const onlyMicrosoft = await verifyWebhookSignature(request, {
      ...base,
      insecureLoopbackHosts: [new URL(emulator.url).host],
      issuerCertificateHosts: [],
      cache: new CertificateCache(),
      fetchCertificate: async (url) => {
        if (url.pathname.endsWith('.crt')) throw new Error('unreachable issuer');
        return fetchCertificate(url);
      },
    });
    assert.equal(onlyMicrosoft.valid ? 'valid' : onlyMicrosoft.reason, 'certificate-unavailable', 'an issuer that cannot be fetched asks for a redelivery');
    const wrongOrg = await verifyWebhookSignature(request, { ...base, cache: new CertificateCache(), expectedIssuer: { organization: 'Microsoft Corporation' } });
    assert.equal(wrongOrg.valid ? 'valid' : wrongOrg.reason, 'subject-mismatch');
  });
});
