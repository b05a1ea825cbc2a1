/**
 * Golden samples, the connector's side: the responses printed in Microsoft's Partner Center pages (copied into
 * test/fixtures/partner-center-docs/, each file naming its page) are served byte for byte to the real client,
 * which must parse each one into what the sync engine reads. The emulator's side of the same fixtures is
 * sandbox/partner-center/golden.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dealFieldsFromReferral } from '../engine/deal-fields.js';
import { unknownValues } from '../engine/referral-values.js';
import { parseWebhookNotification, referralIdFromUri } from '../http/webhooks.js';
import type { Referral } from '../model/referral.js';
import { PartnerCenterClient } from './client.js';
import { PARTNER_CENTER_SCOPE, PARTNER_CENTER_WEBHOOKS_SCOPE, type TokenProvider } from './token-provider.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../../test/fixtures/partner-center-docs/${name}`, import.meta.url), 'utf8'));

const REFERRALS = 'https://api.partner.microsoft.com/v1.0/engagements';
const WEBHOOKS = 'https://api.partnercenter.microsoft.com/webhooks/v1';

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  scope?: string;
}

/** A client whose HTTP answers are the documented samples, in order; records what it sent and for which token. */
function clientAnswering(...answers: { status: number; body?: unknown; headers?: Record<string, string> }[]) {
  const sent: Sent[] = [];
  const scopes: (string | undefined)[] = [];
  const tokenProvider: TokenProvider = {
    getAccessToken: async (options) => {
      scopes.push(options?.scope);
      return 'golden-test-token';
    },
  };
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    const answer = answers.shift();
    assert.ok(answer, `an unexpected call: ${init?.method} ${String(url)}`);
    sent.push({
      method: String(init?.method),
      url: String(url),
      headers: Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>)),
      body: init?.body === undefined ? undefined : JSON.parse(String(init.body)),
      scope: scopes.at(-1),
    });
    const body = answer.body === undefined ? null : JSON.stringify(answer.body);
    return new Response(body, { status: answer.status, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...answer.headers } });
  }) as typeof globalThis.fetch;
  const client = new PartnerCenterClient({ referralsBaseUrl: REFERRALS, webhooksBaseUrl: WEBHOOKS, tokenProvider, fetch, retry: { maxAttempts: 1 } });
  return { client, sent };
}

/** What the engine reads from a referral: no value it does not know, and the deal's values as printed. */
function assertReadable(referral: Referral, printed: Json): void {
  assert.deepEqual(unknownValues(referral), [], 'every enum value in the sample is one the connector knows');
  const fields = dealFieldsFromReferral(referral);
  assert.equal(fields.name, printed.name ?? null);
  assert.equal(fields.dealValue, Number(printed.details.dealValue));
  assert.equal(fields.currency, printed.details.currency);
  // The create sample prints no closing date: absent stays absent (never a made-up date).
  assert.equal(fields.closeDate, printed.details.closingDateTime ? printed.details.closingDateTime.slice(0, 10) : null);
  assert.equal(fields.customer.name, printed.customerProfile.name);
  assert.equal(fields.customer.address.country, printed.customerProfile.address.country);
  assert.deepEqual(
    fields.solutions.map((s) => s.id),
    printed.details.requirements.solutions.map((s: Json) => s.id),
  );
  assert.deepEqual(
    fields.customerContacts.map((c) => c.email),
    (printed.customerProfile.team ?? []).map((c: Json) => c.email),
  );
}

