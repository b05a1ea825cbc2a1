/**
 * Golden samples: the requests and responses printed in Microsoft's Partner Center pages (copied into
 * test/fixtures/partner-center-docs/, each file naming its page) must be accepted by the emulator, and what the
 * emulator answers must have the documented shape. The connector side of the same fixtures is
 * connector/partner-center/golden.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from './emulator.js';
import type { Referral } from './referral-model.js';
import { apiClient, signIn, startWebhookReceiver } from './testing.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../../test/fixtures/partner-center-docs/${name}`, import.meta.url), 'utf8'));
const REFERRALS = '/v1.0/engagements/referrals';

/** Every property the documented body shows with a value is present in the emulator's (recursively for objects). */
function assertShape(actual: Json, documented: Json, path = ''): void {
  if (documented === null || documented === undefined) return;
  if (Array.isArray(documented)) {
    assert.ok(Array.isArray(actual), `${path} is an array`);
    if (documented.length > 0 && actual.length > 0) assertShape(actual[0], documented[0], `${path}[0]`);
    return;
  }
  if (typeof documented === 'object') {
    assert.ok(actual && typeof actual === 'object', `${path} is an object`);
    for (const [key, value] of Object.entries(documented)) {
      if (value === null) continue;
      assert.ok(key in actual, `${path}/${key} is in the response`);
      assertShape(actual[key], value, `${path}/${key}`);
    }
    return;
  }
  assert.equal(typeof actual, typeof documented, `${path} has the documented type`);
}

