import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from '../../../sandbox/partner-center/emulator.js';
import { overTheWire, sampleReferral, startWebhookReceiver } from '../../../sandbox/partner-center/testing.js';
import { PartnerCenterClient, type PartnerCenterClientOptions } from '../../../connector/partner-center/client.js';
import { EmulatorTokenProvider } from '../../../sandbox/stack/emulator-token-provider.js';
import { AuthorizationError, ConcurrencyError, NotFoundError, RetryableError, ValidationError } from '../../../connector/partner-center/errors.js';
import { referralFilter } from '../../../connector/partner-center/odata-filter.js';
import { MemoryCredentialPersistence } from '../../../connector/partner-center/token-provider.js';
import type { Referral } from '../../../connector/model/referral.js';

/** The emulator's sample body, as the connector would build and send it. */
const wireSample = (overrides?: Parameters<typeof sampleReferral>[0]) => overTheWire<Referral>(sampleReferral(overrides));

describe('PartnerCenterClient against the emulator', () => {
  let emulator: PartnerCenterEmulator;
  let sleeps: number[];

  before(async () => {
    emulator = await startPartnerCenterEmulator({ pageSize: 2 });
  });
  after(() => emulator.close());
  beforeEach(() => {
    emulator.control.faults.reset();
    sleeps = [];
  });

  function client(overrides: Partial<PartnerCenterClientOptions> = {}, persistence = new MemoryCredentialPersistence(emulator.control.auth.issueRefreshToken())) {
    const tokenProvider = new EmulatorTokenProvider({ tokenUrl: emulator.tokenUrl, ...emulator.client, persistence });
    return new PartnerCenterClient({
      referralsBaseUrl: emulator.referralsBaseUrl,
      webhooksBaseUrl: emulator.webhooksBaseUrl,
      tokenProvider,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
      ...overrides,
    });
  }

  it('creates, reads, replaces and patches a referral, returning request ids', async () => {
    const pc = client();
    const created = await pc.createReferral(wireSample({ type: 'Independent' }));
    assert.equal(created.status, 201);
    assert.ok(created.requestId);
    assert.match(created.clientRequestId, /^[0-9a-f-]{36}$/);
    const id = created.data.id!;

    const read = await pc.getReferral(id);
    assert.equal(read.data.eTag, read.eTag);

    const replaced = await pc.replaceReferral({ ...read.data, name: 'Replaced name' });
    assert.equal(replaced.data.name, 'Replaced name');
    assert.ok(replaced.data.links, 'the response has links even though the request must not');

    const patched = await pc.patchReferral(id, [{ op: 'replace', path: '/details/dealValue', value: 99 }]);
    assert.equal(patched.status, 204);
    assert.equal(patched.data, undefined);
    const represented = await pc.patchReferral(id, [{ op: 'replace', path: '/details/notes', value: 'n' }], { returnRepresentation: true });
    assert.equal(represented.data?.details?.dealValue, 99);
    await assert.rejects(pc.replaceReferral({ ...read.data, name: 'stale' }), ConcurrencyError);
    assert.deepEqual(pc.stats().byOperation, { createReferral: 1, getReferral: 1, replaceReferral: 2, patchReferral: 2 });
  });

  it('asks for a token per resource: the Referrals API and the webhooks API are different audiences', async () => {
    const inner = new EmulatorTokenProvider({ tokenUrl: emulator.tokenUrl, ...emulator.client, persistence: new MemoryCredentialPersistence(emulator.control.auth.issueRefreshToken()) });
    const asked: string[] = [];
    const pc = client({ tokenProvider: { getAccessToken: (options) => (asked.push(options?.scope ?? 'default'), inner.getAccessToken(options)) } });
    await pc.listReferrals({ top: 1 });
    const hook = await startWebhookReceiver();
    try {
      const registered = await pc.registerWebhooks(hook.url);
      assert.equal(registered.data.WebhookUrl, hook.url, 'the emulator accepted the webhooks token');
      await pc.deleteWebhookRegistration();
    } finally {
      await hook.close();
    }
    assert.deepEqual([...new Set(asked)], ['https://api.partner.microsoft.com/.default', 'https://api.partnercenter.microsoft.com/.default']);
  });

  it('lists with a typed filter and iterates every page through @odata.nextLink', async () => {
    const pc = client();
    const tag = `list-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await pc.createReferral(wireSample({ type: 'Independent', externalReferenceId: tag }))).data.id!);
    const mine = async (filter = referralFilter.status('New')) => {
      const seen: string[] = [];
      for await (const referral of pc.allReferrals({ filter, orderBy: 'createdDateTime asc' })) {
        if (referral.externalReferenceId === tag) seen.push(referral.id!);
      }
      return seen;
    };
    const before = pc.stats().byOperation.listReferrals ?? 0;
    assert.deepEqual(await mine(), ids);
    const total = emulator.control.referrals.all().filter((r) => r.status === 'New').length;
    assert.equal((pc.stats().byOperation.listReferrals ?? 0) - before, Math.ceil(total / 2), 'one call per page of 2');

    await pc.patchReferral(ids[2], [{ op: 'replace', path: '/status', value: 'Active' }, { op: 'replace', path: '/substatus', value: 'Accepted' }]);
    assert.deepEqual(await mine(referralFilter.and(referralFilter.status('Active'), referralFilter.direction('Outgoing'))), [ids[2]]);
    assert.deepEqual(await mine(referralFilter.email('pat.seller@contoso.example')), ids);

    const page = await pc.listReferrals({ filter: referralFilter.engagementId(emulator.control.referrals.get(ids[0]).engagementId!), top: 1 });
    assert.deepEqual(page.data.value.map((r) => r.id), [ids[0]]);
    assert.equal(page.data['@odata.nextLink'], undefined);
  });

  it('updateWithRetry re-reads and re-applies the change after a 412', async () => {
    const pc = client();
    const created = (await pc.createReferral(wireSample({ type: 'Independent' }))).data;
    const seen: (number | undefined)[] = [];
    // A Microsoft seller edits the referral after we read it: our PATCH carries a stale eTag.
    emulator.control.seller.update(created.id!, { notes: 'Seller notes' });
    const result = await pc.updateWithRetry(
      created.id!,
      (current) => {
        seen.push(current.details?.dealValue);
        return [{ op: 'replace', path: '/details/dealValue', value: (current.details?.dealValue ?? 0) + 1 }];
      },
      { current: created },
    );
    assert.equal(result.conflicts, 1);
    assert.equal(seen.length, 2, 'mutate ran on the stale and on the fresh state');
    assert.equal(result.referral.details?.dealValue, 25_001);
    assert.equal(result.referral.details?.notes, 'Seller notes', 'the concurrent change survived');
    assert.ok(result.requestId);

    const noop = await pc.updateWithRetry(created.id!, () => null);
    assert.equal(noop.changed, false);
  });

  it('updateWithRetry gives up after the conflict budget', async () => {
    const pc = client();
    const created = (await pc.createReferral(wireSample({ type: 'Independent' }))).data;
    await assert.rejects(
      pc.updateWithRetry(
        created.id!,
        () => {
          emulator.control.seller.update(created.id!, { notes: `edit ${Math.random()}` }); // always someone faster
          return [{ op: 'replace', path: '/name', value: 'mine' }];
        },
        { maxConflictRetries: 2 },
      ),
      ConcurrencyError,
    );
  });

  it('honours Retry-After on 429 (seconds and HTTP date)', async () => {
    const pc = client();
    const created = (await pc.createReferral(wireSample({ type: 'Independent' }))).data;
    emulator.control.faults.script({ kind: 'rate-limit', retryAfter: '7' });
    const read = await pc.getReferral(created.id!);
    assert.equal(read.attempts, 2);
    assert.deepEqual(sleeps, [7000]);

    sleeps = [];
    const fixedNow = Date.parse('2030-01-01T00:00:00Z');
    const dated = client({ now: () => fixedNow });
    emulator.control.faults.script({ kind: 'rate-limit', retryAfter: new Date(fixedNow + 3000).toUTCString() });
    await dated.getReferral(created.id!);
    assert.deepEqual(sleeps, [3000]);
  });

  it('fails fast as retryable when Retry-After exceeds what it may wait in-process', async () => {
    const pc = client({ retry: { maxAttempts: 3, maxRetryAfterMs: 10_000 } });
    emulator.control.faults.script({ kind: 'rate-limit', retryAfter: '3600' });
    const error = await pc.listReferrals().catch((e: unknown) => e);
    assert.ok(error instanceof RetryableError);
    assert.equal(error.retryAfterMs, 3_600_000);
    assert.equal(error.status, 429);
    assert.deepEqual(sleeps, []);
  });

  it('retries 5xx with exponential backoff, then throws RetryableError with the request id', async () => {
    const pc = client();
    emulator.control.resetStats();
    emulator.control.faults.set({ serverErrorRate: 1 });
    const error = await pc.listReferrals().catch((e: unknown) => e);
    assert.ok(error instanceof RetryableError, String(error));
    assert.equal(error.status, 503);
    assert.ok(error.requestId);
    assert.match(error.message, /keep the change queued/);
    assert.deepEqual(sleeps, [75, 150], 'equal jitter around 100 ms and 200 ms');
    assert.equal(emulator.stats().byRoute['GET /v1.0/engagements/referrals'].byStatus[503], 3);
    assert.equal(pc.stats().calls, 3);
  });

  it('recovers from one 5xx', async () => {
    const pc = client();
    emulator.control.faults.script({ kind: 'server-error', status: 502 });
    const page = await pc.listReferrals({ top: 1 });
    assert.equal(page.attempts, 2);
  });

  it('retries a timed-out create with the same request-id, so the referral is created once', async () => {
    const pc = client({ timeoutMs: 1000 }); // generous, so the retry itself never times out on a busy machine
    emulator.control.faults.script({ kind: 'timeout', hangMs: 5000 });
    const marker = `timeout-${Date.now()}`;
    const created = await pc.createReferral(wireSample({ type: 'Independent', externalReferenceId: marker }));
    assert.equal(created.attempts, 2);
    assert.equal(emulator.control.referrals.all().filter((r) => r.externalReferenceId === marker).length, 1);
    assert.equal(pc.stats().byStatus.error, 1);
  });

  it('a timeout on every attempt ends in RetryableError', async () => {
    const pc = client({ timeoutMs: 200, retry: { maxAttempts: 2 } });
    emulator.control.faults.script({ kind: 'timeout', hangMs: 1500 }, { kind: 'timeout', hangMs: 1500 });
    const error = await pc.listReferrals().catch((e: unknown) => e);
    assert.ok(error instanceof RetryableError);
    assert.match(error.message, /timed out after 200 ms/);
  });

  it('400 becomes ValidationError carrying the service message', async () => {
    const pc = client();
    const error = await pc
      .createReferral(wireSample({ customerProfile: { name: 'Fabrikam', address: { country: 'Germany' } } }))
      .catch((e: unknown) => e);
    assert.ok(error instanceof ValidationError);
    assert.equal(error.status, 400);
    assert.equal(error.service.target, 'customerProfile.address.country');
    assert.match(error.serviceMessage, /'Germany' is not a valid ISO 3166-1 alpha-2 code/);
    assert.ok(error.requestId);
  });

  it('404 becomes NotFoundError', async () => {
    await assert.rejects(client().getReferral('00000000-0000-0000-0000-000000000000'), NotFoundError);
  });

  it('a 401 is retried once with a fresh token', async () => {
    const pc = client();
    await pc.listReferrals({ top: 1 });
    emulator.control.auth.expireAccessTokens();
    const page = await pc.listReferrals({ top: 1 });
    assert.equal(page.status, 200);
    assert.equal(pc.stats().byStatus['401'], 1);
  });

  it('a token the API keeps rejecting (401) becomes AuthorizationError after one forced refresh', async () => {
    const requested: (boolean | undefined)[] = [];
    const pc = client({
      // A provider whose tokens Partner Center does not know, e.g. issued for another resource.
      tokenProvider: { getAccessToken: async (options) => (requested.push(options?.forceRefresh), 'token-for-another-resource') },
    });
    const error = await pc.listReferrals().catch((e: unknown) => e);
    assert.ok(error instanceof AuthorizationError, String(error));
    assert.equal(error.status, 401);
    assert.equal(error.reason, 'rejected');
    assert.match(error.fix, /Sign in again as a Referrals admin/);
    assert.deepEqual(requested, [false, true]);
  });

  it('revoked sign-in and missing role become AuthorizationError with the fix', async () => {
    const pc = client();
    await pc.listReferrals({ top: 1 });
    emulator.control.auth.revokeRefreshTokens();
    emulator.control.auth.expireAccessTokens();
    const revoked = await pc.listReferrals().catch((e: unknown) => e);
    assert.ok(revoked instanceof AuthorizationError);
    assert.equal(revoked.reason, 'sign-in-required');
    assert.match(revoked.message, /Sign in again as a Referrals admin: run `cosell partner-center login`/);

    const billing = client({}, new MemoryCredentialPersistence(emulator.control.auth.issueRefreshToken({ roles: ['Billing admin'] })));
    const denied = await billing.listReferrals().catch((e: unknown) => e);
    assert.ok(denied instanceof AuthorizationError);
    assert.equal(denied.reason, 'missing-role');
    assert.equal(denied.status, 403);
    assert.match(denied.message, /Assign the Referrals admin role/);
  });

  it('the sandbox token provider keeps the rotated refresh token, so a restart still signs in', async () => {
    const persistence = new MemoryCredentialPersistence(emulator.control.auth.issueRefreshToken());
    const initial = persistence.value;
    await client({}, persistence).listReferrals({ top: 1 });
    assert.notEqual(persistence.value, initial);
    assert.equal(persistence.saves, 1);
    // A new process with the same persistence: the old refresh token is spent, the saved one works.
    const restarted = client({}, persistence);
    assert.equal((await restarted.listReferrals({ top: 1 })).status, 200);
  });

  it('registerWebhooks posts the first registration, then reads, merges and writes it, keeping other tools\' events', async () => {
    const pc = client();
    const first = await startWebhookReceiver();
    const second = await startWebhookReceiver();
    const ours = ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'];
    try {
      const registered = await pc.registerWebhooks(first.url);
      assert.deepEqual(registered.data.WebhookEvents, ours);
      assert.equal(registered.change.action, 'registered');

      // Another tool (billing) registers its events on the tenant's one registration, with its own URL.
      await pc.updateWebhook({ WebhookUrl: first.url, WebhookEvents: ['subscription-updated', 'invoice-ready', 'referral-created'] });
      const merged = await pc.registerWebhooks(second.url);
      assert.equal(merged.data.SubscriberId, registered.data.SubscriberId);
      assert.deepEqual(merged.data.WebhookEvents, ['subscription-updated', 'invoice-ready', 'referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated']);
      assert.deepEqual(merged.change, {
        action: 'updated',
        url: second.url,
        previousUrl: first.url,
        added: ['referral-updated', 'related-referral-created', 'related-referral-updated'],
        kept: ['subscription-updated', 'invoice-ready'],
        events: merged.data.WebhookEvents,
      });
      assert.deepEqual((await pc.getWebhookRegistration()).data?.WebhookEvents, merged.data.WebhookEvents, 'nothing another tool registered was dropped');

      // Already in place: nothing is written.
      const writesBefore = (pc.stats().byOperation.updateWebhook ?? 0) + (pc.stats().byOperation.registerWebhook ?? 0);
      const again = await pc.registerWebhooks(second.url);
      assert.equal(again.change.action, 'unchanged');
      assert.equal((pc.stats().byOperation.updateWebhook ?? 0) + (pc.stats().byOperation.registerWebhook ?? 0), writesBefore);
      await pc.deleteWebhookRegistration();
      assert.equal((await pc.getWebhookRegistration()).data, undefined);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('rejects calls it can tell are wrong before sending them', async () => {
    const pc = client();
    assert.throws(() => pc.replaceReferral({ id: 'x' } as Referral), /needs an eTag/);
    await assert.rejects(async () => pc.listReferrals({ top: -1 }), /\$top must be a non-negative integer/);
  });
});