describe('golden samples from the Partner Center docs, parsed by the connector', () => {
  it('Get a referral by ID: the sample response becomes a referral the engine reads, with its eTag and request-id', async () => {
    const { response } = fixture('get-referral.json');
    const { client, sent } = clientAnswering(response);
    const read = await client.getReferral(response.body.id);
    assert.equal(sent[0].method, 'GET');
    assert.equal(sent[0].url, `${REFERRALS}/referrals/${response.body.id}`);
    assert.equal(sent[0].scope, PARTNER_CENTER_SCOPE);
    assert.equal(read.status, 200);
    assert.equal(read.requestId, response.headers['Request-ID']);
    assert.equal(read.data.id, response.body.id);
    assert.equal(read.data.engagementId, response.body.engagementId);
    assert.equal(read.data.eTag, response.body.eTag);
    assert.equal(read.data.status, 'New');
    assert.equal(read.data.direction, 'Incoming');
    assertReadable(read.data, response.body);
  });

  it('Get a list of referrals: the sample page is read, and its nextLink is followed on the configured endpoint only', async () => {
    const { response } = fixture('list-referrals.json');
    const nextLink = new URL(response.body['@odata.nextLink']);
    const lastPage = { '@odata.context': response.body['@odata.context'], value: [] };
    const { client, sent } = clientAnswering(response, { status: 200, body: lastPage });
    const referrals: Referral[] = [];
    for await (const referral of client.allReferrals({ orderBy: 'createdDateTime desc' })) referrals.push(referral);
    assert.equal(referrals.length, response.body.value.length);
    referrals.forEach((referral, i) => {
      assert.equal(referral.id, response.body.value[i].id);
      assertReadable(referral, response.body.value[i]);
    });
    assert.equal(sent.length, 2, 'the nextLink is followed once, then the empty page ends the list');
    const followed = new URL(sent[1].url);
    // The documented nextLink is http and outside /engagements: only its $skiptoken goes, to the configured host.
    assert.equal(followed.origin + followed.pathname, `${REFERRALS}/referrals`);
    assert.equal(followed.searchParams.get('$skiptoken'), nextLink.searchParams.get('$skiptoken'));
    assert.equal(sent[1].headers.authorization, 'Bearer golden-test-token');
  });

  it('Create a referral: the sample response gives the id, engagementId and eTag the second (Microsoft) call needs', async () => {
    const { request, response } = fixture('create-shared-referral.json');
    const { client, sent } = clientAnswering(response);
    const created = await client.createReferral(request.body as Referral);
    assert.equal(sent[0].method, 'POST');
    assert.equal(sent[0].url, `${REFERRALS}/referrals`);
    assert.deepEqual(sent[0].body, request.body);
    assert.equal(sent[0].headers['content-type'], 'application/json');
    assert.match(sent[0].headers['client-request-id'], /^[0-9a-f-]{36}$/);
    assert.equal(created.status, 201);
    assert.equal(created.data.id, response.body.id);
    assert.equal(created.data.engagementId, response.body.engagementId);
    assert.equal(created.data.eTag, response.body.eTag);
    assert.equal(created.data.type, 'Shared');
    assertReadable(created.data, response.body);
  });

  it('Patch a referral: the documented 204 (no body) is a success the client completes with a GET', async () => {
    const patch = fixture('patch-referral.json');
    const { response: got } = fixture('get-referral.json');
    const { client, sent } = clientAnswering(patch.response, got);
    const result = await client.updateWithRetry(got.body.id, () => patch.request.body, { current: got.body as Referral });
    assert.equal(sent[0].method, 'PATCH');
    assert.deepEqual(sent[0].body, patch.request.body);
    assert.equal(sent[0].headers['if-match'], got.body.eTag);
    assert.equal(sent[1].method, 'GET', 'a 204 answer is read back for the new eTag');
    assert.equal(result.changed, true);
    assert.equal(result.referral.eTag, got.body.eTag);
  });

  it('Webhook registration: the register, view and update samples are parsed, each on the webhooks token', async () => {
    const { register, view, update } = fixture('webhook-registration.json');
    const registering = clientAnswering({ status: 404 }, register.response);
    const registered = await registering.client.registerWebhooks(register.request.body.WebhookUrl, register.request.body.WebhookEvents);
    assert.equal(registering.sent[1].method, 'POST');
    assert.equal(registering.sent[1].url, `${WEBHOOKS}/registration`);
    assert.ok(registering.sent.every((s) => s.scope === PARTNER_CENTER_WEBHOOKS_SCOPE));
    assert.equal(registered.change.action, 'registered');
    assert.equal(registered.data.SubscriberId, register.response.body.SubscriberId);
    assert.deepEqual(registered.data.WebhookEvents, register.response.body.WebhookEvents);

    const updating = clientAnswering(view.response, update.response);
    const ours = ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'] as const;
    const updated = await updating.client.registerWebhooks(view.response.body.WebhookUrl, ours);
    assert.equal(updating.sent[0].method, 'GET');
    assert.equal(updating.sent[1].method, 'PUT');
    assert.deepEqual(updating.sent[1].body, { WebhookUrl: view.response.body.WebhookUrl, WebhookEvents: [...view.response.body.WebhookEvents, ...ours] });
    assert.equal(updated.change.action, 'updated');
    assert.deepEqual(updated.change.kept, view.response.body.WebhookEvents);
    assert.equal(updated.data.SubscriberId, update.response.body.SubscriberId);
  });

  it('Webhook delivery: the sample notification and the event model are parsed; a referral event names its referral', () => {
    const { request, eventModel } = fixture('webhook-delivery.json');
    for (const body of [request.body, eventModel]) {
      const notification = parseWebhookNotification(Buffer.from(JSON.stringify(body), 'utf8'));
      assert.equal(notification.EventName, body.EventName);
      assert.equal(notification.ResourceUri, body.ResourceUri);
      assert.equal(notification.ResourceChangeUtcDate, body.ResourceChangeUtcDate);
      assert.equal(notification.AuditUri, null);
    }
    // The same notification for a referral: ResourceUri is the referral's self link as the get sample prints it.
    const { response } = fixture('get-referral.json');
    const referralUri = `${REFERRALS}/referrals/${response.body.id}`;
    const related = parseWebhookNotification(Buffer.from(JSON.stringify({ ...eventModel, EventName: 'related-referral-updated', ResourceUri: referralUri }), 'utf8'));
    assert.equal(referralIdFromUri(related.ResourceUri), response.body.id);
    assert.throws(
      () => parseWebhookNotification(Buffer.from(JSON.stringify({ ...eventModel, EventName: 'referral-updated' }), 'utf8')),
      /ResourceUri.*does not point at a referral/,
    );
  });
});