describe('golden samples from the Partner Center docs, against the emulator', () => {
  let emulator: PartnerCenterEmulator;
  let referrals: ReturnType<typeof apiClient>;
  let webhooks: ReturnType<typeof apiClient>;

  before(async () => {
    emulator = await startPartnerCenterEmulator({ pageSize: 2 });
    referrals = apiClient(emulator, await signIn(emulator, {}, 'referrals'));
    webhooks = apiClient(emulator, await signIn(emulator, {}, 'webhooks'));
  });
  after(() => emulator.close());

  const createSample = async () => {
    const { request } = fixture('create-shared-referral.json');
    const reply = await referrals<Referral>('POST', REFERRALS, { body: request.body });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body;
  };

  it('Create a referral: the sample request is accepted and answered in the sample response shape', async () => {
    const { request, response, connected } = fixture('create-shared-referral.json');
    const created = await createSample();
    assertShape(created, response.body);
    for (const echoed of ['name', 'type', 'qualification', 'statusReason', 'target', 'customerProfile', 'consent', 'team', 'inviteContext']) {
      assert.deepEqual(created[echoed], request.body[echoed], echoed);
    }
    assert.deepEqual(created.details?.requirements, request.body.details.requirements);
    assert.match(created.eTag!, /^".+"$/, 'eTag is a quoted string, as in the sample');
    assert.equal(created.links?.self?.method, 'GET');
    assert.equal(new URL(created.links!.relatedReferrals!.uri!).searchParams.get('$filter'), `engagementId eq '${created.engagementId}'`);

    // "Create a connected referral": the referral for Microsoft, tied by the engagementId.
    const second = await referrals<Referral>('POST', REFERRALS, {
      body: { ...request.body, engagementId: created.engagementId, target: connected.microsoftTarget },
    });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.equal(second.body.engagementId, created.engagementId);
    assert.deepEqual(second.body.target, connected.microsoftTarget);
  });

  it('Update a referral (PUT): the sample body with If-Match is accepted; without If-Match or with links it is not', async () => {
    const { request, response } = fixture('update-referral-put.json');
    const created = await createSample();
    const body = { ...request.body, id: created.id, engagementId: created.engagementId, eTag: created.eTag };
    const path = `${REFERRALS}/${created.id}`;
    assert.equal((await referrals('PUT', path, { body })).status, 400, 'If-Match is required');
    assert.equal((await referrals('PUT', path, { body: { ...body, links: created.links }, headers: { 'if-match': created.eTag! } })).status, 400, 'links must be removed');
    const reply = await referrals<Referral>('PUT', path, { body, headers: { 'if-match': created.eTag! } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assertShape(reply.body, response.body);
    assert.equal(reply.body.status, 'Closed');
    assert.equal(reply.body.substatus, 'Won');
    assert.notEqual(reply.body.eTag, created.eTag);
  });

  it('Patch a referral: the sample patches apply; 204 without Prefer, the referral with it', async () => {
    const { request, samples } = fixture('patch-referral.json');
    const created = await createSample();
    const path = `${REFERRALS}/${created.id}`;
    const represented = await referrals<Referral>('PATCH', path, { body: request.body, headers: request.headers });
    assert.equal(represented.status, 200, JSON.stringify(represented.body));
    assert.equal(represented.body.details?.dealValue, 10000, 'the sample sends the deal value as a string; it is stored as the decimal');
    assert.equal(represented.body.team?.at(-1)?.email, 'jane.doe@contoso.com');
    for (const sample of samples as { name: string; headers: Record<string, string>; body: unknown }[]) {
      const reply = await referrals('PATCH', path, { body: sample.body, headers: sample.headers });
      const expected = sample.headers.Prefer ? 200 : 204;
      assert.equal(reply.status, expected, `${sample.name}: ${JSON.stringify(reply.body)}`);
      if (expected === 204) assert.equal(reply.body, undefined);
    }
    const final = emulator.control.referrals.get(created.id!);
    assert.equal(final.details?.notes, 'Lorem ipsum dolor sit amet.');
    assert.deepEqual([final.status, final.substatus], ['Closed', 'Won']);
    const remove = await referrals('PATCH', path, { body: [{ op: 'remove', path: '/details/notes' }] });
    assert.equal(remove.status, 400, 'only replace and add are supported');
  });

  it('Get a referral by ID: the response has the sample shape, with its eTag', async () => {
    const { response } = fixture('get-referral.json');
    const created = await createSample();
    const reply = await referrals<Referral>('GET', `${REFERRALS}/${created.id}`);
    assert.equal(reply.status, 200);
    assertShape(reply.body, response.body);
    assert.equal(reply.headers.get('etag'), reply.body.eTag);
    assert.ok(reply.headers.get('request-id'));
  });

  it('Get a list of referrals: every sample request is accepted; the response has the sample shape and pages by @odata.nextLink', async () => {
    const { requests, response } = fixture('list-referrals.json');
    await createSample();
    await createSample();
    await createSample();
    for (const query of requests as string[]) {
      const reply = await referrals('GET', `${REFERRALS}?${query.replace(/ /g, '%20')}`);
      assert.equal(reply.status, 200, `${query}: ${JSON.stringify(reply.body)}`);
      assert.ok(Array.isArray(reply.body.value), query);
    }
    const page = await referrals('GET', `${REFERRALS}?$orderby=createdDateTime%20desc`);
    const documented = { ...response.body, value: [] };
    assertShape(page.body, documented);
    assert.match(page.body['@odata.nextLink'], /\$skiptoken=/);
    const next = await referrals('GET', page.body['@odata.nextLink']);
    assert.equal(next.status, 200);
    assert.equal(next.body.value.length > 0, true);
  });

  it('Webhooks: the registration samples are accepted and answered in the documented shapes', async () => {
    const hook = await startWebhookReceiver();
    try {
      const doc = fixture('webhook-registration.json');
      const events = await webhooks('GET', doc.events.request.path);
      assert.equal(events.status, 200);
      for (const event of [...doc.events.response.body, ...doc.referralEvents.events]) assert.ok(events.body.includes(event), event);

      const url = (body: Json) => ({ ...body, WebhookUrl: hook.url });
      const registered = await webhooks('POST', doc.register.request.path, { body: url(doc.register.request.body) });
      assert.equal(registered.status, doc.register.response.status, JSON.stringify(registered.body));
      assert.deepEqual(Object.keys(registered.body).sort(), Object.keys(doc.register.response.body).sort());
      assert.deepEqual(registered.body.WebhookEvents, doc.register.response.body.WebhookEvents);
      const viewed = await webhooks('GET', doc.view.request.path);
      assert.deepEqual(Object.keys(viewed.body).sort(), Object.keys(doc.view.response.body).sort());
      const updated = await webhooks('PUT', doc.update.request.path, { body: url(doc.update.request.body) });
      assert.equal(updated.status, doc.update.response.status);
      assert.deepEqual(Object.keys(updated.body).sort(), Object.keys(doc.update.response.body).sort());

      // A delivery: the documented headers, and the body's properties in the event model's order.
      const delivery = fixture('webhook-delivery.json');
      assert.equal((await webhooks('POST', '/webhooks/v1/registration/validationEvents')).status, 200);
      await emulator.control.webhooks.idle();
      const [received] = hook.received;
      assert.ok(received, 'the test event was delivered');
      for (const name of ['Content-Type', 'Authorization', 'X-MS-Certificate-Url', 'X-MS-Signature-Algorithm']) {
        assert.ok(received.headers[name.toLowerCase()], name);
      }
      assert.match(String(received.headers.authorization), /^Signature [A-Za-z0-9+/]+={0,2}$/);
      assert.equal(received.headers['x-ms-signature-algorithm'], delivery.request.headers['X-MS-Signature-Algorithm']);
      assert.match(String(received.headers['content-type']), /^application\/json/);
      assert.deepEqual(Object.keys(received.json), Object.keys(delivery.eventModel));
      assert.equal(received.json.EventName, 'test-created');
      assert.equal(received.json.AuditUri, null);
    } finally {
      await webhooks('DELETE', '/webhooks/v1/registration');
      await hook.close();
    }
  });
});
